// One article by id (Searcher::get and explain), match-all searches, and facet filters that select
// exactly their value, on a database built by hand: entity terms and the facet slot as the
// indexer's recogniser writes them, story ids in slot kStory, lexicon and alias metadata, and
// hostile source names.
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
#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/search/facets.hpp"
#include "sitrep/search/query_builder.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/hash.hpp"

using namespace sitrep;
using search::Facet;

namespace {

using Ids = std::set<std::string>;

constexpr auto kP = schema::EntityType::kPerson, kL = schema::EntityType::kPlace,
               kO = schema::EntityType::kOrg, kX = schema::EntityType::kOther;

using test::Entity;

struct Doc {
  std::string id, title, body, lang, source, date, story;
  std::vector<Entity> entities;
};

const std::string kStoryA = hash64_hex("story-a");
const std::string kStoryB = hash64_hex("story-b");

// "kyiv" is Kyiv's id and also an alias of Kyiv Oblast; "nato" NATO's id and an alias of a
// discovered "x-nato": an id must still select only its own entity.
const std::vector<Doc>& docs() {
  static const std::vector<Doc> d = {
      {"d1",
       "Talks in Kyiv",
       "Zelensky met NATO envoys in Kyiv.\nSecond line.",
       "en",
       "Smith \"Quote\" Co",
       "2025-11-14T09:00:00Z",
       kStoryA,
       {{kP, "volodymyr-zelensky"}, {kL, "kyiv"}, {kO, "nato"}}},
      {"d2",
       "Зеленський і Ушаков",
       "Зустріч у Київській області.",
       "uk",
       "Back\\slash News",
       "2025-11-20",
       kStoryA,
       {{kP, "volodymyr-zelensky"}, {kP, "yuri-ushakov"}, {kL, "kyiv-oblast"}}},
      {"d3",
       "Ушаков в Москве",
       "Ушаков встретился с коллегой.",
       "ru",
       "Smith & Sons",
       "2025-12-01",
       kStoryB,
       {{kP, "yuri-ushakov"}, {kP, "other-ushakov"}, {kL, "moscow"}}},
      {"d4",
       "<b>Putin</b> and NATO",
       "Putin spoke about NATO.",
       "en",
       "<script>alert(1)</script>",
       "",
       "",
       {{kP, "vladimir-putin"}, {kO, "nato"}}},
      {"d5",
       "مفاوضات",
       "بدأت المفاوضات في كييف.",
       "ar",
       "الجزيرة نت",
       "2024-01-03",
       "",
       {{kL, "kyiv"}}},
      {"d6",
       "Переговоры в Эр-Рияде",
       "Кирилл Дмитриев говорил с НАТО.",
       "ru",
       "Вести Москвы",
       "2025-11-16",
       kStoryB,
       {{kX, "x-kirill-dmitriev"}, {kL, "riyadh"}, {kO, "x-nato"}}},
      {"d7",
       "Grain",
       "Grain exports rose.",
       "en",
       "Le \u00ABMonde\u00BB",
       "2025-11-14",
       "",
       {{kP, "x-unlisted-person"}}},
      {"d8",
       "Tail",
       "A source ending in a backslash.",
       "en",
       "Tail \\ \"end\\\"",
       "2026-01-25",
       "",
       {}},
      {"d9", "No source", "Nothing names an outlet here.", "en", "", "2026-01-25", "", {}},
  };
  return d;
}

struct GetDb {
  std::string dir;
  GetDb() {
    dir = (std::filesystem::temp_directory_path() / ("sitrep-get-" + std::to_string(::getpid())))
              .string();
    std::filesystem::remove_all(dir);
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
    index::DocumentBuilder builder(nullptr);
    for (const Doc& d : docs()) {
      std::string used;
      Xapian::Document doc =
          builder.build(test::make_article(d.id, d.title, d.body, d.lang, d.source, d.date), used);
      test::add_entities(doc, d.entities);
      if (!d.story.empty()) doc.add_value(schema::slot::kStory, d.story);
      db.replace_document("Q" + d.id, doc);
    }
    const std::map<std::string, std::string> aliases = {{"zelensky", "volodymyr-zelensky"},
                                                        {"ushakov", "other-ushakov yuri-ushakov"},
                                                        {"kyiv", "kyiv kyiv-oblast"},
                                                        {"kiev", "kyiv"},
                                                        {"nato", "nato x-nato"},
                                                        {"putin", "vladimir-putin"},
                                                        {"moscow", "moscow"},
                                                        {"riyadh", "riyadh"}};
    for (const auto& [key, ids] : aliases)
      db.set_metadata(std::string(schema::meta::kAliasPrefix) + key, ids);
    const std::map<std::string, std::string> names = {{"volodymyr-zelensky", "PVolodymyr Zelensky"},
                                                      {"yuri-ushakov", "PYuri Ushakov"},
                                                      {"other-ushakov", "PAnother Ushakov"},
                                                      {"vladimir-putin", "PVladimir Putin"},
                                                      {"kyiv", "LKyiv"},
                                                      {"kyiv-oblast", "LKyiv Oblast"},
                                                      {"moscow", "LMoscow"},
                                                      {"riyadh", "LRiyadh"},
                                                      {"nato", "ONATO"},
                                                      {"x-nato", "ONato"},
                                                      {"x-kirill-dmitriev", "XKirill Dmitriev"}};
    for (const auto& [id, name] : names)
      db.set_metadata(std::string(schema::meta::kEntityPrefix) + id, name);
    db.set_metadata(std::string(schema::meta::kSchemaVersion),
                    std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::meta::kLanguages), "en ru uk ar");
    db.commit();
  }
  ~GetDb() { std::filesystem::remove_all(dir); }
};

