#pragma once
// Stemming per language: Xapian's bundled Snowball stemmers (Xapian::Stem), and sitrep's own rules
// for Russian surnames, Arabic and Ukrainian (docs/design/analysis.md says why).

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

namespace sitrep::analysis {

enum class Script { kLatin, kCyrillic, kArabic, kGreek, kOther };

// The script of a term: the script of its first letter (digits and marks are skipped); kOther when
// it has no letter. Thread-safe.
Script script_of(std::string_view term) noexcept;

// The script a language is written in (ISO 639-1 code); kOther for unknown codes.
Script script_of_language(std::string_view lang) noexcept;

// The stemming rules of a language: Snowball's, or sitrep's own (see below).
enum class StemRules { kSnowball, kRussian, kArabic, kUkrainian };

// Russian: Snowball, then a surname stem's -ов/-ев is taken off (голунов -> голун, the stem of
// the nominative Голунов) when three letters stay, so every case form of a surname meets.
std::string russian_surname_stem(std::string snowball_stem);
// Russian: the whole rule, from a word and its Snowball stem: the surname rule above, and a name
// in -ен that Snowball takes for a verb keeps its -ен (Семён, Семёна -> семен, not сем like семья).
std::string russian_stem(std::string_view word, std::string snowball_stem);

// Arabic (a light stemmer: a word's prefixes only, so a place never becomes another word, as
// Snowball makes الرياض (Riyadh) رياض like الرياضة (sport)): the article ال, and before it a
// conjunction و/ف and a preposition ب/ك, or ل+ال written لل, are taken off when two letters stay
// (والعراق, بالعراق, للعراق, العراق -> عراق). The word is a Tokenizer term (already folded).
std::string arabic_stem(std::string_view word);

// Ukrainian (Xapian has no Snowball stemmer for it): a light suffix stemmer of sitrep's, Porter
// style: the longest inflectional ending after the first vowel is taken off, leaving two letters,
// and the closed-syllable vowel alternation is undone (Київ, Києва -> києв; Харків, Харкова ->
// харк). Without the tag below.
std::string ukrainian_stem(std::string_view word);

// What StemmerSet::stem() puts before a Ukrainian stem: the stems of languages written in one
// script must not meet, or a Ukrainian query word's Russian stem would match other words in
// Ukrainian articles (and the other way round). A tag with ':' is never a Tokenizer term.
inline constexpr std::string_view kUkrainianStemTag = "uk:";

// Caches one Xapian::Stem per language and the stems it produced.
// Not thread-safe: use one per thread.
class StemmerSet {
 public:
  StemmerSet() = default;
  // Copies start with an empty last-language shortcut (it points into the source's map).
  StemmerSet(const StemmerSet& other) : m_langs(other.m_langs) {}
  StemmerSet& operator=(const StemmerSet& other) {
    if (this != &other) {
      m_langs = other.m_langs;
      m_last = nullptr;
      m_last_code.clear();
    }
    return *this;
  }
  StemmerSet(StemmerSet&&) noexcept = default;  // map nodes move with the map: m_last stays valid
  StemmerSet& operator=(StemmerSet&&) noexcept = default;

  // True when lang (ISO 639-1 code) has a stemmer: a Snowball one (en ru fr de es it pt nl sv no
  // da fi hu ro tr ...) or sitrep's own (ar, uk; ru is Snowball plus a surname rule).
  static bool has_stemmer(std::string_view lang);

  // The stem of term (already normalised by the Tokenizer) in language lang. For a language
  // without a stemmer, or "und", returns term unchanged. A term in another script than the
  // language's (a Latin-script name in a Russian article, a number) is also returned unchanged:
  // another language's stemmer would only mangle it. The reference stays valid until the next
  // call. Each language caches up to kCacheLimit stems, then starts its cache afresh.
  const std::string& stem(std::string_view lang, const std::string& term);

  static constexpr std::size_t kCacheLimit = 1 << 18;

 private:
  struct Lang {
    Xapian::Stem stem;
    StemRules rules = StemRules::kSnowball;
    bool active = false;
    Script script = Script::kOther;
    std::unordered_map<std::string, std::string> cache;
  };
  Lang& lang_state(std::string_view lang);
  std::unordered_map<std::string, Lang> m_langs;
  // The last language asked for: callers stem a whole document in one language, and this saves
  // building a std::string key for every term.
  Lang* m_last = nullptr;
  std::string m_last_code;
  std::string m_scratch;
};

}  // namespace sitrep::analysis
