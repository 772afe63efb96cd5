// sitrep-index: turns news articles (JSON Lines, directories of .json/.txt files) into a sitrep
// Xapian database, and reports on one (`sitrep-index stats`). Thin front end: options and
// reporting here, reading in sources.cpp, the database work in sitrep::index.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "backup.hpp"
#include "sources.hpp"
#include "stats.hpp"
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "sitrep/entities/entities.hpp"
#include "sitrep/index/index_writer.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"

namespace {

using sitrep::ExitCode;

constexpr const char* kExitStatuses = R"(Exit status:
  0   every record was indexed
  1   indexed, but some records or files were rejected, some --delete ids were not there, or
      the facet column could not be written (searches still work, slower with --facets)
      (each reported on stderr)
  64  bad option or argument
  65  nothing could be indexed: every record was rejected
  66  no SOURCE exists (when only some are missing, the others are indexed: 1); stats: no database
  70  internal error
  74  reading or writing the database failed
  75  the database is busy: another sitrep-index held the lock for longer than --wait
  78  the database was built by an incompatible sitrep version (use --rebuild), or an
      --entities file has bad lines (each reported as FILE:LINE; nothing is indexed then)
  130 stopped by SIGINT, 143 stopped by SIGTERM: what was read before is committed, and
      running the same command again finishes the job)";

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) { g_signal = sig; }

void install_signal_handlers() {
  // SA_RESTART: no system call of Xapian's write path fails with EINTR. SA_RESETHAND: a second
  // signal ends the process at once (reading standard input only notices the first one when
  // more input or its end arrives).
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART | SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

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
  std::string stats_json;
  std::vector<std::string> entity_files;
  bool no_entities = false;
  bool no_stories = false;
  bool recluster = false;
  int story_window = 3;
  bool no_boilerplate = false;
};

struct RunStats {
  std::size_t read = 0, rejected = 0, warnings = 0, missing = 0;
  sitrep::index::IndexCounts counts;
  double seconds = 0;
  double prescan_seconds = 0;  // the boilerplate prescan, part of seconds
  int exit_status = 0;
  std::string error;
  bool bulk = false;
};

void write_stats_json(const Options& opts, const RunStats& s) {
  if (opts.stats_json.empty()) return;
  nlohmann::json j = {
      {"db", opts.db},
      {"read", s.read},
      {"added", s.counts.added},
      {"updated", s.counts.updated},
      {"unchanged", s.counts.unchanged},
      {"removed", s.counts.removed},
      {"rejected", s.rejected},
      {"warnings", s.warnings},
      {"missing_sources", s.missing},
      {"not_found", s.counts.not_found},
      {"stories_assigned", s.counts.stories_assigned},
      {"stories_new", s.counts.stories_new},
      {"seconds", s.seconds},
      {"prescan_seconds", s.prescan_seconds},
      {"records_per_second", s.seconds > 0 ? static_cast<double>(s.read) / s.seconds : 0.0},
      {"mode", s.bulk ? "bulk" : "update"},
      {"interrupted", g_signal != 0},
      {"exit_status", s.exit_status},
  };
  if (!s.error.empty()) j["error"] = s.error;
  const std::string tmp = opts.stats_json + ".tmp";
  {
    std::ofstream out(tmp);
    out << j.dump(2) << '\n';
    if (!out) {
      std::cerr << "sitrep-index: warning: cannot write " << opts.stats_json << '\n';
      return;
    }
  }
  std::rename(tmp.c_str(), opts.stats_json.c_str());
}