GetDb& fixture() {
  static GetDb f;
  return f;
}

Ids all_ids() {
  Ids out;
  for (const Doc& d : docs()) out.insert(d.id);
  return out;
}

// The ids of the documents that have value for facet f, from the table above.
Ids expected(Facet f, const std::string& value) {
  Ids out;
  for (const Doc& d : docs()) {
    bool has = false;
    switch (f) {
      case Facet::kPerson:
      case Facet::kPlace:
      case Facet::kOrg: {
        const auto type = f == Facet::kPerson ? kP : f == Facet::kPlace ? kL : kO;
        has = std::any_of(d.entities.begin(), d.entities.end(),
                          [&](const Entity& e) { return e.type == type && e.id == value; });
        break;
      }
      case Facet::kSource:
        has = d.source == value;
        break;
      case Facet::kLanguage:
        has = d.lang == value;
        break;
      case Facet::kYear:
      case Facet::kMonth:
      case Facet::kDay:
        has = !d.date.empty() && d.date.compare(0, value.size(), value) == 0;
        break;
    }
    if (has) out.insert(d.id);
  }
  return out;
}

// Every value of facet f the table holds.
std::set<std::string> table_values(Facet f) {
  std::set<std::string> out;
  for (const Doc& d : docs()) {
    switch (f) {
      case Facet::kPerson:
      case Facet::kPlace:
      case Facet::kOrg:
        for (const Entity& e : d.entities) {
          if (!expected(f, e.id).empty()) out.insert(e.id);
        }
        break;
      case Facet::kSource:
        if (!d.source.empty()) out.insert(d.source);
        break;
      case Facet::kLanguage:
        out.insert(d.lang);
        break;
      case Facet::kYear:
      case Facet::kMonth:
      case Facet::kDay: {
        const std::size_t n = f == Facet::kYear ? 4 : f == Facet::kMonth ? 7 : 10;
        if (!d.date.empty()) out.insert(d.date.substr(0, n));
        break;
      }
    }
  }
  return out;
}

std::vector<std::string> hit_ids(const search::SearchResult& r) {
  std::vector<std::string> out;
  for (const search::Hit& h : r.hits) out.push_back(h.article.id);
  return out;
}

// The kind and message of the error f throws.
template <class F>
std::pair<ErrorKind, std::string> failure(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return {e.kind(), e.what()};
  }
  return {ErrorKind::kInternal, "no error"};
}

}  // namespace

