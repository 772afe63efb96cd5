// Language codes and detection; see language.hpp.

#include "sitrep/schema/language_code.hpp"

#include <algorithm>
#include <climits>
#include <string>

#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace sitrep::schema {
namespace {

struct NameCode {
  std::string_view name;
  std::string_view code;
};

// English names (lower case) of the languages a conflict-news archive is likely to meet, plus
// the native names of the main ones (already case-folded). Codes and tags go through ICU instead.
constexpr NameCode kNames[] = {
    {"afrikaans", "af"},
    {"albanian", "sq"},
    {"amharic", "am"},
    {"arabic", "ar"},
    {"armenian", "hy"},
    {"azerbaijani", "az"},
    {"basque", "eu"},
    {"belarusian", "be"},
    {"bengali", "bn"},
    {"bosnian", "bs"},
    {"bulgarian", "bg"},
    {"burmese", "my"},
    {"catalan", "ca"},
    {"chinese", "zh"},
    {"croatian", "hr"},
    {"czech", "cs"},
    {"danish", "da"},
    {"dutch", "nl"},
    {"english", "en"},
    {"estonian", "et"},
    {"farsi", "fa"},
    {"finnish", "fi"},
    {"french", "fr"},
    {"georgian", "ka"},
    {"german", "de"},
    {"greek", "el"},
    {"hebrew", "he"},
    {"hindi", "hi"},
    {"hungarian", "hu"},
    {"icelandic", "is"},
    {"indonesian", "id"},
    {"irish", "ga"},
    {"italian", "it"},
    {"japanese", "ja"},
    {"kazakh", "kk"},
    {"korean", "ko"},
    {"kurdish", "ku"},
    {"kyrgyz", "ky"},
    {"latvian", "lv"},
    {"lithuanian", "lt"},
    {"macedonian", "mk"},
    {"malay", "ms"},
    {"mongolian", "mn"},
    {"nepali", "ne"},
    {"norwegian", "no"},
    {"pashto", "ps"},
    {"persian", "fa"},
    {"polish", "pl"},
    {"portuguese", "pt"},
    {"romanian", "ro"},
    {"russian", "ru"},
    {"serbian", "sr"},
    {"slovak", "sk"},
    {"slovenian", "sl"},
    {"somali", "so"},
    {"spanish", "es"},
    {"swahili", "sw"},
    {"swedish", "sv"},
    {"tajik", "tg"},
    {"tamil", "ta"},
    {"thai", "th"},
    {"turkish", "tr"},
    {"ukrainian", "uk"},
    {"urdu", "ur"},
    {"uzbek", "uz"},
    {"vietnamese", "vi"},
    {"welsh", "cy"},
    // Native names.
    {"русский", "ru"},
    {"українська", "uk"},
    {"العربية", "ar"},
    {"français", "fr"},
    {"deutsch", "de"},
    {"español", "es"},
    {"беларуская", "be"},
    {"עברית", "he"},
    {"فارسی", "fa"},
    {"türkçe", "tr"},
    {"polski", "pl"},
};

// Deprecated ISO 639-1 codes still found in the wild (CLD2 itself says "iw" and "jw"), and the
// ISO 639-2/B bibliographic codes, which ICU does not know.
constexpr NameCode kAliases[] = {
    {"iw", "he"},  {"in", "id"},  {"ji", "yi"},  {"jw", "jv"},  {"mo", "ro"},
    {"alb", "sq"}, {"arm", "hy"}, {"baq", "eu"}, {"bur", "my"}, {"chi", "zh"},
    {"cze", "cs"}, {"dut", "nl"}, {"fre", "fr"}, {"geo", "ka"}, {"ger", "de"},
    {"gre", "el"}, {"ice", "is"}, {"mac", "mk"}, {"mao", "mi"}, {"may", "ms"},
    {"per", "fa"}, {"rum", "ro"}, {"slo", "sk"}, {"tib", "bo"}, {"wel", "cy"},
};

std::string_view lookup(const NameCode* begin, const NameCode* end, std::string_view key) {
  const auto* it = std::find_if(begin, end, [&](const NameCode& e) { return e.name == key; });
  return it == end ? std::string_view{} : it->code;
}

bool is_ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Appends s to out as interchange-valid UTF-8, which CLD2 requires (it returns "unknown" on
// anything else): invalid sequences, controls other than tab and newlines, and noncharacters
// become spaces. Stops before the first character that would take out past max_bytes.

}  // namespace

std::string canonical_language(std::string_view given) {
  while (!given.empty() && is_ascii_space(given.front())) given.remove_prefix(1);
  while (!given.empty() && is_ascii_space(given.back())) given.remove_suffix(1);
  if (given.empty() || given.size() > 64) return {};

  const bool ascii = std::all_of(given.begin(), given.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) {
    // Only native names can be non-ASCII; case-fold them the Unicode way ("Русский").
    icu::UnicodeString folded = icu::UnicodeString::fromUTF8(
        icu::StringPiece(given.data(), static_cast<int32_t>(given.size())));
    folded.foldCase();
    std::string key;
    folded.toUTF8String(key);
    return std::string(lookup(std::begin(kNames), std::end(kNames), key));
  }

  std::string lower(given);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  if (std::string_view code = lookup(std::begin(kNames), std::end(kNames), lower); !code.empty()) {
    return std::string(code);
  }

  // A code, a BCP 47 tag or a POSIX locale name: the primary language subtag decides.
  const std::string primary = lower.substr(0, lower.find_first_of("-_.@"));
  if (primary.size() < 2 || primary.size() > 3 ||
      !std::all_of(primary.begin(), primary.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return {};
  }
  if (primary == "und") return "und";
  if (std::string_view code = lookup(std::begin(kAliases), std::end(kAliases), primary);
      !code.empty()) {
    return std::string(code);
  }
  // ICU validates the code (an unknown one has no ISO 639-2 equivalent) and turns a 639-2/T or
  // 639-3 code into the 639-1 code when there is one ("rus" -> "ru").
  const icu::Locale locale(primary.c_str());
  if (locale.isBogus() || locale.getISO3Language()[0] == '\0') return {};
  return locale.getLanguage();
}

}  // namespace sitrep::schema
