#include "options.hpp"

#include <algorithm>
#include <iostream>
#include <vector>

#include <CLI/CLI.hpp>

#include "sitrep/index/limits.hpp"
#include "sitrep/util/exit_code.hpp"
#include "sitrep/util/version.hpp"

namespace sitrep::indexer {

namespace {

constexpr const char* kDuplicatesHelp =
    R"(Duplicate ids: when an id occurs more than once in the input, the last occurrence
is indexed (SOURCEs in command-line order, a directory's files in sorted order, lines in
file order) and each earlier one is reported as a warning naming both places.

)";

constexpr int kUsageStatus = static_cast<int>(ExitCode::kUsage);

int usage(const std::string& message) {
  std::cerr << "sitrep-index: error: " << message << '\n';
  return kUsageStatus;
}

// "TEXT (default D)" and a CLI11 range check, from a setting of index/limits.hpp.
template <class T>
CLI::Option* ranged(CLI::Option* o, const Setting<T>& s) {
  o->description(o->get_description() + " (" + describe_range(s) + ")");
  return o->check(CLI::Range(s.min, s.max));
}

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
    std::string message = "unknown option " + name;
    const std::string hint = closest_match(name, known);
    if (!hint.empty()) message += "; did you mean " + hint + "?";
    return usage(message + " (see --help)");
  }
  return usage(std::string(e.what()) + "; see --help");
}

}  // namespace

std::optional<int> parse_options(int argc, char** argv, Command& cmd) {
  namespace setting = index::setting;
  Options& opts = cmd.index;
  CLI::App app{
      "Index news articles into a sitrep database.\n\nSOURCE is a JSON Lines file (.jsonl, "
      "or gzip-compressed .jsonl.gz), '-' for JSON Lines on standard input, or a "
      "directory walked recursively for .jsonl, .jsonl.gz, .json (one record) and .txt "
      "files (first non-empty line is the title, the rest the body). Run again over the "
      "same sources, only what changed is written.\n\nsitrep-index stats --db DB [--json] "
      "reports on a database.\n\n--db defaults to the environment variable SITREP_DB."};
  app.footer(kDuplicatesHelp + exit_status_help(kIndexProgram));
  app.require_subcommand(0, 1);
  bool show_version = false;
  app.add_flag("--version", show_version,
               "Print the versions of sitrep-index, its database schema, Xapian and ICU");
  app.add_option("--db", opts.db, "Database path (created if missing; default: $SITREP_DB)")
      ->envname("SITREP_DB");
  ranged(app.add_option("-j,--threads", opts.threads, "Analysis threads, 0 for one per core"),
         setting::kThreads);
  ranged(app.add_option("--commit-every", opts.commit_every,
                        "Commit after this many changed documents; a kill loses at most one "
                        "batch"),
         setting::kCommitEvery);
  ranged(
      app.add_option("--wait", opts.wait, "Wait up to SECONDS for another sitrep-index to finish"),
      setting::kWaitSeconds);
  app.add_flag("--rebuild", opts.rebuild,
               "Build a new database from the SOURCEs beside the live one and switch to it "
               "at once when done");
  app.add_flag("--compact", opts.compact,
               "Afterwards write a compacted copy and switch to it at once");
  app.add_flag("--prune", opts.prune,
               "Remove the documents of files that are gone from the directory SOURCEs; a "
               "directory SOURCE with no file to index, or whose every indexed file is gone "
               "(an unmounted share?), is left alone and the run exits 66; nothing is pruned "
               "when a SOURCE could not be read to its end");
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
  ranged(app.add_option("--story-window", opts.story_window,
                        "Compare an article with those published up to DAYS before or after it "
                        "when assigning its story")
             ->type_name("DAYS"),
         setting::kStoryWindow);
  app.add_flag("--no-boilerplate", opts.no_boilerplate,
               "Do not detect boilerplate (recurring lines of an outlet, appeals, credits...): "
               "index every line as text, and skip the prescan of the SOURCEs");
  app.add_option("sources", opts.sources, "SOURCE files or directories, or - for stdin");

  CLI::App* stats_cmd = app.add_subcommand("stats", "Report on a database");
  stats_cmd->add_option("--db", cmd.stats_db, "Database path")->required();
  stats_cmd->add_flag("--json", cmd.stats_json, "Write JSON");
  add_backup_command(app, cmd.backup);
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
  const bool backup = cmd.backup.app->parsed();
  cmd.backup.app = nullptr;  // belongs to app, which ends here
  if (show_version) {
    cmd.kind = Command::Kind::kVersion;
  } else if (stats_cmd->parsed()) {
    cmd.kind = Command::Kind::kStats;
  } else if (backup) {
    cmd.kind = Command::Kind::kBackup;
  } else if (opts.db.empty()) {
    return usage("--db is required; see --help");
  } else if (opts.sources.empty() && opts.delete_ids.empty() && !opts.compact && !opts.recluster) {
    return usage("no SOURCE given (and no --delete, --compact or --recluster); see --help");
  } else if (opts.rebuild && opts.sources.empty()) {
    return usage("--rebuild needs the SOURCEs to build from");
  } else if (opts.force && !opts.prune) {
    return usage("--force only applies to --prune");
  }
  return std::nullopt;
}

}  // namespace sitrep::indexer