TEST_CASE("facet_filter: every facet value's filter selects exactly the articles with it") {
  GetDb& f = fixture();
  const Xapian::Database db(f.dir);
  const std::vector<Facet> facets = {Facet::kPerson,   Facet::kPlace, Facet::kOrg,   Facet::kSource,
                                     Facet::kLanguage, Facet::kYear,  Facet::kMonth, Facet::kDay};
  search::FacetSpy spy(db, facets, false);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query::MatchAll);
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 0, db.get_doccount());
  const Ids all = all_ids();
  std::size_t checked = 0;
  for (const search::FacetResult& result : spy.results(1000)) {
    std::set<std::string> values;
    for (const search::FacetValue& v : result.values) {
      values.insert(v.value);
      const std::string filter = search::facet_filter(result.facet, v.value);
      CAPTURE(filter);
      const Ids want = expected(result.facet, v.value);
      REQUIRE(!want.empty());
      search::QueryBuilder qb(db, {"en", "ru", "uk", "ar"});
      CHECK(test::matching_ids(db, qb.build(filter).query) == want);
      // Excluded, alone: every other article (undated and source-less ones included).
      Ids rest;
      std::set_difference(all.begin(), all.end(), want.begin(), want.end(),
                          std::inserter(rest, rest.end()));
      CHECK(test::matching_ids(db, qb.build("-" + filter).query) == rest);
      CHECK(test::matching_ids(db, qb.build("NOT " + filter).query) == rest);
      // ANDed to a query, it narrows it.
      Ids narrowed;
      const Ids nato = test::matching_ids(db, qb.build("nato").query);
      std::set_intersection(nato.begin(), nato.end(), want.begin(), want.end(),
                            std::inserter(narrowed, narrowed.end()));
      CHECK(test::matching_ids(db, qb.build("nato " + filter).query) == narrowed);
      ++checked;
    }
    // Every value the table holds was listed, so none went unchecked.
    CHECK(values == table_values(result.facet));
  }
  CHECK(checked == 5 + 4 + 2 + 8 + 4 + 3 + 4 + 6);
}

TEST_CASE("QueryBuilder: an entity id selects that entity, not others with it as an alias") {
  GetDb& f = fixture();
  const Xapian::Database db(f.dir);
  search::QueryBuilder qb(db, {"en"});
  auto run = [&](const std::string& q) { return test::matching_ids(db, qb.build(q).query); };
  CHECK(run("place:kyiv") == Ids{"d1", "d5"});
  CHECK(run("place:Kyiv") == Ids{"d1", "d5"});  // ids in any case
  CHECK(run("place:kyiv-oblast") == Ids{"d2"});
  CHECK(run("org:nato") == Ids{"d1", "d4"});
  CHECK(run("org:x-nato") == Ids{"d6"});
  // An id the lexicon lacks, known by its entity term.
  CHECK(run("person:x-unlisted-person") == Ids{"d7"});
  CHECK(run("entity:x-unlisted-person") == Ids{"d7"});
  // Names still go through the aliases, to every entity they name.
  CHECK(run("person:ushakov") == Ids{"d2", "d3"});
  CHECK(run("org:\"NATO\"") == Ids{"d1", "d4"});  // quoted, still the id
  CHECK(run("place:kiev") == Ids{"d1", "d5"});
}

TEST_CASE("Searcher: an empty query or filters alone match every article, undated included") {
  search::Searcher searcher(fixture().dir);
  search::SearchRequest req;
  req.limit = 100;
  const search::SearchResult r = searcher.search(req);
  CHECK(hit_ids(r) ==
        std::vector<std::string>{"d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"});
  for (const search::Hit& h : r.hits) {
    CAPTURE(h.article.id);
    CHECK(h.score == 0);
    CHECK(!h.snippet.plain().empty());  // the first lines of the body, nothing highlighted
    for (const search::Snippet::Run& run : h.snippet.runs) CHECK(!run.highlight);
  }
  CHECK(r.hits[0].snippet.plain().find("Zelensky met NATO envoys") == 0);
  // Newest first; undated last.
  req.sort = search::SortOrder::kNewest;
  req.limit = 3;
  CHECK(hit_ids(searcher.search(req)) == std::vector<std::string>{"d8", "d9", "d3"});
  req.sort = search::SortOrder::kOldest;
  req.limit = 100;
  CHECK(hit_ids(searcher.search(req)).back() == "d4");
  // Whitespace alone, and filters alone.
  req.sort = search::SortOrder::kRelevance;
  req.query = " \t ";
  CHECK(searcher.search(req).hits.size() == 9);
  req.query = "lang:ru";
  CHECK(hit_ids(searcher.search(req)) == std::vector<std::string>{"d3", "d6"});
  req.query = "-lang:en";
  CHECK(hit_ids(searcher.search(req)) == std::vector<std::string>{"d2", "d3", "d5", "d6"});
  req.query = "";
  req.since = "2026";
  CHECK(hit_ids(searcher.search(req)) == std::vector<std::string>{"d8", "d9"});
}

