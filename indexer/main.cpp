// sitrep-index: turns news articles (JSON Lines, directories of .json/.txt files) into a sitrep
// Xapian database, and reports on one (`sitrep-index stats`) or backs it up. Thin front end: the
// options in options.cpp, the run and its exit policy in run.cpp, reading in sources.cpp, the
// database work in sitrep::index.

#include <exception>
#include <iostream>

#include "options.hpp"
#include "run.hpp"

#include "sitrep/util/exit_code.hpp"

int main(int argc, char** argv) {
  sitrep::indexer::install_signal_handlers();
  sitrep::indexer::Command cmd;
  try {
    if (const auto status = sitrep::indexer::parse_options(argc, argv, cmd)) return *status;
  } catch (const std::exception& e) {
    std::cerr << "sitrep-index: error: internal error: " << e.what() << '\n';
    return static_cast<int>(sitrep::ExitCode::kSoftware);
  }
  return sitrep::indexer::run_command(cmd);
}
