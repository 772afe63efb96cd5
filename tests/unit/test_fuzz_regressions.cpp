// Inputs the libFuzzer targets (tests/fuzz) found to crash or misbehave, kept as regression tests.
// Each case names the target that found it and what went wrong.
#include <string>

#include <doctest/doctest.h>

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
