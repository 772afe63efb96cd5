// Publication dates in the formats news exports write (issue 11, item 18): RFC 2822 / RSS, ISO 8601
// with offsets without a colon, compact ISO 8601, epoch seconds and milliseconds.
#include <string>

#include <doctest/doctest.h>

#include "sitrep/schema/article.hpp"
#include "sitrep/schema/timestamp.hpp"

using sitrep::schema::article_from_json_text;
using sitrep::schema::parse_timestamp;

namespace {

// The UTC ISO form of text's timestamp, or "refused".
std::string utc(const std::string& text) {
  const auto t = parse_timestamp(text);
  return t ? t->iso() : "refused";
}

// Why text was refused ("" when accepted or no reason is known).
std::string reason(const std::string& text) {
  std::string why;
  if (parse_timestamp(text, &why)) return "accepted";
  return why;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("dates: RFC 2822 / RSS") {
  SUBCASE("zone forms") {
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 GMT") == "2025-11-21T10:00:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 +0000") == "2025-11-21T10:00:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 -0000") == "2025-11-21T10:00:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 -0500") == "2025-11-21T15:00:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 +0530") == "2025-11-21T04:30:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 UT") == "2025-11-21T10:00:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 UTC") == "2025-11-21T10:00:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 Z") == "2025-11-21T10:00:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 gmt") == "2025-11-21T10:00:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00 +0000 (UTC)") == "2025-11-21T10:00:00Z");
    CHECK(utc("Fri, 21 Nov 2025 10:00:00") == "2025-11-21T10:00:00Z");  // no zone: UTC
  }
  SUBCASE("the US zones as RFC 2822 defines them (no daylight-saving guess)") {
    const std::pair<const char*, const char*> zones[] = {
        {"EST", "15"}, {"EDT", "14"}, {"CST", "16"}, {"CDT", "15"},
        {"MST", "17"}, {"MDT", "16"}, {"PST", "18"}, {"PDT", "17"}};
    for (const auto& [zone, hour] : zones) {
      CAPTURE(zone);
      CHECK(utc(std::string("21 Nov 2025 10:00:00 ") + zone) ==
            std::string("2025-11-21T") + hour + ":00:00Z");
    }
  }
  SUBCASE("weekday optional, one-digit day, seconds optional, full names, any case") {
    CHECK(utc("21 Nov 2025 10:00:00 GMT") == "2025-11-21T10:00:00Z");
    CHECK(utc("Mon, 1 Dec 2025 09:05:00 PDT") == "2025-12-01T16:05:00Z");
    CHECK(utc("Mon, 01 Dec 2025 09:05 +0000") == "2025-12-01T09:05:00Z");
    CHECK(utc("1 Dec 2025 09:05 GMT") == "2025-12-01T09:05:00Z");
    CHECK(utc("Friday, 21 November 2025 10:00:00 GMT") == "2025-11-21T10:00:00Z");
    CHECK(utc("fri, 21 nov 2025 10:00:00 gmt") == "2025-11-21T10:00:00Z");
    CHECK(utc("  Fri,  21 Nov 2025  10:00:00 GMT  ") == "2025-11-21T10:00:00Z");
  }
  SUBCASE("offsets crossing midnight, month, year and a leap day") {
    CHECK(utc("Fri, 21 Nov 2025 22:30:00 -0500") == "2025-11-22T03:30:00Z");
    CHECK(utc("Sat, 22 Nov 2025 01:30:00 +0300") == "2025-11-21T22:30:00Z");
    CHECK(utc("Wed, 31 Dec 2025 23:00:00 -0200") == "2026-01-01T01:00:00Z");
    CHECK(utc("Thu, 29 Feb 2024 23:59:59 -0100") == "2024-03-01T00:59:59Z");
    CHECK(utc("Sat, 1 Mar 2025 00:30:00 +0100") == "2025-02-28T23:30:00Z");
    CHECK(utc("Thu, 29 Feb 2024 10:00:00 GMT") == "2024-02-29T10:00:00Z");
  }
  SUBCASE("refused, with the reason when one is known") {
    for (const char* bad :
         {"Sat, 29 Feb 2025 10:00:00 GMT", "29 Feb 2025 10:00 GMT", "Fri, 31 Nov 2025 10:00:00 GMT",
          "Fri, 21 Nov 2025 25:00:00 GMT", "Fri, 21 Nov 2025 10:00:00 +2500",
          "Fri, 21 Nov 2025 10:00:00 +0099", "Fri, 21 Nov 2025 10:00:00 GMT junk",
          "Fri, 21 Nov 2025", "Fri, 21 Foo 2025 10:00:00 GMT", "Fri, 21 Nov 2025 10:00:00 +0000 (",
          "Fri 21 Nov 2025 10:00:00 GMT", "Fri, 21 Nov 2025 10:00:00 A"}) {
      CAPTURE(bad);
      CHECK(utc(bad) == "refused");
    }
    CHECK(contains(reason("Fri, 21 Nov 2025 10:00:00 CET"), "unknown time zone \"CET\""));
    CHECK(contains(reason("Fri, 21 Nov 2025 10:00:00 Europe/Paris"), "\"Europe/Paris\""));
    CHECK(contains(reason("Sat, 21 Nov 2025 10:00:00 GMT"), "weekday \"Sat\" does not match"));
    CHECK(contains(reason("Fri, 21 Nov 25 10:00:00 GMT"), "year 25 is outside 1000..9999"));
  }
}

TEST_CASE("dates: ISO 8601 offsets without a colon, and compact ISO 8601") {
  SUBCASE("extended with +hhmm") {
    CHECK(utc("2025-11-21T10:00:00+0000") == "2025-11-21T10:00:00Z");
    CHECK(utc("2025-11-21T01:00:00+0530") == "2025-11-20T19:30:00Z");
    CHECK(utc("2025-11-21T22:00:00-0300") == "2025-11-22T01:00:00Z");
    CHECK(utc("2025-11-21T10:00:00+02:") == "refused");
  }
  SUBCASE("compact") {
    const auto d = parse_timestamp("20251121");
    REQUIRE(d);
    CHECK_FALSE(d->has_time);
    CHECK(d->iso() == "2025-11-21");
    CHECK(utc("20240229") == "2024-02-29");
    CHECK(utc("20251121T100000Z") == "2025-11-21T10:00:00Z");
    CHECK(utc("20251121t1000") == "2025-11-21T10:00:00Z");
    CHECK(utc("20251121T013000+0200") == "2025-11-20T23:30:00Z");
    CHECK(utc("20251231T230000-02") == "2026-01-01T01:00:00Z");
    for (const char* bad :
         {"20250229", "20251321", "20251100", "20251121T10", "20251121T1000000", "20251121T250000Z",
          "20251121T100000X", "20251121T100000+25", "20251121X"}) {
      CAPTURE(bad);
      CHECK(utc(bad) == "refused");
    }
  }
}

TEST_CASE("dates: epoch seconds and milliseconds") {
  CHECK(utc("1763719200") == "2025-11-21T10:00:00Z");
  CHECK(utc("1763782200") == "2025-11-22T03:30:00Z");
  CHECK(utc("1709248500") == "2024-02-29T23:15:00Z");
  CHECK(utc("946684799") == "1999-12-31T23:59:59Z");  // 9 digits
  CHECK(utc("1763719200.75") == "2025-11-21T10:00:00Z");
  CHECK(utc("1763719200123") == "2025-11-21T10:00:00Z");  // milliseconds
  CHECK(utc("946684799999") == "1999-12-31T23:59:59Z");   // 12 digits: milliseconds
  for (const char* bad : {"2025112", "17637192000", "17637192000000", "1763719200123456", "-1",
                          "1763719200.", "1763719200.x", "0", "12345"}) {
    CAPTURE(bad);
    CHECK(utc(bad) == "refused");
  }
  CHECK(contains(reason("17637192000"), "11 digits"));
  CHECK(contains(reason("2025112"), "7 digits"));
  CHECK(contains(reason("20251121.5"), "no fraction"));
}

TEST_CASE("dates: the existing ISO forms are unchanged") {
  CHECK(utc("2025-12-01") == "2025-12-01");
  CHECK(utc("2025-12-01T24:00") == "2025-12-02T00:00:00Z");
  CHECK(utc("2025-12-31T23:59:60Z") == "2025-12-31T23:59:59Z");
  CHECK(utc("2025-12-01t10:00:00,5z") == "2025-12-01T10:00:00Z");
  CHECK(utc("1000-01-01T00:30:00+01:00") == "refused");  // before year 1000 in UTC
  CHECK(utc("9999-12-31T23:00:00-02:00") == "refused");  // after 9999 in UTC
}

TEST_CASE("dates: the record's \"published\" field") {
  SUBCASE("a JSON number is read as its decimal text") {
    auto r = article_from_json_text(R"({"body":"x","published":1763719200})");
    REQUIRE(r.article);
    CHECK(r.warning.empty());
    CHECK(r.article->published_raw == "1763719200");
    CHECK(r.article->published->iso() == "2025-11-21T10:00:00Z");
    r = article_from_json_text(R"({"body":"x","published":1763719200123})");
    CHECK(r.article->published->iso() == "2025-11-21T10:00:00Z");
    r = article_from_json_text(R"({"body":"x","published":1763719200.5})");
    CHECK(r.article->published->iso() == "2025-11-21T10:00:00Z");
    r = article_from_json_text(R"({"body":"x","published":20251121})");
    CHECK(r.article->published->iso() == "2025-11-21");
  }
  SUBCASE("an unusable date is a warning naming the value and the reason; the record is kept") {
    auto r = article_from_json_text(R"({"body":"x","published":-5})");
    REQUIRE(r.article);
    CHECK_FALSE(r.article->published);
    CHECK(contains(r.warning, "unparseable \"published\" \"-5\", indexed without a date"));
    r = article_from_json_text(R"({"body":"x","published":"Fri, 21 Nov 2025 10:00:00 CET"})");
    REQUIRE(r.article);
    CHECK_FALSE(r.article->published);
    CHECK(contains(r.warning,
                   "unparseable \"published\" \"Fri, 21 Nov 2025 10:00:00 CET\", indexed without "
                   "a date: unknown time zone \"CET\""));
    r = article_from_json_text(R"({"body":"x","published":1e300})");
    REQUIRE(r.article);
    CHECK_FALSE(r.article->published);
  }
  SUBCASE("other types are still an error") {
    CHECK(contains(article_from_json_text(R"({"body":"x","published":true})").error,
                   "\"published\""));
  }
}
