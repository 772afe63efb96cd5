// Counting (docs/design/contract-v3.md, issue 13): every count is exact and says so, or an
// estimate within true bounds; articles and stories apart; facets and timelines in the result's
// unit; pages computed from an exact count never empty. Checked against the truth worked out from
// the documents themselves, on a database built by hand (stories in slot kStory as the
// clustering pass writes them), with and without the facet column.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "article_fixture.hpp"
#include <doctest/doctest.h>
#include <unistd.h>
#include <xapian.h>

#include "sitrep/index/document.hpp"
#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/store/facet_column.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/hash.hpp"

using namespace sitrep;
using search::Facet;
using search::Interval;

namespace {

struct Doc {
  std::string id, story, date, source, lang, person;  // date YYYY-MM-DD or ""
  bool alpha, beta, phrase;
};

// 90 articles over 30 years: 10 stories of several articles each (some spanning years), and
// unclustered articles, each a story of its own; some undated, some without a person.
std::vector<Doc> make_docs() {
  std::vector<Doc> docs;
  for (int i = 0; i < 90; ++i) {
    Doc d;
    d.id = "d" + std::to_string(i);
    d.story = i % 7 == 0 ? "" : hash64_hex("story " + std::to_string(i % 10));
    if (i % 11 != 0) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", 1990 + (i * 7) % 30, 1 + i % 12,
                    1 + (i * 5) % 28);
      d.date = buf;
    }
    d.source = i % 3 == 0 ? "Wire" : i % 3 == 1 ? "Ledger" : "Post";
    d.lang = i % 4 == 0 ? "fr" : "en";
    d.person = i % 4 == 1 ? "p-one" : i % 6 == 2 ? "p-two" : "";
    d.alpha = i % 2 == 0;
    d.beta = i % 3 == 0;
    d.phrase = i % 5 == 0;
    docs.push_back(d);
  }
  return docs;
}

struct CountDb {
  std::string dir;
  std::vector<Doc> docs = make_docs();
  explicit CountDb(bool column) {
    dir = (std::filesystem::temp_directory_path() /
           ("sitrep-counts-" + std::to_string(::getpid()) + (column ? "-c" : "-s")))
              .string();
    std::filesystem::remove_all(dir);
    {
      Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
      index::DocumentBuilder builder(nullptr);
      for (const Doc& d : docs) {
        std::string body = "gamma";
        if (d.alpha) body += " alpha";
        if (d.beta) body += " beta";
        if (d.phrase)
          body += " delta epsilon";
        else
          body += " epsilon zeta delta";
        std::string used;
        Xapian::Document doc =
            builder.build(test::make_article(d.id, "Report", body, d.lang, d.source, d.date), used);
        if (!d.person.empty()) test::add_entities(doc, {{schema::EntityType::kPerson, d.person}});
        if (!d.story.empty()) doc.add_value(schema::slot::kStory, d.story);
        db.replace_document("Q" + d.id, doc);
      }
      db.set_metadata(std::string(schema::meta::kSchemaVersion),
                      std::to_string(schema::kSchemaVersion));
      db.set_metadata(std::string(schema::meta::kLanguages), "en fr");
      db.commit();
    }
    if (column) store::write_facet_column(dir);
  }
  ~CountDb() { std::filesystem::remove_all(dir); }
};

struct Query {
  std::string text;
  std::function<bool(const Doc&)> match;
};

const std::vector<Query>& queries() {
  static const std::vector<Query> q = {
      {"alpha OR beta", [](const Doc& d) { return d.alpha || d.beta; }},
      {"alpha", [](const Doc& d) { return d.alpha; }},
      {"alpha AND beta", [](const Doc& d) { return d.alpha && d.beta; }},
      {"\"delta epsilon\"", [](const Doc& d) { return d.phrase; }},
      {"gamma", [](const Doc&) { return true; }},
      {"nosuchword", [](const Doc&) { return false; }},
  };
  return q;
}

// The story key of a document: its story, or its own id (a story of its own).
std::string story_of(const Doc& d) { return d.story.empty() ? "solo:" + d.id : d.story; }

struct Truth {
  std::size_t articles = 0;
  std::set<std::string> stories;
};

Truth truth(const std::vector<Doc>& docs, const std::function<bool(const Doc&)>& match) {
  Truth t;
  for (const Doc& d : docs) {
    if (!match(d)) continue;
    ++t.articles;
    t.stories.insert(story_of(d));
  }
  return t;
}

