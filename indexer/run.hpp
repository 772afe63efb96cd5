#pragma once
// One sitrep-index run: what it reads, decides (a --rebuild switches or not, --prune removes or
// not, which occurrence of a duplicate id is indexed) and reports.

#include <cstddef>
#include <string>
#include <vector>

#include "run_stats.hpp"

namespace sitrep::indexer {

struct Options {
  std::string db;
  std::vector<std::string> sources;
  std::vector<std::string> delete_ids;
  unsigned threads = 0;
  std::size_t commit_every = 10000;
  double wait = 0;
  bool rebuild = false;
  bool compact = false;
  bool prune = false;
  bool force = false;  // --prune may empty a directory SOURCE
  std::string stats_json;
  std::vector<std::string> entity_files;
  bool no_entities = false;
  bool no_stories = false;
  bool recluster = false;
  int story_window = 3;
  bool no_boilerplate = false;
};

// SIGINT and SIGTERM stop the run (see run()); a second one ends the process at once. SIGPIPE is
// ignored.
void install_signal_handlers();

// The signal that stopped the run, 0 when none came.
int stop_signal();

// Runs the indexer and returns its exit status (the table in main.cpp's kExitStatuses), filling
// s. Throws sitrep::Error for what ends the run as a whole (a busy or damaged database, a failed
// write, a bad --entities file, --db naming a regular file).
int run(const Options& opts, RunStats& s);

}  // namespace sitrep::indexer
