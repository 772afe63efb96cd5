// Inputs the libFuzzer targets (tests/fuzz) found to crash or misbehave, kept as regression tests.
// Each case names the target that found it and what went wrong.
#include <string>

#include <doctest/doctest.h>
#include <xapian.h>

#include "sitrep/entities/entities.hpp"
#include "sitrep/index/document.hpp"
#include "sitrep/schema/article.hpp"

using namespace sitrep;

TEST_CASE("fuzz_record: a number too large for a double is malformed JSON, not an exception") {
  // nlohmann's parser reports the overflow as out_of_range, not parse_error: it escaped
  // article_from_json_text and sitrep-index stopped the whole run with an internal error (70).
  for (const char* line : {R"({"title":"n","body":"b","published":20251201,"id":1e400})",
                           R"({"title":"t","body":"b","x":-1e999})", "1e400", "[1e400]"}) {
    CAPTURE(line);
    schema::ParsedRecord r;
    CHECK_NOTHROW(r = schema::article_from_json_text(line));
    CHECK_FALSE(r.article);
    CHECK(r.error.find("malformed JSON") == 0);
    CHECK(r.error.find("number overflow") != std::string::npos);
  }
  // A large number that fits is only a field of the wrong type (or an ignored extra field).
  const schema::ParsedRecord ok = schema::article_from_json_text(R"({"title":"t","x":1e300})");
  REQUIRE(ok.article);
  CHECK(ok.article->title == "t");
}

TEST_CASE("fuzz_record: a long run of capitalised words gives no term longer than Xapian takes") {
  // A discovered name's id is "x-" and its words (transliterated): a name of long words made an
  // entity term over 245 bytes, which the glass backend refuses, so sitrep-index could not store
  // the article.
  entities::Gazetteer gazetteer;
  gazetteer.load_builtin();
  // Three capitalised words of 90 letters after a title: a person's name of 270 bytes.
  std::string latin = "Talks with envoy";
  std::string cyrillic = "Переговоры с послом";
  for (const char c : {'a', 'b', 'c'}) {
    latin += " Z" + std::string(90, c);
    cyrillic += " Щ";
    for (int i = 0; i < 45; ++i) cyrillic += "ё";
  }
  latin += " ended.";
  cyrillic += " закончились.";
  for (const std::string& body : {latin, cyrillic}) {
    schema::Article a;
    a.id = "long-run";
    a.title = "Talks";
    a.body = body;
    index::DocumentBuilder builder(&gazetteer);
    std::string language;
    const Xapian::Document doc = builder.build(a, language);
    std::size_t entity_terms = 0;
    for (Xapian::TermIterator it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
      CAPTURE(*it);
      CHECK((*it).size() <= 245);
      if ((*it).rfind("XE", 0) == 0) ++entity_terms;
    }
    // The run is still an entity (with a shortened id), not dropped.
    CHECK(entity_terms >= 1);
  }
  // Two long names with the same beginning keep distinct ids.
  const std::string a = entities::discovered_id("a" + std::string(150, 'b') + " one");
  const std::string b = entities::discovered_id("a" + std::string(150, 'b') + " two");
  CHECK(a.size() <= entities::kMaxIdBytes);
  CHECK(b.size() <= entities::kMaxIdBytes);
  CHECK(a != b);
}