// A Count is consistent: exact exactly when its bounds and estimate agree, and then equal to the
// truth; else the truth within its bounds.
void check_count(const search::Count& c, std::size_t truth) {
  CAPTURE(c.estimate);
  CAPTURE(c.lower_bound);
  CAPTURE(c.upper_bound);
  CHECK(c.lower_bound <= c.estimate);
  CHECK(c.estimate <= c.upper_bound);
  CHECK(c.exact == (c.lower_bound == c.upper_bound && c.estimate == c.lower_bound));
  CHECK(c.lower_bound <= truth);
  CHECK(truth <= c.upper_bound);
  if (c.exact) CHECK(c.estimate == truth);
}

std::string facet_value(const Doc& d, Facet f) {
  switch (f) {
    case Facet::kSource:
      return d.source;
    case Facet::kLanguage:
      return d.lang;
    case Facet::kPerson:
      return d.person;
    case Facet::kYear:
      return d.date.substr(0, std::min<std::size_t>(4, d.date.size()));
    default:
      return {};
  }
}

}  // namespace

TEST_CASE("counts: articles and stories exact with a full pass, else true bounds") {
  for (bool column : {false, true}) {
    CAPTURE(column);
    CountDb db(column);
    search::Searcher searcher(db.dir);
    for (const Query& q : queries()) {
      CAPTURE(q.text);
      const Truth t = truth(db.docs, q.match);
      for (bool collapse : {false, true}) {
        CAPTURE(collapse);
        for (int mode = 0; mode < 4; ++mode) {  // none, facets, timeline, exact_total
          CAPTURE(mode);
          for (std::size_t limit : {0, 1, 3, 1000}) {
            CAPTURE(limit);
            search::SearchRequest req;
            req.query = q.text;
            req.collapse = collapse;
            req.limit = limit;
            if (mode == 1) req.facets = {Facet::kSource};
            if (mode == 2) req.timeline = Interval::kYear;
            if (mode == 3) req.exact_total = true;
            const search::SearchResult r = searcher.search(req);
            check_count(r.articles, t.articles);
            if (mode != 0) CHECK(r.articles.exact);
            REQUIRE(r.stories.has_value() == collapse);
            if (collapse) {
              check_count(*r.stories, t.stories.size());
              if (mode != 0) CHECK(r.stories->exact);
              CHECK(r.stories->lower_bound <= r.articles.upper_bound);
              CHECK(r.stories->upper_bound <= r.articles.upper_bound);
            }
            // The old single total is the paged unit's count.
            const search::Count& paged = collapse ? *r.stories : r.articles;
            CHECK(r.estimate == paged.estimate);
            CHECK(r.lower_bound == paged.lower_bound);
            CHECK(r.upper_bound == paged.upper_bound);
            CHECK(r.exact == paged.exact);
          }
        }
      }
    }
  }
}

TEST_CASE("counts: collapsed with facets, the story count is exact, not Xapian's estimate") {
  // Xapian's collapsed bounds for an OR query are loose even when every match is examined (its
  // upper bound adds the terms' frequencies): the old code called its estimate exact.
  CountDb db(false);
  search::Searcher searcher(db.dir);
  search::SearchRequest req;
  req.query = "alpha OR beta";
  req.collapse = true;
  req.limit = 2;
  req.facets = {Facet::kSource};
  const search::SearchResult r = searcher.search(req);
  const Truth t = truth(db.docs, queries()[0].match);
  CHECK(r.exact);
  CHECK(r.lower_bound == r.upper_bound);
  CHECK(r.estimate == t.stories.size());
  REQUIRE(r.stories);
  CHECK(r.stories->estimate == t.stories.size());
}

