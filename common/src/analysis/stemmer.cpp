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

StemRules rules_of(std::string_view lang) noexcept {
  if (lang == "ru") return StemRules::kRussian;
  if (lang == "ar") return StemRules::kArabic;
  if (lang == "uk") return StemRules::kUkrainian;
  return StemRules::kSnowball;
}

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

// ---- sitrep's own stemming rules, on UTF-32 ----

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(std::min<std::size_t>(s.size(), INT32_MAX));
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back(static_cast<char32_t>(c < 0 ? 0xFFFD : c));
  }
  return out;
}

std::string to_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (char32_t c : s) {
    char buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(c));
    out.append(buf, static_cast<std::size_t>(len));
  }
  return out;
}

bool ends_with(std::u32string_view s, std::u32string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Ukrainian vowels.
bool uk_vowel(char32_t c) {
  return std::u32string_view(U"аеєиіїоуюя").find(c) != std::u32string_view::npos;
}

// Ukrainian inflectional endings (nouns, adjectives, pronouns, verbs), longest tried first.
// Deliberately absent: the one-letter verb ending -в (it would cut Київ, Львів) and endings that
// are mostly parts of stems; of the masculine past -в only -ив is taken (заявив, повідомив meet
// заявила, повідомили; the cost: a noun in -ив such as колектив loses it, колективу does not),
// not -ав (держав, the genitive plural of держава, Ярослав).
constexpr std::u32string_view kUkEndings[] = {
    // four letters
    U"ього", U"ьому", U"уємо", U"уєте", U"ують",
    // three letters
    U"ого", U"ому", U"ими", U"іми", U"ами", U"ями", U"ові", U"еві", U"єві", U"ьої", U"ьою", U"ємо",
    U"емо", U"ете", U"єте", U"ють", U"уть", U"ать", U"ять", U"ить", U"іть", U"ала", U"ало", U"али",
    U"ила", U"ило", U"или", U"іла", U"іло", U"іли", U"ння", U"ньо",
    // two letters
    U"ий", U"ій", U"их", U"іх", U"им", U"ім", U"ої", U"ою", U"ую", U"юю", U"ая", U"яя", U"ам",
    U"ям", U"ах", U"ях", U"ом", U"ем", U"єм", U"ею", U"єю", U"ів", U"їв", U"ив", U"ей", U"ти",
    U"ть", U"ла", U"ло", U"ли", U"ши", U"мо", U"те",
    // one letter
    U"а", U"я", U"о", U"е", U"є", U"у", U"ю", U"і", U"ї", U"и", U"ь"};

}  // namespace

std::string ukrainian_stem(std::string_view word) {
  std::u32string w = to_u32(word);
  // RV: the part after the first vowel; endings are only taken from it, and at least two letters
  // stay.
  std::size_t rv = 0;
  while (rv < w.size() && !uk_vowel(w[rv])) ++rv;
  rv = std::min(rv + 1, w.size());
  auto removable = [&](std::u32string_view ending, std::size_t min_left) {
    return ends_with(w, ending) && w.size() - ending.size() >= std::max(rv, min_left);
  };
  // Reflexive verbs: -ся, -сь.
  for (std::u32string_view r : {std::u32string_view(U"ся"), std::u32string_view(U"сь")}) {
    if (removable(r, 3)) {
      w.erase(w.size() - r.size());
      break;
    }
  }
  for (std::u32string_view ending : kUkEndings) {
    // An ending in vowel + в (-ів, -їв, -ив, -ові, -єві) must leave three letters: Київ, Києві are
    // києв + nothing, + і, not ки + їв, ки + єві.
    const bool v_ending = ending.size() >= 2 && ending[1] == U'в';
    const std::size_t min_left = v_ending ? 3 : 2;
    if (removable(ending, min_left)) {
      w.erase(w.size() - ending.size());
      break;
    }
  }
  // The vowel alternation of closed syllables: Харків/Харкова, Львів/Львова, Київ/Києва. A stem
  // ending in vowel + в (ов ев єв ів їв) loses it when three letters stay (харк, львів -> льв);
  // a shorter one gets the open-syllable vowel (київ -> києв).
  if (w.size() >= 3 && w.back() == U'в') {
    const char32_t v = w[w.size() - 2];
    if (v == U'о' || v == U'е' || v == U'є' || v == U'і' || v == U'ї') {
      if (w.size() - 2 >= 3) {
        w.erase(w.size() - 2);
      } else if (v == U'і') {
        w[w.size() - 2] = U'о';
      } else if (v == U'ї') {
        w[w.size() - 2] = U'є';
      }
    }
  }
  return to_utf8(w);
}

namespace {

// Stems (Snowball's, after the rules below) of Russian first names that surnames in -ов/-ев are
// made from: the surname keeps its -ов/-ев, so Иванов is not Иван, Петров not Пётр.
bool russian_first_name(std::string_view stem) {
  static const std::set<std::string, std::less<>> kNames = {
      "алексе", "андре",  "антон",  "борис",  "григор", "денис",  "дмитри", "егор",
      "захар",  "иван",   "кирилл", "макар",  "максим", "матве",  "петр",   "семен",
      "серге",  "степан", "тарас",  "тимофе", "федор",  "филипп", "фрол"};
  return kNames.count(stem) > 0;
}

}  // namespace

