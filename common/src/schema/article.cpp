#include "sitrep/schema/article.hpp"

#include <charconv>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "sitrep/analysis/language.hpp"
#include "sitrep/util/hash.hpp"
#include "sitrep/util/utf8.hpp"

namespace sitrep::schema {

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(long z, int& y, int& m, int& d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

// Reads exactly n digits at s[pos]; advances pos.
bool digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += n;
  return true;
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Reads an optional string member; false (with error set) when present with another type.
bool get_string(const nlohmann::json& obj, const char* key, std::string& out, std::string& error) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (it->is_string()) {
    out = it->get<std::string>();
    return true;
  }
  if (it->is_number() && std::string_view(key) == "id") {  // numeric ids are common in exports
    out = it->dump();
    return true;
  }
  error = std::string("field \"") + key + "\" must be a string, not " + it->type_name();
  return false;
}

ParsedRecord finish(Article a, std::string warning) {
  ParsedRecord r;
  if (trim(a.title).empty() && trim(a.body).empty()) {
    r.error = "record has no text: \"title\" and \"body\" are both missing or empty";
    return r;
  }
  a.id = trim(a.id);
  if (a.id.empty()) {
    const std::string url = trim(a.url);
    a.id = url.empty() ? "c-" + hash64_hex(a.title + "\n" + a.body) : "u-" + hash64_hex(url);
  }
  if (a.id.size() > 200) {
    r.error = "field \"id\" is longer than 200 bytes";
    return r;
  }
  if (!a.language.empty()) {
    std::string canon = analysis::canonical_language(a.language);
    if (canon.empty()) {
      warning += (warning.empty() ? "" : "; ") + std::string("unknown language \"") + a.language +
                 "\", detecting it instead";
    }
    a.language = canon;
  }
  if (!a.published_raw.empty()) {
    a.published = parse_timestamp(a.published_raw);
    if (!a.published) {
      warning += (warning.empty() ? "" : "; ") + std::string("unparseable \"published\" \"") +
                 a.published_raw + "\", indexed without a date";
    }
  }
  r.article = std::move(a);
  r.warning = std::move(warning);
  return r;
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

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  const std::string s = trim(text);
  std::size_t p = 0;
  Timestamp t;
  if (!digits(s, p, 4, t.year) || p >= s.size() || s[p++] != '-' || !digits(s, p, 2, t.month) ||
      p >= s.size() || s[p++] != '-' || !digits(s, p, 2, t.day)) {
    return std::nullopt;
  }
  if (t.year < 1000 || t.month < 1 || t.month > 12 || t.day < 1 ||
      t.day > days_in_month(t.year, t.month)) {
    return std::nullopt;
  }
  if (p == s.size()) return t;
  if (s[p] != 'T' && s[p] != 't' && s[p] != ' ') return std::nullopt;
  ++p;
  t.has_time = true;
  if (!digits(s, p, 2, t.hour) || p >= s.size() || s[p++] != ':' || !digits(s, p, 2, t.minute)) {
    return std::nullopt;
  }
  if (p < s.size() && s[p] == ':') {
    ++p;
    if (!digits(s, p, 2, t.second)) return std::nullopt;
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
      ++p;
      const std::size_t start = p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
      if (p == start) return std::nullopt;
    }
  }
  if (t.hour > 24 || t.minute > 59 || t.second > 60) return std::nullopt;
  if (t.hour == 24 && (t.minute != 0 || t.second != 0)) return std::nullopt;
  if (t.second == 60) t.second = 59;  // a leap second sorts with the second before it
  int offset_minutes = 0;
  if (p < s.size()) {
    if (s[p] == 'Z' || s[p] == 'z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      const int sign = s[p++] == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!digits(s, p, 2, oh)) return std::nullopt;
      if (p < s.size() && s[p] == ':') ++p;
      if (p < s.size() && !digits(s, p, 2, om)) return std::nullopt;
      if (oh > 18 || om > 59) return std::nullopt;
      offset_minutes = sign * (oh * 60 + om);
    } else {
      return std::nullopt;
    }
  }
  if (p != s.size()) return std::nullopt;
  // To UTC: local time minus the offset.
  long minutes =
      days_from_civil(t.year, t.month, t.day) * 1440L + t.hour * 60L + t.minute - offset_minutes;
  long days = minutes >= 0 ? minutes / 1440 : (minutes - 1439) / 1440;
  const long rem = minutes - days * 1440;
  civil_from_days(days, t.year, t.month, t.day);
  t.hour = static_cast<int>(rem / 60);
  t.minute = static_cast<int>(rem % 60);
  if (t.year < 1000 || t.year > 9999) return std::nullopt;
  return t;
}