// The progress line on a terminal: records, rate and, when the input size is known, an ETA.
class Progress {
 public:
  // The input's size is only needed for the ETA, so the SOURCEs are walked for it only on a
  // terminal: a cron run reads its directories once.
  explicit Progress(const std::vector<std::string>& sources) : m_enabled(::isatty(STDERR_FILENO)) {
    if (!m_enabled) return;
    for (const std::string& source : sources) m_total += sitrep::indexer::source_bytes(source);
  }
  void update(std::size_t records, std::uint64_t bytes_done) {
    if (!m_enabled) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last < std::chrono::milliseconds(250)) return;
    m_last = now;
    const double secs = std::chrono::duration<double>(now - m_start).count();
    const double rate = secs > 0 ? static_cast<double>(records) / secs : 0;
    char line[160];
    if (m_total > 0 && bytes_done > 0 && bytes_done <= m_total) {
      const double frac = static_cast<double>(bytes_done) / static_cast<double>(m_total);
      const long eta = static_cast<long>(secs / frac - secs);
      std::snprintf(line, sizeof line,
                    "\r\033[Ksitrep-index: %zu records, %.0f/s, %.0f%%, ETA %ld:%02ld", records,
                    rate, frac * 100, eta / 60, eta % 60);
    } else {
      std::snprintf(line, sizeof line, "\r\033[Ksitrep-index: %zu records, %.0f/s", records, rate);
    }
    std::cerr << line << std::flush;
    m_shown = true;
  }
  // Clears the line before any other output on stderr.
  void clear() {
    if (m_shown) std::cerr << "\r\033[K" << std::flush;
    m_shown = false;
  }

 private:
  bool m_enabled;
  bool m_shown = false;
  std::uint64_t m_total = 0;
  std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point m_last{};
};

int exit_status(const Options& opts, const RunStats& s) {
  if (g_signal) return 128 + g_signal;
  if (!opts.sources.empty() && s.missing == opts.sources.size())
    return static_cast<int>(ExitCode::kNoInput);
  if (s.read == 0 && s.rejected > 0) return static_cast<int>(ExitCode::kDataErr);
  if (s.rejected > 0 || s.missing > 0 || !s.counts.not_found.empty() ||
      !s.counts.facet_column_error.empty())
    return static_cast<int>(ExitCode::kPartial);
  return static_cast<int>(ExitCode::kOk);
}