std::string russian_stem(std::string_view word, std::string stem) {
  const std::string_view rest =
      word.starts_with(stem) ? word.substr(stem.size()) : std::string_view{};
  // Snowball reads a name in -ен or -ан as a verb or participle (Семён, Семёна -> сем, like семья;
  // Иван, Ивана -> ива, but Ивану -> иван); when that leaves three letters or fewer, the -ен or -н
  // stays (семен, иван, as the other case forms give).
  if (to_u32(stem).size() <= 3 && (rest.starts_with("ен") || rest.starts_with("н"))) {
    stem += rest.starts_with("ен") ? "ен" : "н";
    return stem;
  }
  // A first name in -ей/-ай loses it whole (Сергей -> серг) but only -я, -ю... in the other
  // cases (Сергея -> серге): keep its first letter.
  for (std::string_view tail : {std::string_view("ей"), std::string_view("ай")}) {
    if (rest == tail && russian_first_name(stem + std::string(tail.substr(0, tail.size() / 2))))
      return stem + std::string(tail.substr(0, tail.size() / 2));
  }
  // A surname made from a first name keeps -ов/-ев: Snowball takes it off the nominative only.
  for (std::string_view tail : {std::string_view("ов"), std::string_view("ев")}) {
    if (rest.starts_with(tail) && russian_first_name(stem)) return stem + std::string(tail);
  }
  return russian_surname_stem(std::move(stem));
}

std::string russian_surname_stem(std::string stem) {
  // Snowball takes -ов/-ев off a nominative surname (Голунов -> голун) but leaves it on every
  // other case (Голунова -> голунов), so the case forms of a surname never met. Take it off a
  // stem that keeps three letters (слов stays слов).
  static constexpr std::string_view kOv = "ов", kEv = "ев";
  const std::string_view s = stem;
  if ((s.ends_with(kOv) || s.ends_with(kEv)) && to_u32(s).size() >= 5 &&
      !russian_first_name(s.substr(0, s.size() - kOv.size()))) {
    stem.resize(stem.size() - kOv.size());
  }
  return stem;
}

std::string arabic_stem(std::string_view word) {
  // The word is already folded by the Tokenizer (أ إ آ -> ا, ة -> ه, ى -> ي, no harakat).
  std::u32string w = to_u32(word);
  std::size_t p = 0;
  auto at = [&](std::size_t i, std::u32string_view s) {
    return w.size() >= i + s.size() && std::u32string_view(w).substr(i, s.size()) == s;
  };
  constexpr std::size_t kMinLeft = 2;
  auto left_after = [&](std::size_t i) { return w.size() >= i ? w.size() - i : 0; };
  // A conjunction (و, ف) and a preposition (ب, ك, ل) are only taken off before the article:
  // و+زير is a word (وزير, minister), و+العراق is "and Iraq".
  std::size_t q = 0;
  if (at(q, U"و") || at(q, U"ف")) ++q;
  if (at(q, U"ب") || at(q, U"ك")) {
    if (at(q + 1, U"ال") && left_after(q + 3) >= kMinLeft) p = q + 3;
  } else if (at(q, U"لل")) {
    // ل + ال is written لل (للعراق); ال before a word starting with ل, ل+ال (لللجنة), too.
    if (left_after(q + 2) >= kMinLeft + 1) p = q + 2;
  } else if (at(q, U"ال")) {
    if (left_after(q + 2) >= kMinLeft) p = q + 2;
  }
  if (p == 0) return std::string(word);
  return to_utf8(std::u32string_view(w).substr(p));
}

namespace {}  // namespace

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

bool StemmerSet::has_stemmer(std::string_view lang) {
  const StemRules rules = rules_of(lang);
  if (rules == StemRules::kArabic || rules == StemRules::kUkrainian) return true;
  return !stemmer_name(lang).empty();
}

StemmerSet::Lang& StemmerSet::lang_state(std::string_view lang) {
  if (m_last != nullptr && m_last_code == lang) return *m_last;
  std::string code(lang);
  auto it = m_langs.find(code);
  if (it == m_langs.end()) {
    Lang state;
    const std::string_view name = stemmer_name(lang);
    // name is one this Xapian lists (available_stemmers()), so Xapian::Stem accepts it: a
    // language whose stemmer it lacks has none, its words are indexed and searched unstemmed.
    state.rules = rules_of(lang);
    if (state.rules == StemRules::kArabic || state.rules == StemRules::kUkrainian) {
      state.active = true;
    } else if (!name.empty()) {
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
  std::string stemmed;
  switch (state.rules) {
    case StemRules::kArabic:
      stemmed = arabic_stem(term);
      break;
    case StemRules::kUkrainian:
      stemmed = std::string(kUkrainianStemTag) + ukrainian_stem(term);
      break;
    case StemRules::kRussian:
      stemmed = russian_stem(term, state.stem(term));
      break;
    case StemRules::kSnowball:
      stemmed = state.stem(term);
      break;
  }
  // Snowball never empties a word, but a term must never be empty, so guard anyway.
  if (stemmed.empty()) stemmed = term;
  return state.cache.emplace(term, std::move(stemmed)).first->second;
}

}  // namespace sitrep::analysis
