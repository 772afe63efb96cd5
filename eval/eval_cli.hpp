#pragma once
// The command line of the quality tools (sitrep-eval-entities, sitrep-eval-stories): CLI11, as
// sitrep-index and sitrep-search use it, and the project's exit statuses (util/exit_code.hpp).

#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"

namespace sitrep::eval {

// --split dev|test|all into split (which keeps its default when the option is not given).
inline CLI::Option* add_split_option(CLI::App& app, std::string& split) {
  return app.add_option("--split", split, "Labelled split to score: dev, test or all")
      ->check(CLI::IsMember({"dev", "test", "all"}))
      ->capture_default_str();
}

// An optional threshold from 0 to 1 (a precision, recall or F1) into out.
inline CLI::Option* add_threshold_option(CLI::App& app, const std::string& name,
                                         std::optional<double>& out, const std::string& help) {
  return app
      .add_option_function<double>(
          name, [&out](const double& v) { out = v; }, help)
      ->check(CLI::Range(0.0, 1.0));
}

// Parses the command line into app, then returns run()'s exit status. --help prints the help and
// returns 0; a bad command line, an Error or another exception print "name: message" on stderr
// and return 64, the error kind's status, or 70.
template <class Run>
int eval_main(const char* name, CLI::App& app, int argc, char** argv, Run&& run) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: %s (try --help)\n", name, e.what());
    return static_cast<int>(ExitCode::kUsage);
  }
  try {
    return run();
  } catch (const Error& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return static_cast<int>(exit_code_for(e.kind()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return static_cast<int>(ExitCode::kSoftware);
  }
}

}  // namespace sitrep::eval
