// Snowball stemming through Xapian::Stem; see stemmer.hpp.

#include "sitrep/analysis/stemmer.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <utility>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "sitrep/util/error.hpp"

namespace sitrep::analysis {
namespace {

struct LangInfo {
  std::string_view code;     // ISO 639-1
  std::string_view stemmer;  // Xapian::Stem name, empty when Snowball has none
  Script script;
};

// Stemmer names are Xapian's; whether this Xapian build has each one is checked at run time, so
// a newer Xapian (1.5 adds Greek, Hindi, Serbian, Yiddish...) is picked up without code changes.
constexpr LangInfo kLanguages[] = {
    {"ar", "arabic", Script::kArabic},    {"be", "", Script::kCyrillic},
    {"bg", "", Script::kCyrillic},        {"bs", "", Script::kLatin},
    {"ca", "catalan", Script::kLatin},    {"cs", "", Script::kLatin},
    {"cy", "", Script::kLatin},           {"da", "danish", Script::kLatin},
    {"de", "german", Script::kLatin},     {"el", "greek", Script::kGreek},
    {"en", "english", Script::kLatin},    {"eo", "", Script::kLatin},
    {"es", "spanish", Script::kLatin},    {"et", "", Script::kLatin},
    {"eu", "basque", Script::kLatin},     {"fa", "", Script::kArabic},
    {"fi", "finnish", Script::kLatin},    {"fr", "french", Script::kLatin},
    {"ga", "irish", Script::kLatin},      {"gl", "", Script::kLatin},
    {"hi", "hindi", Script::kOther},      {"hr", "", Script::kLatin},
    {"hu", "hungarian", Script::kLatin},  {"hy", "armenian", Script::kOther},
    {"id", "indonesian", Script::kLatin}, {"is", "", Script::kLatin},
    {"it", "italian", Script::kLatin},    {"kk", "", Script::kCyrillic},
    {"ky", "", Script::kCyrillic},        {"lt", "lithuanian", Script::kLatin},
    {"lv", "", Script::kLatin},           {"mk", "", Script::kCyrillic},
    {"mn", "", Script::kCyrillic},        {"ms", "", Script::kLatin},
    {"nb", "norwegian", Script::kLatin},  {"ne", "nepali", Script::kOther},
    {"nl", "dutch", Script::kLatin},      {"nn", "norwegian", Script::kLatin},
    {"no", "norwegian", Script::kLatin},  {"pl", "", Script::kLatin},
    {"ps", "", Script::kArabic},          {"pt", "portuguese", Script::kLatin},
    {"ro", "romanian", Script::kLatin},   {"ru", "russian", Script::kCyrillic},
    {"sk", "", Script::kLatin},           {"sl", "", Script::kLatin},
    {"sq", "", Script::kLatin},           {"sr", "serbian", Script::kCyrillic},
    {"sv", "swedish", Script::kLatin},    {"ta", "tamil", Script::kOther},
    {"tg", "", Script::kCyrillic},        {"tr", "turkish", Script::kLatin},
    {"uk", "", Script::kCyrillic},        {"ur", "", Script::kArabic},
    {"uz", "", Script::kLatin},           {"vi", "", Script::kLatin},
    {"yi", "yiddish", Script::kOther},
};

const LangInfo* find_language(std::string_view code) noexcept {
  for (const LangInfo& info : kLanguages) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

const std::set<std::string, std::less<>>& available_stemmers() {
  static const std::set<std::string, std::less<>> names = [] {
    std::set<std::string, std::less<>> result;
    std::istringstream in(Xapian::Stem::get_available_languages());
    for (std::string name; in >> name;) result.insert(name);
    return result;
  }();
  return names;
}

// The Xapian stemmer name for lang, or empty when it has none in this Xapian.
std::string_view stemmer_name(std::string_view lang) {
  const LangInfo* info = find_language(lang);
  if (info == nullptr || info->stemmer.empty()) return {};
  return available_stemmers().count(info->stemmer) ? info->stemmer : std::string_view{};
}

}  // namespace

Script script_of(std::string_view term) noexcept {
  const auto* s = reinterpret_cast<const uint8_t*>(term.data());
  const auto n = static_cast<int32_t>(std::min<std::size_t>(term.size(), INT32_MAX));
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) continue;
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return Script::kLatin;
      continue;
    }
    if ((U_GET_GC_MASK(c) & U_GC_L_MASK) == 0) continue;
    UErrorCode status = U_ZERO_ERROR;
    switch (uscript_getScript(c, &status)) {
      case USCRIPT_LATIN:
        return Script::kLatin;
      case USCRIPT_CYRILLIC:
        return Script::kCyrillic;
      case USCRIPT_ARABIC:
        return Script::kArabic;
      case USCRIPT_GREEK:
        return Script::kGreek;
      default:
        return Script::kOther;
    }
  }
  return Script::kOther;
}

Script script_of_language(std::string_view lang) noexcept {
  const LangInfo* info = find_language(lang);
  return info ? info->script : Script::kOther;
}

bool StemmerSet::has_stemmer(std::string_view lang) { return !stemmer_name(lang).empty(); }

StemmerSet::Lang& StemmerSet::lang_state(std::string_view lang) {
  if (m_last != nullptr && m_last_code == lang) return *m_last;
  std::string code(lang);
  auto it = m_langs.find(code);
  if (it == m_langs.end()) {
    Lang state;
    const std::string_view name = stemmer_name(lang);
    // name is one this Xapian lists (available_stemmers()), so Xapian::Stem accepts it: a
    // language whose stemmer it lacks has none, its words are indexed and searched unstemmed.
    if (!name.empty()) {
      state.stem = Xapian::Stem(std::string(name));
      state.active = true;
    }
    state.script = script_of_language(lang);
    it = m_langs.emplace(code, std::move(state)).first;
  }
  m_last = &it->second;
  m_last_code = std::move(code);
  return *m_last;
}

const std::string& StemmerSet::stem(std::string_view lang, const std::string& term) {
  Lang& state = lang_state(lang);
  if (!state.active || script_of(term) != state.script) {
    // A copy, so the result stays valid as documented even when term is a temporary.
    m_scratch = term;
    return m_scratch;
  }
  auto it = state.cache.find(term);
  if (it != state.cache.end()) return it->second;
  if (state.cache.size() >= kCacheLimit) state.cache.clear();  // bounds memory on long runs
  std::string stemmed = state.stem(term);
  // Snowball never empties a word, but a term must never be empty, so guard anyway.
  if (stemmed.empty()) stemmed = term;
  return state.cache.emplace(term, std::move(stemmed)).first->second;
}

}  // namespace sitrep::analysis
