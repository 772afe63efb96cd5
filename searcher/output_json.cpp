// The JSON output of sitrep-search, contract version 3 (docs/json.md,
// schemas/search-result.schema.json, schemas/search-error.schema.json). Every string is plain text;
// only `snippet_html` holds HTML.

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "output.hpp"
#include <nlohmann/json.hpp>

#include "sitrep/schema/entity_type.hpp"
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

nlohmann::ordered_json nullable(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(s);
}

// One JSON line: invalid UTF-8 replaced rather than thrown on (stored text is validated at index
// time, so this is only a safety net), and the characters a terminal could act on escaped.
std::string dump(const nlohmann::ordered_json& j) {
  return terminal_safe_json(
             j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)) +
         '\n';
}

nlohmann::ordered_json count_json(const search::Count& c) {
  // Exact only when the three numbers agree (docs/design/contract-v3.md): never claimed otherwise.
  const bool exact = c.exact && c.lower_bound == c.estimate && c.upper_bound == c.estimate;
  return {{"estimate", c.estimate},
          {"lower_bound", c.lower_bound},
          {"upper_bound", c.upper_bound},
          {"exact", exact}};
}

// {"person": [...], "place": [...], "org": [...], "other": [...]}: one array per type, always.
nlohmann::ordered_json entities_json(const std::vector<search::HitEntity>& entities) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const schema::EntityTypeInfo& t : schema::kEntityTypes)
    j[std::string(t.name)] = nlohmann::ordered_json::array();
  for (const search::HitEntity& e : entities) {
    j[std::string(schema::entity_type_name(e.type))].push_back(
        {{"id", e.id}, {"name", e.name}, {"filter", search::entity_filter(e.type, e.id)}});
  }
  return j;
}

const char* unit_name(bool stories) { return stories ? "stories" : "articles"; }

nlohmann::ordered_json facets_json(const std::vector<search::FacetResult>& facets) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const search::FacetResult& f : facets) {
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (const search::FacetValue& v : f.values) {
      nlohmann::ordered_json one = {{"value", v.value},
                                    {"label", v.name},
                                    {"filter", v.filter},
                                    {"count", v.count},
                                    {"articles", v.articles}};
      if (f.stories) one["stories"] = v.stories;
      values.push_back(std::move(one));
    }
    j[std::string(search::facet_name(f.facet))] = {{"unit", unit_name(f.stories)},
                                                   {"values", std::move(values)},
                                                   {"distinct", f.distinct},
                                                   {"missing", f.missing}};
  }
  return j;
}

nlohmann::ordered_json timeline_json(const search::Timeline& t) {
  nlohmann::ordered_json periods = nlohmann::ordered_json::array();
  for (const search::TimelinePoint& p : t.periods) {
    nlohmann::ordered_json one = {{"period", p.period},
                                  {"start", p.start},
                                  {"end", p.end},
                                  {"count", p.count},
                                  {"articles", p.articles}};
    if (t.stories) one["stories"] = p.stories;
    periods.push_back(std::move(one));
  }
  nlohmann::ordered_json j = {{"interval", search::interval_name(t.interval)},
                              {"requested", search::interval_name(t.requested)},
                              {"unit", unit_name(t.stories)},
                              {"periods", std::move(periods)},
                              {"undated", t.undated}};
  if (t.stories) j["undated_stories"] = t.undated_stories;
  return j;
}

nlohmann::ordered_json hit_json(const search::Hit& h, bool collapsed) {
  nlohmann::ordered_json fragments = nlohmann::ordered_json::array();
  std::string html;
  // The snippet's runs are words and the text between them: neighbours alike are one fragment.
  std::string text;
  bool highlight = false;
  const auto flush = [&] {
    if (!text.empty()) fragments.push_back({{"text", std::move(text)}, {"highlight", highlight}});
    text.clear();
  };
  for (const auto& run : h.snippet.runs) {
    if (run.text.empty()) continue;
    if (run.highlight != highlight) flush();
    highlight = run.highlight;
    text += run.text;
    if (run.highlight) html += "<mark>";
    html += html_escape(run.text);
    if (run.highlight) html += "</mark>";
  }
  flush();
  const schema::Article& a = h.article;
  nlohmann::ordered_json j = {{"rank", h.rank},
                              {"id", a.id},
                              {"title", a.title},
                              {"source", nullable(a.source)},
                              {"url", nullable(a.url)},
                              {"published", a.published ? nlohmann::ordered_json(a.published->iso())
                                                        : nlohmann::ordered_json()},
                              {"language", a.language},
                              {"score", h.score},
                              {"snippet", std::move(fragments)},
                              {"snippet_text", h.snippet.plain()},
                              {"snippet_html", std::move(html)},
                              {"entities", entities_json(h.entities)},
                              {"story", nullable(h.story)}};
  if (collapsed) j["collapsed"] = {{"others", h.others}, {"outlets", h.other_outlets}};
  return j;
}

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
  at = std::min(at, body.size());
  return static_cast<std::size_t>(
             std::count(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(at), '\n')) +
         1;
}