int run(const Options& opts, RunStats& s) {
  const auto start = std::chrono::steady_clock::now();
  // The dictionaries are read before the database is touched, so a bad one changes nothing.
  sitrep::entities::Gazetteer gazetteer;
  if (!opts.no_entities) {
    gazetteer.load_builtin();
    for (const std::string& f : opts.entity_files) gazetteer.load_file(f);
  }
  sitrep::index::WriterOptions wo;
  wo.gazetteer = opts.no_entities ? nullptr : &gazetteer;
  wo.threads = opts.threads;
  wo.commit_every = opts.commit_every;
  wo.wait_seconds = opts.wait;
  wo.rebuild = opts.rebuild;
  wo.stories = !opts.no_stories;
  wo.recluster = opts.recluster;
  wo.story_window = opts.story_window;
  wo.stop = [] { return g_signal != 0; };
  wo.boilerplate = !opts.no_boilerplate;
  sitrep::index::IndexWriter writer(opts.db, wo);
  s.bulk = writer.bulk_mode();

  // Boilerplate prescan: a first, quick pass over the SOURCEs that only counts each outlet's
  // recurring lines, so that the indexing pass knows them from the first article. Standard input
  // cannot be read twice: with '-' among the SOURCEs there is no prescan (the counts already in
  // the database and the patterns still apply). Errors are reported by the indexing pass.
  const bool stdin_source =
      std::find(opts.sources.begin(), opts.sources.end(), "-") != opts.sources.end();
  if (!opts.no_boilerplate && !stdin_source) {
    const auto prescan_start = std::chrono::steady_clock::now();
    sitrep::indexer::SourceCallbacks pre;
    pre.record = [&](sitrep::schema::Article&& a, const sitrep::indexer::Origin&) {
      writer.prescan(a);
    };
    pre.reject = [](const sitrep::indexer::Origin&, const std::string&) {};
    pre.warn = [](const sitrep::indexer::Origin&, const std::string&) {};
    pre.stop = [] { return g_signal != 0; };
    for (const std::string& source : opts.sources) {
      if (g_signal) break;
      try {
        sitrep::indexer::read_source(source, pre);
      } catch (const sitrep::Error& e) {
        if (e.kind() != sitrep::ErrorKind::kNotFound) throw;
      }
    }
    s.prescan_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - prescan_start).count();
  }

  Progress progress(opts.sources);
  std::uint64_t bytes_before = 0, current_size = 0;
  std::string current_path;

  sitrep::indexer::SourceCallbacks cb;
  cb.record = [&](sitrep::schema::Article&& a, const sitrep::indexer::Origin& o) {
    ++s.read;
    if (o.path != current_path) {
      bytes_before += current_size;
      current_path = o.path;
      current_size = o.size;
    }
    writer.add(std::move(a), o.path);
    progress.update(s.read, bytes_before + o.offset);
  };
  cb.reject = [&](const sitrep::indexer::Origin& o, const std::string& msg) {
    ++s.rejected;
    progress.clear();
    std::cerr << "sitrep-index: error: " << o.str() << ": " << msg << " (skipped)\n";
  };
  cb.warn = [&](const sitrep::indexer::Origin& o, const std::string& msg) {
    ++s.warnings;
    progress.clear();
    std::cerr << "sitrep-index: warning: " << o.str() << ": " << msg << '\n';
  };
  cb.stop = [] { return g_signal != 0; };
  std::vector<std::string> directories;
  for (const std::string& source : opts.sources) {
    if (g_signal) break;
    try {
      sitrep::indexer::read_source(source, cb);
      std::error_code ec;
      if (source != "-" && std::filesystem::is_directory(source, ec)) directories.push_back(source);
    } catch (const sitrep::Error& e) {
      if (e.kind() != sitrep::ErrorKind::kNotFound) throw;
      ++s.missing;
      progress.clear();
      std::cerr << "sitrep-index: error: " << e.what() << '\n';
    }
  }
  progress.clear();
  if (opts.rebuild && (g_signal || s.missing > 0 || s.read == 0)) {
    // A rebuild is all or nothing: the live database must not lose what a source failed to give.
    writer.abandon();
    std::cerr << "sitrep-index: error: rebuild abandoned ("
              << (g_signal        ? "stopped by a signal"
                  : s.missing > 0 ? "a SOURCE is missing"
                                  : "no record could be read")
              << "); the live database is unchanged\n";
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (g_signal) return 128 + g_signal;
    return s.missing > 0 ? static_cast<int>(ExitCode::kNoInput)
                         : static_cast<int>(ExitCode::kDataErr);
  }
  // An interrupted run commits what it read but removes nothing: it has not seen every file.
  if (!g_signal) {
    if (!opts.delete_ids.empty()) writer.remove_ids(opts.delete_ids);
    if (opts.prune) writer.prune(directories);
    if (opts.compact) writer.compact();
  }
  s.counts = writer.finish();
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const std::string& id : s.counts.not_found) {
    std::cerr << "sitrep-index: warning: --delete " << id << ": no document with this id\n";
  }
  if (!s.counts.facet_column_error.empty()) {
    ++s.warnings;
    std::cerr << "sitrep-index: warning: " << s.counts.facet_column_error
              << "; the documents are committed, and faceted searches count from their values "
                 "(slower) until a run writes the column\n";
  }
  std::printf(
      "sitrep-index: %zu records read: %zu added, %zu updated, %zu unchanged, %zu removed, %zu "
      "rejected, %zu warnings in %.2f s (%.0f records/s) into %s\n",
      s.read, s.counts.added, s.counts.updated, s.counts.unchanged, s.counts.removed, s.rejected,
      s.warnings, s.seconds, s.seconds > 0 ? static_cast<double>(s.read) / s.seconds : 0.0,
      opts.db.c_str());
  std::fflush(stdout);
  if (g_signal) {
    std::cerr << "sitrep-index: stopped by " << (g_signal == SIGINT ? "SIGINT" : "SIGTERM")
              << ": what was read is committed; run the same command again to finish\n";
  }
  return exit_status(opts, s);
}

}  // namespace

