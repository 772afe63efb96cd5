#include "request.hpp"

#include <algorithm>
#include <cerrno>
#include <exception>
#include <optional>
#include <sstream>

#include "output.hpp"
#include <unistd.h>

#include "sitrep/search/searcher.hpp"
#include "sitrep/util/exit_code.hpp"

namespace sitrep::searcher {

namespace {

search::SearchRequest to_search_request(const Request& r) {
  // Checked here, before the conversion to the library's unsigned numbers, so that a negative
  // value is reported as it was given; Searcher::search checks them too.
  check_setting(search::setting::kLimit, r.limit);
  check_setting(search::setting::kOffset, r.offset);
  check_setting(search::setting::kFacetLimit, r.facet_limit);
  check_setting(search::setting::kTimeoutMs, r.timeout_ms);
  search::SearchRequest req;
  if (r.sort.empty()) {
    req.sort = r.story.empty() ? search::SortOrder::kRelevance : search::SortOrder::kOldest;
  } else if (r.sort == "newest") {
    req.sort = search::SortOrder::kNewest;
  } else if (r.sort == "oldest") {
    req.sort = search::SortOrder::kOldest;
  } else if (r.sort == "relevance") {
    req.sort = search::SortOrder::kRelevance;
  } else {
    throw Error(ErrorKind::kUsage, "sort must be relevance, newest or oldest", "sort");
  }
  if (!r.timeline.empty()) {
    req.timeline = search::parse_interval(r.timeline);
    if (!req.timeline) {
      throw Error(ErrorKind::kUsage, "timeline must be day, week, month, quarter, year or auto",
                  "timeline");
    }
  }
  if (r.timeline_max != 0) {
    check_setting(kTimelineMax, r.timeline_max);
    if (r.timeline.empty())
      throw Error(ErrorKind::kUsage, "timeline_max goes with a timeline", "timeline_max");
    req.timeline_max = static_cast<std::size_t>(r.timeline_max);
  }
  if (r.facets) req.facets = search::parse_facet_list(*r.facets);
  req.facet_limit = static_cast<std::size_t>(r.facet_limit);
  req.limit = static_cast<std::size_t>(r.limit);
  req.offset = static_cast<std::size_t>(r.offset);
  req.since = r.since;
  req.until = r.until;
  req.include_boilerplate = r.include_boilerplate;
  if (!r.default_op.empty()) {
    const auto op = search::parse_default_op(r.default_op);
    if (!op) throw Error(ErrorKind::kUsage, "default_op must be auto, and or or", "default_op");
    req.default_op = *op;
  }
  for (const std::string& w : r.query) {
    if (w.empty()) continue;
    req.query += (req.query.empty() ? "" : " ") + w;
  }
  req.story = r.story;
  // --count counts stories only when asked (--collapse): its first line is always the articles.
  req.collapse = r.collapse.value_or(!r.json && !r.count) && r.story.empty();
  if (!r.story.empty()) search::check_story_id(r.story);
  // An empty query (no story) is valid: every article, in the order asked for (match-all).
  req.exact_total = r.exact || r.count;
  if (r.count) {
    // Only the counts: no hits, no facets.
    if (!req.facets.empty() || req.timeline)
      throw Error(ErrorKind::kUsage, "count gives only the totals: no facets, no timeline",
                  "count");
    req.limit = 0;
    req.offset = 0;
  }
  return req;
}

}  // namespace

std::string setting_name(const std::string& setting, Naming naming) {
  if (naming == Naming::kKey) return '"' + setting + '"';
  std::string option = "--" + setting;
  std::replace(option.begin(), option.end(), '_', '-');
  return option;
}

std::string phrase(const Error& e, Naming naming) {
  std::string message = sitrep::phrase(e, setting_name(e.setting(), naming));
  // On the command line a bare --facets takes the next word as its list.
  if (naming == Naming::kOption && e.setting() == "facets" && e.kind() == ErrorKind::kUsage) {
    message += "; a query after a bare --facets goes after '--'";
  }
  return message;
}

Response error_response(bool json, ErrorKind kind, const std::string& message,
                        const std::string& id_json) {
  Response resp;
  // One line on stderr, whatever the message quotes from the query, and nothing a terminal would
  // take for a command.
  resp.error = printable(message);
  resp.exit_status = static_cast<int>(exit_code_for(kind));
  if (json) {
    std::ostringstream out;
    write_json_error(out, kind, resp.error);
    resp.out = with_id(out.str(), id_json);
  }
  return resp;
}

namespace {

// --explain ID or --get ID: one article, no search; they take no query and not each other.
std::string show_article(const Request& request, search::Searcher* open) {
  const char* what = request.explain ? "explain" : "get";
  if (request.explain && request.get)
    throw Error(ErrorKind::kUsage, "explain and get cannot go together: give one");
  for (const std::string& w : request.query) {
    if (!w.empty()) throw Error(ErrorKind::kUsage, std::string(what) + " takes no query", what);
  }
  if ((request.explain ? *request.explain : *request.get).empty())
    throw Error(ErrorKind::kUsage, std::string(what) + " needs an article id", what);
  std::optional<search::Searcher> own;
  if (!open) open = &own.emplace(request.db);
  std::ostringstream out;
  if (request.explain) {
    const search::Explanation e = open->explain(*request.explain);
    if (request.json) {
      write_explain_json(out, e);
    } else {
      write_explain_text(out, e);
    }
  } else {
    const search::Explanation e = open->get(*request.get);
    if (request.json) {
      write_article_json(out, e);
    } else {
      write_article_text(out, e);
    }
  }
  return out.str();
}

}  // namespace

Response handle_request(const Request& request, search::Searcher* open) {
  const auto start = std::chrono::steady_clock::now();
  try {
    if (request.db.empty()) throw Error(ErrorKind::kUsage, "--db is required (or SITREP_DB)");
    Response resp;
    if (request.explain || request.get) {
      resp.out = show_article(request, open);
    } else {
      search::SearchRequest req = to_search_request(request);
      req.deadline = start + std::chrono::milliseconds(request.timeout_ms);
      std::optional<search::Searcher> own;
      if (!open) open = &own.emplace(request.db);
      const search::SearchResult result = open->search(req);
      std::ostringstream out;
      if (request.json) {
        write_json(out, req, result);
      } else if (request.count) {
        write_count_text(out, result);
      } else {
        write_text(out, req, result, request.colour, request.unicode);
      }
      resp.out = out.str();
    }
    if (request.json) resp.out = with_id(std::move(resp.out), request.id_json);
    return resp;
  } catch (const Error& e) {
    return error_response(request.json, e.kind(), phrase(e, request.naming), request.id_json);
  } catch (const std::bad_alloc&) {
    return error_response(request.json, ErrorKind::kInternal, "internal error: out of memory",
                          request.id_json);
  } catch (const std::exception& e) {
    return error_response(request.json, ErrorKind::kInternal,
                          std::string("internal error: ") + e.what(), request.id_json);
  }
}

namespace {

void write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

Watchdog::Watchdog(OnTimeout mode, Naming naming)
    : m_mode(mode),
      m_option(setting_name(search::setting::kTimeoutMs.name, naming)),
      m_thread([this] { run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stop = true;
  }
  m_cv.notify_one();
  m_thread.join();
}

void Watchdog::arm(bool json, long long timeout_ms, const std::string& id_json) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);  // also waits for a timeout answer being written
    m_state = 0;
    if (timeout_ms < 1 || timeout_ms > kMaxTimeoutMs) {
      m_armed = false;
      return;
    }
    m_json = json;
    m_id_json = id_json;
    m_timeout_ms = timeout_ms;
    m_deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms + kGraceMs);
    m_armed = true;
    ++m_request;
  }
  m_cv.notify_one();
}