ParsedRecord article_from_json(const nlohmann::json& value) {
  ParsedRecord r;
  if (!value.is_object()) {
    r.error = std::string("record is not a JSON object but ") + value.type_name();
    return r;
  }
  Article a;
  std::string error;
  if (!get_string(value, "id", a.id, error) || !get_string(value, "url", a.url, error) ||
      !get_string(value, "source", a.source, error) ||
      !get_string(value, "title", a.title, error) ||
      !get_string(value, "language", a.language, error) ||
      !get_string(value, "body", a.body, error) ||
      !get_string(value, "published", a.published_raw, error)) {
    r.error = error;
    return r;
  }
  return finish(std::move(a), {});
}

ParsedRecord article_from_json_text(std::string_view text) {
  ParsedRecord r;
  const std::size_t bad = utf8::first_invalid(text);
  if (bad != std::string_view::npos) {
    r.error = "invalid UTF-8 at byte " + std::to_string(bad + 1);
    return r;
  }
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    // Parse again with exceptions for the parser's own message (it names the byte offset). Not
    // only parse_error: a number too large for a double is an out_of_range error.
    try {
      const nlohmann::json unused = nlohmann::json::parse(text);
      r.error = "malformed JSON";
    } catch (const nlohmann::json::exception& e) {
      std::string what = e.what();
      const auto colon = what.find("] ");
      r.error = "malformed JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2));
    }
    return r;
  }
  return article_from_json(value);
}

ParsedRecord article_from_text_file(std::string_view content, std::string_view file_stem) {
  ParsedRecord r;
  const std::size_t bad = utf8::first_invalid(content);
  if (bad != std::string_view::npos) {
    r.error = "invalid UTF-8 at byte " + std::to_string(bad + 1);
    return r;
  }
  Article a;
  a.id = std::string(file_stem);
  std::size_t pos = 0;
  while (pos < content.size()) {
    std::size_t nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    const std::string line = trim(content.substr(pos, nl - pos));
    pos = nl + 1;
    if (!line.empty()) {
      a.title = line;
      break;
    }
  }
  if (pos < content.size()) a.body = trim(content.substr(pos));
  return finish(std::move(a), {});
}

std::string content_hash(const Article& a) {
  std::string all;
  for (const std::string* f :
       {&a.url, &a.source, &a.title, &a.language, &a.published_raw, &a.body}) {
    all += *f;
    all += '\x1f';
  }
  return hash128_hex(all);
}

std::string serialise_article(const Article& a, const std::string& language) {
  nlohmann::json j = nlohmann::json::object();
  j["id"] = a.id;
  if (!a.url.empty()) j["url"] = a.url;
  if (!a.source.empty()) j["source"] = a.source;
  j["title"] = a.title;
  if (a.published) j["published"] = a.published->iso();
  j["language"] = language;
  j["body"] = a.body;
  return j.dump();
}

Article deserialise_article(const std::string& data) {
  Article a;
  const nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object()) return a;
  a.id = j.value("id", "");
  a.url = j.value("url", "");
  a.source = j.value("source", "");
  a.title = j.value("title", "");
  a.language = j.value("language", "");
  a.body = j.value("body", "");
  a.published_raw = j.value("published", "");
  if (!a.published_raw.empty()) a.published = parse_timestamp(a.published_raw);
  return a;
}

}  // namespace sitrep::schema
