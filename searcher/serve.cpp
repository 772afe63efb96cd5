#include "serve.hpp"

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "output.hpp"
#include "request.hpp"
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "sitrep/util/error.hpp"

namespace sitrep::searcher {

namespace {

using nlohmann::json;

// Reads lines from a file descriptor; a line longer than the limit is skipped to its end and
// reported as too long, without being kept in memory.
class LineReader {
 public:
  explicit LineReader(int fd) : m_fd(fd), m_buf(64 * 1024) {}

  enum class Status { kLine, kTooLong, kEnd };

  // The next line (without "\n" or "\r\n") in line.
  Status next(std::string& line) {
    line.clear();
    bool too_long = false;
    bool any = false;
    for (;;) {
      if (m_pos == m_len && !fill()) {
        // End of input: an unterminated last line is still a request.
        if (!any) return Status::kEnd;
        break;
      }
      any = true;
      const char* begin = m_buf.data() + m_pos;
      const auto* nl = static_cast<const char*>(std::memchr(begin, '\n', m_len - m_pos));
      const std::size_t n = nl ? static_cast<std::size_t>(nl - begin) : m_len - m_pos;
      if (!too_long) {
        if (line.size() + n > kMaxRequestBytes + 1) {  // + 1: a '\r' before the newline
          too_long = true;
          line.clear();
        } else {
          line.append(begin, n);
        }
      }
      m_pos += n;
      if (nl) {
        ++m_pos;
        break;
      }
    }
    if (too_long) return Status::kTooLong;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > kMaxRequestBytes) {
      line.clear();
      return Status::kTooLong;
    }
    return Status::kLine;
  }

 private:
  bool fill() {
    for (;;) {
      const ssize_t r = ::read(m_fd, m_buf.data(), m_buf.size());
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return false;  // end of input, or an unreadable input: both end the loop
      m_pos = 0;
      m_len = static_cast<std::size_t>(r);
      return true;
    }
  }

