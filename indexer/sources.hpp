#pragma once
// Reading the indexer's sources: JSON Lines files (plain or gzip), standard input, single JSON
// files, text files and directories of them.

#include <functional>
#include <string>

#include "sitrep/schema/article.hpp"

namespace sitrep::indexer {

// Where a record came from, for messages: "archive.jsonl:12", "dir/a.txt".
struct Origin {
  std::string file;
  std::size_t line = 0;  // 0 when the record is a whole file
  std::string str() const { return line ? file + ":" + std::to_string(line) : file; }
};

struct SourceCallbacks {
  std::function<void(schema::Article&&, const Origin&)> record;
  // A rejected record or unreadable file; the reader goes on with the next one.
  std::function<void(const Origin&, const std::string& message)> reject;
  std::function<void(const Origin&, const std::string& message)> warn;
};

// Reads one SOURCE argument and calls back for each record. Throws Error{kNotFound} when the
// path does not exist (nothing was read).
void read_source(const std::string& source, const SourceCallbacks& cb);

}  // namespace sitrep::indexer
