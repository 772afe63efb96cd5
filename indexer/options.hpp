#pragma once
// The command line of sitrep-index: its options (CLI11), their help text (generated from the
// library's defaults and limits, index/limits.hpp, and its exit-status table,
// util/exit_code.hpp), their parsing into a Command, and the usage rules between them.

#include <optional>
#include <string>

#include "backup.hpp"
#include "run.hpp"

namespace sitrep::indexer {

// What the command line asks for.
struct Command {
  enum class Kind { kIndex, kStats, kBackup, kVersion };
  Kind kind = Kind::kIndex;
  Options index;         // kIndex
  std::string stats_db;  // kStats: sitrep-index stats --db DB [--json]
  bool stats_json = false;
  BackupCommand backup;  // kBackup (its app is gone once parsed)
};

// Parses argv into cmd. Returns the exit status when the process is to end at once (--help was
// printed: 0; a usage error was reported on stderr: 64), nothing when cmd is to be run.
std::optional<int> parse_options(int argc, char** argv, Command& cmd);

}  // namespace sitrep::indexer
