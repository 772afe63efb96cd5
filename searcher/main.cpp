// sitrep-search: ranked boolean and phrase search over a sitrep database, as readable text or
// JSON. Thin front end: options here, the search in sitrep::search, writing in output.cpp.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "output.hpp"
#include "request.hpp"
#include "serve.hpp"
#include <CLI/CLI.hpp>
#include <unistd.h>

#include "sitrep/search/facets.hpp"
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

Stories (one report retold by many outlets, clustered by sitrep-index):
  text output shows one hit per story, "+ N more from: outlets"; --no-collapse
  shows every article; --json shows every article unless --collapse is given
  --story ID               every article of one story, oldest first

Exit status:
  0   the search ran (zero hits included)
  64  bad option or argument
  65  bad query (query_syntax: syntax, empty, invalid UTF-8, bad date), or a request
      over a limit (limit_exceeded: query over 4096 bytes, --limit over 1000,
      --offset over 100000, wildcard matching over 1000 words, ...)
  66  the database does not exist
  70  internal error
  74  reading the database failed
  75  the database changed during the search even after a retry (db_busy), or the
      search ran past --timeout-ms (timeout): try again, or narrow the query
  78  the database was built by an incompatible sitrep version

Boilerplate (lines of an outlet that recur across its articles, donation appeals,
newsletter boxes, photo credits, "read more" lists) is kept in the articles but not
searched: --include-boilerplate searches it too; --explain ID shows an article's.)";

// Writes a response: stdout, then the error line on stderr. Returns the exit status.
int emit(const sitrep::searcher::Response& r) {
  if (!r.out.empty()) {
    std::cout << r.out;
    std::cout.flush();
  }
  if (r.exit_status != 0) std::cerr << "sitrep-search: error: " << r.error << '\n';
  return r.exit_status;
}

int fail(bool json, ErrorKind kind, const std::string& message) {
  return emit(sitrep::searcher::error_response(json, kind, message));
}

bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

// A backstop for the time limit. The search checks its deadline itself (while matching, counting
// and making snippets), but a single step inside Xapian (one long phrase scan, say) cannot be
// interrupted; so if the answer is not ready a grace period after the deadline, this thread writes
// the timeout error itself and ends the process. Whoever claims the output first writes it.
class Watchdog {
 public:
  Watchdog(bool json, long long timeout_ms)
      : m_json(json), m_thread([this, timeout_ms] { run(timeout_ms); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_done = true;
    }
    m_cv.notify_one();
    m_thread.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  // True when the caller may write its answer; false never returns (the watchdog is exiting).
  bool claim_output() {
    int expected = 0;
    if (m_state.compare_exchange_strong(expected, 1)) return true;
    for (;;) pause();  // the watchdog is writing the timeout error and will _exit
  }

 private:
  void run(long long timeout_ms) {
    constexpr long long kGraceMs = 250;
    std::unique_lock<std::mutex> lock(m_mutex);
    if (m_cv.wait_for(lock, std::chrono::milliseconds(timeout_ms + kGraceMs),
                      [this] { return m_done; })) {
      return;
    }
    int expected = 0;
    if (!m_state.compare_exchange_strong(expected, 2)) return;  // the answer is being written
    const auto r = sitrep::searcher::error_response(
        m_json, ErrorKind::kTimeout,
        "the search did not finish within --timeout-ms " + std::to_string(timeout_ms) +
            " ms; narrow the query or raise the limit");
    const std::string err = "sitrep-search: error: " + r.error + "\n";
    write_all(STDOUT_FILENO, r.out);
    write_all(STDERR_FILENO, err);
    ::_exit(r.exit_status);
  }
  static void write_all(int fd, const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
      const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

  bool m_json;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_done = false;
  std::atomic<int> m_state{0};  // 0 running, 1 answer being written, 2 timed out
  std::thread m_thread;
};

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  const bool json_early = wants_json(argc, argv);
  try {
    CLI::App app{"Search a sitrep database of news articles."};
    app.footer(kFooter);
    sitrep::searcher::Request req;
    app.add_option("--db", req.db, "Database directory")->required();
    app.add_flag("--json", req.json,
                 "Write one JSON object (schemas/search-result.schema.json; errors: "
                 "schemas/search-error.schema.json)");
    app.add_option("-n,--limit", req.limit, "Hits to return (0 to 1000, default 10)");
    app.add_option("--offset", req.offset, "Hits to skip (0 to 100000)");
    app.add_option("--sort", req.sort, "relevance, newest or oldest")
        ->check(CLI::IsMember({"relevance", "newest", "oldest"}));
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
                   "Values to return per facet, most frequent first (1 to 1000, default 10)");
    app.add_option("--timeline", req.timeline, "Count matches per month, week (ISO) or day")
        ->check(CLI::IsMember({"month", "week", "day"}));
    app.add_option("--timeout-ms", req.timeout_ms,
                   "Give up with error \"timeout\" (exit 75) after this many milliseconds (1 to " +
                       std::to_string(sitrep::searcher::kMaxTimeoutMs) + ", default " +
                       std::to_string(sitrep::searcher::kDefaultTimeoutMs) + ")");
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
    std::string explain_id;
    CLI::Option* explain_opt =
        app.add_option(
               "--explain", explain_id,
               "Show which lines of article ID are boilerplate and why, instead of searching")
            ->type_name("ID");
    bool serve = false;
    app.add_flag("--serve", serve,
                 "Answer JSON requests, one a line on stdin, with one JSON line each on stdout "
                 "(schemas/serve-request.schema.json); takes only --db (and --json)");
    app.add_option("query", req.query, "QUERY words");
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
    if (serve) {
      // Only --db, --serve and perhaps --json: each request carries its own options.
      if (app.get_options([](const CLI::Option* o) { return o->count() > 0; }).size() >
          (req.json ? 3U : 2U)) {
        return fail(true, ErrorKind::kUsage, "--serve takes no other option than --db and --json");
      }
      return sitrep::searcher::serve(req.db, STDIN_FILENO, std::cout);
    }
    if (facets_opt->count() > 0) req.facets = facets_text;
    if (collapse) req.collapse = true;
    if (no_collapse) req.collapse = false;
    if (explain_opt->count() > 0) req.explain = explain_id;
    if (!req.json) {
      const char* no_colour = std::getenv("NO_COLOR");
      const bool terminal = ::isatty(STDOUT_FILENO);
      req.colour = terminal && (!no_colour || !*no_colour);
      req.unicode = terminal;
    }
    if (req.timeout_ms < 1 || req.timeout_ms > sitrep::searcher::kMaxTimeoutMs) {
      return emit(sitrep::searcher::handle_request(req));  // reports the bad --timeout-ms
    }
    Watchdog watchdog(req.json, req.timeout_ms);
    const sitrep::searcher::Response r = sitrep::searcher::handle_request(req);
    watchdog.claim_output();
    return emit(r);
  } catch (const std::exception& e) {
    return fail(json_early, ErrorKind::kInternal, std::string("internal error: ") + e.what());
  }
}
