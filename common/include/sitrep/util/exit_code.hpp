#pragma once
// Exit statuses of both binaries (sysexits.h values, as notmuch and many Unix tools use them).
// README.md and each binary's --help document the same table; keep the three in step.

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
};

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
  }
  return "internal";
}

}  // namespace sitrep
