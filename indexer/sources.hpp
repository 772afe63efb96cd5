#pragma once
// Reading the indexer's sources: JSON Lines files (plain or gzip), standard input, single JSON
// files, text files and directories of them.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

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
  // A file or directory that could not be read to its end (a truncated gzip stream, a read
  // error, an unreadable file or subdirectory): the input of this run is incomplete, so a
  // --rebuild must not switch and --prune must not remove. The reader goes on with the next file.
  // When unset, reject is called instead.
  std::function<void(const Origin&, const std::string& message)> incomplete;
  // Asked before each record; when it returns true the reader stops (optional).
  std::function<bool()> stop;
};

// Reads one SOURCE argument and calls back for each record. Throws Error{kNotFound} when the
// path does not exist (nothing was read).
void read_source(const std::string& source, const SourceCallbacks& cb);

// Reads SOURCE arguments, each as often as asked (the boilerplate prescan and the indexing pass
// read every SOURCE twice). A SOURCE that cannot be read twice (standard input, a FIFO, a pipe
// from process substitution such as /dev/fd/63) is copied on its first read into an unlinked
// temporary file and read from that copy afterwards.
class SourceReader {
 public:
  SourceReader() = default;
  ~SourceReader();
  SourceReader(const SourceReader&) = delete;
  SourceReader& operator=(const SourceReader&) = delete;
  // Like read_source().
  void read(const std::string& source, const SourceCallbacks& cb);

 private:
  struct Spool;
  std::vector<std::unique_ptr<Spool>> m_spools;
};

// The bytes read_source(source) would read (0 for standard input or a missing path), for
// progress estimates.
std::uint64_t source_bytes(const std::string& source);

}  // namespace sitrep::indexer