TEST_CASE("counts: facets count articles, or stories when collapsed, and add up") {
  for (bool column : {false, true}) {
    CAPTURE(column);
    CountDb db(column);
    search::Searcher searcher(db.dir);
    for (const Query& q : queries()) {
      CAPTURE(q.text);
      for (bool collapse : {false, true}) {
        CAPTURE(collapse);
        search::SearchRequest req;
        req.query = q.text;
        req.collapse = collapse;
        req.facets = {Facet::kSource, Facet::kLanguage, Facet::kPerson, Facet::kYear};
        req.facet_limit = 1000;
        const search::SearchResult r = searcher.search(req);
        const Truth t = truth(db.docs, q.match);
        REQUIRE(r.facets.size() == req.facets.size());
        for (const search::FacetResult& f : r.facets) {
          CAPTURE(search::facet_name(f.facet));
          CHECK(f.stories == collapse);
          // The truth: articles and distinct stories per value, and of the articles without one.
          std::map<std::string, std::size_t> articles;
          std::map<std::string, std::set<std::string>> stories;
          for (const Doc& d : db.docs) {
            if (!q.match(d)) continue;
            const std::string v = facet_value(d, f.facet);
            ++articles[v];
            stories[v].insert(story_of(d));
          }
          const std::size_t missing = collapse             ? stories[""].size()
                                      : articles.count("") ? articles[""]
                                                           : 0;
          CHECK(f.missing == missing);
          articles.erase("");
          stories.erase("");
          CHECK(f.distinct == articles.size());
          REQUIRE(f.values.size() == articles.size());
          std::size_t sum = 0;
          for (std::size_t i = 0; i < f.values.size(); ++i) {
            const search::FacetValue& v = f.values[i];
            CAPTURE(v.value);
            CHECK(v.articles == articles[v.value]);
            CHECK(v.stories == (collapse ? stories[v.value].size() : 0));
            CHECK(v.count == (collapse ? v.stories : v.articles));
            CHECK(v.count <= (collapse ? t.stories.size() : t.articles));
            if (i > 0) CHECK(f.values[i - 1].count >= v.count);  // ordered by count
            sum += v.articles;
          }
          // Single-valued facets (each article here has at most one person too) partition the
          // matching articles.
          std::size_t missing_articles = 0;
          for (const Doc& d : db.docs)
            if (q.match(d) && facet_value(d, f.facet).empty()) ++missing_articles;
          CHECK(sum + missing_articles == t.articles);
        }
      }
    }
  }
}

TEST_CASE("counts: timelines in the result's unit, articles adding up to the total") {
  for (bool column : {false, true}) {
    CAPTURE(column);
    CountDb db(column);
    search::Searcher searcher(db.dir);
    for (const Query& q : queries()) {
      CAPTURE(q.text);
      for (bool collapse : {false, true}) {
        CAPTURE(collapse);
        for (Interval i : {Interval::kDay, Interval::kWeek, Interval::kMonth, Interval::kQuarter,
                           Interval::kYear}) {
          CAPTURE(search::interval_name(i));
          search::SearchRequest req;
          req.query = q.text;
          req.collapse = collapse;
          req.timeline = i;
          const search::SearchResult r = searcher.search(req);
          REQUIRE(r.timeline);
          const search::Timeline& tl = *r.timeline;
          CHECK(tl.interval == i);
          CHECK(tl.requested == i);
          CHECK(tl.stories == collapse);
          std::size_t sum = tl.undated;
          for (const search::TimelinePoint& p : tl.periods) {
            CAPTURE(p.period);
            // The truth: the matching articles dated within [start, end], and their stories.
            std::size_t articles = 0;
            std::set<std::string> stories;
            for (const Doc& d : db.docs) {
              if (!q.match(d) || d.date.empty() || d.date < p.start || d.date > p.end) continue;
              ++articles;
              stories.insert(story_of(d));
            }
            CHECK(p.articles == articles);
            CHECK(p.stories == (collapse ? stories.size() : 0));
            CHECK(p.count == (collapse ? p.stories : p.articles));
            CHECK(search::period_of(
                      p.start.substr(0, 4) + p.start.substr(5, 2) + p.start.substr(8, 2), i) ==
                  p.period);
            CHECK(search::period_of(p.end.substr(0, 4) + p.end.substr(5, 2) + p.end.substr(8, 2),
                                    i) == p.period);
            sum += p.articles;
          }
          for (std::size_t k = 1; k < tl.periods.size(); ++k)
            CHECK(tl.periods[k - 1].end < tl.periods[k].start);
          CHECK(sum == r.articles.estimate);
          std::set<std::string> undated;
          for (const Doc& d : db.docs)
            if (q.match(d) && d.date.empty()) undated.insert(story_of(d));
          CHECK(tl.undated_stories == (collapse ? undated.size() : 0));
        }
      }
    }
  }
}

