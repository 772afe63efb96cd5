// sitrep-search: ranked boolean and phrase search over a sitrep database, as readable text or
// JSON. Thin front end: options here, the search in sitrep::search, writing in output.cpp.

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "output.hpp"
#include <CLI/CLI.hpp>
#include <unistd.h>

#include "sitrep/search/searcher.hpp"
#include "sitrep/util/exit_code.hpp"

namespace {

using sitrep::ErrorKind;
using sitrep::ExitCode;

constexpr const char* kFooter = R"(Query language:
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

Facets and timelines count every match, not only the page shown:
  --facets, --facets=default   person,place,org,source,lang,year
  --facets=person,month        the facets named (also org, source, lang, year, day)
  --timeline month         matches per month (or week, day), undated ones apart
A bare --facets takes the next word as its list: put the query after '--'
(sitrep-search --db DB --facets -- ukraine) or write --facets=default.

Exit status:
  0   the search ran (zero hits included)
  64  bad option or argument
  65  bad query (syntax, empty, too long, invalid UTF-8, bad date)
  66  the database does not exist
  70  internal error
  74  reading the database failed
  75  the database changed during the search even after a retry: try again
  78  the database was built by an incompatible sitrep version)";

int fail(bool json, ErrorKind kind, const std::string& message) {
  if (json) {
    sitrep::searcher::write_json_error(std::cout, kind, message);
    std::cout.flush();
  }
  std::cerr << "sitrep-search: error: " << message << '\n';
  return static_cast<int>(sitrep::exit_code_for(kind));
}

bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  const bool json_early = wants_json(argc, argv);
  try {
    CLI::App app{"Search a sitrep database of news articles."};
    app.footer(kFooter);
    std::string db;
    std::vector<std::string> words;
    std::string sort = "relevance";
    bool json = false;
    long long limit = 10, offset = 0;
    sitrep::search::SearchRequest req;
    app.add_option("--db", db, "Database directory")->required();
    app.add_flag("--json", json, "Write one JSON object (schemas/search-result.schema.json)");
    app.add_option("-n,--limit", limit, "Hits to return (0 to 1000, default 10)");
    app.add_option("--offset", offset, "Hits to skip (0 to 100000)");
    app.add_option("--sort", sort, "relevance, newest or oldest")
        ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
    app.add_option("--since", req.since,
                   "Only articles published on or after this date (YYYY[-MM[-DD]])");
    app.add_option("--until", req.until,
                   "Only articles published on or before this date (YYYY[-MM[-DD]])");
    std::string facets_text, timeline;
    long long facet_limit = static_cast<long long>(sitrep::search::kDefaultFacetLimit);
    CLI::Option* facets_opt =
        app.add_option("--facets", facets_text,
                       "Count these facets over all matches (comma-separated: person, place, org, "
                       "source, lang, year, month, day; without a value or \"default\": "
                       "person,place,org,source,lang,year)")
            ->expected(0, 1);
    app.add_option("--facet-limit", facet_limit,
                   "Values to return per facet, most frequent first (1 to 1000, default 10)");
    app.add_option("--timeline", timeline, "Count matches per month, week (ISO) or day")
        ->check(CLI::IsMember({"month", "week", "day"}));
    app.add_option("query", words, "QUERY words");
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
      return app.exit(e);
    } catch (const CLI::ExtrasError& e) {
      return fail(json_early, ErrorKind::kUsage,
                  std::string(e.what()) + "; a query starting with '-' goes after '--'");
    } catch (const CLI::ParseError& e) {
      return fail(json_early, ErrorKind::kUsage, std::string(e.what()) + "; see --help");
    }
    if (limit < 0 || limit > static_cast<long long>(sitrep::search::kMaxLimit)) {
      return fail(json, ErrorKind::kUsage,
                  "--limit must be between 0 and " + std::to_string(sitrep::search::kMaxLimit));
    }
    if (offset < 0 || offset > static_cast<long long>(sitrep::search::kMaxOffset)) {
      return fail(json, ErrorKind::kUsage,
                  "--offset must be between 0 and " + std::to_string(sitrep::search::kMaxOffset));
    }
    if (facet_limit < 1 || facet_limit > static_cast<long long>(sitrep::search::kMaxFacetLimit)) {
      return fail(
          json, ErrorKind::kUsage,
          "--facet-limit must be between 1 and " + std::to_string(sitrep::search::kMaxFacetLimit));
    }
    req.facet_limit = static_cast<std::size_t>(facet_limit);
    if (facets_opt->count() > 0) req.facets = sitrep::search::parse_facet_list(facets_text);
    if (!timeline.empty()) req.timeline = sitrep::search::parse_interval(timeline);
    for (const auto& w : words) req.query += (req.query.empty() ? "" : " ") + w;
    if (req.query.empty()) return fail(json, ErrorKind::kUsage, "no QUERY given; see --help");
    req.limit = static_cast<std::size_t>(limit);
    req.offset = static_cast<std::size_t>(offset);
    req.sort = sort == "newest"   ? sitrep::search::SortOrder::kNewest
               : sort == "oldest" ? sitrep::search::SortOrder::kOldest
                                  : sitrep::search::SortOrder::kRelevance;
    try {
      sitrep::search::Searcher searcher(db);
      const sitrep::search::SearchResult result = searcher.search(req);
      if (json) {
        sitrep::searcher::write_json(std::cout, req, result);
      } else {
        const char* no_colour = std::getenv("NO_COLOR");
        const bool terminal = ::isatty(STDOUT_FILENO);
        const bool colour = terminal && (!no_colour || !*no_colour);
        sitrep::searcher::write_text(std::cout, req, result, colour, terminal);
      }
      std::cout.flush();
      return 0;
    } catch (const sitrep::Error& e) {
      return fail(json, e.kind(), e.what());
    }
  } catch (const sitrep::Error& e) {
    return fail(json_early, e.kind(), e.what());
  } catch (const std::exception& e) {
    return fail(json_early, ErrorKind::kInternal, std::string("internal error: ") + e.what());
  }
}