TEST_CASE("Searcher::get: the article, its entities, story and story size") {
  search::Searcher searcher(fixture().dir);
  const search::Explanation e = searcher.get("d2");
  CHECK(e.article.id == "d2");
  CHECK(e.article.title == "Зеленський і Ушаков");
  CHECK(e.article.body == "Зустріч у Київській області.");
  CHECK(e.article.source == "Back\\slash News");
  CHECK(e.article.language == "uk");
  CHECK(e.lines == 1);
  REQUIRE(e.entities.size() == 3);
  CHECK(e.entities[0].type == kP);
  CHECK(e.entities[0].id == "volodymyr-zelensky");
  CHECK(e.entities[0].name == "Volodymyr Zelensky");
  CHECK(e.entities[1].id == "yuri-ushakov");
  CHECK(e.entities[1].name == "Yuri Ushakov");
  CHECK(e.entities[2].type == kL);
  CHECK(e.entities[2].name == "Kyiv Oblast");
  CHECK(e.story == kStoryA);
  CHECK(e.story_size == 2);
  // The same entities, in the same order, as the article's hit in a search.
  search::SearchRequest req;
  req.query = "id:d2";
  const search::SearchResult r = searcher.search(req);
  REQUIRE(r.hits.size() == 1);
  REQUIRE(r.hits[0].entities.size() == e.entities.size());
  for (std::size_t k = 0; k < e.entities.size(); ++k) {
    CHECK(r.hits[0].entities[k].type == e.entities[k].type);
    CHECK(r.hits[0].entities[k].id == e.entities[k].id);
    CHECK(r.hits[0].entities[k].name == e.entities[k].name);
  }
  // No story: empty, size 0. An entity without a lexicon entry is named by its id.
  const search::Explanation d7 = searcher.get("d7");
  CHECK(d7.story.empty());
  CHECK(d7.story_size == 0);
  REQUIRE(d7.entities.size() == 1);
  CHECK(d7.entities[0].name == "x-unlisted-person");
  CHECK(searcher.get("d6").story_size == 2);
  CHECK(searcher.get("d1").lines == 2);
  // explain() is the article without entities or story.
  const search::Explanation x = searcher.explain("d2");
  CHECK(x.article.body == e.article.body);
  CHECK(x.entities.empty());
  CHECK(x.story.empty());
}

TEST_CASE("Searcher::get and explain: an unknown id is kNoSuchArticle, quoted safely") {
  search::Searcher searcher(fixture().dir);
  for (const bool get : {true, false}) {
    CAPTURE(get);
    auto call = [&](const std::string& id) {
      return failure([&] { get ? searcher.get(id) : searcher.explain(id); });
    };
    CHECK(call("nope") ==
          std::pair(ErrorKind::kNoSuchArticle, std::string("no article with id \"nope\"")));
    CHECK(call("") == std::pair(ErrorKind::kNoSuchArticle, std::string("no article with id \"\"")));
    CHECK(call("a \"quoted\\\" \x1b[2J id") ==
          std::pair(ErrorKind::kNoSuchArticle,
                    std::string("no article with id \"a \\\"quoted\\\\\\\" \\x1b[2J id\"")));
    const auto [kind, message] = call(std::string(10000, 'x') + "\xff");
    CHECK(kind == ErrorKind::kNoSuchArticle);
    CHECK(message == "no article with id \"" + std::string(60, 'x') + "\"...");
    CHECK(call("\xff\xfe").second == "no article with id \"\uFFFD\uFFFD\"");
    // Only a whole id: a prefix of one is not it.
    CHECK(call("d").first == ErrorKind::kNoSuchArticle);
  }
}
