#pragma once
// The article record (schemas/article.schema.json) and its parsing from JSON and text files.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "sitrep/schema/timestamp.hpp"

namespace sitrep::schema {

struct Article {
  std::string id;  // never empty after make_article()
  std::string url;
  std::string source;
  std::string title;
  std::string language;  // ISO 639-1 as given (canonicalised); empty when absent or unrecognised
  std::string body;
  std::string published_raw;           // as given
  std::optional<Timestamp> published;  // parsed; nullopt when absent or unparseable
};

// Why a record was rejected; the indexer reports it with file and line.
struct RecordError {
  std::string message;
};

// Outcome of parsing one record: an article, plus an optional warning (e.g. an unparseable
// date, which is dropped but does not reject the record), or an error.
struct ParsedRecord {
  std::optional<Article> article;
  std::string warning;
  std::string error;
};

// Builds an article from a parsed JSON object. Rejects (error set) a value that is not an object,
// fields of the wrong type, and a record with neither a non-empty title nor body. Derives the id
// when absent: "u-" + hash64_hex(url), else "c-" + hash64_hex(title + "\n" + body).
ParsedRecord article_from_json(const nlohmann::json& value);

// Parses one JSON Lines line (or a whole .json file) into an article; a syntax error or invalid
// UTF-8 is an error naming the byte offset.
ParsedRecord article_from_json_text(std::string_view text);

// A .txt file: the first non-empty line is the title, the rest the body; id is the file's stem.
ParsedRecord article_from_text_file(std::string_view content, std::string_view file_stem);

// The fields that define an article's content, hashed for change detection.
std::string content_hash(const Article& a);

// The stored form of an article in the document data (JSON object with the record's fields plus
// the language actually used), and back.
std::string serialise_article(const Article& a, const std::string& language);
Article deserialise_article(const std::string& data);

}  // namespace sitrep::schema
