#include "output.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <utility>

#include <nlohmann/json.hpp>

#include "sitrep/schema/entity_type.hpp"
#include "sitrep/util/exit_code.hpp"
#include "sitrep/util/utf8.hpp"

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

// The code point of the valid UTF-8 sequence at s[i], and its length in len.
char32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) {
    len = 1;
    return c;
  }
  if (c < 0xE0) {
    len = 2;
    return (char32_t(c & 0x1F) << 6) | (b(1) & 0x3F);
  }
  if (c < 0xF0) {
    len = 3;
    return (char32_t(c & 0x0F) << 12) | (char32_t(b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  }
  len = 4;
  return (char32_t(c & 0x07) << 18) | (char32_t(b(1) & 0x3F) << 12) | (char32_t(b(2) & 0x3F) << 6) |
         (b(3) & 0x3F);
}

// Whether a terminal could take code point c for a command or reorder a line by it (the
// characters printable() replaces, whitespace controls included).
bool unsafe(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// Dumps with invalid UTF-8 replaced rather than thrown on: stored text is validated at index time,
// so this is only a safety net. nlohmann escapes U+0000-U+001F; DEL, the C1 controls and the bidi
// controls are escaped here too (\u007f...), so the JSON text is as safe to print on a terminal
// as the text output. They can only be inside strings, where an escape means the same character.
std::string dump(const nlohmann::json& j) {
  const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const char32_t c = decode(text, i, len);
    if (c >= 0x20 && unsafe(c)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out.append(text, i, len);
    }
    i += len;
  }
  return out;
}

// {"person": [...], "place": [...], "org": [...], "other": [...]}: one array per type, always.
nlohmann::json hit_entities(const std::vector<search::HitEntity>& entities) {
  nlohmann::json j = nlohmann::json::object();
  for (const schema::EntityTypeInfo& t : schema::kEntityTypes)
    j[std::string(t.name)] = nlohmann::json::array();
  for (const search::HitEntity& e : entities) {
    j[std::string(schema::entity_type_name(e.type))].push_back({{"id", e.id}, {"name", e.name}});
  }
  return j;
}

bool is_entity_facet(search::Facet f) {
  return f == search::Facet::kPerson || f == search::Facet::kPlace || f == search::Facet::kOrg;
}

bool is_date_facet(search::Facet f) {
  return f == search::Facet::kYear || f == search::Facet::kMonth || f == search::Facet::kDay;
}

nlohmann::json facets_json(const std::vector<search::FacetResult>& facets) {
  nlohmann::json j = nlohmann::json::object();
  for (const search::FacetResult& f : facets) {
    nlohmann::json values = nlohmann::json::array();
    for (const search::FacetValue& v : f.values) {
      if (is_entity_facet(f.facet)) {
        values.push_back({{"id", v.value}, {"name", v.name}, {"count", v.count}});
      } else {
        values.push_back({{"value", v.value}, {"count", v.count}});
      }
    }
    nlohmann::json one = {{"values", std::move(values)}, {"distinct", f.distinct}};
    one[is_date_facet(f.facet) ? "undated" : "missing"] = f.missing;
    j[std::string(search::facet_name(f.facet))] = std::move(one);
  }
  return j;
}

// HTML-escapes every string in j, keys excepted (they are fixed ASCII names).
void escape_strings(nlohmann::json& j) {
  if (j.is_string()) {
    j = html_escape(j.get_ref<const std::string&>());
  } else if (j.is_array() || j.is_object()) {
    for (auto& v : j) escape_strings(v);
  }
}

nlohmann::json timeline_json(const search::Timeline& t) {
  nlohmann::json periods = nlohmann::json::array();
  for (const search::TimelinePoint& p : t.periods)
    periods.push_back({{"period", p.period}, {"count", p.count}});
  return {{"interval", search::interval_name(t.interval)},
          {"periods", std::move(periods)},
          {"undated", t.undated}};
}

}  // namespace

