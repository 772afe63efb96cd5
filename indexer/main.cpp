// sitrep-index: turns news articles (JSON Lines, directories of .json/.txt files) into a sitrep
// Xapian database. Thin front end: options here, the work in sources.cpp and sitrep::index.

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "sources.hpp"
#include <CLI/CLI.hpp>
#include <unistd.h>

#include "sitrep/index/index_writer.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"

namespace {

using sitrep::ExitCode;

constexpr const char* kExitStatuses = R"(Exit status:
  0   every record was indexed
  1   indexed, but some records or files were rejected (each reported on stderr)
  64  bad option or argument
  65  nothing could be indexed: every record was rejected
  66  no SOURCE exists (when only some are missing, the others are indexed: 1)
  70  internal error
  74  writing the database failed
  75  the database is locked by another sitrep-index
  78  the database was built by an incompatible sitrep version)";

int fail(ExitCode code, const std::string& message) {
  std::cerr << "sitrep-index: error: " << message << '\n';
  return static_cast<int>(code);
}

struct Options {
  std::string db;
  std::vector<std::string> sources;
  unsigned threads = 0;
};

int run(const Options& opts) {
  const auto start = std::chrono::steady_clock::now();
  sitrep::index::IndexWriter writer(opts.db, {opts.threads});
  std::size_t read = 0, rejected = 0, warnings = 0, missing = 0;
  sitrep::indexer::SourceCallbacks cb;
  cb.record = [&](sitrep::schema::Article&& a, const sitrep::indexer::Origin&) {
    ++read;
    writer.add(std::move(a));
  };
  cb.reject = [&](const sitrep::indexer::Origin& o, const std::string& msg) {
    ++rejected;
    std::cerr << "sitrep-index: error: " << o.str() << ": " << msg << " (skipped)\n";
  };
  cb.warn = [&](const sitrep::indexer::Origin& o, const std::string& msg) {
    ++warnings;
    std::cerr << "sitrep-index: warning: " << o.str() << ": " << msg << '\n';
  };
  for (const std::string& source : opts.sources) {
    try {
      sitrep::indexer::read_source(source, cb);
    } catch (const sitrep::Error& e) {
      if (e.kind() != sitrep::ErrorKind::kNotFound) throw;
      ++missing;
      std::cerr << "sitrep-index: error: " << e.what() << '\n';
    }
  }
  const sitrep::index::IndexCounts counts = writer.finish();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "sitrep-index: %zu records read: %zu added, %zu updated, %zu unchanged, %zu rejected, %zu "
      "warnings in %.2f s (%.0f records/s) into %s\n",
      read, counts.added, counts.updated, counts.unchanged, rejected, warnings, secs,
      secs > 0 ? static_cast<double>(read) / secs : 0.0, opts.db.c_str());
  std::fflush(stdout);
  if (missing == opts.sources.size()) return static_cast<int>(ExitCode::kNoInput);
  if (read == 0 && rejected > 0) return static_cast<int>(ExitCode::kDataErr);
  if (rejected > 0 || missing > 0) return static_cast<int>(ExitCode::kPartial);
  return static_cast<int>(ExitCode::kOk);
}

}  // namespace

int main(int argc, char** argv) try {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{
      "Index news articles into a sitrep database.\n\nSOURCE is a JSON Lines file (.jsonl, "
      "or gzip-compressed .jsonl.gz), '-' for JSON Lines on standard input, or a "
      "directory walked recursively for .jsonl, .jsonl.gz, .json (one record) and .txt "
      "files (first non-empty line is the title, the rest the body)."};
  app.footer(kExitStatuses);
  Options opts;
  app.add_option("--db", opts.db, "Database directory (created if missing)")->required();
  app.add_option("-j,--threads", opts.threads, "Analysis threads (default: one per core)")
      ->check(CLI::Range(0u, 256u));
  app.add_option("sources", opts.sources, "SOURCE files or directories, or - for stdin")
      ->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }
  return run(opts);
} catch (const sitrep::Error& e) {
  return fail(sitrep::exit_code_for(e.kind()), e.what());
} catch (const std::exception& e) {
  return fail(ExitCode::kSoftware, std::string("internal error: ") + e.what());
}
