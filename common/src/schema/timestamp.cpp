#include "sitrep/schema/timestamp.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <locale>
#include <sstream>

#include <date/date.h>

namespace sitrep::schema {

namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int kMinYear = 1000;
constexpr int kMaxYear = 9999;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the run of ASCII digits at s[pos].
std::size_t digit_run(std::string_view s, std::size_t pos) {
  std::size_t n = 0;
  while (pos + n < s.size() && is_digit(s[pos + n])) ++n;
  return n;
}

// Reads exactly n digits at s[pos]; advances pos.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (digit_run(s, pos) < n) return false;
  std::from_chars(s.data() + pos, s.data() + pos + n, out);
  pos += n;
  return true;
}

// text without leading and trailing spaces, tabs and line breaks.
std::string_view trim_blank(std::string_view text) {
  const auto b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return text.substr(b, text.find_last_not_of(" \t\r\n") - b + 1);
}

void set_reason(std::string* reason, std::string text) {
  if (reason) *reason = std::move(text);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// The one place a UTC instant becomes a Timestamp; refuses years outside kMinYear..kMaxYear.
std::optional<Timestamp> to_timestamp(date::sys_seconds tp, bool has_time, std::string* reason) {
  const date::sys_days day = date::floor<date::days>(tp);
  const date::year_month_day ymd{day};
  const int year = int(ymd.year());
  if (year < kMinYear || year > kMaxYear) {
    set_reason(reason, "year " + std::to_string(year) + " is outside " + std::to_string(kMinYear) +
                           ".." + std::to_string(kMaxYear));
    return std::nullopt;
  }
  const date::hh_mm_ss<seconds> hms{tp - day};
  Timestamp t;
  t.year = year;
  t.month = int(unsigned(ymd.month()));
  t.day = int(unsigned(ymd.day()));
  t.hour = int(hms.hours().count());
  t.minute = int(hms.minutes().count());
  t.second = int(hms.seconds().count());
  t.has_time = has_time;
  return t;
}

// A numeric UTC offset: "Z", "+hh", "+hhmm" or "+hh:mm" (hours up to 18), as minutes east.
std::optional<minutes> numeric_offset(std::string_view z) {
  if (z == "Z" || z == "z") return minutes{0};
  if (z.size() < 3 || (z[0] != '+' && z[0] != '-')) return std::nullopt;
  std::size_t p = 1;
  int oh = 0, om = 0;
  if (!digits(z, p, 2, oh)) return std::nullopt;
  if (z.size() == 6 && z[p] == ':') ++p;
  if (p < z.size() && !digits(z, p, 2, om)) return std::nullopt;
  if (p != z.size() || oh > 18 || om > 59) return std::nullopt;
  return minutes{(z[0] == '-' ? -1 : 1) * (oh * 60 + om)};
}

// An RFC 2822 zone: numeric, or one of the names RFC 2822 section 4.3 defines (the US zones
// without daylight-saving guesswork: EDT is always -0400), plus UTC and Z.
std::optional<minutes> rfc2822_offset(std::string_view z) {
  struct Named {
    std::string_view name;
    int hours;
  };
  static constexpr Named kNamed[] = {{"UT", 0},   {"UTC", 0},  {"GMT", 0},  {"Z", 0},
                                     {"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5},
                                     {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
  for (const Named& n : kNamed) {
    if (iequals(z, n.name)) return hours{n.hours};
  }
  return numeric_offset(z);
}

// Parses all of text with one date::parse format into tp (and the %Z word into zone). date::parse
// reports failure with failbit and leaves tp unchanged; text left over is a failure too.
template <class TimePoint>
bool parse_whole(std::string_view text, const char* format, TimePoint& tp,
                 std::string* zone = nullptr) {
  std::istringstream in{std::string(text)};
  in.imbue(std::locale::classic());
  if (zone) {
    in >> date::parse(format, tp, *zone);
  } else {
    in >> date::parse(format, tp);
  }
  return !in.fail() && in.peek() == std::istringstream::traits_type::eof();
}

// ISO 8601 extended: YYYY-MM-DD[(T|t| )hh:mm[:ss[(.|,)fraction]][Z|+hh[[:]mm]]]. Hour 24:00 is
// the next day's midnight; a leap second :60 sorts with :59.
std::optional<Timestamp> parse_iso(std::string_view s, std::string* reason) {
  std::size_t p = 0;
  int y = 0, mo = 0, d = 0;
  if (!digits(s, p, 4, y) || p >= s.size() || s[p++] != '-' || !digits(s, p, 2, mo) ||
      p >= s.size() || s[p++] != '-' || !digits(s, p, 2, d)) {
    return std::nullopt;
  }
  const date::year_month_day ymd{date::year{y}, date::month(unsigned(mo)), date::day(unsigned(d))};
  if (!ymd.ok() || y < kMinYear) return std::nullopt;
  const date::sys_days day{ymd};
  if (p == s.size()) return to_timestamp(day, false, reason);
  if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return std::nullopt;
  ++p;
  int h = 0, mi = 0, sec = 0;
  if (!digits(s, p, 2, h) || p >= s.size() || s[p++] != ':' || !digits(s, p, 2, mi)) {
    return std::nullopt;
  }
  if (p < s.size() && s[p] == ':') {
    ++p;
    if (!digits(s, p, 2, sec)) return std::nullopt;
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
      ++p;
      const std::size_t n = digit_run(s, p);
      if (n == 0) return std::nullopt;
      p += n;
    }
  }
  if (h > 24 || mi > 59 || sec > 60) return std::nullopt;
  if (h == 24 && (mi != 0 || sec != 0)) return std::nullopt;
  if (sec == 60) sec = 59;  // a leap second sorts with the second before it
  minutes offset{0};
  if (p < s.size()) {
    const auto off = numeric_offset(s.substr(p));
    if (!off) return std::nullopt;
    offset = *off;
  }
  return to_timestamp(day + hours{h} + minutes{mi} + seconds{sec} - offset, true, reason);
}

// ISO 8601 basic: YYYYMMDD, or YYYYMMDDThhmm[ss][Z|+hh[mm]].
std::optional<Timestamp> parse_compact(std::string_view s, std::string* reason) {
  if (s.size() == 8) {
    date::sys_days day;
    if (!parse_whole(s, "%Y%m%d", day)) return std::nullopt;
    return to_timestamp(day, false, reason);
  }
  const std::size_t n = digit_run(s, 9);  // s[8] is T or t
  if (n != 4 && n != 6) return std::nullopt;
  minutes offset{0};
  if (9 + n < s.size()) {
    const auto off = numeric_offset(s.substr(9 + n));
    if (!off) return std::nullopt;
    offset = *off;
  }
  std::string local(s.substr(0, 9 + n));
  local[8] = 'T';
  date::sys_seconds tp;
  if (!parse_whole(local, n == 6 ? "%Y%m%dT%H%M%S" : "%Y%m%dT%H%M", tp)) return std::nullopt;
  return to_timestamp(tp - offset, true, reason);
}

// Digits only, maybe with a fraction: YYYYMMDD, or Unix epoch seconds or milliseconds.
std::optional<Timestamp> parse_number(std::string_view s, std::string* reason) {
  const std::size_t n = digit_run(s, 0);
  if (n < s.size() &&
      (s[n] != '.' || n + 1 == s.size() || digit_run(s, n + 1) != s.size() - n - 1)) {
    return std::nullopt;
  }
  if (n == 8) {
    if (n == s.size()) return parse_compact(s, reason);
    set_reason(reason, "8 digits are a date YYYYMMDD, which takes no fraction");
    return std::nullopt;
  }
  long long v = 0;
  std::from_chars(s.data(), s.data() + std::min<std::size_t>(n, 18), v);
  if (n == 9 || n == 10) return to_timestamp(date::sys_seconds{seconds{v}}, true, reason);
  if (n == 12 || n == 13) {
    return to_timestamp(date::floor<seconds>(date::sys_time<milliseconds>{milliseconds{v}}), true,
                        reason);
  }
  set_reason(reason, "a number of " + std::to_string(n) +
                         " digits is none of YYYYMMDD (8 digits), Unix epoch seconds (9 or 10) "
                         "or milliseconds (12 or 13)");
  return std::nullopt;
}

// RFC 2822 (RSS pubDate): [Day,] D Mon YYYY hh:mm[:ss] [zone] [(comment)].
std::optional<Timestamp> parse_rfc2822(std::string_view s, std::string* reason) {
  if (s.back() == ')') {  // "+0000 (UTC)": a comment, as in mail headers
    const auto open = s.rfind('(');
    if (open == std::string_view::npos) return std::nullopt;
    s = trim_blank(s.substr(0, open));
  }
  std::string_view weekday;
  if (const auto comma = s.find(','); comma != std::string_view::npos) {
    weekday = trim_blank(s.substr(0, comma));
    s = trim_blank(s.substr(comma + 1));  // date::parse's %d does not skip white space
  }
  static constexpr const char* kWithZone[] = {"%d %b %Y %H:%M:%S %Z", "%d %b %Y %H:%M %Z"};
  static constexpr const char* kWithoutZone[] = {"%d %b %Y %H:%M:%S", "%d %b %Y %H:%M"};
  date::local_seconds local;
  std::string zone;
  bool parsed = false;
  for (const char* format : kWithZone) {
    if ((parsed = parse_whole(s, format, local, &zone))) break;
  }
  for (const char* format : kWithoutZone) {
    if (parsed) break;
    zone.clear();
    parsed = parse_whole(s, format, local);
  }
  if (!parsed) return std::nullopt;
  const date::local_days day = date::floor<date::days>(local);
  if (!weekday.empty()) {
    date::weekday wd;
    if (!parse_whole(weekday, "%a", wd)) return std::nullopt;
    if (wd != date::weekday{day}) {
      set_reason(reason, "the weekday \"" + std::string(weekday) + "\" does not match the date");
      return std::nullopt;
    }
  }
  minutes offset{0};
  if (!zone.empty()) {
    const auto off = rfc2822_offset(zone);
    if (!off) {
      set_reason(reason, "unknown time zone \"" + zone +
                             "\" (use a numeric offset such as +0100, or UT, GMT, UTC, Z, EST, "
                             "EDT, CST, CDT, MST, MDT, PST, PDT)");
      return std::nullopt;
    }
    offset = *off;
  }
  return to_timestamp(date::sys_seconds{local.time_since_epoch()} - offset, true, reason);
}

}  // namespace

std::string Timestamp::ymd() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
  return buf;
}

std::string Timestamp::ymdhms() const {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", year, month, day, hour, minute,
                second);
  return buf;
}

std::string Timestamp::iso() const {
  char buf[32];
  if (has_time) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute,
                  second);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  }
  return buf;
}

std::optional<Timestamp> parse_timestamp(std::string_view text, std::string* reason) {
  const std::string_view s = trim_blank(text);
  if (s.empty()) return std::nullopt;
  const std::size_t n = digit_run(s, 0);
  if (n == 4 && s.size() > 4 && s[4] == '-') return parse_iso(s, reason);
  if (n == 8 && s.size() > 8 && (s[8] == 'T' || s[8] == 't')) return parse_compact(s, reason);
  if (n > 0 && (n == s.size() || s[n] == '.')) return parse_number(s, reason);
  return parse_rfc2822(s, reason);
}

}  // namespace sitrep::schema

namespace sitrep::schema {

std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace sitrep::schema
