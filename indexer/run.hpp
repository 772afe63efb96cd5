#pragma once
// One sitrep-index run: what it reads, decides (a --rebuild switches or not, --prune removes or
// not, which occurrence of a duplicate id is indexed) and reports.

#include <cstddef>
#include <string>
#include <vector>

#include "run_stats.hpp"

#include "sitrep/index/limits.hpp"

namespace sitrep::indexer {

// What to index and how: the options of sitrep-index (options.cpp); numbers' defaults and ranges
// in index/limits.hpp.
struct Options {
  std::string db;
  std::vector<std::string> sources;
  std::vector<std::string> delete_ids;
  unsigned threads = index::setting::kThreads.fallback;
  std::size_t commit_every = index::setting::kCommitEvery.fallback;
  double wait = index::setting::kWaitSeconds.fallback;
  bool rebuild = false;
  bool compact = false;
  bool prune = false;
  bool force = false;  // --prune may empty a directory SOURCE
  std::string stats_json;
  std::vector<std::string> entity_files;
  bool no_entities = false;
  bool no_stories = false;
  bool recluster = false;
  int story_window = index::setting::kStoryWindow.fallback;
  bool no_boilerplate = false;
};

// SIGINT and SIGTERM stop the run (see run()); a second one ends the process at once. SIGPIPE is
// ignored.
void install_signal_handlers();

// The signal that stopped the run, 0 when none came.
int stop_signal();

// Runs the indexer and returns its exit status (util/exit_code.hpp: kExitStatuses), filling
// s. Throws sitrep::Error for what ends the run as a whole (a busy or damaged database, a failed
// write, a bad --entities file, --db naming a regular file).
int run(const Options& opts, RunStats& s);

struct Command;  // options.hpp

// Runs what the command line asks for (an indexing run, stats, backup or --version) and returns
// the exit status: an Error is reported on stderr and ends with exit_code_for() its kind (128 +
// the signal when a signal stopped the run meanwhile), any other exception with 70; an indexing
// run then writes --stats-json, and a run that would exit 0 or 1 exits 74 when that fails.
int run_command(const Command& cmd);

}  // namespace sitrep::indexer
