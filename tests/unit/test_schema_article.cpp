#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "sitrep/index/document.hpp"
#include "sitrep/schema/article.hpp"
#include "sitrep/schema/fields.hpp"

using namespace sitrep::schema;

TEST_CASE("schema::parse_timestamp") {
  SUBCASE("plain date") {
    auto t = parse_timestamp("2025-12-01");
    REQUIRE(t);
    CHECK(t->ymd() == "20251201");
    CHECK_FALSE(t->has_time);
    CHECK(t->iso() == "2025-12-01");
  }
  SUBCASE("offsets convert to UTC, across day and year boundaries") {
    CHECK(parse_timestamp("2025-12-01T10:00:00Z")->iso() == "2025-12-01T10:00:00Z");
    CHECK(parse_timestamp("2025-12-01T01:15:00+03:00")->iso() == "2025-11-30T22:15:00Z");
    CHECK(parse_timestamp("2024-12-31T22:30:00-05:00")->iso() == "2025-01-01T03:30:00Z");
    CHECK(parse_timestamp("2024-02-29 10:00")->iso() == "2024-02-29T10:00:00Z");
    CHECK(parse_timestamp("2025-03-01T00:30:00.123+0100")->iso() == "2025-02-28T23:30:00Z");
    CHECK(parse_timestamp("  2025-06-01T12:00:00+02  ")->iso() == "2025-06-01T10:00:00Z");
  }
  SUBCASE("impossible or malformed dates are rejected") {
    for (const char* bad : {"2025-13-45", "2025-02-29", "2023-04-31", "12/01/2025", "2025-1-1",
                            "yesterday", "", "2025-12-01T25:00", "2025-12-01T10:00+25:00",
                            "2025-12-01Tx", "0000-01-01", "2025-12-01T10:00:00Zjunk"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_timestamp(bad));
    }
  }
}

TEST_CASE("schema::article_from_json_text") {
  SUBCASE("full record") {
    auto r = article_from_json_text(
        R"({"id":"a1","url":"https://x.example/a","source":"Kyiv Ledger","title":"T","published":"2024-03-05","language":"EN","body":"B"})");
    REQUIRE(r.article);
    CHECK(r.error.empty());
    CHECK(r.article->id == "a1");
    CHECK(r.article->language == "en");
    CHECK(r.article->published->ymd() == "20240305");
  }
  SUBCASE("ids derived from url, else content, stably") {
    auto a = article_from_json_text(R"({"url":"https://x.example/a","body":"text"})");
    auto b = article_from_json_text(R"({"url":"https://x.example/a","body":"other text"})");
    auto c = article_from_json_text(R"({"title":"T","body":"text"})");
    auto d = article_from_json_text(R"({"title":"T","body":"text"})");
    REQUIRE((a.article && b.article && c.article && d.article));
    CHECK(a.article->id.rfind("u-", 0) == 0);
    CHECK(a.article->id == b.article->id);
    CHECK(c.article->id.rfind("c-", 0) == 0);
    CHECK(c.article->id == d.article->id);
    CHECK(c.article->id != a.article->id);
  }
  SUBCASE("numeric id accepted") {
    auto r = article_from_json_text(R"({"id":42,"body":"x"})");
    REQUIRE(r.article);
    CHECK(r.article->id == "42");
  }
  SUBCASE("rejections name the problem") {
    CHECK(article_from_json_text(R"({"id":"x","title":"","body":"  "})").error.find("no text") !=
          std::string::npos);
    CHECK(article_from_json_text(R"({"id":"x"})").error.find("no text") != std::string::npos);
    CHECK(article_from_json_text(R"([1,2])").error.find("not a JSON object") != std::string::npos);
    CHECK(article_from_json_text(R"({"title":5,"body":"x"})").error.find("\"title\"") !=
          std::string::npos);
    CHECK(article_from_json_text(R"({"body":"x")").error.find("malformed JSON") !=
          std::string::npos);
    CHECK(article_from_json_text("{\"body\":\"\xff\"}").error.find("invalid UTF-8") !=
          std::string::npos);
  }
  SUBCASE("a bad date is a warning, not a rejection") {
    auto r = article_from_json_text(R"({"body":"x","published":"2025-13-45"})");
    REQUIRE(r.article);
    CHECK_FALSE(r.article->published);
    CHECK(r.warning.find("2025-13-45") != std::string::npos);
  }
}

TEST_CASE("schema::article_from_text_file") {
  auto r =
      article_from_text_file("\n\n  Headline here  \nFirst line of body.\n\nSecond.\n", "story-7");
  REQUIRE(r.article);
  CHECK(r.article->id == "story-7");
  CHECK(r.article->title == "Headline here");
  CHECK(r.article->body == "First line of body.\n\nSecond.");
  CHECK_FALSE(article_from_text_file("   \n\n", "empty").article);
}

TEST_CASE("DocumentBuilder") {
  sitrep::index::DocumentBuilder builder;
  Article a;
  a.id = "doc-1";
  a.source = "Kyiv Ledger";
  a.title = "Talks resume";
  a.body = "Negotiations resumed in Istanbul.";
  a.language = "en";
  a.published = parse_timestamp("2025-12-01T23:30:00-02:00");
  std::string lang;
  Xapian::Document doc = builder.build(a, lang);
  CHECK(lang == "en");
  auto has = [&](const std::string& t) {
    auto it = doc.termlist_begin();
    it.skip_to(t);
    return it != doc.termlist_end() && *it == t;
  };
  CHECK(has("Qdoc-1"));
  CHECK(has("XSkyivledger"));
  CHECK(has("Len"));
  CHECK(has("D20251202"));  // stored in UTC
  CHECK(has("M202512"));
  CHECK(has("Y2025"));
  CHECK(has("talks"));
  CHECK(has("Stalks"));
  CHECK(has("Ztalk"));
  CHECK(has("ZStalk"));
  CHECK(has("negotiations"));
  CHECK(has("Znegoti"));
  CHECK_FALSE(has("Snegotiations"));  // body words are not title words
  CHECK(doc.get_value(slot::kDate) == "20251202");
  CHECK(doc.get_value(slot::kHasDate) == "1");
  // Title words weigh more than body words.
  auto wdf = [&](const std::string& t) {
    auto it = doc.termlist_begin();
    it.skip_to(t);
    return it.get_wdf();
  };
  CHECK(wdf("talks") == kTitleWeight);
  CHECK(wdf("istanbul") == 1);
  // The stored record round-trips.
  Article back = deserialise_article(doc.get_data());
  CHECK(back.id == "doc-1");
  CHECK(back.title == a.title);
  CHECK(back.body == a.body);
  CHECK(back.language == "en");
  CHECK(back.published->iso() == "2025-12-02T01:30:00Z");

  Article undated;
  undated.id = "u";
  undated.body = "Без даты: статья о переговорах в Стамбуле и о гуманитарных коридорах.";
  Xapian::Document d2 = builder.build(undated, lang);
  CHECK(lang == "ru");  // detected
  CHECK(d2.get_value(slot::kHasDate) == "0");
  CHECK(d2.get_value(slot::kDate).empty());
}
