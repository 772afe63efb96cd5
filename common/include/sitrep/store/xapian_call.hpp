#pragma once
// The one place where Xapian's exceptions become sitrep::Error, and the one reopen-and-retry.
//
// Code outside store/ never catches a Xapian exception: it runs its calls into Xapian through
// xapian_call() (errors translated), xapian_ok() (a failure means "not there"), retrying() (a read
// that a writer's commits may overtake) or open_database(). The kind of Error each exception
// becomes (xapian_error_kind(); the first row that matches):
//
//   Xapian exception                                   ErrorKind     exit
//   DatabaseModifiedError                              kBusy         75  (retrying(): reopened
//                                                                        and retried first)
//   any with errno EACCES or EPERM                     kPermission   77
//   DatabaseLockError                                  kBusy         75
//   DatabaseNotFoundError                              kNotFound     66
//   DatabaseVersionError                               kSchema       78
//   DatabaseCorruptError, DatabaseOpeningError,        kIo           74
//     DatabaseCreateError, DatabaseError (disk full,
//     I/O), DocNotFoundError, NetworkError
//   QueryParserError                                   kBadQuery     65
//   WildcardError                                      kLimit        65
//   FeatureUnavailableError                            kConfig       78
//   InvalidArgumentError, InvalidOperationError,       kInternal     70  (sitrep asked Xapian
//     UnimplementedError, AssertionError,                                 for something wrong)
//     DatabaseClosedError, InternalError,
//     SerialisationError, RangeError, others
//
// Messages name what was being done and the database as the user named it (XapianContext).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

#include "sitrep/util/error.hpp"

namespace sitrep::store {

// What a call into Xapian was doing, for the message of the Error a failure becomes:
// "<doing> <db>: <Xapian's description><hint>" ("cannot open database /srv/news: ...",
// "searching /srv/news: ..."). Some kinds have messages of their own: "no sitrep database at
// <db>", "database <db> is busy: ...", "permission denied: <doing> <db>: ...". Views: the strings
// must outlive the call (they are read only when it fails).
struct XapianContext {
  std::string_view doing;  // "cannot open database", "searching", "writing", "reading"
  std::string_view db;     // the database as the user named it; may be empty
  // Ends the "<doing> <db>: <description>" messages (kIo, kInternal, kConfig): what to do, what
  // was left, e.g. " (if it is damaged, rebuild it with --rebuild)".
  std::string_view hint = {};
  // Starts kLimit messages (a wildcard that expands to more words than Query::set_max_expansion
  // allows), followed by ": <Xapian's message>". Empty: "a wildcard matches too many words; make
  // it longer".
  std::string_view too_many = {};
};

// The kind of Error that e becomes (the table above).
ErrorKind xapian_error_kind(const Xapian::Error& e);

// The Error that e becomes.
Error translate(const Xapian::Error& e, const XapianContext& context);

// Call only inside a catch block: rethrows the exception being handled, as translate() makes it
// when it is a Xapian::Error, unchanged otherwise.
[[noreturn]] void rethrow_translated(const XapianContext& context);

// Returns call(); a Xapian::Error it throws is thrown translated.
template <class Call>
auto xapian_call(const XapianContext& context, Call&& call) -> decltype(call()) {
  try {
    return call();
  } catch (...) {
    rethrow_translated(context);
  }
}

// How retrying() retries.
struct RetryPolicy {
  // Without a deadline: runs of read() at most.
  int attempts = 10;
  // With one: read() runs again for as long as the pause before the next attempt ends before it.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Pauses 0, 4, 8, 16, 32, then 50 ms before the first, second... retry (false: none).
  bool pause = true;
};

namespace detail {
// Call only inside a catch block: returns when the exception being handled is a Xapian::Error,
// rethrows it otherwise.
void expect_xapian_error();
// Call only inside a catch block, for attempt (from 1) of retrying(): returns, after the pause,
// when the exception is a DatabaseModifiedError and the policy allows another attempt. Throws
// otherwise: Error{kBusy} when it allows none (and for an Error{kTimeout} after a retry), a
// Xapian::Error translated, any other exception unchanged.
void before_retry(const XapianContext& context, const RetryPolicy& policy, int attempt);
}  // namespace detail

// Runs call(); true when it threw no Xapian::Error, false when it threw one (caught and dropped:
// for caches and best-effort reads, where a failure means "not there" or "not usable"). Other
// exceptions propagate.
template <class Call>
bool xapian_ok(Call&& call) {
  try {
    call();
    return true;
  } catch (...) {
    detail::expect_xapian_error();
    return false;
  }
}

// Returns read(), which reads a database. A writer that commits twice while read() runs makes
// Xapian throw DatabaseModifiedError (glass keeps the blocks of the previous revision, not older
// ones): then reopen() brings the database to its latest revision and read() runs again, as the
// policy allows. Throws Error{kBusy} ("database <db> changed while it was being read (N attempts,
// ...)") when it allows no more, also when read() throws Error{kTimeout} after a retry (the
// writer is the cause, not the read); other Xapian errors translated.
template <class Read, class Reopen>
auto retrying(const XapianContext& context, const RetryPolicy& policy, Read&& read, Reopen&& reopen)
    -> decltype(read()) {
  for (int attempt = 1;; ++attempt) {
    try {
      return read();
    } catch (...) {
      detail::before_retry(context, policy, attempt);
    }
    xapian_call(context, reopen);
  }
}

// The pause before retry number `attempt` (from 1) of retrying(): 0, 4, 8, 16, 32, then 50 ms.
std::chrono::milliseconds retry_pause(int attempt);

// Opens the database in dir (a directory resolve_database() returned) for reading; errors
// translated with "cannot open database <named>".
Xapian::Database open_database(const std::string& dir, std::string_view named);

}  // namespace sitrep::store
