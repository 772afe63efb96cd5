#pragma once
// The command line of sitrep-search: its options (CLI11), their help text (generated from the
// library's defaults and limits, search/limits.hpp, and its exit-status table,
// util/exit_code.hpp) and their parsing into a Request.

#include <optional>
#include <string>

#include "request.hpp"

namespace sitrep::searcher {

// What the command line asks for.
struct Options {
  Request request;  // the search (colour and unicode still to be decided: run.cpp)
  bool serve = false;
  bool version = false;
  std::string colour = "auto";  // --color: auto, always or never
};

// Whether --json comes before any "--": a usage error is then written as a JSON error object too.
bool wants_json(int argc, char** argv);

// Parses argv into opts. Returns the exit status when the process is to end at once (--help was
// printed: 0; a usage error was reported: 64), nothing when opts is to be run.
std::optional<int> parse_options(int argc, char** argv, Options& opts);

}  // namespace sitrep::searcher