std::string printable(std::string_view s) {
  const std::string repaired = utf8::valid(s) ? std::string() : utf8::repair(s);
  const std::string_view text = repaired.empty() ? s : std::string_view(repaired);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    const char32_t c = decode(text, i, len);
    if (c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      out += ' ';
    } else if (unsafe(c)) {
      out += "\xEF\xBF\xBD";  // U+FFFD
    } else {
      out.append(text, i, len);
    }
    i += len;
  }
  return out;
}

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
  if (!req.facets.empty()) {
    nlohmann::json names = nlohmann::json::array();
    for (search::Facet f : req.facets) names.push_back(search::facet_name(f));
    j["query"]["facets"] = std::move(names);
    j["query"]["facet_limit"] = req.facet_limit;
  }
  if (req.timeline) j["query"]["timeline"] = search::interval_name(*req.timeline);
  j["query"]["collapse"] = req.collapse;
  if (!req.story.empty()) j["query"]["story"] = req.story;
  j["total"] = {
      {"estimate", r.estimate}, {"lower_bound", r.lower_bound}, {"upper_bound", r.upper_bound}};
  if (r.exact) j["total"]["exact"] = true;
  j["documents"] = r.doc_count;
  nlohmann::json hits = nlohmann::json::array();
  std::vector<std::string> snippets;
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
         {"snippet", ""},
         {"snippet_text", h.snippet.plain()},
         {"entities", hit_entities(h.entities)},
         {"story", nullable(h.story)}});
    if (r.collapsed) {
      hits.back()["collapsed"] = {{"others", h.others}, {"outlets", h.other_outlets}};
    }
    snippets.push_back(std::move(html));
  }
  j["hits"] = std::move(hits);
  if (!req.facets.empty()) j["facets"] = facets_json(r.facets);
  if (r.timeline) j["timeline"] = timeline_json(*r.timeline);
  escape_strings(j);
  // The snippets were escaped as they were built, around their <mark> tags.
  for (std::size_t k = 0; k < snippets.size(); ++k)
    j["hits"][k]["snippet"] = std::move(snippets[k]);
  out << dump(j) << '\n';
}

void write_json_error(std::ostream& out, ErrorKind kind, const std::string& message) {
  nlohmann::json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["error"] = {{"code", error_code_name(kind)},
                {"message", html_escape(message)},
                {"exit_status", static_cast<int>(exit_code_for(kind))}};
  out << dump(j) << '\n';
}

namespace {

// Facets as lines "person  Volodymyr Zelensky 12 · Donald Trump 8 (+3 more)".
void write_text_facets(std::ostream& out, const search::SearchResult& r, const char* dim,
                       const char* reset) {
  out << "Facets over all " << r.estimate << " matches:\n";
  std::size_t width = 0;
  for (const search::FacetResult& f : r.facets)
    width = std::max(width, search::facet_name(f.facet).size());
  for (const search::FacetResult& f : r.facets) {
    const std::string_view name = search::facet_name(f.facet);
    out << "  " << name << std::string(width - name.size() + 2, ' ');
    if (f.values.empty()) out << dim << "(none)" << reset;
    for (std::size_t k = 0; k < f.values.size(); ++k) {
      if (k > 0) out << " · ";
      out << printable(f.values[k].name) << ' ' << dim << f.values[k].count << reset;
    }
    if (f.distinct > f.values.size())
      out << dim << " (+" << (f.distinct - f.values.size()) << " more)" << reset;
    if (is_date_facet(f.facet) && f.missing > 0) out << " · undated " << dim << f.missing << reset;
    out << '\n';
  }
  out << '\n';
}

// A bar of count/max * kBarWidth cells: Unicode block elements (eighths) or '#' (whole cells,
// at least one for a non-zero count).
std::string bar(Xapian::doccount count, Xapian::doccount max, bool unicode) {
  constexpr std::size_t kBarWidth = 40;
  if (count == 0 || max == 0) return {};
  std::string out;
  if (!unicode) {
    const std::size_t cells = std::max<std::size_t>(1, count * kBarWidth / max);
    return std::string(cells, '#');
  }
  static const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  const std::size_t eighths = std::max<std::size_t>(1, count * kBarWidth * 8 / max);
  for (std::size_t k = 0; k < eighths / 8; ++k) out += "█";
  out += kEighths[eighths % 8];
  return out;
}

void write_text_timeline(std::ostream& out, const search::SearchResult& r, bool unicode,
                         const char* dim, const char* reset) {
  const search::Timeline& t = *r.timeline;
  out << "Matches per " << search::interval_name(t.interval) << ":\n";
  Xapian::doccount max = 0;
  std::size_t width = std::string_view("undated").size();
  for (const search::TimelinePoint& p : t.periods) {
    max = std::max(max, p.count);
    width = std::max(width, p.period.size());
  }
  for (const search::TimelinePoint& p : t.periods) {
    out << "  " << p.period << std::string(width - p.period.size(), ' ') << ' ' << std::setw(6)
        << p.count;
    if (p.count > 0) out << ' ' << bar(p.count, max, unicode);
    out << '\n';
  }
  if (t.periods.empty()) out << "  " << dim << "(no dated matches)" << reset << '\n';
  out << "  " << dim << "undated" << std::string(width - 7, ' ') << ' ' << std::setw(6) << t.undated
      << reset << '\n';
}

}  // namespace

