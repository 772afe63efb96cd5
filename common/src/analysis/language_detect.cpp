// Language detection with CLD2; see language.hpp. Kept apart from language.cpp so that
// sitrep-search, which never detects a language, does not load libcld2 at start-up.

#include <algorithm>
#include <string>

#include <cld2/public/compact_lang_det.h>
#include <unicode/utf8.h>

#include "sitrep/analysis/language.hpp"

namespace sitrep::analysis {
namespace {

void append_clean(std::string_view s, std::size_t max_bytes, std::string& out) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(std::min<std::size_t>(s.size(), INT32_MAX));
  for (int32_t i = 0; i < n;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    const auto len = static_cast<std::size_t>(i - at);
    if (out.size() + len > max_bytes) break;
    if (c < 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c < 0xA0) ||
        U_IS_UNICODE_NONCHAR(c)) {
      out.push_back(' ');
    } else {
      out.append(s.substr(static_cast<std::size_t>(at), len));
    }
  }
}

}  // namespace

std::string detect_language(std::string_view title, std::string_view body) {
  constexpr std::size_t kMaxBody = 16 * 1024;
  std::string text;
  text.reserve(std::min(title.size(), kMaxBody) + 1 + std::min(body.size(), kMaxBody));
  append_clean(title, kMaxBody, text);
  text.push_back('\n');
  append_clean(body, text.size() + kMaxBody, text);

  CLD2::Language top3[3];
  int percent3[3];
  int text_bytes = 0;
  bool reliable = false;
  const CLD2::Language lang = CLD2::ExtDetectLanguageSummary(
      text.data(), static_cast<int>(text.size()),
      /*is_plain_text=*/true, top3, percent3, &text_bytes, &reliable);
  if (!reliable || lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE) {
    return "und";
  }
  // CLD2 codes are mostly ISO 639-1, with a few old or Google-specific ones ("iw", "zh-Hant",
  // "xx-Cyrl" for a script it recognised but not a language) that canonical_language sorts out.
  std::string code = canonical_language(CLD2::LanguageCode(lang));
  return code.empty() ? "und" : code;
}

}  // namespace sitrep::analysis
