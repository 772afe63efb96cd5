// sitrep-search: ranked boolean and phrase search over a sitrep database, as readable text or
// JSON. Thin front end: the options in options.cpp, what they ask for in run.cpp (the one-shot
// search, --serve in serve.cpp), the search in sitrep::search, writing in output.cpp.

#include <csignal>
#include <exception>
#include <string>

#include "options.hpp"
#include "run.hpp"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  const bool json = sitrep::searcher::wants_json(argc, argv);
  try {
    sitrep::searcher::Options opts;
    if (const auto status = sitrep::searcher::parse_options(argc, argv, opts)) return *status;
    return sitrep::searcher::run(opts);
  } catch (const std::exception& e) {
    return sitrep::searcher::fail(json, sitrep::ErrorKind::kInternal,
                                  std::string("internal error: ") + e.what());
  }
}
