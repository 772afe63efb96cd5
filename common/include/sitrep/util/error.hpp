#pragma once
// The one exception type the sitrep library throws. The command-line front ends map its kind to an
// exit status (sitrep/util/exit_code.hpp) and print it; the library itself never prints or exits.

#include <stdexcept>
#include <string>

namespace sitrep {

enum class ErrorKind {
  kUsage,       // a bad argument or option value
  kBadInput,    // input data that cannot be read as a whole
  kNotFound,    // a file or database that does not exist
  kBadQuery,    // a query that cannot be parsed
  kIo,          // a read or write that failed
  kBusy,        // the database is locked by another writer, or changed under a reader
  kSchema,      // a database built by an incompatible sitrep
  kConfig,      // bad configuration, e.g. ICU data missing
  kInternal,    // a bug
  kTimeout,     // the work did not finish within its time limit (sitrep-search --timeout-ms)
  kLimit,       // a well-formed request over a documented maximum (query length, --limit, wildcard)
  kPermission,  // a file or database that exists but may not be read or written by this user
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
  ErrorKind kind() const noexcept { return m_kind; }

 private:
  ErrorKind m_kind;
};

}  // namespace sitrep
