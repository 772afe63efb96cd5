#include "sitrep/schema/article.hpp"

#include <nlohmann/json.hpp>

#include "sitrep/schema/language_code.hpp"
#include "sitrep/util/hash.hpp"
#include "sitrep/util/utf8.hpp"

namespace sitrep::schema {

namespace {

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
  // Numeric ids are common in exports, and so are numeric dates (epoch seconds, YYYYMMDD):
  // both are read as their decimal text (parse_timestamp says what a number of digits means).
  if (it->is_number() && (std::string_view(key) == "id" || std::string_view(key) == "published")) {
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
    std::string canon = canonical_language(a.language);
    if (canon.empty()) {
      warning += (warning.empty() ? "" : "; ") + std::string("unknown language \"") + a.language +
                 "\", detecting it instead";
    }
    a.language = canon;
  }
  if (!a.published_raw.empty()) {
    std::string reason;
    a.published = parse_timestamp(a.published_raw, &reason);
    if (!a.published) {
      warning += (warning.empty() ? "" : "; ") + std::string("unparseable \"published\" \"") +
                 a.published_raw + "\", indexed without a date" +
                 (reason.empty() ? "" : ": " + reason);
    }
  }
  r.article = std::move(a);
  r.warning = std::move(warning);
  return r;
}

}  // namespace

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