TEST_CASE("counts: timeline_max widens the interval, then groups years; auto") {
  CountDb db(false);
  search::Searcher searcher(db.dir);
  search::SearchRequest req;
  req.query = "gamma";  // every article: 1990 to 2019
  auto run = [&](Interval i, std::size_t max) {
    req.timeline = i;
    req.timeline_max = max;
    return *searcher.search(req).timeline;
  };
  auto periods = [&](Interval i) { return run(i, 0).periods.size(); };
  req.exact_total = true;
  const search::Count all = searcher.search(req).articles;
  REQUIRE(all.exact);
  const std::size_t articles = all.estimate;
  req.exact_total = false;
  for (std::size_t max : {2, 3, 7, 10, 29, 30, 60, 120, 400, 1000}) {
    CAPTURE(max);
    for (Interval asked : {Interval::kDay, Interval::kMonth, Interval::kAuto}) {
      CAPTURE(search::interval_name(asked));
      const search::Timeline t = run(asked, max);
      CHECK(t.requested == asked);
      CHECK(t.interval != Interval::kAuto);
      CHECK(t.periods.size() <= max);
      CHECK(!t.periods.empty());
      std::size_t sum = t.undated;
      for (const auto& p : t.periods) sum += p.articles;
      CHECK(sum == articles);
      // The finest interval that fits, no finer than asked.
      if (t.interval != Interval::kYear || t.periods.front().period.size() == 4) {
        CHECK(periods(t.interval) == t.periods.size());
      }
      const Interval from = asked == Interval::kAuto ? Interval::kDay : asked;
      CHECK(static_cast<int>(t.interval) >= static_cast<int>(from));
      if (t.interval != from)
        CHECK(periods(static_cast<Interval>(static_cast<int>(t.interval) - 1)) > max);
    }
  }
  // 30 years in at most 10 periods: spans of 4 years aligned on multiples of 4 (3 would make 11).
  const search::Timeline spans = run(Interval::kMonth, 10);
  CHECK(spans.interval == Interval::kYear);
  REQUIRE(spans.periods.size() == 8);
  CHECK(spans.periods.front().period == "1988-1991");
  CHECK(spans.periods.front().start == "1988-01-01");
  CHECK(spans.periods.front().end == "1991-12-31");
  CHECK(spans.periods.back().period == "2016-2019");
  // Auto without a maximum: at most 60 periods, here years (quarters would be 120).
  req.timeline_max = 0;
  req.timeline = Interval::kAuto;
  const search::Timeline a = *searcher.search(req).timeline;
  CHECK(a.interval == Interval::kYear);
  CHECK(a.requested == Interval::kAuto);
  CHECK(a.periods.size() == 30);
  CHECK(a.periods.front().period == "1990");
  // Quarters.
  const search::Timeline q = run(Interval::kQuarter, 0);
  CHECK(q.periods.front().period == "1990-Q1");
  CHECK(q.periods.front().start == "1990-01-01");
  CHECK(q.periods.front().end == "1990-03-31");
  // timeline_max out of range: below 2 a usage error, above 1000 a limit.
  for (std::size_t bad : {1, 1001}) {
    req.timeline_max = bad;
    try {
      searcher.search(req);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == (bad == 1 ? ErrorKind::kUsage : ErrorKind::kLimit));
      CHECK(e.setting() == "timeline_max");
    }
  }
}

TEST_CASE("counts: paging through every hit gives the exact total, never an empty page") {
  CountDb db(true);
  search::Searcher searcher(db.dir);
  for (const Query& q : queries()) {
    CAPTURE(q.text);
    const Truth t = truth(db.docs, q.match);
    for (bool collapse : {false, true}) {
      CAPTURE(collapse);
      for (std::size_t limit : {1, 4, 7}) {
        CAPTURE(limit);
        search::SearchRequest req;
        req.query = q.text;
        req.collapse = collapse;
        req.limit = limit;
        req.exact_total = true;
        req.sort = limit == 4 ? search::SortOrder::kNewest : search::SortOrder::kRelevance;
        std::set<std::string> seen, stories;
        std::size_t total = 0;
        for (req.offset = 0;; req.offset += limit) {
          const search::SearchResult r = searcher.search(req);
          REQUIRE(r.exact);
          total = r.estimate;
          if (req.offset >= total) {
            CHECK(r.hits.empty());
            break;
          }
          CHECK(!r.hits.empty());  // offset < an exact total: never an empty page
          CHECK(r.hits.size() == std::min(limit, total - req.offset));
          for (const search::Hit& h : r.hits) {
            CHECK(seen.insert(h.article.id).second);
            if (collapse && !h.story.empty()) CHECK(stories.insert(h.story).second);
          }
        }
        CHECK(seen.size() == total);
        CHECK(total == (collapse ? t.stories.size() : t.articles));
      }
    }
  }
}
