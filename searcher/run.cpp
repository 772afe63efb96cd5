#include "run.hpp"

#include <cstdlib>
#include <iostream>

#include "serve.hpp"
#include <unistd.h>

#include "sitrep/schema/fields.hpp"
#include "sitrep/util/version.hpp"

namespace sitrep::searcher {

namespace {

// Writes a response: stdout, then the error line on stderr. Returns the exit status.
int emit(const Response& r) {
  if (!r.out.empty()) {
    std::cout << r.out;
    std::cout.flush();
  }
  if (r.exit_status != 0) std::cerr << "sitrep-search: error: " << r.error << '\n';
  return r.exit_status;
}

}  // namespace

int fail(bool json, ErrorKind kind, const std::string& message) {
  return emit(error_response(json, kind, message));
}

int run(Options& opts) {
  Request& req = opts.request;
  if (opts.version) {
    std::cout << version_text("sitrep-search", schema::kSchemaVersion);
    return 0;
  }
  if (opts.serve) {
    if (req.db.empty()) return fail(true, ErrorKind::kUsage, "--db is required (or SITREP_DB)");
    return serve(req.db, STDIN_FILENO, std::cout);
  }
  if (!req.json) {
    // --color=auto: on a terminal unless NO_COLOR is set (https://no-color.org); always and
    // never override both.
    const char* no_colour = std::getenv("NO_COLOR");
    const bool terminal = ::isatty(STDOUT_FILENO);
    req.colour = opts.colour == "always" ||
                 (opts.colour == "auto" && terminal && (!no_colour || !*no_colour));
    req.unicode = terminal;
  }
  Watchdog watchdog(Watchdog::OnTimeout::kExit, Naming::kOption);
  watchdog.arm(req.json, req.timeout_ms);  // a bad --timeout-ms is reported, not watched
  const Response r = handle_request(req);
  watchdog.claim_output();
  return emit(r);
}

}  // namespace sitrep::searcher
