// Unit tests for StemmerSet and the script helpers.

#include <string>

#include <doctest/doctest.h>

#include "sitrep/analysis/stemmer.hpp"
#include "sitrep/analysis/tokenizer.hpp"

using sitrep::analysis::Script;
using sitrep::analysis::script_of;
using sitrep::analysis::script_of_language;
using sitrep::analysis::StemmerSet;

TEST_CASE("stemmer: which languages have a stemmer") {
  for (const char* lang :
       {"en", "ru", "ar", "fr", "de", "es", "it", "pt", "nl", "sv", "no", "nb", "da",
        "fi", "hu", "ro", "tr", "id", "ga", "lt", "ne", "ta", "hy", "eu", "ca"}) {
    CAPTURE(lang);
    CHECK(StemmerSet::has_stemmer(lang));
  }
  CHECK(StemmerSet::has_stemmer("uk"));  // sitrep's own light stemmer
  CHECK_FALSE(StemmerSet::has_stemmer("be"));
  CHECK_FALSE(StemmerSet::has_stemmer("und"));
  CHECK_FALSE(StemmerSet::has_stemmer(""));
  CHECK_FALSE(StemmerSet::has_stemmer("english"));  // codes only
  CHECK_FALSE(StemmerSet::has_stemmer("xx"));
}

TEST_CASE("stemmer: English inflections share a stem") {
  StemmerSet stems;
  const std::string a = stems.stem("en", "negotiations");
  const std::string b = stems.stem("en", "negotiated");
  const std::string c = stems.stem("en", "negotiating");
  CHECK(a == b);
  CHECK(a == c);
  CHECK(a != "negotiations");
  CHECK(stems.stem("en", "troops") == stems.stem("en", "troop"));
  // Cached: the same answer again.
  CHECK(stems.stem("en", "negotiations") == a);
}

TEST_CASE("stemmer: Russian inflections share a stem") {
  StemmerSet stems;
  const std::string a = stems.stem("ru", "переговоры");
  CHECK(a == stems.stem("ru", "переговорах"));
  CHECK(a == stems.stem("ru", "переговоров"));
  CHECK(a != "переговоры");
}

TEST_CASE("stemmer: Arabic stems something") {
  StemmerSet stems;
  const std::string term = "المفاوضات";
  const std::string stem = stems.stem("ar", term);
  CHECK_FALSE(stem.empty());
  CHECK(stem != term);
  CHECK(stem.size() < term.size());
}

TEST_CASE("stemmer: languages without a stemmer leave terms unchanged") {
  StemmerSet stems;
  CHECK(stems.stem("be", "перамовах") == "перамовах");
  CHECK(stems.stem("und", "negotiations") == "negotiations");
  CHECK(stems.stem("", "negotiations") == "negotiations");
  CHECK(stems.stem("zz", "negotiations") == "negotiations");
}

TEST_CASE("stemmer: terms in another script are not stemmed") {
  StemmerSet stems;
  CHECK(stems.stem("ru", "negotiations") == "negotiations");
  CHECK(stems.stem("en", "переговорах") == "переговорах");
  CHECK(stems.stem("en", "1300") == "1300");
  // Switching languages back and forth uses the right stemmer each time.
  CHECK(stems.stem("en", "talks") == "talk");
  CHECK(stems.stem("ru", "переговорах") == stems.stem("ru", "переговоры"));
  CHECK(stems.stem("en", "talks") == "talk");
}

TEST_CASE("stemmer: the result stays valid after the term is gone, and copies work") {
  StemmerSet stems;
  const std::string& r = stems.stem("be", std::string("часовы"));
  CHECK(r == "часовы");
  StemmerSet copy = stems;
  CHECK(copy.stem("en", "negotiations") == stems.stem("en", "negotiated"));
  StemmerSet moved = std::move(copy);
  CHECK(moved.stem("en", "negotiating") == stems.stem("en", "negotiations"));
}

TEST_CASE("stemmer: works on tokenizer output") {
  sitrep::analysis::Tokenizer tokenizer;
  StemmerSet stems;
  const auto terms = tokenizer.terms("Negotiations NEGOTIATED");
  REQUIRE(terms.size() == 2);
  CHECK(stems.stem("en", terms[0]) == stems.stem("en", terms[1]));
}