void write_text(std::ostream& out, const search::SearchRequest& req, const search::SearchResult& r,
                bool colour, bool unicode) {
  const char* bold = colour ? "\033[1m" : "";
  const char* dim = colour ? "\033[2m" : "";
  const char* mark_on = colour ? "\033[1;33m" : "[";
  const char* mark_off = colour ? "\033[0m" : "]";
  const char* reset = colour ? "\033[0m" : "";
  if (r.hits.empty()) {
    if (r.estimate == 0) {
      if (req.story.empty()) {
        out << "No matches for: " << printable(req.query);
      } else {
        out << "No articles in story " << printable(req.story)
            << (req.query.empty() ? "" : " for: ") << printable(req.query);
      }
      out << " (" << r.doc_count << " articles searched)\n";
    } else {
      // --limit 0 (facets only) or an offset past the last match.
      out << (r.exact ? "" : "About ") << r.estimate << " matches for: " << printable(req.query)
          << " (none shown: --offset " << req.offset << ", --limit " << req.limit << ")\n";
      if (!req.facets.empty() || r.timeline) out << '\n';
    }
  } else {
    out << "Results " << r.hits.front().rank << "-" << r.hits.back().rank
        << (r.exact ? " of " : " of about ") << r.estimate;
    if (r.lower_bound != r.upper_bound)
      out << " (" << r.lower_bound << " to " << r.upper_bound << ")";
    if (!req.story.empty()) out << " in story " << printable(req.story);
    if (!req.query.empty()) out << " for: " << printable(req.query);
    out << "\n\n";
  }
  for (const search::Hit& h : r.hits) {
    const schema::Article& a = h.article;
    // Every field from the article goes through printable(): it may hold control characters.
    out << std::setw(3) << h.rank << ". " << bold
        << (a.title.empty() ? "(untitled)" : printable(a.title)) << reset << '\n';
    out << "     " << dim << (a.source.empty() ? "(no source)" : printable(a.source)) << " | "
        << (a.published ? a.published->iso().substr(0, 10) : "undated") << " | "
        << printable(a.language) << " | " << printable(a.id);
    if (req.sort == search::SortOrder::kRelevance)
      out << " | score " << std::fixed << std::setprecision(2) << h.score;
    out << reset << '\n';
    if (!a.url.empty()) out << "     " << dim << printable(a.url) << reset << '\n';
    // One short line of the entities by type: "People: A, B · Places: C · Orgs: D".
    std::string line;
    for (const schema::EntityTypeInfo& t : schema::kEntityTypes) {
      std::string names;
      for (const search::HitEntity& e : h.entities) {
        if (e.type != t.type) continue;
        names += (names.empty() ? "" : ", ") + printable(e.name);
      }
      if (!names.empty()) line += (line.empty() ? "" : " · ") + std::string(t.label) + ": " + names;
    }
    if (!line.empty()) out << "     " << dim << line << reset << '\n';
    if (h.others > 0) {
      out << "     + " << h.others << " more in this story";
      for (std::size_t k = 0; k < h.other_outlets.size(); ++k)
        out << (k == 0 ? " from: " : ", ") << printable(h.other_outlets[k]);
      out << dim << " (--story " << printable(h.story) << ")" << reset << '\n';
    }
    out << "     ";
    for (const auto& run : h.snippet.runs) {
      if (run.highlight) out << mark_on;
      out << printable(run.text);
      if (run.highlight) out << mark_off;
    }
    out << "\n\n";
  }
  if (!req.facets.empty()) write_text_facets(out, r, dim, reset);
  if (r.timeline) write_text_timeline(out, r, unicode, dim, reset);
}

