#pragma once
// Reading the indexer's sources: JSON Lines files (plain or gzip), standard input, single JSON
// files, text files and directories of them.

#include <cstdint>
#include <functional>
#include <string>

#include "sitrep/schema/article.hpp"

namespace sitrep::indexer {

// Where a record came from, for messages: "archive.jsonl:12", "dir/a.txt".
struct Origin {
  std::string file;
  std::size_t line = 0;      // 0 when the record is a whole file
  std::string path;          // absolute path with symbolic links resolved; empty for standard input
  std::uint64_t offset = 0;  // bytes of the file read so far (compressed bytes for .gz)
  std::uint64_t size = 0;    // size of the file in bytes (0 for standard input)
  std::string str() const { return line ? file + ":" + std::to_string(line) : file; }
};

struct SourceCallbacks {
  std::function<void(schema::Article&&, const Origin&)> record;
  // A rejected record or unreadable file; the reader goes on with the next one.
  std::function<void(const Origin&, const std::string& message)> reject;
  std::function<void(const Origin&, const std::string& message)> warn;
  // Asked before each record; when it returns true the reader stops (optional).
  std::function<bool()> stop;
};

// Reads one SOURCE argument and calls back for each record. Throws Error{kNotFound} when the
// path does not exist (nothing was read).
void read_source(const std::string& source, const SourceCallbacks& cb);

// The bytes read_source(source) would read (0 for standard input or a missing path), for
// progress estimates.
std::uint64_t source_bytes(const std::string& source);

}  // namespace sitrep::indexer