int main(int argc, char** argv) {
  install_signal_handlers();
  Options opts;
  RunStats stats;
  try {
    CLI::App app{
        "Index news articles into a sitrep database.\n\nSOURCE is a JSON Lines file (.jsonl, "
        "or gzip-compressed .jsonl.gz), '-' for JSON Lines on standard input, or a "
        "directory walked recursively for .jsonl, .jsonl.gz, .json (one record) and .txt "
        "files (first non-empty line is the title, the rest the body). Run again over the "
        "same sources, only what changed is written.\n\nsitrep-index stats --db DB [--json] "
        "reports on a database."};
    app.footer(kExitStatuses);
    app.require_subcommand(0, 1);
    app.add_option("--db", opts.db, "Database path (created if missing)");
    app.add_option("-j,--threads", opts.threads, "Analysis threads (default: one per core)")
        ->check(CLI::Range(0u, 256u));
    app.add_option("--commit-every", opts.commit_every,
                   "Commit after this many changed documents (default 10000); a kill loses at "
                   "most one batch")
        ->check(CLI::Range(static_cast<std::size_t>(1), static_cast<std::size_t>(100000000)));
    app.add_option("--wait", opts.wait,
                   "Wait up to SECONDS for another sitrep-index to finish (default 0)")
        ->check(CLI::Range(0.0, 86400.0));
    app.add_flag("--rebuild", opts.rebuild,
                 "Build a new database from the SOURCEs beside the live one and switch to it "
                 "at once when done");
    app.add_flag("--compact", opts.compact,
                 "Afterwards write a compacted copy and switch to it at once");
    app.add_flag("--prune", opts.prune,
                 "Remove the documents of files that are gone from the directory SOURCEs");
    app.add_option("--delete", opts.delete_ids, "Remove the documents with these ids")
        ->type_name("ID");
    app.add_option("--stats-json", opts.stats_json,
                   "Write the run's counts as JSON to FILE (for monitoring)")
        ->type_name("FILE");
    CLI::Option* entities =
        app.add_option("--entities", opts.entity_files,
                       "Entity dictionary to add to the built-in one (repeatable; format: "
                       "schemas/entities/README.md)")
            ->type_name("FILE")
            ->allow_extra_args(false);  // one FILE per --entities: the SOURCEs may follow
    app.add_flag("--no-entities", opts.no_entities,
                 "Do not recognise people, places and organisations")
        ->excludes(entities);
    CLI::Option* no_stories = app.add_flag(
        "--no-stories", opts.no_stories,
        "Do not assign story clusters (documents indexed without one get it from a later run "
        "without this flag)");
    app.add_flag("--recluster", opts.recluster,
                 "Assign every document's story again (after changing --story-window or "
                 "upgrading sitrep); all or nothing: a stopped run keeps the old stories. Needs "
                 "no SOURCE")
        ->excludes(no_stories);
    app.add_option("--story-window", opts.story_window,
                   "Compare an article with those published up to DAYS before or after it when "
                   "assigning its story (default 3)")
        ->type_name("DAYS")
        ->check(CLI::Range(0, 3650));
    app.add_flag("--no-boilerplate", opts.no_boilerplate,
                 "Do not detect boilerplate (recurring lines of an outlet, appeals, credits...): "
                 "index every line as text, and skip the prescan of the SOURCEs");
    app.add_option("sources", opts.sources, "SOURCE files or directories, or - for stdin");

    CLI::App* stats_cmd = app.add_subcommand("stats", "Report on a database");
    std::string stats_db;
    bool stats_as_json = false;
    stats_cmd->add_option("--db", stats_db, "Database path")->required();
    stats_cmd->add_flag("--json", stats_as_json, "Write JSON");
    sitrep::indexer::BackupCommand backup;
    sitrep::indexer::add_backup_command(app, backup);

    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      const int rc = app.exit(e);
      return rc == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
    }
    if (stats_cmd->parsed()) {
      return sitrep::indexer::print_stats(stats_db, stats_as_json, std::cout);
    }
    if (backup.app->parsed()) return backup.run(std::cout);
    if (opts.db.empty()) {
      std::cerr << "sitrep-index: error: --db is required; see --help\n";
      return static_cast<int>(ExitCode::kUsage);
    }
    if (opts.sources.empty() && opts.delete_ids.empty() && !opts.compact && !opts.recluster) {
      std::cerr << "sitrep-index: error: no SOURCE given (and no --delete, --compact or "
                   "--recluster); see --help\n";
      return static_cast<int>(ExitCode::kUsage);
    }
    if (opts.rebuild && opts.sources.empty()) {
      std::cerr << "sitrep-index: error: --rebuild needs the SOURCEs to build from\n";
      return static_cast<int>(ExitCode::kUsage);
    }
    stats.exit_status = run(opts, stats);
  } catch (const sitrep::Error& e) {
    std::cerr << "sitrep-index: error: " << e.what() << '\n';
    stats.error = e.what();
    stats.exit_status = static_cast<int>(sitrep::exit_code_for(e.kind()));
  } catch (const std::exception& e) {
    std::cerr << "sitrep-index: error: internal error: " << e.what() << '\n';
    stats.error = std::string("internal error: ") + e.what();
    stats.exit_status = static_cast<int>(ExitCode::kSoftware);
  }
  write_stats_json(opts, stats);
  return stats.exit_status;
}