TEST_CASE("script_of and script_of_language") {
  CHECK(script_of("kyiv") == Script::kLatin);
  CHECK(script_of("київ") == Script::kCyrillic);
  CHECK(script_of("القاهرة") == Script::kArabic);
  CHECK(script_of("αθήνα") == Script::kGreek);
  CHECK(script_of("東京") == Script::kOther);
  CHECK(script_of("2024") == Script::kOther);
  CHECK(script_of("") == Script::kOther);
  CHECK(script_of("1941й") == Script::kCyrillic);  // digits are skipped
  CHECK(script_of("\xff") == Script::kOther);      // invalid bytes do not crash
  CHECK(script_of_language("en") == Script::kLatin);
  CHECK(script_of_language("ru") == Script::kCyrillic);
  CHECK(script_of_language("uk") == Script::kCyrillic);
  CHECK(script_of_language("ar") == Script::kArabic);
  CHECK(script_of_language("fa") == Script::kArabic);
  CHECK(script_of_language("el") == Script::kGreek);
  CHECK(script_of_language("und") == Script::kOther);
  CHECK(script_of_language("") == Script::kOther);
}

TEST_CASE("stemmer: Ukrainian case forms share a tagged stem") {
  using sitrep::analysis::kUkrainianStemTag;
  StemmerSet stems;
  auto same = [&](std::initializer_list<const char*> forms) {
    const std::string first = stems.stem("uk", *forms.begin());
    CHECK(first.starts_with(kUkrainianStemTag));
    for (const char* form : forms) {
      CAPTURE(form);
      CHECK(stems.stem("uk", form) == first);
    }
  };
  same({"київ", "києва", "києві", "києву", "києвом"});
  same({"харків", "харкова", "харкові", "харкову", "харковом"});
  same({"львів", "львова", "львові"});
  same({"зеленський", "зеленського", "зеленському", "зеленським"});
  same({"україна", "україни", "україні", "україну", "україною"});
  same({"переговори", "переговорів", "переговорах", "переговорами"});
  same({"війна", "війни", "війні", "війну", "війною"});
  // Short words keep at least two letters.
  CHECK(stems.stem("uk", "та") == std::string(kUkrainianStemTag) + "та");
  CHECK(stems.stem("uk", "марїнка") == stems.stem("uk", "марїнки"));
  // Other scripts are left alone, untagged.
  CHECK(stems.stem("uk", "kyiv") == "kyiv");
}

TEST_CASE("stemmer: Russian surnames in -ов/-ев meet in every case") {
  StemmerSet stems;
  for (const char* form : {"голунова", "голунову", "голуновым", "голунове"}) {
    CAPTURE(form);
    CHECK(stems.stem("ru", form) == stems.stem("ru", "голунов"));
  }
  CHECK(stems.stem("ru", "лебедева") == stems.stem("ru", "лебедев"));
  // Short stems keep -ов: слово is not сл.
  CHECK(stems.stem("ru", "слова") == "слов");
}

TEST_CASE("stemmer: Arabic prefixes before the article, and nothing else") {
  StemmerSet stems;
  const std::string iraq = stems.stem("ar", "العراق");
  CHECK(iraq == "عراق");
  for (const char* form : {"والعراق", "بالعراق", "للعراق", "فالعراق", "وبالعراق", "كالعراق"}) {
    CAPTURE(form);
    CHECK(stems.stem("ar", form) == iraq);
  }
  // Riyadh is not sport: الرياض and الرياضة (folded to الرياضه) stay apart.
  CHECK(stems.stem("ar", "الرياض") != stems.stem("ar", "الرياضه"));
  // A word starting with و is not "and": وزير (minister) keeps its و.
  CHECK(stems.stem("ar", "وزير") == "وزير");
  CHECK(stems.stem("ar", "الوزير") == "وزير");
  // Too short to hold an article.
  CHECK(stems.stem("ar", "الا") == "الا");
}
