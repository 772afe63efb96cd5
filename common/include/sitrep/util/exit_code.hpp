#pragma once
// Exit statuses of both binaries (sysexits.h values, as notmuch and many Unix tools use them), and
// the one table of what each means for each binary: both --help footers are generated from it
// (exit_status_help) and so are the man pages (help2man reads --help); a test checks that
// README.md's table has a row for every status listed here (tests/e2e/frontends.bats).

#include <cstddef>
#include <string>

#include "sitrep/util/error.hpp"

namespace sitrep {

enum class ExitCode : int {
  kOk = 0,         // indexer: everything indexed; searcher: ran (zero hits included)
  kPartial = 1,    // indexer: committed, but some records were rejected (see stderr/summary)
  kUsage = 64,     // bad option or argument
  kDataErr = 65,   // indexer: no record could be read; searcher: bad query or over a limit
  kNoInput = 66,   // a source or the database does not exist
  kSoftware = 70,  // internal error (a bug)
  kIoErr = 74,     // read or write failed
  kTempFail = 75,  // database locked by another indexer, changed during the read, or timed out
  kNoPerm = 77,    // permission denied on a source or the database
  kConfig = 78,    // schema version mismatch or bad configuration
  kSigint = 130,   // indexer: stopped by SIGINT (128 + the signal)
  kSigterm = 143,  // indexer: stopped by SIGTERM
};

// The binaries, as a set in ExitStatusRow::programs.
enum Program : unsigned { kIndexProgram = 1, kSearchProgram = 2 };

// One row of the table: what a status means for the binaries named in programs.
struct ExitStatusRow {
  ExitCode code;
  const char* name;  // sysexits.h name, or the signal
  unsigned programs;
  const char* meaning;  // one paragraph; wrapped when printed
};

inline constexpr ExitStatusRow kExitStatuses[] = {
    {ExitCode::kOk, "EX_OK", kIndexProgram, "every record was indexed"},
    {ExitCode::kOk, "EX_OK", kSearchProgram, "the search ran (zero hits included)"},
    {ExitCode::kPartial, "partial", kIndexProgram,
     "indexed, but some records or files were rejected, a SOURCE was missing (the others are "
     "indexed), a SOURCE could not be read to its end (an unreadable file or directory, a read "
     "error, a truncated .gz: the records read are committed, nothing is pruned), some --delete "
     "ids were not there, or the facet column could not be written (searches still work, slower "
     "with --facets) (each reported on stderr)"},
    {ExitCode::kUsage, "EX_USAGE", kIndexProgram,
     "bad option or argument (also --db naming a regular file)"},
    {ExitCode::kUsage, "EX_USAGE", kSearchProgram, "bad option or argument"},
    {ExitCode::kDataErr, "EX_DATAERR", kIndexProgram,
     "nothing could be indexed: every record was rejected"},
    {ExitCode::kDataErr, "EX_DATAERR", kSearchProgram,
     "bad query (query_syntax: syntax, empty, invalid UTF-8, bad date), or a request over a "
     "limit (limit_exceeded: query over 4096 bytes, a number over the maximum its option gives, "
     "wildcard matching over 1000 words, ...)"},
    {ExitCode::kNoInput, "EX_NOINPUT", kIndexProgram,
     "no SOURCE exists (nothing is created); --rebuild with a SOURCE missing or a directory "
     "SOURCE with no file to index (the live database is unchanged); --prune left a directory "
     "SOURCE alone because it has no file to index or every file indexed from it is gone (an "
     "unmounted share?): the rest is committed, --force prunes it; stats: no database"},
    {ExitCode::kNoInput, "EX_NOINPUT", kSearchProgram,
     "the database does not exist, or no article has the id given to --get, --explain or --story"},
    {ExitCode::kSoftware, "EX_SOFTWARE", kIndexProgram | kSearchProgram, "internal error"},
    {ExitCode::kIoErr, "EX_IOERR", kIndexProgram,
     "reading or writing the database failed; --rebuild: a SOURCE could not be read to its end, "
     "so the rebuild is abandoned and the live database is unchanged; or --stats-json could not "
     "be written (the previous file is kept)"},
    {ExitCode::kIoErr, "EX_IOERR", kSearchProgram, "reading the database failed"},
    {ExitCode::kTempFail, "EX_TEMPFAIL", kIndexProgram,
     "the database is busy: another sitrep-index held the lock for longer than --wait"},
    {ExitCode::kTempFail, "EX_TEMPFAIL", kSearchProgram,
     "the database kept changing during the search: reads overtaken by an indexer's commits "
     "were retried until --timeout-ms ran out (db_busy); or the search ran past --timeout-ms "
     "(timeout): try again, or narrow the query"},
    {ExitCode::kNoPerm, "EX_NOPERM", kIndexProgram | kSearchProgram,
     "permission denied on the database"},
    {ExitCode::kConfig, "EX_CONFIG", kIndexProgram,
     "the database was built by an incompatible sitrep version (use --rebuild), or an --entities "
     "file has bad lines (each reported as FILE:LINE; nothing is indexed then)"},
    {ExitCode::kConfig, "EX_CONFIG", kSearchProgram,
     "the database was built by an incompatible sitrep version"},
    {ExitCode::kSigint, "SIGINT", kIndexProgram,
     "stopped by SIGINT: what was read before is committed (a --rebuild is abandoned), and "
     "running the same command again finishes the job"},
    {ExitCode::kSigterm, "SIGTERM", kIndexProgram, "stopped by SIGTERM, as SIGINT"},
};

// "Exit status:" and the rows of kExitStatuses for program, one a paragraph, wrapped to width
// columns: a --help footer.
inline std::string exit_status_help(Program program, std::size_t width = 94) {
  constexpr std::size_t kIndent = 6;  // "  NNN "
  std::string out = "Exit status:";
  for (const ExitStatusRow& row : kExitStatuses) {
    if ((row.programs & program) == 0) continue;
    std::string line = "  " + std::to_string(static_cast<int>(row.code));
    line.resize(kIndent, ' ');
    std::string word;
    bool first = true;
    const std::string meaning = std::string(row.meaning) + ' ';
    for (char c : meaning) {
      if (c != ' ') {
        word += c;
        continue;
      }
      if (word.empty()) continue;
      if (!first && line.size() + 1 + word.size() > width) {
        out += '\n' + line;
        line.assign(kIndent, ' ');
        first = true;
      }
      if (!first) line += ' ';
      line += word;
      first = false;
      word.clear();
    }
    out += '\n' + line;
  }
  return out;
}

// The exit status for an error of the given kind.
constexpr ExitCode exit_code_for(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::kUsage:
      return ExitCode::kUsage;
    case ErrorKind::kBadInput:
      return ExitCode::kDataErr;
    case ErrorKind::kBadQuery:
      return ExitCode::kDataErr;
    case ErrorKind::kNotFound:
      return ExitCode::kNoInput;
    case ErrorKind::kIo:
      return ExitCode::kIoErr;
    case ErrorKind::kBusy:
      return ExitCode::kTempFail;
    case ErrorKind::kSchema:
      return ExitCode::kConfig;
    case ErrorKind::kConfig:
      return ExitCode::kConfig;
    case ErrorKind::kInternal:
      return ExitCode::kSoftware;
    case ErrorKind::kTimeout:
      return ExitCode::kTempFail;
    case ErrorKind::kLimit:
      return ExitCode::kDataErr;
    case ErrorKind::kPermission:
      return ExitCode::kNoPerm;
    case ErrorKind::kNoSuchArticle:
      return ExitCode::kNoInput;
  }
  return ExitCode::kSoftware;
}

// Stable machine-readable name of an error kind, used as "code" in JSON error objects.
constexpr const char* error_code_name(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::kUsage:
      return "usage";
    case ErrorKind::kBadInput:
      return "bad_input";
    case ErrorKind::kBadQuery:
      return "query_syntax";
    case ErrorKind::kNotFound:
      return "db_missing";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kBusy:
      return "db_busy";
    case ErrorKind::kSchema:
      return "schema_mismatch";
    case ErrorKind::kConfig:
      return "config";
    case ErrorKind::kInternal:
      return "internal";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kLimit:
      return "limit_exceeded";
    case ErrorKind::kPermission:
      return "permission";
    case ErrorKind::kNoSuchArticle:
      return "not_found";
  }
  return "internal";
}

}  // namespace sitrep
