#include "options.hpp"

#include <cstring>
#include <vector>

#include "run.hpp"
#include <CLI/CLI.hpp>

#include "sitrep/search/limits.hpp"
#include "sitrep/util/exit_code.hpp"
#include "sitrep/util/version.hpp"

namespace sitrep::searcher {

namespace {

constexpr const char* kQueryHelp = R"(Query language:
  words              all must match (stemmed in every language of the archive)
  "exact phrase"     words in this order
  a OR b, a AND b, a NOT b, a XOR b, ( ... )   operators in capitals
  +word  -word       must / must not contain
  a NEAR b, a NEAR/5 b, a ADJ/3 b              proximity
  title:word  title:"a phrase"                 in the title
  source:NAME  lang:CODE  id:ID                filters (source:"Kyiv Ledger")
  person:NAME  place:NAME  org:NAME  entity:NAME
                     articles naming that entity: any alias, a surname alone, any
                     script, "quoted full names" or a canonical id (person:Зеленский)
  date:2025-12-01..2025-12-31  date:2024  date:2024-03..   date ranges (UTC)
  word*              words starting with word
A query starting with '-' goes after '--':  sitrep-search --db DB -- -word other

No QUERY (or only --since/--until): every article, undated ones included;
  --sort newest lists the latest articles.

Counts: articles (documents), and with --collapse stories. A count says "about"
  unless it is exact; --exact counts every match, --count prints only the exact
  numbers (articles; with --collapse stories on a second line).

Facets and timelines count every match, not only the page shown:
  --facets, --facets=default   person,place,org,source,lang,year
  --facets=person,month        the facets named (also org, source, lang, year, day)
  --timeline month         articles per month (or day, week, quarter, year),
                           undated ones apart; with --collapse stories per period
  --timeline auto          the finest interval giving at most --timeline-max
                           periods (default 60)
A bare --facets takes the next word as its list: put the query after '--'
(sitrep-search --db DB --facets -- ukraine) or write --facets=default.

Stories (one report retold by many outlets, clustered by sitrep-index):
  text output shows one hit per story, "+ N more from: outlets"; --no-collapse
  shows every article; --json shows every article unless --collapse is given
  --story ID               every article of one story, oldest first

)";

constexpr const char* kEnvironmentHelp = R"(

Environment:
  SITREP_DB   the database, when --db is not given
  NO_COLOR    set and not empty: no colour with --color=auto (the default)

Text output is safe for a terminal: control characters and bidi overrides from articles
and queries are printed as U+FFFD (tabs and line breaks inside a field as a space).

Boilerplate (lines of an outlet that recur across its articles, donation appeals,
newsletter boxes, photo credits, "read more" lists) is kept in the articles but not
searched: --include-boilerplate searches it too; --explain ID shows an article's.)";

// "TEXT (MIN to MAX, default D)": help text with a setting's range from search/limits.hpp.
std::string ranged(const std::string& text, const Setting<long long>& s) {
  return text + " (" + describe_range(s) + ")";
}

// The message for arguments CLI11 did not expect: an unknown option, with the closest option name
// when one is a likely typo.
std::string unexpected(const CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& n : o->get_lnames()) names.push_back("--" + n);
  }
  for (const std::string& arg : args) {
    if (arg.size() < 2 || arg[0] != '-') continue;
    const std::string name = arg.substr(0, arg.find('='));
    const std::string match = closest_match(name, names);
    if (!match.empty()) return "unknown option " + name + ": did you mean " + match + "?";
    return "unknown option " + name +
           "; see --help (a query starting with '-' goes after '--': -- " + name + ")";
  }
  std::string list;
  for (const std::string& arg : args) list += (list.empty() ? "" : " ") + arg;
  return "unexpected argument " + list + "; see --help";
}

}  // namespace

bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