// The suppressed lines of e's article, in body order.
nlohmann::ordered_json suppressed_json(const search::Explanation& e) {
  const std::string& body = e.article.body;
  nlohmann::ordered_json lines = nlohmann::ordered_json::array();
  for (const analysis::SuppressedLine& l : e.suppressed) {
    const std::size_t begin = std::min<std::size_t>(l.begin, body.size());
    const std::size_t end = std::clamp<std::size_t>(l.end, begin, body.size());
    nlohmann::ordered_json one = {{"line", line_number(body, begin)},
                                  {"begin", begin},
                                  {"end", end},
                                  {"text", body.substr(begin, end - begin)},
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
  return lines;
}

}  // namespace

void write_json(std::ostream& out, const search::SearchRequest& req,
                const search::SearchResult& r) {
  nlohmann::ordered_json j;
  j["contract_version"] = kContractVersion;
  nlohmann::ordered_json& q = j["query"];
  q = {{"text", req.query},
       {"parsed", r.parsed},
       {"sort", sort_name(req.sort)},
       {"offset", req.offset},
       {"limit", req.limit},
       {"since", nullable(req.since)},
       {"until", nullable(req.until)},
       {"collapse", req.collapse},
       {"exact_total", req.exact_total},
       {"default_op", search::default_op_name(req.default_op)}};
  if (!req.facets.empty()) {
    nlohmann::ordered_json names = nlohmann::ordered_json::array();
    for (search::Facet f : req.facets) names.push_back(search::facet_name(f));
    q["facets"] = std::move(names);
    q["facet_limit"] = req.facet_limit;
  }
  if (req.timeline) {
    q["timeline"] = search::interval_name(*req.timeline);
    if (req.timeline_max > 0) q["timeline_max"] = req.timeline_max;
  }
  if (!req.story.empty()) q["story"] = req.story;
  if (!r.suggestion.empty()) q["suggestion"] = r.suggestion;
  j["total"] = {{"unit", unit_name(r.collapsed)}, {"articles", count_json(r.articles)}};
  if (r.stories) j["total"]["stories"] = count_json(*r.stories);
  j["documents"] = r.doc_count;
  nlohmann::ordered_json hits = nlohmann::ordered_json::array();
  for (const search::Hit& h : r.hits) hits.push_back(hit_json(h, r.collapsed));
  j["hits"] = std::move(hits);
  if (!req.facets.empty()) j["facets"] = facets_json(r.facets);
  if (r.timeline) j["timeline"] = timeline_json(*r.timeline);
  out << dump(j);
}

void write_json_error(std::ostream& out, ErrorKind kind, const std::string& message) {
  nlohmann::ordered_json j;
  j["contract_version"] = kContractVersion;
  j["error"] = {{"code", error_code_name(kind)},
                {"message", message},
                {"exit_status", static_cast<int>(exit_code_for(kind))}};
  out << dump(j);
}

void write_explain_json(std::ostream& out, const search::Explanation& e) {
  const schema::Article& a = e.article;
  nlohmann::ordered_json j;
  j["contract_version"] = kContractVersion;
  j["explain"] = {{"id", a.id},
                  {"title", a.title},
                  {"source", nullable(a.source)},
                  {"lines", e.lines},
                  {"suppressed", suppressed_json(e)}};
  out << dump(j);
}

void write_article_json(std::ostream& out, const search::Explanation& e) {
  const schema::Article& a = e.article;
  nlohmann::ordered_json j;
  j["contract_version"] = kContractVersion;
  j["article"] = {{"id", a.id},
                  {"title", a.title},
                  {"body", a.body},
                  {"source", nullable(a.source)},
                  {"url", nullable(a.url)},
                  {"published", a.published ? nlohmann::ordered_json(a.published->iso())
                                            : nlohmann::ordered_json()},
                  {"language", a.language},
                  {"entities", entities_json(e.entities)},
                  {"story", nullable(e.story)},
                  {"story_size", e.story_size},
                  {"lines", e.lines},
                  {"boilerplate", suppressed_json(e)}};
  out << dump(j);
}

}  // namespace sitrep::searcher
