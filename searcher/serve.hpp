#pragma once
// `sitrep-search --serve`: one long-lived process answering many searches, for frontends that keep
// it alive instead of paying the process start per request.
//
// Reads one JSON request per line from in_fd (schemas/serve-request.schema.json) and writes one
// JSON line per request to out: the same result or error object `sitrep-search --json` prints for
// the same options, flushed at once. Every line read gets exactly one response, in order; a
// malformed line (not JSON, wrong types, unknown keys, longer than kMaxRequestBytes, empty) gets
// an error object and the loop goes on. End of input ends the loop.
//
// Each request is handled by handle_request (request.hpp), exactly as a one-shot search with the
// same options: the same validation, limits, time limit, output and errors. Like the one-shot
// search, a Watchdog backs the time limit: when a step that cannot be interrupted keeps a request
// Watchdog::kGraceMs past its timeout_ms, the watchdog writes the request's timeout error line on
// standard output (the out of a real run: file descriptor 1) at that moment, the late answer is
// dropped when it comes, and the loop goes on with the next line. It opens the database
// the path names at that moment, so a rebuild or a commit is seen by the next request. Nothing is
// written to stderr per request, so a frontend that never reads stderr cannot block the loop.

#include <ostream>
#include <string>

namespace sitrep::searcher {

// A request line longer than this (without its newline) is rejected unread.
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;

// Runs the loop until end of input; returns the exit status: 0 at end of input, 74 when out
// cannot be written any more (the reader went away).
int serve(const std::string& db, int in_fd, std::ostream& out);

}  // namespace sitrep::searcher
