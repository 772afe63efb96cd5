#pragma once
// Runs what sitrep-search's command line asks for: --version, --serve, or one search (or
// --explain), writing the answer on standard output and an error line on standard error.

#include <string>

#include "options.hpp"

#include "sitrep/util/error.hpp"

namespace sitrep::searcher {

// Returns the exit status.
int run(Options& opts);

// Reports an error ("sitrep-search: error: MESSAGE" on stderr; under json also the JSON error
// object on stdout) and returns its exit status.
int fail(bool json, ErrorKind kind, const std::string& message);

}  // namespace sitrep::searcher
