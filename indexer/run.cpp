#include "run.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "duplicates.hpp"
#include "options.hpp"
#include "report.hpp"
#include "sources.hpp"
#include "stats.hpp"

#include "sitrep/entities/entities.hpp"
#include "sitrep/index/index_writer.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/timestamp.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"
#include "sitrep/util/version.hpp"

namespace fs = std::filesystem;

namespace sitrep::indexer {

namespace {

volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int sig) { g_signal = sig; }

bool stopped() { return g_signal != 0; }

// A failure of the writer while a SOURCE is being read, carried through the reader untouched so
// that it is not taken for a failure to read the SOURCE.
struct WriterFailure {
  std::exception_ptr error;
};

template <class F>
void to_writer(F&& f) {
  try {
    f();
  } catch (...) {
    throw WriterFailure{std::current_exception()};
  }
}

// Rejects that mean a file could not be read at all or to its end. sources.cpp reports these
// through SourceCallbacks::incomplete; before issue 11 it used reject, and both are honoured.
bool unreadable(const std::string& message) {
  return message.rfind("cannot open", 0) == 0 || message.rfind("read error", 0) == 0 ||
         message.rfind("cannot read directory", 0) == 0;
}

struct Source {
  std::string arg;
  bool present = false;    // exists (standard input always does)
  bool directory = false;  // an existing directory
  bool empty = false;      // a directory with no file to index (or only empty ones)
  std::size_t first_pass_records = 0, records = 0;
};

constexpr std::size_t kNamesShown = 5;

// "2 files could not be read to their end: a.jsonl.gz, dir/sub"
std::string describe_incomplete(const std::vector<std::string>& names) {
  std::string out = std::to_string(names.size()) +
                    (names.size() == 1 ? " file could not be read to its end: "
                                       : " files could not be read to their end: ");
  for (std::size_t i = 0; i < names.size() && i < kNamesShown; ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  if (names.size() > kNamesShown) {
    out += " and " + std::to_string(names.size() - kNamesShown) + " more";
  }
  return out;
}

constexpr const char* kIncompleteInput = "input incomplete";  // a NotPruned::reason

const char* signal_name(int sig) { return sig == SIGINT ? "SIGINT" : "SIGTERM"; }

}  // namespace

void install_signal_handlers() {
  // Without SA_RESTART: a read from a pipe, FIFO or terminal that waits for input returns EINTR,
  // so one signal stops a run that waits for input (the readers check SourceCallbacks::stop then).
  // Xapian retries its reads and writes on EINTR; waits on the writer's queues are not
  // interrupted (they finish the batch in hand). SA_RESETHAND: a second signal ends the process at
  // once.
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

int stop_signal() { return g_signal; }

int run(const Options& opts, RunStats& s) {
  const auto start = std::chrono::steady_clock::now();
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };

  // Issue 11, case 9: whatever ends the run before indexing is found before the database is
  // opened, so that such a run creates nothing.
  {
    std::error_code ec;
    if (fs::is_regular_file(opts.db, ec)) {
      throw Error(ErrorKind::kUsage,
                  "--db " + opts.db + " is a file, not a sitrep database (a directory)");
    }
  }
  std::vector<Source> sources;
  std::uint64_t total_bytes = 0;
  std::size_t present = 0;
  for (const std::string& arg : opts.sources) {
    Source src{arg};
    if (arg == "-") {
      src.present = true;
    } else {
      std::error_code ec;
      const fs::file_status st = fs::status(arg, ec);
      // A path that cannot be looked at (a directory on the way is unreadable) is not called
      // missing: the reader reports why it cannot be read.
      src.present = fs::exists(st) || (ec && ec != std::errc::no_such_file_or_directory &&
                                       ec != std::errc::not_a_directory);
      src.directory = fs::is_directory(st);
      if (src.present) {
        // A walk of the directory (names and sizes, no content): also the progress line's total.
        const std::uint64_t bytes = source_bytes(arg);
        total_bytes += bytes;
        src.empty = src.directory && bytes == 0;
      }
    }
    if (src.present) ++present;
    sources.push_back(std::move(src));
  }
  Progress progress(total_bytes);
  Diagnostics diag(progress);
  for (const Source& src : sources) {
    if (!src.present) {
      ++s.missing;
      diag.always_error(src.arg + ": no such file or directory");
    } else if (src.empty) {
      // An unmounted share looks like this: it must not empty the database (case 3).
      ++s.empty_sources;
      const std::string what = src.arg + ": no file to index in this directory";
      if (opts.rebuild) {
        diag.always_error(what);
      } else if (opts.prune && !opts.force) {
        diag.always_error(what +
                          " (an unmounted share?): not pruned, its documents are kept "
                          "(--prune --force would remove them)");
        s.not_pruned.push_back({src.arg, "no file to index"});
      } else if (opts.prune) {
        diag.always_warning(what + "; --force: its documents are removed");
        ++s.warnings;
      } else {
        diag.always_warning(what);
        ++s.warnings;
      }
    }
  }
  const bool only_sources = opts.delete_ids.empty() && !opts.compact && !opts.recluster;
  if (!sources.empty() && present == 0 && only_sources) {
    s.error = "no SOURCE exists";
    return static_cast<int>(ExitCode::kNoInput);
  }
  if (opts.rebuild && (s.missing > 0 || s.empty_sources > 0)) {
    s.error = std::string("rebuild abandoned (") +
              (s.missing > 0 ? "a SOURCE is missing" : "a SOURCE directory has no file to index") +
              "); the live database is unchanged";
    diag.always_error(s.error);
    return static_cast<int>(ExitCode::kNoInput);
  }

  // The dictionaries are read before the database is touched, so a bad one changes nothing.
  entities::Gazetteer gazetteer;
  if (!opts.no_entities) {
    gazetteer.load_builtin();
    for (const std::string& f : opts.entity_files) gazetteer.load_file(f);
  }
  index::WriterOptions wo;
  wo.gazetteer = opts.no_entities ? nullptr : &gazetteer;
  wo.threads = opts.threads;
  wo.commit_every = opts.commit_every;
  wo.wait_seconds = opts.wait;
  wo.rebuild = opts.rebuild;
  wo.stories = !opts.no_stories;
  wo.recluster = opts.recluster;
  wo.story_window = opts.story_window;
  wo.stop = [] { return stopped(); };
  wo.boilerplate = !opts.no_boilerplate;
  index::IndexWriter writer(opts.db, wo);
  s.mode = writer.bulk_mode() ? "bulk" : "update";

  // Every SOURCE is read twice: read_source() reads through the one SourceReader of the process
  // (sources.hpp), which keeps a copy of what cannot be read twice (standard input, a FIFO, a
  // pipe), so '-' gets its first pass like a file.
  LastOccurrence last;
  std::size_t current = 0;  // the index of the SOURCE being read
  std::vector<std::pair<std::string, std::string>> first_pass_incomplete;  // file, message
  std::vector<std::string> incomplete_names;
  std::vector<std::string> directories;
  try {
    // The first pass: where each id occurs last (duplicates.hpp) and, unless --no-boilerplate,
    // the boilerplate prescan, which counts each outlet's recurring lines so that the indexing
    // pass knows them from the first article. Its errors are reported by the indexing pass.
    if (!sources.empty()) {
      const auto first_start = std::chrono::steady_clock::now();
      SourceCallbacks pre;
      pre.record = [&](schema::Article&& a, const Origin& o) {
        ++sources[current].first_pass_records;
        last.note(a.id, current, o);
        if (!opts.no_boilerplate) to_writer([&] { writer.prescan(a); });
      };
      pre.reject = [&](const Origin& o, const std::string& message) {
        if (unreadable(message))
          first_pass_incomplete.emplace_back(o.file, o.str() + ": " + message);
      };
      pre.warn = [](const Origin&, const std::string&) {};
      pre.incomplete = [&](const Origin& o, const std::string& message) {
        first_pass_incomplete.emplace_back(o.file, o.str() + ": " + message);
      };
      pre.stop = [] { return stopped(); };
      for (current = 0; current < sources.size() && !stopped(); ++current) {
        if (!sources[current].present) continue;
        try {
          read_source(sources[current].arg, pre);
        } catch (const Error&) {
          // Reported when the indexing pass meets it again.
        }
      }
      s.prescan_seconds = seconds_since(first_start);
    }

    // The indexing pass.
    auto incomplete = [&](const std::string& name, const std::string& text) {
      ++s.incomplete;
      incomplete_names.push_back(name);
      diag.always_error(text);
    };
    std::uint64_t bytes_before = 0, current_size = 0;
    std::string current_path;
    SourceCallbacks cb;
    cb.record = [&](schema::Article&& a, const Origin& o) {
      ++sources[current].records;
      std::string later;
      if (!last.winner(a.id, current, o, later)) {
        ++s.warnings;
        diag.warning(o, "id " + a.id + " is also at " + later + "; the later one is indexed");
        return;
      }
      ++s.read;
      if (o.path != current_path) {
        bytes_before += current_size;
        current_path = o.path;
        current_size = o.size;
      }
      to_writer([&] { writer.add(std::move(a), o.path); });
      progress.update(s.read, bytes_before + o.offset);
    };
    cb.reject = [&](const Origin& o, const std::string& message) {
      if (unreadable(message)) {
        incomplete(o.file, o.str() + ": " + message);
        return;
      }
      ++s.rejected;
      diag.error(o, message + " (skipped)");
    };
    cb.warn = [&](const Origin& o, const std::string& message) {
      ++s.warnings;
      diag.warning(o, message);
    };
    cb.incomplete = [&](const Origin& o, const std::string& message) {
      incomplete(o.file, o.str() + ": " + message);
    };
    cb.stop = [] { return stopped(); };
    for (current = 0; current < sources.size() && !stopped(); ++current) {
      const Source& src = sources[current];
      if (!src.present) continue;
      try {
        read_source(src.arg, cb);
        if (src.directory) directories.push_back(src.arg);
      } catch (const Error& e) {
        // Anything else (standard input unreadable, no room for the copy of a pipe) ends the run
        // with its kind's exit status: the writer is abandoned, a rebuild is not switched.
        if (e.kind() != ErrorKind::kNotFound) throw;
        ++s.missing;  // gone since the run started
        diag.always_error(e.what());
      }
      diag.end_file();
    }
  } catch (const WriterFailure& f) {
    std::rethrow_exception(f.error);
  }
  progress.clear();
  s.duplicates = last.skipped();
  if (!stopped()) {
    // What only the first pass met (a spooled copy read back whole, say) still counts.
    const std::set<std::string> seen(incomplete_names.begin(), incomplete_names.end());
    for (const auto& [file, text] : first_pass_incomplete) {
      if (seen.count(file) == 0) {
        ++s.incomplete;
        incomplete_names.push_back(file);
        diag.always_error(text);
      }
    }
    // Fewer records the second time: the SOURCE changed during the run, or could not be read
    // twice; what the first pass decided (duplicates, boilerplate) no longer holds for it.
    for (const Source& src : sources) {
      if (src.records < src.first_pass_records) {
        ++s.incomplete;
        incomplete_names.push_back(src.arg);
        diag.always_error(src.arg + ": " + std::to_string(src.first_pass_records) +
                          " records on the first pass but " + std::to_string(src.records) +
                          " on the second (it changed during the run, or cannot be read twice)");
      }
    }
    for (const std::string& lost : last.lost()) {
      ++s.incomplete;
      incomplete_names.push_back(lost);
      diag.always_error(lost +
                        " was not met again by the indexing pass (the file changed during the "
                        "run): that id is not indexed; run again");
    }
  }
  s.interrupted = stopped();

  // Issue 11, cases 1 and 2: a rebuild is all or nothing, and switches only when every SOURCE
  // was read to its end; the live database must not lose what a source failed to give.
  if (opts.rebuild && (stopped() || s.missing > 0 || s.incomplete > 0 || s.read == 0)) {
    writer.abandon();
    s.error = "rebuild abandoned (" +
              (stopped()          ? std::string("stopped by ") + signal_name(g_signal)
               : s.incomplete > 0 ? describe_incomplete(incomplete_names)
               : s.missing > 0    ? std::string("a SOURCE is missing")
                                  : std::string("no record could be read")) +
              "); the live database is unchanged";
    diag.always_error(s.error);
    s.seconds = seconds_since(start);
    if (stopped()) return 128 + g_signal;
    if (s.incomplete > 0) return static_cast<int>(ExitCode::kIoErr);
    return s.missing > 0 ? static_cast<int>(ExitCode::kNoInput)
                         : static_cast<int>(ExitCode::kDataErr);
  }

  // Issue 11, case 9: a first run that failed to read a single record leaves nothing behind (no
  // empty database that would answer "0 articles searched"). Empty input that is not an error
  // still makes an empty database.
  const bool failed_first_run = writer.creates_database() && s.read == 0 &&
                                (stopped() || s.rejected > 0 || s.missing > 0 || s.incomplete > 0);
  if (failed_first_run) {
    writer.abandon();
    diag.always_error("nothing could be indexed, so no database was created at " + opts.db);
  }
  // An interrupted run commits what it read but removes nothing: it has not seen every file. A
  // run whose input was incomplete commits the records it read but prunes nothing either.
  if (!stopped() && !failed_first_run) {
    if (!opts.delete_ids.empty()) writer.remove_ids(opts.delete_ids);
    if (opts.prune && s.incomplete > 0) {
      diag.always_error("--prune: nothing removed, because the input was incomplete (" +
                        describe_incomplete(incomplete_names) + ")");
      for (const std::string& d : directories) s.not_pruned.push_back({d, kIncompleteInput});
    } else if (opts.prune) {
      std::vector<std::string> prune_dirs;
      for (const Source& src : sources) {
        if (src.directory && (!src.empty || opts.force)) prune_dirs.push_back(src.arg);
      }
      writer.prune(std::move(prune_dirs), opts.force);
    }
    if (opts.compact) writer.compact();
  }
  if (!failed_first_run) s.counts = writer.finish();
  s.seconds = seconds_since(start);
  if (s.counts.resumed > 0) {
    diag.always_warning(std::to_string(s.counts.resumed) +
                        " documents were kept from the shards of a killed build (counted as "
                        "unchanged)");
  }
  for (const std::string& id : s.counts.not_found) {
    diag.always_warning("--delete " + id + ": no document with this id");
  }
  for (const std::string& dir : s.counts.prune_refused) {
    diag.always_error("--prune " + dir +
                      ": every file indexed from it is gone (an unmounted share?): none of its "
                      "documents was removed (--prune --force would remove them)");
    s.not_pruned.push_back({dir, "every indexed file is gone"});
  }
  if (!s.counts.facet_column_error.empty()) {
    ++s.warnings;
    diag.always_warning(s.counts.facet_column_error +
                        "; the documents are committed, and faceted searches count from their "
                        "values (slower) until a run writes the column");
  }
  std::printf(
      "sitrep-index: %zu records read: %zu added, %zu updated, %zu unchanged, %zu removed, %zu "
      "rejected, %zu warnings in %.2f s (%.0f records/s) into %s\n",
      s.read, s.counts.added, s.counts.updated, s.counts.unchanged, s.counts.removed, s.rejected,
      s.warnings, s.seconds, s.seconds > 0 ? static_cast<double>(s.read) / s.seconds : 0.0,
      opts.db.c_str());
  std::fflush(stdout);

  if (stopped()) {
    s.error = std::string("stopped by ") + signal_name(g_signal);
    std::fprintf(stderr,
                 "sitrep-index: %s: what was read is committed; run the same command again to "
                 "finish\n",
                 s.error.c_str());
    return 128 + g_signal;
  }
  if (!sources.empty() && s.missing == sources.size()) {
    s.error = "no SOURCE exists";
    return static_cast<int>(ExitCode::kNoInput);
  }
  // A directory --prune left alone as it looked unmounted: 66, as for a missing SOURCE. (Input
  // that could not be read to its end stops every prune; that is exit 1 below.)
  std::vector<const NotPruned*> left_alone;
  for (const NotPruned& n : s.not_pruned) {
    if (n.reason != kIncompleteInput) left_alone.push_back(&n);
  }
  if (!left_alone.empty()) {
    s.error = "--prune left " + std::to_string(left_alone.size()) +
              (left_alone.size() == 1 ? " directory" : " directories") +
              " alone: " + left_alone.front()->directory + " (" + left_alone.front()->reason + ")" +
              (left_alone.size() > 1 ? ", ..." : "");
    return static_cast<int>(ExitCode::kNoInput);
  }
  if (s.read == 0 && s.rejected > 0) {
    s.error = "every record was rejected";
    return static_cast<int>(ExitCode::kDataErr);
  }
  // An update from incomplete input commits the records it read, like one with rejected
  // records: 1, and nothing was pruned.
  if (s.rejected > 0 || s.missing > 0 || s.incomplete > 0 || !s.counts.not_found.empty() ||
      !s.counts.facet_column_error.empty()) {
    return static_cast<int>(ExitCode::kPartial);
  }
  return static_cast<int>(ExitCode::kOk);
}

int run_command(const Command& cmd) {
  RunStats stats;
  stats.started = schema::utc_now_iso();
  try {
    switch (cmd.kind) {
      case Command::Kind::kVersion:
        std::cout << version_text("sitrep-index", schema::kSchemaVersion);
        return 0;
      case Command::Kind::kStats:
        return print_stats(cmd.stats_db, cmd.stats_json, std::cout);
      case Command::Kind::kBackup:
        return cmd.backup.run(std::cout);
      case Command::Kind::kIndex:
        stats.exit_status = run(cmd.index, stats);
        break;
    }
  } catch (const Error& e) {
    std::cerr << "sitrep-index: error: " << e.what() << '\n';
    stats.error = e.what();
    stats.exit_status = static_cast<int>(exit_code_for(e.kind()));
    // Stopped while waiting for the lock: the status says the signal, as for any stopped run.
    if (stop_signal() != 0) stats.exit_status = 128 + stop_signal();
  } catch (const std::exception& e) {
    std::cerr << "sitrep-index: error: internal error: " << e.what() << '\n';
    stats.error = std::string("internal error: ") + e.what();
    stats.exit_status = static_cast<int>(ExitCode::kSoftware);
  }
  const std::string stats_json = cmd.kind == Command::Kind::kIndex ? cmd.index.stats_json : "";
  stats.interrupted = stop_signal() != 0;
  stats.finished = schema::utc_now_iso();
  if (!write_stats_json(stats_json, cmd.index.db, stats) &&
      (stats.exit_status == 0 || stats.exit_status == 1)) {
    return static_cast<int>(ExitCode::kIoErr);
  }
  return stats.exit_status;
}

}  // namespace sitrep::indexer