namespace {

const char* reason_name(analysis::BoilerplateReason r) {
  switch (r) {
    case analysis::BoilerplateReason::kRecurring:
      return "recurring";
    case analysis::BoilerplateReason::kList:
      return "list";
    default:
      return "pattern";
  }
}

// The 1-based number of the body line that starts at byte offset at.
std::size_t line_number(std::string_view body, std::size_t at) {
  return static_cast<std::size_t>(
             std::count(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(at), '\n')) +
         1;
}

}  // namespace

void write_explain_json(std::ostream& out, const search::Explanation& e) {
  const schema::Article& a = e.article;
  nlohmann::json lines = nlohmann::json::array();
  for (const analysis::SuppressedLine& l : e.suppressed) {
    nlohmann::json one = {{"line", line_number(a.body, l.begin)},
                          {"begin", l.begin},
                          {"end", l.end},
                          {"text", a.body.substr(l.begin, l.end - l.begin)},
                          {"reason", reason_name(l.reason)},
                          {"description", analysis::describe(l)}};
    if (l.reason == analysis::BoilerplateReason::kRecurring) {
      const std::size_t slash = l.detail.find('/');
      if (slash != std::string::npos) {
        one["count"] = std::strtoull(l.detail.c_str(), nullptr, 10);
        one["articles"] = std::strtoull(l.detail.c_str() + slash + 1, nullptr, 10);
      }
    } else {
      one["pattern"] = l.detail;
    }
    lines.push_back(std::move(one));
  }
  nlohmann::json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["explain"] = {{"id", a.id},
                  {"title", a.title},
                  {"source", nullable(a.source)},
                  {"lines", e.lines},
                  {"suppressed", std::move(lines)}};
  escape_strings(j);
  out << dump(j) << '\n';
}

void write_explain_text(std::ostream& out, const search::Explanation& e) {
  const schema::Article& a = e.article;
  out << printable(a.id) << ": " << (a.title.empty() ? "(untitled)" : printable(a.title)) << '\n';
  out << "     " << (a.source.empty() ? "(no source)" : printable(a.source)) << '\n';
  if (e.suppressed.empty()) {
    out << "No boilerplate: all " << e.lines << " lines of the body are searched.\n";
    return;
  }
  out << e.suppressed.size() << " of " << e.lines
      << " lines of the body are boilerplate: kept in the article, searched only with "
         "--include-boilerplate, left out of snippets.\n";
  for (const analysis::SuppressedLine& l : e.suppressed) {
    out << "\n  line " << line_number(a.body, l.begin) << " (" << printable(analysis::describe(l))
        << "):\n    " << printable(a.body.substr(l.begin, l.end - l.begin)) << '\n';
  }
}

}  // namespace sitrep::searcher
