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
  CHECK_FALSE(StemmerSet::has_stemmer("uk"));
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

TEST_CASE("stemmer: Ukrainian and unknown languages leave terms unchanged") {
  StemmerSet stems;
  CHECK(stems.stem("uk", "переговорах") == "переговорах");
  CHECK(stems.stem("uk", "марїнка") == "марїнка");
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
  const std::string& r = stems.stem("uk", std::string("тимчасовий"));
  CHECK(r == "тимчасовий");
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
