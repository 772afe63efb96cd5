// The search side of story clusters: collapse (one hit per story, the others counted with their
// outlets) and --story (the articles of one story, oldest first), on a database built by hand
// with story ids in slot kStory, as the indexer's clustering pass writes them.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "article_fixture.hpp"
#include <doctest/doctest.h>
#include <unistd.h>
#include <xapian.h>

#include "sitrep/index/document.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/hash.hpp"

using namespace sitrep;

namespace {

const std::string kTalks = hash64_hex("t1");   // four outlets
const std::string kStrike = hash64_hex("s1");  // two outlets

struct StoryDb {
  std::string dir;
  StoryDb() {
    dir =
        (std::filesystem::temp_directory_path() / ("sitrep-stories-" + std::to_string(::getpid())))
            .string();
    std::filesystem::remove_all(dir);
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
    index::DocumentBuilder builder(nullptr);
    auto add = [&](const std::string& id, const std::string& source, const std::string& date,
                   const std::string& story, const std::string& body) {
      std::string lang;
      Xapian::Document doc =
          builder.build(test::make_article(id, "Talks", body, "en", source, date), lang);
      if (!story.empty()) doc.add_value(schema::slot::kStory, story);
      db.replace_document("Q" + id, doc);
    };
    add("t1", "Wire", "2025-11-20", kTalks, "Delegations met in Istanbul for ceasefire talks.");
    add("t2", "Kyiv Ledger", "2025-11-21", kTalks, "Ceasefire talks in Istanbul went on.");
    add("t3", "Harbour Times", "2025-11-22", kTalks, "Istanbul ceasefire talks: a second day.");
    add("t4", "Kyiv Ledger", "2025-11-23", kTalks, "The ceasefire talks in Istanbul ended.");
    add("s1", "Wire", "2025-11-25", kStrike, "A drone strike hit Odesa; ceasefire talks stalled.");
    add("s2", "Capital Post", "2025-11-25", kStrike, "Odesa drone strike; no ceasefire.");
    add("u1", "Wire", "2025-11-26", "", "Unclustered: ceasefire monitors arrived.");
    add("u2", "Wire", "2025-11-27", "", "Unclustered: ceasefire monitors left.");
    db.set_metadata(std::string(schema::meta::kSchemaVersion),
                    std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::meta::kLanguages), "en");
    db.commit();
  }
  ~StoryDb() { std::filesystem::remove_all(dir); }
};

std::set<std::string> ids(const search::SearchResult& r) {
  std::set<std::string> out;
  for (const search::Hit& h : r.hits) out.insert(h.article.id);
  return out;
}

}  // namespace

TEST_CASE("collapse: one hit per story with the others counted, unclustered articles apart") {
  StoryDb fixture;
  search::Searcher searcher(fixture.dir);
  search::SearchRequest req;
  req.query = "ceasefire";
  const search::SearchResult all = searcher.search(req);
  CHECK(all.hits.size() == 8);
  CHECK_FALSE(all.collapsed);
  for (const search::Hit& h : all.hits) {
    CAPTURE(h.article.id);
    CHECK(h.story == (h.article.id[0] == 't' ? kTalks : h.article.id[0] == 's' ? kStrike : ""));
    CHECK(h.others == 0);
  }

  req.collapse = true;
  const search::SearchResult c = searcher.search(req);
  CHECK(c.collapsed);
  REQUIRE(c.hits.size() == 4);  // the talks, the strike, u1, u2
  std::set<std::string> stories;
  for (const search::Hit& h : c.hits) {
    CAPTURE(h.article.id);
    if (h.story == kTalks) {
      CHECK(h.others == 3);
      // The other three articles' outlets, each once, sorted; the hit's own may be among them.
      std::set<std::string> want;
      for (const search::Hit& a : all.hits)
        if (a.story == kTalks && a.article.id != h.article.id) want.insert(a.article.source);
      CHECK(std::set<std::string>(h.other_outlets.begin(), h.other_outlets.end()) == want);
      CHECK(std::is_sorted(h.other_outlets.begin(), h.other_outlets.end()));
    } else if (h.story == kStrike) {
      CHECK(h.others == 1);
      REQUIRE(h.other_outlets.size() == 1);
    } else {
      CHECK(h.story.empty());
      CHECK(h.others == 0);
    }
    if (!h.story.empty()) CHECK(stories.insert(h.story).second);
  }
  CHECK(stories.size() == 2);
  CHECK(c.estimate == 4);

  // The others are the story's articles that match the query, not the whole story.
  req.query = "drone";
  const search::SearchResult d = searcher.search(req);
  REQUIRE(d.hits.size() == 1);
  CHECK(d.hits[0].others == 1);
  req.query = "Istanbul second";
  req.default_op = search::DefaultOp::kAnd;  // both words (the default ranks any word)
  const search::SearchResult one = searcher.search(req);
  REQUIRE(one.hits.size() == 1);
  CHECK(one.hits[0].article.id == "t3");
  CHECK(one.hits[0].others == 0);
}

