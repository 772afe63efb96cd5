#include "output.hpp"

#include <iomanip>

#include <nlohmann/json.hpp>

#include "sitrep/util/exit_code.hpp"

namespace sitrep::searcher {

namespace {

const char* sort_name(search::SortOrder s) {
  switch (s) {
    case search::SortOrder::kNewest:
      return "newest";
    case search::SortOrder::kOldest:
      return "oldest";
    default:
      return "relevance";
  }
}

nlohmann::json nullable(const std::string& s) {
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

// Dumps with invalid UTF-8 replaced rather than thrown on: stored text is validated at index time,
// so this is only a safety net.
std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void write_json(std::ostream& out, const search::SearchRequest& req,
                const search::SearchResult& r) {
  nlohmann::json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["query"] = {{"text", req.query},           {"parsed", r.parsed}, {"sort", sort_name(req.sort)},
                {"offset", req.offset},        {"limit", req.limit}, {"since", nullable(req.since)},
                {"until", nullable(req.until)}};
  j["total"] = {
      {"estimate", r.estimate}, {"lower_bound", r.lower_bound}, {"upper_bound", r.upper_bound}};
  j["documents"] = r.doc_count;
  nlohmann::json hits = nlohmann::json::array();
  for (const search::Hit& h : r.hits) {
    std::string html;
    for (const auto& run : h.snippet.runs) {
      if (run.highlight) html += "<mark>";
      html += html_escape(run.text);
      if (run.highlight) html += "</mark>";
    }
    const schema::Article& a = h.article;
    hits.push_back(
        {{"rank", h.rank},
         {"id", a.id},
         {"title", a.title},
         {"source", nullable(a.source)},
         {"url", nullable(a.url)},
         {"published", a.published ? nlohmann::json(a.published->iso()) : nlohmann::json()},
         {"language", a.language},
         {"score", h.score},
         {"snippet", html},
         {"snippet_text", h.snippet.plain()}});
  }
  j["hits"] = std::move(hits);
  out << dump(j) << '\n';
}

void write_json_error(std::ostream& out, ErrorKind kind, const std::string& message) {
  nlohmann::json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["error"] = {{"code", error_code_name(kind)},
                {"message", message},
                {"exit_status", static_cast<int>(exit_code_for(kind))}};
  out << dump(j) << '\n';
}

void write_text(std::ostream& out, const search::SearchRequest& req, const search::SearchResult& r,
                bool colour) {
  const char* bold = colour ? "\033[1m" : "";
  const char* dim = colour ? "\033[2m" : "";
  const char* mark_on = colour ? "\033[1;33m" : "[";
  const char* mark_off = colour ? "\033[0m" : "]";
  const char* reset = colour ? "\033[0m" : "";
  if (r.hits.empty()) {
    out << "No matches for: " << req.query << " (" << r.doc_count << " articles searched)\n";
    return;
  }
  out << "Results " << r.hits.front().rank << "-" << r.hits.back().rank << " of about "
      << r.estimate;
  if (r.lower_bound != r.upper_bound)
    out << " (" << r.lower_bound << " to " << r.upper_bound << ")";
  out << " for: " << req.query << "\n\n";
  for (const search::Hit& h : r.hits) {
    const schema::Article& a = h.article;
    out << std::setw(3) << h.rank << ". " << bold << (a.title.empty() ? "(untitled)" : a.title)
        << reset << '\n';
    out << "     " << dim << (a.source.empty() ? "(no source)" : a.source) << " | "
        << (a.published ? a.published->iso().substr(0, 10) : "undated") << " | " << a.language
        << " | " << a.id;
    if (req.sort == search::SortOrder::kRelevance)
      out << " | score " << std::fixed << std::setprecision(2) << h.score;
    out << reset << '\n';
    if (!a.url.empty()) out << "     " << dim << a.url << reset << '\n';
    out << "     ";
    for (const auto& run : h.snippet.runs) {
      if (run.highlight) out << mark_on;
      out << run.text;
      if (run.highlight) out << mark_off;
    }
    out << "\n\n";
  }
}

}  // namespace sitrep::searcher