  int m_fd;
  std::vector<char> m_buf;
  std::size_t m_pos = 0, m_len = 0;
};

[[noreturn]] void bad_request(const std::string& message) {
  throw Error(ErrorKind::kUsage, message);
}

// An integer option, range-checked by handle_request like the command line's (a value too large
// for long long is still too large).
long long integer(const json& v, const std::string& key) {
  if (v.is_number_unsigned()) {
    const std::uint64_t u = v.get<std::uint64_t>();
    return u > static_cast<std::uint64_t>(LLONG_MAX) ? LLONG_MAX : static_cast<long long>(u);
  }
  if (v.is_number_integer()) return v.get<std::int64_t>();
  bad_request(key + " must be an integer");
}

const std::string& text(const json& v, const std::string& key) {
  if (!v.is_string()) bad_request(key + " must be a string");
  return v.get_ref<const std::string&>();
}

bool flag(const json& v, const std::string& key) {
  if (!v.is_boolean()) bad_request(key + " must be true or false");
  return v.get<bool>();
}

// The request's "id" as JSON text to echo: a string or an integer of at most kMaxRequestIdBytes
// bytes. Empty when the line has none (or is not a JSON object).
std::string request_id(const json& j) {
  if (!j.is_object()) return {};
  const auto it = j.find("id");
  if (it == j.end() || it->is_null()) return {};
  const bool integer = it->is_number_integer() || it->is_number_unsigned();
  if (!it->is_string() && !integer) bad_request("id must be a string or an integer");
  if ((it->is_string() ? it->get_ref<const std::string&>().size() : it->dump().size()) >
      kMaxRequestIdBytes) {
    bad_request("id must be at most " + std::to_string(kMaxRequestIdBytes) + " bytes");
  }
  // Echoed as the output writes strings: safe to print on a terminal (output.hpp).
  return terminal_safe_json(it->dump(-1, ' ', false, json::error_handler_t::replace));
}

// One request line -> the Request the command line would make of the same options; the values
// are checked by handle_request, exactly as for the command line. Throws Error{kUsage} for a line
// that is not a JSON object, a wrong type or an unknown key.
// id_json: set to the request's id as soon as it is known, so that an error about another key is
// answered with it.
Request parse_request(const std::string& line, const std::string& db, std::string& id_json) {
  if (line.find_first_not_of(" \t") == std::string::npos) bad_request("empty request line");
  const json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) bad_request("the request line is not valid JSON");
  if (!j.is_object()) bad_request("the request must be a JSON object");
  Request req;
  req.db = db;
  req.json = true;
  req.naming = Naming::kKey;
  req.id_json = id_json = request_id(j);
  for (const auto& [key, v] : j.items()) {
    if (key == "id") {
      continue;  // request_id()
    } else if (key == "query") {
      if (!v.is_null()) req.query = {text(v, key)};
    } else if (key == "limit") {
      req.limit = integer(v, key);
    } else if (key == "offset") {
      req.offset = integer(v, key);
    } else if (key == "sort") {
      if (!v.is_null()) req.sort = text(v, key);
    } else if (key == "since") {
      if (!v.is_null()) req.since = text(v, key);
    } else if (key == "until") {
      if (!v.is_null()) req.until = text(v, key);
    } else if (key == "facets") {
      // An array of names; the command line's comma-separated list is what handle_request takes.
      if (v.is_null()) continue;
      if (!v.is_array()) bad_request("facets must be an array of facet names");
      std::string list;
      for (const json& name : v) {
        if (!name.is_string() || name.get_ref<const std::string&>().empty() ||
            name.get_ref<const std::string&>().find(',') != std::string::npos) {
          bad_request(
              "facets must be an array of facet names (person, place, org, source, lang, "
              "year, month, day, default)");
        }
        if (!list.empty()) list += ',';
        list += name.get_ref<const std::string&>();
      }
      if (!list.empty()) req.facets = list;
    } else if (key == "facet_limit") {
      req.facet_limit = integer(v, key);
    } else if (key == "timeline") {
      if (!v.is_null()) req.timeline = text(v, key);
    } else if (key == "include_boilerplate") {
      if (!v.is_null()) req.include_boilerplate = flag(v, key);
    } else if (key == "default_op") {
      if (!v.is_null()) req.default_op = text(v, key);
    } else if (key == "explain") {
      if (!v.is_null()) req.explain = text(v, key);
    } else if (key == "get") {
      if (!v.is_null()) req.get = text(v, key);
    } else if (key == "exact_total") {
      if (!v.is_null()) req.exact = flag(v, key);
    } else if (key == "count") {
      if (!v.is_null()) req.count = flag(v, key);
    } else if (key == "timeline_max") {
      if (!v.is_null()) req.timeline_max = integer(v, key);
    } else if (key == "timeout_ms") {
      req.timeout_ms = integer(v, key);
    } else if (key == "collapse") {
      if (!v.is_null()) req.collapse = flag(v, key);
    } else if (key == "story") {
      if (!v.is_null()) req.story = text(v, key);
    } else {
      std::string message = "unknown key in the request: ";
      message += key;
      bad_request(message);
    }
  }
  return req;
}

// The answer to one request line: one line of JSON; empty when the watchdog has answered it
// already (the request ran past its timeout_ms inside a step that cannot be interrupted). searcher
// is kept open across requests and refreshed before each (a commit, a rebuild's switch); when
// opening fails the request is answered by handle_request's own open, which reports the error.
std::string answer(const std::string& line, const std::string& db,
                   std::unique_ptr<search::Searcher>& searcher, Watchdog& watchdog) {
  Request req;
  std::string id_json;
  try {
    req = parse_request(line, db, id_json);
  } catch (const Error& e) {
    return error_response(true, e.kind(), e.what(), id_json).out;
  }
  watchdog.arm(true, req.timeout_ms, req.id_json);
  try {
    if (searcher) {
      searcher->refresh();
    } else {
      searcher = std::make_unique<search::Searcher>(db);
    }
  } catch (const Error&) {
    searcher.reset();
  }
  std::string out = handle_request(req, searcher.get()).out;
  if (!watchdog.claim_output()) return {};
  return out;
}

}  // namespace

int serve(const std::string& db, int in_fd, std::ostream& out) {
  LineReader reader(in_fd);
  Watchdog watchdog(Watchdog::OnTimeout::kAnswer, Naming::kKey);
  std::unique_ptr<search::Searcher> searcher;
  std::string line;
  for (;;) {
    const LineReader::Status status = reader.next(line);
    if (status == LineReader::Status::kEnd) break;
    if (status == LineReader::Status::kTooLong) {
      out << error_response(
                 true, ErrorKind::kLimit,
                 "request line longer than " + std::to_string(kMaxRequestBytes) + " bytes")
                 .out;
    } else {
      out << answer(line, db, searcher, watchdog);
    }
    out.flush();
    if (!out) return 74;  // nobody reads the answers any more
  }
  return 0;
}

}  // namespace sitrep::searcher