TEST_CASE("collapse with facets: the total and the facets count stories, and articles too") {
  StoryDb fixture;
  search::Searcher searcher(fixture.dir);
  search::SearchRequest req;
  req.query = "ceasefire";
  req.collapse = true;
  req.facets = {search::Facet::kSource};
  const search::SearchResult r = searcher.search(req);
  CHECK(r.exact);
  CHECK(r.estimate == 4);
  REQUIRE(r.stories);
  CHECK(r.stories->exact);
  CHECK(r.stories->estimate == 4);  // the talks, the strike, u1, u2
  CHECK(r.articles.exact);
  CHECK(r.articles.estimate == 8);
  REQUIRE(r.facets.size() == 1);
  CHECK(r.facets[0].stories);
  Xapian::doccount articles = 0;
  std::map<std::string, std::pair<Xapian::doccount, Xapian::doccount>> by_source;
  for (const search::FacetValue& v : r.facets[0].values) {
    articles += v.articles;
    CHECK(v.count == v.stories);
    by_source[v.value] = {v.articles, v.stories};
  }
  CHECK(articles == 8);
  // Wire: t1, s1, u1, u2 (four stories); Kyiv Ledger: t2 and t4, one story.
  CHECK(by_source == std::map<std::string, std::pair<Xapian::doccount, Xapian::doccount>>{
                         {"Wire", {4, 4}},
                         {"Kyiv Ledger", {2, 1}},
                         {"Harbour Times", {1, 1}},
                         {"Capital Post", {1, 1}}});
  // By count in stories: Wire first, then the three with one story each, by value.
  REQUIRE(r.facets[0].values.size() == 4);
  CHECK(r.facets[0].values[0].value == "Wire");
  CHECK(r.facets[0].values[1].value == "Capital Post");
  // The hits' other articles and outlets, counted in the same pass as the facets, are those of a
  // search without facets.
  req.facets.clear();
  const search::SearchResult plain = searcher.search(req);
  REQUIRE(plain.hits.size() == r.hits.size());
  for (std::size_t i = 0; i < r.hits.size(); ++i) {
    CAPTURE(r.hits[i].article.id);
    CHECK(r.hits[i].article.id == plain.hits[i].article.id);
    CHECK(r.hits[i].others == plain.hits[i].others);
    CHECK(r.hits[i].other_outlets == plain.hits[i].other_outlets);
  }
  CHECK(plain.stories->exact);  // the page's story pass counted every match too
  CHECK(plain.stories->estimate == 4);
  CHECK(plain.articles.estimate == 8);
}

TEST_CASE("--story: every article of one story, oldest first, narrowed by a query") {
  StoryDb fixture;
  search::Searcher searcher(fixture.dir);
  search::SearchRequest req;
  req.story = kTalks;
  req.sort = search::SortOrder::kOldest;
  const search::SearchResult r = searcher.search(req);
  REQUIRE(r.hits.size() == 4);
  std::vector<std::string> order;
  for (const search::Hit& h : r.hits) order.push_back(h.article.id);
  CHECK(order == std::vector<std::string>{"t1", "t2", "t3", "t4"});
  req.query = "ended";
  CHECK(ids(searcher.search(req)) == std::set<std::string>{"t4"});
  // A story with no article: not found, unless a query narrows it (then simply no match).
  req.query.clear();
  req.story = hash64_hex("no such story");
  try {
    searcher.search(req);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kNoSuchArticle);
    CHECK(std::string(e.what()) == "no story with id " + req.story);
  }
  req.query = "ceasefire";
  CHECK(searcher.search(req).hits.empty());
  req.query = "nosuchword";
  req.story = kTalks;
  CHECK(searcher.search(req).hits.empty());
  req.query.clear();
  for (const char* bad : {"T1", "0123456789abcdeg", "0123456789abcdef0", ""}) {
    CAPTURE(bad);
    req.story = bad;
    if (req.story.empty()) {
      CHECK(search::valid_story_id(bad) == false);
      continue;
    }
    try {
      searcher.search(req);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kUsage);
    }
  }
}
