#pragma once
// The one exception type the sitrep library throws. The command-line front ends map its kind to an
// exit status (sitrep/util/exit_code.hpp) and print it; the library itself never prints or exits.

#include <stdexcept>
#include <string>
#include <utility>

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
  kTimeout,     // the work did not finish within its time limit (setting timeout_ms)
  kLimit,       // a well-formed request over a documented maximum (query length, limit, wildcard)
  kPermission,  // a file or database that exists but may not be read or written by this user
  kNoSuchArticle,  // an article or story id that is not in the database (--get, --explain, --story)
};

// An error about one setting of a request (a search's limit, its facets...) names it neutrally:
// setting() is its name ("limit", "facet_limit", "since"), and the message names it the same way,
// once ("limit must be between 0 and 1000 (got 5000)"). A front end phrases it in its own
// vocabulary by putting its name for the setting in that place (sitrep-search: "--limit must be
// ...", its --serve mode: "\"limit\" must be ..."); see phrase().
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, std::string setting = {})
      : std::runtime_error(message), m_kind(kind), m_setting(std::move(setting)) {}
  ErrorKind kind() const noexcept { return m_kind; }
  // The setting the error is about; empty when it is about none.
  const std::string& setting() const noexcept { return m_setting; }

 private:
  ErrorKind m_kind;
  std::string m_setting;
};

// e's message with its first mention of e.setting() (as a whole word: not inside a longer name)
// replaced by name, the front end's word for that setting; the message as it is when the error
// names no setting or does not mention it.
inline std::string phrase(const Error& e, const std::string& name) {
  std::string message = e.what();
  const std::string& setting = e.setting();
  if (setting.empty()) return message;
  const auto part_of_name = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  };
  for (std::size_t at = message.find(setting); at != std::string::npos;
       at = message.find(setting, at + 1)) {
    const std::size_t end = at + setting.size();
    if ((at > 0 && part_of_name(message[at - 1])) ||
        (end < message.size() && part_of_name(message[end]))) {
      continue;
    }
    return message.replace(at, setting.size(), name);
  }
  return message;
}

}  // namespace sitrep
