#pragma once
// What one sitrep-index run did, and --stats-json: the file monitoring reads
// (schemas/index-stats.schema.json).

#include <cstddef>
#include <string>
#include <vector>

#include "sitrep/index/index_writer.hpp"

namespace sitrep::indexer {

// A directory SOURCE that --prune left alone.
struct NotPruned {
  std::string directory;
  std::string reason;  // "no file to index", "every indexed file is gone", "input incomplete"
};

struct RunStats {
  std::string started, finished;  // UTC, ISO 8601 ("2026-12-03T08:01:27Z")
  std::size_t read = 0, rejected = 0, warnings = 0, missing = 0;
  std::size_t duplicates = 0;     // earlier occurrences of an id, skipped (the last one wins)
  std::size_t incomplete = 0;     // files or directories that could not be read to their end
  std::size_t empty_sources = 0;  // directory SOURCEs with nothing to index
  std::vector<NotPruned> not_pruned;
  index::IndexCounts counts;
  double seconds = 0;
  double prescan_seconds = 0;  // the first pass (boilerplate prescan, duplicate ids)
  std::string mode;            // "bulk" or "update"; empty when no database was opened
  bool interrupted = false;
  int exit_status = 0;
  std::string error;  // why the run failed (empty for exit 0 and 1)
};

// The version of the --stats-json format, and its identifier ("$schema" in the file).
inline constexpr int kStatsSchemaVersion = 1;
inline constexpr const char* kStatsSchemaId =
    "https://sitrep.example/schemas/index-stats.schema.json";

// Writes the run to path (nothing when path is empty). The rule: the top-level fields describe
// the last run that committed its work (exit 0 or 1); a run with any other exit status (busy,
// failed, stopped, input incomplete, ...) leaves them as they are and records itself under
// "last_failure", which the next run with exit 0 or 1 removes. The file is replaced atomically
// (a temporary file beside it, flushed to disk, then renamed): when any step fails the previous
// file stays, the temporary one is removed, a warning is printed and false is returned.
bool write_stats_json(const std::string& path, const std::string& db, const RunStats& s);

}  // namespace sitrep::indexer
