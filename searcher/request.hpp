#pragma once
// One search request, as the command line gives it, and its handling: validation, the search and
// the text or JSON that answers it. main.cpp parses argv into a Request; a long-lived front end
// (--serve) can build Requests itself and get exactly the same validation, output and errors.
// This interface is stable: other code calls it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sitrep/search/limits.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"

namespace sitrep::searcher {

// --timeout-ms: default and accepted range (milliseconds): search/limits.hpp.
inline constexpr long long kDefaultTimeoutMs = search::setting::kTimeoutMs.fallback;
inline constexpr long long kMaxTimeoutMs = search::setting::kTimeoutMs.max;

// How a front end names the settings of a request in its messages: the command line's options
// ("--facet-limit") or the --serve request's JSON keys ("\"facet_limit\"").
enum class Naming { kOption, kKey };

// The front end's name for a setting named neutrally (Error::setting(), search/limits.hpp).
std::string setting_name(const std::string& setting, Naming naming);

// The message of e in the front end's vocabulary (util/error.hpp: phrase()).
std::string phrase(const Error& e, Naming naming);

// --timeline-max: the most periods a timeline may have (0, the default: no limit, except for
// --timeline auto, which the library bounds by 60).
inline constexpr Setting<long long> kTimelineMax{"timeline_max", 0, 2, 1000};

// A --serve request's "id": a string or an integer, at most this many bytes (as JSON text).
inline constexpr std::size_t kMaxRequestIdBytes = 200;

// The command-line options of sitrep-search, unvalidated (handle_request validates them). The
// numbers' defaults and ranges are those of search/limits.hpp.
struct Request {
  std::string db;                                      // --db (required)
  std::vector<std::string> query;                      // the QUERY words; joined with single spaces
  bool json = false;                                   // --json
  Naming naming = Naming::kOption;                     // how error messages name the settings below
  long long limit = search::setting::kLimit.fallback;  // --limit
  long long offset = search::setting::kOffset.fallback;  // --offset
  std::string sort;  // --sort: relevance, newest or oldest; empty: relevance (oldest with story)
  std::string since, until;           // --since, --until: YYYY[-MM[-DD]]; empty = unbounded
  std::optional<std::string> facets;  // --facets: unset = none; "" or "default" = default list
  long long facet_limit = search::setting::kFacetLimit.fallback;  // --facet-limit
  std::string timeline;        // --timeline: "", day, week, month, quarter, year or auto
  long long timeline_max = 0;  // --timeline-max: 0 = unset, else kTimelineMax's range
  long long timeout_ms = kDefaultTimeoutMs;  // --timeout-ms
  // --collapse / --no-collapse: one hit per story. Unset: collapsed in text (a reader wants one
  // line per story), not in JSON (a program gets every article unless it asks).
  std::optional<bool> collapse;
  std::string story;  // --story ID: the articles of one story (oldest first by default)
  bool include_boilerplate = false;  // --include-boilerplate: boilerplate lines match too
  // --default-op: how juxtaposed words combine: auto (the default), and, or (search/ranking.hpp).
  std::string default_op;
  std::optional<std::string> explain;  // --explain ID: the article's suppressed lines, no search
  std::optional<std::string> get;      // --get ID: one stored article, no search
  bool exact = false;                  // --exact: count every match exactly (exact_total)
  bool count = false;                  // --count: only the exact counts (limit 0)
  // --serve: the request's "id" as JSON text, echoed as the answer's top-level "id"; empty: none.
  std::string id_json;
  // Text output only: ANSI colours (--color), and Unicode block elements for the timeline's bars.
  bool colour = false;
  bool unicode = false;
};

struct Response {
  // What goes to standard output: the result (text, or one JSON object and a newline), or under
  // json the error object. Empty for an error without json.
  std::string out;
  // For an error: the message for standard error (without the "sitrep-search: error: " prefix).
  std::string error;
  int exit_status = 0;  // 0, or exit_code_for(kind) of the error
};

// Validates the request, runs the search within request.timeout_ms (counted from the call) and
// returns the output. Never throws: every failure is an error Response.
// open: a Searcher already open on request.db (--serve keeps one); nullptr opens one for this
// request.
Response handle_request(const Request& request, search::Searcher* open = nullptr);

// The Response for an error of the given kind (the JSON error object when json is true, with the
// top-level "id" id_json when that is not empty). The message is made safe for a terminal
// (output.hpp: printable), since it may quote the query.
Response error_response(bool json, ErrorKind kind, const std::string& message,
                        const std::string& id_json = {});

// A backstop for the time limit. The search checks its deadline itself (while matching, counting,
// reading hits and making snippets), but a single step inside Xapian (one long phrase scan, say)
// cannot be interrupted; so if a request's answer is not ready kGraceMs after its deadline, this
// thread writes the timeout error itself, on standard output (the JSON error object under json)
// and, in one-shot mode, the error line on standard error. Whoever claims the output first writes
// the answer. One thread watches one request at a time.
class Watchdog {
 public:
  static constexpr long long kGraceMs = 250;
  enum class OnTimeout {
    kExit,    // one-shot: after writing the timeout error, end the process (_exit, status 75)
    kAnswer,  // --serve: write the timeout answer line and go on; the late answer is dropped
  };
  // naming: how the time limit is named in the message ("--timeout-ms", "\"timeout_ms\"").
  Watchdog(OnTimeout mode, Naming naming);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Starts watching a request that has timeout_ms from now (a value outside 1..kMaxTimeoutMs is
  // not watched: handle_request refuses it at once). id_json: the request's id, echoed in the
  // timeout answer (Request::id_json).
  void arm(bool json, long long timeout_ms, const std::string& id_json = {});
  // The request's answer is ready. True: the caller writes it (and the watchdog stands down).
  // False (kAnswer only): the watchdog has answered the request already; drop the late answer.
  // With kExit it never returns false (the watchdog is ending the process).
  bool claim_output();

 private:
  void run();

  const OnTimeout m_mode;
  const std::string m_option;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_stop = false;
  bool m_armed = false;
  bool m_json = false;
  std::string m_id_json;
  long long m_timeout_ms = 0;
  unsigned m_request = 0;  // counts arm() calls
  std::chrono::steady_clock::time_point m_deadline;
  std::atomic<int> m_state{0};  // 0 running, 1 answer being written, 2 timed out
  std::thread m_thread;         // last: started once the members above exist
};

}  // namespace sitrep::searcher
