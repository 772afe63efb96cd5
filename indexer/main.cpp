// sitrep-index: turns news articles (JSON Lines, directories of .json/.txt files) into a sitrep
// Xapian database, and reports on one (`sitrep-index stats`). Thin front end: options here, the
// run in run.cpp, reading in sources.cpp, the database work in sitrep::index.

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "backup.hpp"
#include "run.hpp"
#include "run_stats.hpp"
#include "stats.hpp"
#include <CLI/CLI.hpp>

#include "sitrep/schema/timestamp.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"
#include "sitrep/util/version.hpp"

namespace {

using sitrep::ExitCode;

constexpr const char* kExitStatuses =
    R"(Duplicate ids: when an id occurs more than once in the input, the last occurrence
is indexed (SOURCEs in command-line order, a directory's files in sorted order, lines in
file order) and each earlier one is reported as a warning naming both places.

Exit status:
  0   every record was indexed
  1   indexed, but some records or files were rejected, a SOURCE was missing (the others are
      indexed), a SOURCE could not be read to its end (an unreadable file or directory, a read
      error, a truncated .gz: the records read are committed, nothing is pruned), some
      --delete ids were not there, or the facet column could not be written (searches still
      work, slower with --facets) (each reported on stderr)
  64  bad option or argument (also --db naming a regular file)
  65  nothing could be indexed: every record was rejected
  66  no SOURCE exists (nothing is created); --rebuild with a SOURCE missing or a directory
      SOURCE with no file to index (the live database is unchanged); --prune left a directory
      SOURCE alone because it has no file to index or every file indexed from it is gone (an
      unmounted share?): the rest is committed, --force prunes it; stats: no database
  70  internal error
  74  reading or writing the database failed; --rebuild: a SOURCE could not be read to its
      end, so the rebuild is abandoned and the live database is unchanged; or --stats-json
      could not be written (the previous file is kept)
  75  the database is busy: another sitrep-index held the lock for longer than --wait
  77  permission denied on the database
  78  the database was built by an incompatible sitrep version (use --rebuild), or an
      --entities file has bad lines (each reported as FILE:LINE; nothing is indexed then)
  130 stopped by SIGINT, 143 stopped by SIGTERM: what was read before is committed (a
      --rebuild is abandoned), and running the same command again finishes the job)";

// CLI11's errors, as every other error: "sitrep-index: error: ...", exit 64. An unknown option
// gets the closest known one as a hint.
int usage_error(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  std::vector<std::string> known;
  auto collect = [&](const CLI::App& a) {
    for (const CLI::Option* o : a.get_options()) {
      for (const std::string& l : o->get_lnames()) known.push_back("--" + l);
      for (const std::string& s : o->get_snames()) known.push_back("-" + s);
    }
  };
  collect(app);
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    collect(*sub);
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind("--", 0) != 0) continue;  // a value, or a short option CLI11 explains
    const std::string name = arg.substr(0, arg.find('='));
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::cerr << "sitrep-index: error: unknown option " << name;
    const std::string hint = sitrep::closest_match(name, known);
    if (!hint.empty()) std::cerr << "; did you mean " << hint << "?";
    std::cerr << " (see --help)\n";
    return static_cast<int>(ExitCode::kUsage);
  }
  std::cerr << "sitrep-index: error: " << e.what() << "; see --help\n";
  return static_cast<int>(ExitCode::kUsage);
}

}  // namespace

int main(int argc, char** argv) {
  using sitrep::indexer::Options;
  using sitrep::indexer::RunStats;
  sitrep::indexer::install_signal_handlers();
  Options opts;
  RunStats stats;
  stats.started = sitrep::schema::utc_now_iso();
  try {
    CLI::App app{
        "Index news articles into a sitrep database.\n\nSOURCE is a JSON Lines file (.jsonl, "
        "or gzip-compressed .jsonl.gz), '-' for JSON Lines on standard input, or a "
        "directory walked recursively for .jsonl, .jsonl.gz, .json (one record) and .txt "
        "files (first non-empty line is the title, the rest the body). Run again over the "
        "same sources, only what changed is written.\n\nsitrep-index stats --db DB [--json] "
        "reports on a database.\n\n--db defaults to the environment variable SITREP_DB."};
    app.footer(kExitStatuses);
    app.require_subcommand(0, 1);
    bool show_version = false;
    app.add_flag("--version", show_version,
                 "Print the versions of sitrep-index, its database schema, Xapian and ICU");
    app.add_option("--db", opts.db, "Database path (created if missing; default: $SITREP_DB)")
        ->envname("SITREP_DB");
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
    app.add_flag(
        "--prune", opts.prune,
        "Remove the documents of files that are gone from the directory SOURCEs; a "
        "directory SOURCE with no file to index, or whose every indexed file is gone "
        "(an unmounted share?), is left alone and the run exits 66; nothing is pruned when a "
        "SOURCE could not be read to its end");
    app.add_flag("--force", opts.force,
                 "With --prune: prune such a directory too, removing all its documents");
    app.add_option("--delete", opts.delete_ids, "Remove the documents with these ids")
        ->type_name("ID");
    app.add_option("--stats-json", opts.stats_json,
                   "Write the run's counts as JSON to FILE for monitoring "
                   "(schemas/index-stats.schema.json): replaced atomically; a run that fails "
                   "(exit other than 0 and 1) adds \"last_failure\" and keeps the counts of the "
                   "last run that committed")
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

    stats_cmd->get_option("--db")->envname("SITREP_DB");

    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      return usage_error(app, e, argc, argv);
    }
    if (show_version) {
      std::cout << sitrep::version_text("sitrep-index");
      return 0;
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
    if (opts.force && !opts.prune) {
      std::cerr << "sitrep-index: error: --force only applies to --prune\n";
      return static_cast<int>(ExitCode::kUsage);
    }
    stats.exit_status = sitrep::indexer::run(opts, stats);
  } catch (const sitrep::Error& e) {
    std::cerr << "sitrep-index: error: " << e.what() << '\n';
    stats.error = e.what();
    stats.exit_status = static_cast<int>(sitrep::exit_code_for(e.kind()));
    // Stopped while waiting for the lock: the status says the signal, as for any stopped run.
    if (sitrep::indexer::stop_signal() != 0)
      stats.exit_status = 128 + sitrep::indexer::stop_signal();
  } catch (const std::exception& e) {
    std::cerr << "sitrep-index: error: internal error: " << e.what() << '\n';
    stats.error = std::string("internal error: ") + e.what();
    stats.exit_status = static_cast<int>(ExitCode::kSoftware);
  }
  stats.interrupted = sitrep::indexer::stop_signal() != 0;
  stats.finished = sitrep::schema::utc_now_iso();
  if (!sitrep::indexer::write_stats_json(opts.stats_json, opts.db, stats) &&
      (stats.exit_status == 0 || stats.exit_status == 1)) {
    return static_cast<int>(ExitCode::kIoErr);
  }
  return stats.exit_status;
}
