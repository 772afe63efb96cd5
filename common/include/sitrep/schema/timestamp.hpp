#pragma once
// Publication dates: the formats news exports write, normalised to UTC
// (schemas/article.schema.json, "published"). Parsing uses Howard Hinnant's date library
// (libhowardhinnant-date-dev, header-only), which checks the calendar and the weekday.

#include <optional>
#include <string>
#include <string_view>

namespace sitrep::schema {

// A published date-time normalised to UTC. has_time is false for a plain date.
struct Timestamp {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool has_time = false;
  std::string ymd() const;     // "YYYYMMDD"
  std::string ymdhms() const;  // "YYYYMMDDhhmmss"
  std::string iso() const;     // "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ"
};

// Parses a publication date and converts it to UTC. Accepted (surrounding white space ignored):
//  - ISO 8601: a date ("2025-12-01") or a date-time ("2025-12-01T10:00", "...:00Z",
//    "...:00+03:00", "...:00+0300", "...:00+03", "...:00.123-05:00", a space instead of T);
//  - compact ISO 8601: "20251201", "20251201T1000", "20251201T100000Z", "20251201T100000+0300";
//  - RFC 2822 / RSS: "Fri, 21 Nov 2025 10:00:00 GMT", the weekday optional (checked against the
//    date when given), a one- or two-digit day, seconds optional, a zone that is "+hhmm"/"-hhmm",
//    UT, UTC, GMT, Z or a US zone EST EDT CST CDT MST MDT PST PDT (RFC 2822 4.3), or none (UTC);
//    a trailing "(comment)" is ignored;
//  - digits only (a JSON number is read as its decimal text): 8 digits are YYYYMMDD, 9 or 10
//    digits Unix epoch seconds, 12 or 13 digits Unix epoch milliseconds; a fraction is dropped.
// A date-time without a zone is UTC; a plain date is 00:00:00 UTC of that day. The result's year
// must be 1000..9999. Returns nullopt for anything else, including impossible dates (2025-02-29,
// a weekday that does not match) and unknown zone names; then, when reason is given and a more
// precise cause is known (an unknown zone, a mismatched weekday, a number of digits with no
// meaning), *reason says it. Never invents a date. Thread-safe.
std::optional<Timestamp> parse_timestamp(std::string_view text, std::string* reason = nullptr);

// The current time in UTC as "YYYY-MM-DDTHH:MM:SSZ" (the database's last-update stamp, the
// indexer's --stats-json times).
std::string utc_now_iso();

}  // namespace sitrep::schema
