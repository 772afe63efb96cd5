#include "sitrep/store/xapian_call.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

namespace sitrep::store {

namespace {

// True when Xapian reports errno err as the cause of e.
bool caused_by(const Xapian::Error& e, int err) {
  const char* s = e.get_error_string();
  return s != nullptr && std::strcmp(s, std::strerror(err)) == 0;
}

// "<doing> <db>", or what of it is given.
std::string head(const XapianContext& c) {
  std::string out(c.doing);
  if (!c.db.empty()) {
    if (!out.empty()) out += ' ';
    out += c.db;
  }
  return out;
}

Error busy(const XapianContext& c, int attempts) {
  std::string m = "database " + std::string(c.db) + " changed while it was being read";
  if (attempts > 1) {
    m += " (" + std::to_string(attempts) + " attempts, each overtaken by new commits)";
  }
  return Error(ErrorKind::kBusy, m + "; try again");
}

}  // namespace

namespace {

// The table of xapian_call.hpp, by Xapian::Error::get_type() (Xapian 1.4's exceptions are not
// polymorphic: a caught Xapian::Error& says its class only through get_type()).
struct KindOf {
  const char* type;
  ErrorKind kind;
};
constexpr KindOf kKinds[] = {
    {"DatabaseModifiedError", ErrorKind::kBusy},
    {"DatabaseLockError", ErrorKind::kBusy},
    {"DatabaseNotFoundError", ErrorKind::kNotFound},
    {"DatabaseVersionError", ErrorKind::kSchema},
    {"DatabaseCorruptError", ErrorKind::kIo},
    {"DatabaseOpeningError", ErrorKind::kIo},
    {"DatabaseCreateError", ErrorKind::kIo},
    {"DatabaseError", ErrorKind::kIo},
    {"DocNotFoundError", ErrorKind::kIo},
    {"NetworkError", ErrorKind::kIo},
    {"NetworkTimeoutError", ErrorKind::kIo},
    {"QueryParserError", ErrorKind::kBadQuery},
    {"WildcardError", ErrorKind::kLimit},
    {"FeatureUnavailableError", ErrorKind::kConfig},
    // Everything else, LogicErrors (InvalidArgumentError, InvalidOperationError...),
    // DatabaseClosedError, InternalError, SerialisationError, RangeError: kInternal.
};

bool is(const Xapian::Error& e, const char* type) { return std::strcmp(e.get_type(), type) == 0; }

}  // namespace

ErrorKind xapian_error_kind(const Xapian::Error& e) {
  if (is(e, "DatabaseModifiedError")) return ErrorKind::kBusy;
  if (caused_by(e, EACCES) || caused_by(e, EPERM)) return ErrorKind::kPermission;
  for (const KindOf& k : kKinds) {
    if (is(e, k.type)) return k.kind;
  }
  return ErrorKind::kInternal;
}

Error translate(const Xapian::Error& e, const XapianContext& c) {
  const ErrorKind kind = xapian_error_kind(e);
  const std::string db(c.db);
  switch (kind) {
    case ErrorKind::kBusy:
      if (is(e, "DatabaseModifiedError")) return busy(c, 1);
      return Error(kind, "database " + db + " is busy: another program is writing to it (" +
                             e.get_msg() + ")");
    case ErrorKind::kPermission:
      return Error(kind, "permission denied: " + head(c) + ": " + e.get_msg());
    case ErrorKind::kNotFound:
      return Error(kind, "no sitrep database at " + db);
    case ErrorKind::kBadQuery:
      return Error(kind, head(c) + ": " + e.get_msg());
    case ErrorKind::kLimit:
      return Error(kind, (c.too_many.empty() ? std::string("a wildcard matches too many words; "
                                                           "make it longer")
                                             : std::string(c.too_many)) +
                             ": " + e.get_msg());
    case ErrorKind::kSchema:
      return Error(kind, head(c) + ": " + e.get_description() +
                             " (a database format this Xapian cannot read; rebuild it with "
                             "sitrep-index --rebuild)");
    case ErrorKind::kIo: {
      std::string hint(c.hint);
      if (hint.empty() && is(e, "DatabaseCorruptError")) {
        hint = " (the database is damaged; rebuild it with sitrep-index --rebuild)";
      }
      return Error(kind, head(c) + ": " + e.get_description() + hint);
    }
    default:
      return Error(kind, head(c) + ": " + e.get_description() + std::string(c.hint));
  }
}

void rethrow_translated(const XapianContext& context) {
  try {
    throw;
  } catch (const Xapian::Error& e) {
    throw translate(e, context);
  }
}

namespace detail {

void expect_xapian_error() {
  try {
    throw;
  } catch (const Xapian::Error&) {
  }
}

void before_retry(const XapianContext& context, const RetryPolicy& policy, int attempt) {
  try {
    throw;
  } catch (const Xapian::DatabaseModifiedError&) {
    const std::chrono::milliseconds pause =
        policy.pause ? retry_pause(attempt) : std::chrono::milliseconds(0);
    const bool out_of_time = policy.deadline
                                 ? std::chrono::steady_clock::now() + pause >= *policy.deadline
                                 : attempt >= policy.attempts;
    if (out_of_time) throw busy(context, attempt);
    std::this_thread::sleep_for(pause);
  } catch (const Error& e) {
    // The time ran out while retrying: the writer is the cause, not the read.
    if (e.kind() == ErrorKind::kTimeout && attempt > 1) throw busy(context, attempt);
    throw;
  } catch (const Xapian::Error& e) {
    throw translate(e, context);
  }
}

}  // namespace detail

std::chrono::milliseconds retry_pause(int attempt) {
  // The shift is capped: with a deadline, attempts can run past 31.
  return std::chrono::milliseconds(attempt < 2 ? 0 : std::min(50, 1 << std::min(attempt, 6)));
}

Xapian::Database open_database(const std::string& dir, std::string_view named) {
  return xapian_call({"cannot open database", named}, [&] { return Xapian::Database(dir); });
}

}  // namespace sitrep::store
