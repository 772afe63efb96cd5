#pragma once
// One search request, as the command line gives it, and its handling: validation, the search and
// the text or JSON that answers it. main.cpp parses argv into a Request; a long-lived front end
// (--serve) can build Requests itself and get exactly the same validation, output and errors.
// This interface is stable: other code calls it.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"

namespace sitrep::searcher {

// --timeout-ms: default and accepted range (milliseconds).
inline constexpr long long kDefaultTimeoutMs = 2000;
inline constexpr long long kMaxTimeoutMs = 60000;

// The command-line options of sitrep-search, unvalidated (handle_request validates them).
struct Request {
  std::string db;                  // --db (required)
  std::vector<std::string> query;  // the QUERY words; joined with single spaces
  bool json = false;               // --json
  long long limit = 10;            // --limit, 0 to search::kMaxLimit
  long long offset = 0;            // --offset, 0 to search::kMaxOffset
  std::string sort;  // --sort: relevance, newest or oldest; empty: relevance (oldest with story)
  std::string since, until;           // --since, --until: YYYY[-MM[-DD]]; empty = unbounded
  std::optional<std::string> facets;  // --facets: unset = none; "" or "default" = default list
  long long facet_limit = 10;         // --facet-limit, 1 to search::kMaxFacetLimit
  std::string timeline;               // --timeline: "", month, week or day
  long long timeout_ms = kDefaultTimeoutMs;  // --timeout-ms, 1 to kMaxTimeoutMs
  // --collapse / --no-collapse: one hit per story. Unset: collapsed in text (a reader wants one
  // line per story), not in JSON (a program gets every article unless it asks).
  std::optional<bool> collapse;
  std::string story;  // --story ID: the articles of one story (oldest first by default)
  bool include_boilerplate = false;    // --include-boilerplate: boilerplate lines match too
  std::optional<std::string> explain;  // --explain ID: the article's suppressed lines, no search
  // Text output only: ANSI colours, and Unicode block elements for the timeline's bars.
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

// The Response for an error of the given kind (the JSON error object when json is true).
Response error_response(bool json, ErrorKind kind, const std::string& message);

}  // namespace sitrep::searcher