bool Watchdog::claim_output() {
  int expected = 0;
  if (m_state.compare_exchange_strong(expected, 1)) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_armed = false;
    }
    m_cv.notify_one();
    return true;
  }
  if (expected == 1) return true;  // claimed already (no arm() since)
  if (m_mode == OnTimeout::kAnswer) {
    // The timeout answer is written under the lock: wait for it to be complete.
    std::lock_guard<std::mutex> lock(m_mutex);
    return false;
  }
  for (;;) pause();  // the watchdog is writing the timeout error and will _exit
}

void Watchdog::run() {
  std::unique_lock<std::mutex> lock(m_mutex);
  for (;;) {
    m_cv.wait(lock, [this] { return m_stop || m_armed; });
    if (m_stop) return;
    const unsigned request = m_request;
    if (m_cv.wait_until(lock, m_deadline,
                        [this, request] { return m_stop || !m_armed || m_request != request; })) {
      continue;  // answered in time, re-armed or stopping: the loop's first wait decides
    }
    int expected = 0;
    if (!m_state.compare_exchange_strong(expected, 2)) {
      m_armed = false;  // the answer is being written
      continue;
    }
    m_armed = false;
    const Response r = error_response(m_json, ErrorKind::kTimeout,
                                      "the search did not finish within " + m_option + " " +
                                          std::to_string(m_timeout_ms) +
                                          " ms; narrow the query or raise the limit",
                                      m_id_json);
    if (m_mode == OnTimeout::kAnswer) {
      write_all(STDOUT_FILENO, r.out);
      continue;
    }
    write_all(STDOUT_FILENO, r.out);
    write_all(STDERR_FILENO, "sitrep-search: error: " + r.error + "\n");
    ::_exit(r.exit_status);
  }
}

}  // namespace sitrep::searcher
