// The text output of sitrep-search, for a person at a terminal: every field from an article or a
// request goes through printable(). Counts say what they count, articles or stories.

#include <algorithm>
#include <iomanip>
#include <utility>

#include "output.hpp"

#include "sitrep/schema/entity_type.hpp"

namespace sitrep::searcher {

namespace {

std::string units(std::size_t n, bool stories) {
  if (stories) return grouped(n) + (n == 1 ? " story" : " stories");
  return grouped(n) + (n == 1 ? " article" : " articles");
}

// "1,569 articles" when exact, else "about 2,000 articles (between 1,900 and 2,321)".
std::string count_phrase(const search::Count& c, bool stories) {
  if (c.exact && c.lower_bound == c.estimate && c.upper_bound == c.estimate)
    return units(c.estimate, stories);
  std::string s = "about " + units(c.estimate, stories);
  if (c.lower_bound != c.upper_bound)
    s += " (between " + grouped(c.lower_bound) + " and " + grouped(c.upper_bound) + ")";
  return s;
}

// The result's total: "1,569 articles", with collapse "1,569 articles in 1,143 stories".
std::string total_phrase(const search::SearchResult& r) {
  std::string s = count_phrase(r.articles, false);
  if (r.stories) s += " in " + count_phrase(*r.stories, true);
  return s;
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// Facets as lines "person  Volodymyr Zelensky 12 · Donald Trump 8 (+3 more)", under a header
// saying what they count.
void write_text_facets(std::ostream& out, const search::SearchResult& r, const char* dim,
                       const char* reset) {
  const bool stories = std::any_of(r.facets.begin(), r.facets.end(),
                                   [](const search::FacetResult& f) { return f.stories; });
  if (stories && r.stories) {
    out << "Facets over " << count_phrase(*r.stories, true) << " ("
        << count_phrase(r.articles, false) << "), in stories:\n";
  } else {
    out << "Facets over " << count_phrase(r.articles, false) << ":\n";
  }
  std::size_t width = 0;
  for (const search::FacetResult& f : r.facets)
    width = std::max(width, search::facet_name(f.facet).size());
  for (const search::FacetResult& f : r.facets) {
    const std::string_view name = search::facet_name(f.facet);
    out << "  " << name << std::string(width - name.size() + 2, ' ');
    if (f.values.empty()) out << dim << "(none)" << reset;
    for (std::size_t k = 0; k < f.values.size(); ++k) {
      if (k > 0) out << " · ";
      out << printable(f.values[k].name) << ' ' << dim << grouped(f.values[k].count) << reset;
    }
    if (f.distinct > f.values.size())
      out << dim << " (+" << grouped(f.distinct - f.values.size()) << " more)" << reset;
    if (f.missing > 0) {
      const bool date = f.facet == search::Facet::kYear || f.facet == search::Facet::kMonth ||
                        f.facet == search::Facet::kDay;
      out << " · " << (date ? "undated " : "none ") << dim << grouped(f.missing) << reset;
    }
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
  out << (t.stories ? "Stories per " : "Articles per ") << search::interval_name(t.interval);
  if (t.requested == search::Interval::kAuto) {
    out << " (auto)";
  } else if (t.interval != t.requested) {
    out << " (widened from " << search::interval_name(t.requested) << " to fit --timeline-max)";
  }
  out << ":\n";
  Xapian::doccount max = 0;
  std::size_t width = std::string_view("undated").size();
  for (const search::TimelinePoint& p : t.periods) {
    max = std::max(max, p.count);
    width = std::max(width, p.period.size());
  }
  for (const search::TimelinePoint& p : t.periods) {
    out << "  " << p.period << std::string(width - p.period.size(), ' ') << ' ' << std::setw(6)
        << grouped(p.count);
    if (p.count > 0) out << ' ' << bar(p.count, max, unicode);
    out << '\n';
  }
  if (t.periods.empty())
    out << "  " << dim << (t.stories ? "(no dated stories)" : "(no dated articles)") << reset
        << '\n';
  out << "  " << dim << "undated" << std::string(width - 7, ' ') << ' ' << std::setw(6)
      << grouped(t.stories ? t.undated_stories : t.undated) << reset << '\n';
}

// "People: A, B · Places: C · Orgs: D", or empty.
std::string entity_line(const std::vector<search::HitEntity>& entities) {
  std::string line;
  for (const schema::EntityTypeInfo& t : schema::kEntityTypes) {
    std::string names;
    for (const search::HitEntity& e : entities) {
      if (e.type != t.type) continue;
      names += (names.empty() ? "" : ", ") + printable(e.name);
    }
    if (!names.empty()) line += (line.empty() ? "" : " · ") + std::string(t.label) + ": " + names;
  }
  return line;
}

// The first line of a result: what was searched and how many articles (and stories) match.
void write_header(std::ostream& out, const search::SearchRequest& req,
                  const search::SearchResult& r) {
  const bool match_all = req.query.empty() && req.story.empty();
  if (r.hits.empty()) {
    if (r.articles.estimate == 0) {
      out << "No articles";
      if (!req.story.empty()) out << " in story " << printable(req.story);
      if (!req.query.empty()) {
        out << " match: " << printable(req.query);
      } else if (match_all) {
        out << " match";
      }
      out << " (" << units(r.doc_count, false) << " searched)\n";
    } else {
      // --limit 0 (--count --json, facets only) or an offset past the last hit.
      out << capitalised(total_phrase(r));
      if (!req.story.empty()) out << " in story " << printable(req.story);
      if (!req.query.empty()) out << " for: " << printable(req.query);
      out << " (none shown: --offset " << req.offset << ", --limit " << req.limit << ")\n";
      if (!req.facets.empty() || r.timeline) out << '\n';
    }
    return;
  }
  const std::string range =
      std::to_string(r.hits.front().rank) + "-" + std::to_string(r.hits.back().rank);
  if (match_all) {
    // No query: every article (within the dates asked for), in the order asked for.
    const char* what = r.collapsed ? "stories" : "articles";
    switch (req.sort) {
      case search::SortOrder::kNewest:
        out << "Latest " << what;
        break;
      case search::SortOrder::kOldest:
        out << "Oldest " << what;
        break;
      default:
        out << "All " << what << ", in index order";
    }
    out << ": " << range << " of " << total_phrase(r) << "\n\n";
    return;
  }
  out << "Results " << range << " of " << total_phrase(r);
  if (!req.story.empty()) out << " in story " << printable(req.story);
  if (!req.query.empty()) out << " for: " << printable(req.query);
  out << '\n';
  if (r.any_word) {
    out << (req.default_op == search::DefaultOp::kAuto
                ? "(articles with any of the words, those with all of them first; "
                  "--default-op and: every word)\n"
                : "(articles with any of the words; --default-op and: every word)\n");
  }
  out << '\n';
}

}  // namespace

void write_text(std::ostream& out, const search::SearchRequest& req, const search::SearchResult& r,
                bool colour, bool unicode) {
  const char* bold = colour ? "\033[1m" : "";
  const char* dim = colour ? "\033[2m" : "";
  const char* mark_on = colour ? "\033[1;33m" : "[";
  const char* mark_off = colour ? "\033[0m" : "]";
  const char* reset = colour ? "\033[0m" : "";
  write_header(out, req, r);
  // A spelling suggestion (search/suggest.hpp): offered, never applied.
  if (!r.suggestion.empty()) {
    out << "Did you mean: " << printable(r.suggestion) << (r.hits.empty() ? "\n" : "\n\n");
  }
  for (const search::Hit& h : r.hits) {
    const schema::Article& a = h.article;
    // Every field from the article goes through printable(): it may hold control characters.
    out << std::setw(3) << h.rank << ". " << bold
        << (a.title.empty() ? "(untitled)" : printable(a.title)) << reset << '\n';
    out << "     " << dim << (a.source.empty() ? "(no source)" : printable(a.source)) << " | "
        << (a.published ? a.published->iso().substr(0, 10) : "undated") << " | "
        << printable(a.language) << " | " << printable(a.id);
    if (req.sort == search::SortOrder::kRelevance && !req.query.empty())
      out << " | score " << std::fixed << std::setprecision(2) << h.score;
    out << reset << '\n';
    if (!a.url.empty()) out << "     " << dim << printable(a.url) << reset << '\n';
    const std::string line = entity_line(h.entities);
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

void write_count_text(std::ostream& out, const search::SearchResult& r) {
  out << r.articles.estimate << '\n';
  if (r.stories) out << r.stories->estimate << '\n';
}

namespace {

// The 1-based number of the body line that starts at byte offset at.
std::size_t line_at(std::string_view body, std::size_t at) {
  at = std::min(at, body.size());
  return static_cast<std::size_t>(
             std::count(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(at), '\n')) +
         1;
}

std::string line_text(const std::string& body, const analysis::SuppressedLine& l) {
  const std::size_t begin = std::min<std::size_t>(l.begin, body.size());
  const std::size_t end = std::clamp<std::size_t>(l.end, begin, body.size());
  return body.substr(begin, end - begin);
}

}  // namespace

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
    out << "\n  line " << line_at(a.body, l.begin) << " (" << printable(analysis::describe(l))
        << "):\n    " << printable(line_text(a.body, l)) << '\n';
  }
}

void write_article_text(std::ostream& out, const search::Explanation& e) {
  const schema::Article& a = e.article;
  out << (a.title.empty() ? "(untitled)" : printable(a.title)) << '\n';
  out << (a.source.empty() ? "(no source)" : printable(a.source)) << " | "
      << (a.published ? a.published->iso() : "undated") << " | " << printable(a.language) << " | "
      << printable(a.id) << '\n';
  if (!a.url.empty()) out << printable(a.url) << '\n';
  const std::string line = entity_line(e.entities);
  if (!line.empty()) out << line << '\n';
  if (!e.story.empty()) {
    out << "Story " << printable(e.story) << ": " << units(e.story_size, false) << " (--story "
        << printable(e.story) << ")\n";
  }
  out << '\n' << printable_lines(a.body) << '\n';
  if (!e.suppressed.empty()) {
    out << '\n'
        << e.suppressed.size() << " of " << e.lines
        << " lines are boilerplate (not searched; --explain " << printable(a.id) << "): line";
    out << (e.suppressed.size() == 1 ? " " : "s ");
    for (std::size_t k = 0; k < e.suppressed.size(); ++k)
      out << (k == 0 ? "" : ", ") << line_at(a.body, e.suppressed[k].begin);
    out << '\n';
  }
}

}  // namespace sitrep::searcher
