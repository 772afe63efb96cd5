// sitrep-check-counts DB: checks the counts of a database's search results against the hits
// themselves (issue 13, docs/design/contract-v3.md). For each query, plain and collapsed, with no
// counting, facets, a timeline, and exact_total, it pages through every hit (1000 a page) and
// checks that
//  - every Count is consistent: lower <= estimate <= upper, exact exactly when they agree;
//  - a count that says exact equals the hits paged through (articles plain, stories collapsed),
//    and an estimate's bounds hold them; the paging never gives an empty page before the total;
//  - facets: no value above its unit's total; stories <= articles per value; for the
//    single-valued facets (source, lang, year) the articles of the values plus the missing ones
//    (plain) add up to the articles; collapsed, each value's articles are the plain count;
//  - timelines: the periods' articles plus the undated ones add up to the articles.
// The same for the counts of a first page of 10 hits, which the table shows (~: an estimate,
// with its bounds), and of no page (limit 0). Prints a table; exits 1 on any violation (the ctest
// quality.counts).
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "eval_cli.hpp"
#include <CLI/CLI.hpp>

#include "sitrep/search/searcher.hpp"

using namespace sitrep;

namespace {

const std::vector<std::string> kQueries = {"oil OR crude OR barrel",
                                           "grain OR wheat",
                                           "\"trade deficit\"",
                                           "oil AND price",
                                           "Kyiv",
                                           "ceasefire OR truce",
                                           "gold",
                                           "\"interest rates\"",
                                           "coffee AND brazil",
                                           "bank OR banks",
                                           "opec",
                                           "dollar AND yen",
                                           "\"oil prices\" OR opec",
                                           "sugar -beet"};

enum class Mode { kNone, kFacets, kTimeline, kExact };
const char* mode_name(Mode m) {
  switch (m) {
    case Mode::kNone:
      return "none";
    case Mode::kFacets:
      return "facets";
    case Mode::kTimeline:
      return "timeline";
    case Mode::kExact:
      return "exact";
  }
  return "";
}

struct Checker {
  int violations = 0;
  std::string where;
  void fail(const std::string& what) {
    ++violations;
    std::fprintf(stderr, "VIOLATION [%s]: %s\n", where.c_str(), what.c_str());
  }
  void expect(bool ok, const std::string& what) {
    if (!ok) fail(what);
  }
  // c is consistent, and holds truth (exactly when it says exact).
  void count(const search::Count& c, std::size_t truth, const char* unit) {
    const std::string s = std::string(unit) + " " + std::to_string(c.estimate) + " [" +
                          std::to_string(c.lower_bound) + ".." + std::to_string(c.upper_bound) +
                          "]" + (c.exact ? " exact" : "") + " vs " + std::to_string(truth) +
                          " paged";
    expect(c.lower_bound <= c.estimate && c.estimate <= c.upper_bound, "bounds: " + s);
    expect(c.exact == (c.lower_bound == c.upper_bound && c.estimate == c.lower_bound),
           "exact flag: " + s);
    expect(c.lower_bound <= truth && truth <= c.upper_bound, "bounds do not hold: " + s);
    if (c.exact) expect(c.estimate == truth, "exact but wrong: " + s);
  }
};

std::string show(const search::Count& c) {
  if (c.exact) return std::to_string(c.estimate);
  return "~" + std::to_string(c.estimate) + " [" + std::to_string(c.lower_bound) + ".." +
         std::to_string(c.upper_bound) + "]";
}

struct Paged {
  search::SearchResult first;  // the first page's result (its counts)
  std::size_t hits = 0;        // every hit, paged through
};

Paged page_through(search::Searcher& searcher, search::SearchRequest req, Checker& check) {
  Paged out;
  req.limit = 1000;
  std::set<std::string> ids;
  for (req.offset = 0;; req.offset += req.limit) {
    search::SearchResult r = searcher.search(req);
    const search::Count& unit = req.collapse ? *r.stories : r.articles;
    if (req.offset == 0) out.first = r;
    if (r.hits.empty()) {
      // An exact total never leaves an empty page before it; an estimate pages up to its lower
      // bound safely.
      check.expect(
          req.offset >= (unit.exact ? unit.estimate : unit.lower_bound),
          "empty page at offset " + std::to_string(req.offset) + " before the total " + show(unit));
      break;
    }
    for (const search::Hit& h : r.hits) {
      if (!ids.insert(h.article.id).second) check.fail("hit repeated: " + h.article.id);
    }
    if (r.hits.size() < req.limit) break;
    if (req.offset + req.limit > search::kMaxOffset) {
      check.fail("too many hits to page through");
      break;
    }
  }
  out.hits = ids.size();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Checks search counts against the hits paged through (issue 13)",
               "sitrep-check-counts"};
  std::string db;
  std::vector<std::string> queries;
  app.add_option("DB", db, "Database directory")->required();
  app.add_option("-q,--query", queries, "A query to check (repeatable; default: a built-in dozen)");
  return eval::eval_main("sitrep-check-counts", app, argc, argv, [&] {
    if (queries.empty()) queries = kQueries;
    search::Searcher searcher(db);
    Checker check;
    std::printf("%-24s %-8s %-9s %-22s %-22s %-22s %8s %6s\n", "query", "collapse", "mode",
                "articles", "stories", "stories (limit 0)", "paged", "result");
    for (const std::string& q : queries) {
      std::map<std::string, Xapian::doccount> plain_values[3];  // source, lang, year (plain)
      std::size_t articles_paged = 0;
      for (bool collapse : {false, true}) {
        for (Mode mode : {Mode::kNone, Mode::kFacets, Mode::kTimeline, Mode::kExact}) {
          check.where = q + " | " + (collapse ? "collapse" : "plain") + " | " + mode_name(mode);
          const int before = check.violations;
          search::SearchRequest req;
          req.query = q;
          req.collapse = collapse;
          if (mode == Mode::kFacets) {
            req.facets = {search::Facet::kSource, search::Facet::kLanguage, search::Facet::kYear,
                          search::Facet::kPerson, search::Facet::kPlace,    search::Facet::kOrg};
            req.facet_limit = search::kMaxFacetLimit;
          }
          if (mode == Mode::kTimeline) req.timeline = search::Interval::kMonth;
          if (mode == Mode::kExact) req.exact_total = true;
          const Paged p = page_through(searcher, req, check);
          const search::SearchResult& r = p.first;
          if (!collapse) articles_paged = p.hits;
          // Articles: the plain run's hits (paged the same way); stories: the collapsed ones.
          check.count(r.articles, articles_paged, "articles");
          // The first page as a reader sees it (10 hits): its counts hold the same truth.
          req.limit = 10;
          const search::SearchResult first = searcher.search(req);
          check.count(first.articles, articles_paged, "articles (page of 10)");
          if (collapse && first.stories)
            check.count(*first.stories, p.hits, "stories (page of 10)");
          // No page (limit 0): collapsed without a full count, Xapian's collapsed bounds.
          req.limit = 0;
          const search::SearchResult none = searcher.search(req);
          check.count(none.articles, articles_paged, "articles (limit 0)");
          if (collapse && none.stories) check.count(*none.stories, p.hits, "stories (limit 0)");
          if (mode != Mode::kNone) check.expect(r.articles.exact, "a full count not exact");
          check.expect(r.stories.has_value() == collapse, "stories present iff collapsed");
          if (collapse && r.stories) {
            check.count(*r.stories, p.hits, "stories");
            if (mode != Mode::kNone) check.expect(r.stories->exact, "a full count not exact");
            check.expect(r.stories->upper_bound <= r.articles.upper_bound,
                         "more stories than articles");
          }
          const std::size_t unit_total = collapse ? p.hits : articles_paged;
          for (const search::FacetResult& f : r.facets) {
            const std::string name(search::facet_name(f.facet));
            check.expect(f.stories == collapse, name + ": unit");
            Xapian::doccount sum = 0;
            for (const search::FacetValue& v : f.values) {
              check.expect(v.count <= unit_total, name + " " + v.value + ": " +
                                                      std::to_string(v.count) + " > total " +
                                                      std::to_string(unit_total));
              check.expect(v.articles <= articles_paged, name + " " + v.value + ": articles");
              check.expect(v.count == (collapse ? v.stories : v.articles), name + ": count unit");
              if (collapse) check.expect(v.stories <= v.articles, name + ": stories > articles");
              sum += v.articles;
            }
            const int single = f.facet == search::Facet::kSource     ? 0
                               : f.facet == search::Facet::kLanguage ? 1
                               : f.facet == search::Facet::kYear     ? 2
                                                                     : -1;
            if (single < 0) continue;
            if (!collapse) {
              check.expect(sum + f.missing == articles_paged,
                           name + ": values " + std::to_string(sum) + " + missing " +
                               std::to_string(f.missing) + " != articles " +
                               std::to_string(articles_paged));
              for (const search::FacetValue& v : f.values) plain_values[single][v.value] = v.count;
            } else {
              std::map<std::string, Xapian::doccount> articles;
              for (const search::FacetValue& v : f.values) articles[v.value] = v.articles;
              check.expect(articles == plain_values[single],
                           name + ": collapsed values' articles differ from the plain counts");
            }
          }
          if (r.timeline) {
            std::size_t sum = r.timeline->undated;
            for (const search::TimelinePoint& t : r.timeline->periods) {
              sum += t.articles;
              check.expect(t.count <= unit_total, "timeline " + t.period + ": above the total");
            }
            check.expect(sum == articles_paged, "timeline: periods + undated " +
                                                    std::to_string(sum) + " != articles " +
                                                    std::to_string(articles_paged));
          }
          std::printf("%-24s %-8s %-9s %-22s %-22s %-22s %8zu %6s\n", q.substr(0, 24).c_str(),
                      collapse ? "yes" : "no", mode_name(mode), show(first.articles).c_str(),
                      first.stories ? show(*first.stories).c_str() : "-",
                      none.stories ? show(*none.stories).c_str() : "-", p.hits,
                      check.violations == before ? "ok" : "FAIL");
        }
      }
    }
    if (check.violations != 0) {
      std::printf("\n%d violation(s)\n", check.violations);
      return 1;
    }
    std::printf("\nall counts consistent\n");
    return 0;
  });
}