std::optional<int> parse_options(int argc, char** argv, Options& opts) {
  namespace setting = search::setting;
  const bool json_early = wants_json(argc, argv);
  Request& req = opts.request;
  CLI::App app{"Search a sitrep database of news articles."};
  app.footer(kQueryHelp + exit_status_help(kSearchProgram) + kEnvironmentHelp);
  app.add_option("--db", req.db,
                 "Database directory (default: the SITREP_DB environment variable; --db wins)")
      ->envname("SITREP_DB");
  app.add_flag("--json", req.json,
               "Write one JSON object (schemas/search-result.schema.json; errors: "
               "schemas/search-error.schema.json)");
  app.add_option("-n,--limit", req.limit, ranged("Hits to return", setting::kLimit));
  app.add_option("--offset", req.offset, ranged("Hits to skip", setting::kOffset));
  app.add_option("--sort", req.sort, "relevance, newest or oldest")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
  app.add_option("--default-op", req.default_op,
                 "How words without an operator between them combine: auto (any word, those "
                 "with every word first; the default), and (every word), or (any word)")
      ->check(CLI::IsMember({"auto", "and", "or"}));
  app.add_option("--since", req.since,
                 "Only articles published on or after this date (YYYY[-MM[-DD]])");
  app.add_option("--until", req.until,
                 "Only articles published on or before this date (YYYY[-MM[-DD]])");
  std::string facets_text;
  CLI::Option* facets_opt =
      app.add_option("--facets", facets_text,
                     "Count these facets over all matches (comma-separated: person, place, org, "
                     "source, lang, year, month, day; without a value or \"default\": "
                     "person,place,org,source,lang,year)")
          ->expected(0, 1);
  app.add_option("--facet-limit", req.facet_limit,
                 ranged("Values to return per facet, most frequent first", setting::kFacetLimit));
  CLI::Option* timeline_opt =
      app.add_option("--timeline", req.timeline,
                     "Count matches per day, week (ISO), month, quarter or year, or auto (the "
                     "finest within --timeline-max)")
          ->check(CLI::IsMember({"day", "week", "month", "quarter", "year", "auto"}));
  app.add_option("--timeline-max", req.timeline_max,
                 "At most N periods in the timeline: a finer interval is widened (day, week, "
                 "month, quarter, year, then spans of years) (2 to 1000; default: no limit, 60 "
                 "for auto)")
      ->type_name("N")
      ->needs(timeline_opt);
  app.add_flag("--exact", req.exact,
               "Count every match exactly (articles, and stories with --collapse), as facets do");
  app.add_option("--timeout-ms", req.timeout_ms,
                 ranged("Give up with error \"timeout\" (exit 75) after this many milliseconds",
                        setting::kTimeoutMs));
  bool collapse = false, no_collapse = false;
  CLI::Option* collapse_opt = app.add_flag(
      "--collapse", collapse,
      "One hit per story, the best ranked, with the count and outlets of the others (the "
      "default for text output)");
  app.add_flag("--no-collapse", no_collapse,
               "Every matching article, also those of one story (the default with --json)")
      ->excludes(collapse_opt);
  app.add_option("--story", req.story,
                 "Only the articles of this story (a hit's story id), oldest first; a QUERY "
                 "narrows them further");
  app.add_flag("--include-boilerplate", req.include_boilerplate,
               "Also match boilerplate: the lines of an outlet that recur across its articles "
               "(appeals, newsletter boxes...) and lines matching the boilerplate patterns, "
               "which are not searched by default; snippets then show them too");
  std::string explain_id, get_id;
  CLI::Option* explain_opt =
      app.add_option("--explain", explain_id,
                     "Show which lines of article ID are boilerplate and why, instead of searching")
          ->type_name("ID");
  CLI::Option* get_opt =
      app.add_option("--get", get_id,
                     "Show the stored article ID (title, body, metadata, entities, story, "
                     "boilerplate lines) instead of searching")
          ->type_name("ID")
          ->excludes(explain_opt);
  app.add_flag("--count", req.count,
               "Print only the exact number of matching articles (with --collapse, the number "
               "of stories on a second line); with --json a result without hits")
      ->excludes(explain_opt)
      ->excludes(get_opt)
      ->excludes(timeline_opt)
      ->excludes(facets_opt);
  app.add_flag("--serve", opts.serve,
               "Answer JSON requests, one a line on stdin, with one JSON line each on stdout "
               "(schemas/serve-request.schema.json); takes only --db (and --json)");
  app.add_option("--color", opts.colour,
                 "Colour in text output: auto (on a terminal, unless NO_COLOR is set), always or "
                 "never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--version", opts.version,
               "Print the versions of sitrep, its schema, Xapian and ICU");
  app.add_option("query", req.query, "QUERY words");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    return fail(json_early, ErrorKind::kUsage, unexpected(app, app.remaining()));
  } catch (const CLI::ParseError& e) {
    return fail(json_early, ErrorKind::kUsage, std::string(e.what()) + "; see --help");
  }
  if (opts.version) return std::nullopt;
  if (opts.serve) {
    // Only --db, --serve and perhaps --json: each request carries its own options.
    for (const CLI::Option* o : app.get_options()) {
      if (o->count() > 0 && o->get_name() != "--db" && o->get_name() != "--serve" &&
          o->get_name() != "--json") {
        return fail(true, ErrorKind::kUsage, "--serve takes no other option than --db and --json");
      }
    }
    return std::nullopt;
  }
  if (facets_opt->count() > 0) req.facets = facets_text;
  if (collapse) req.collapse = true;
  if (no_collapse) req.collapse = false;
  if (explain_opt->count() > 0) req.explain = explain_id;
  if (get_opt->count() > 0) req.get = get_id;
  return std::nullopt;
}

}  // namespace sitrep::searcher
