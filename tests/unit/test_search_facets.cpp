// Entity filters, facet counts and timelines against documents built by hand with the schema's
// prefixes, slots and lexicon metadata (schema/fields.hpp, schema/facet_slot.hpp).
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "article_fixture.hpp"
#include <doctest/doctest.h>
#include <unistd.h>

#include "sitrep/index/document.hpp"
#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/search/facets.hpp"
#include "sitrep/search/query_builder.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"

using namespace sitrep;
using search::Facet;

namespace {

using Ids = std::set<std::string>;

constexpr auto kP = schema::EntityType::kPerson, kL = schema::EntityType::kPlace,
               kO = schema::EntityType::kOrg, kX = schema::EntityType::kOther;

using test::Entity;

struct FacetFixture {
  Xapian::WritableDatabase db;
  index::DocumentBuilder builder;

  explicit FacetFixture(Xapian::WritableDatabase d) : db(std::move(d)) {
    add("a1", "Zelensky in Kyiv", "The president met NATO envoys in Kyiv.", "en", "Kyiv Ledger",
        "2025-11-14T09:00:00Z", {{kP, "volodymyr-zelensky"}, {kL, "kyiv"}, {kO, "nato"}});
    add("a2", "Зеленський і Ушаков", "Зустріч у Києві.", "uk", "Dnipro Herald", "2025-11-20",
        {{kP, "volodymyr-zelensky"}, {kP, "yuri-ushakov"}, {kL, "kyiv"}});
    add("a3", "Ушаков в Москве", "Ушаков и Путин встретились в Москве.", "ru", "Vestnik",
        "2025-12-01", {{kP, "yuri-ushakov"}, {kP, "vladimir-putin"}, {kL, "moscow"}});
    add("a4", "Putin and NATO", "Putin spoke about NATO expansion.", "en", "Kyiv Ledger", "",
        {{kP, "vladimir-putin"}, {kO, "nato"}});
    add("a5", "Grain exports", "Grain exports rose in the new year.", "en", "Wire", "2024-01-03",
        {});
    add("a6", "Talks in Riyadh", "Kirill Dmitriev spoke to envoys.", "en", "Wire", "2025-11-16",
        {{kX, "x-kirill-dmitriev"}, {kL, "riyadh"}});
    const std::map<std::string, std::string> aliases = {
        {"zelensky", "volodymyr-zelensky"},
        {"zelenskyy", "volodymyr-zelensky"},
        {"zelenskiy", "volodymyr-zelensky"},
        {"volodymyr zelensky", "volodymyr-zelensky"},
        {"зеленский", "volodymyr-zelensky"},
        {"зеленський", "volodymyr-zelensky"},
        {"ushakov", "yuri-ushakov other-ushakov"},
        {"yuri ushakov", "yuri-ushakov"},
        {"yury ushakov", "yuri-ushakov"},
        {"kyiv", "kyiv"},
        {"kiev", "kyiv"},
        {"київ", "kyiv"},
        {"киев", "kyiv"},
        {"nato", "nato"},
        {"putin", "vladimir-putin"},
        {"moscow", "moscow"},
        {"riyadh", "riyadh"},
        {"kirill dmitriev", "x-kirill-dmitriev"}};
    for (const auto& [key, ids] : aliases)
      db.set_metadata(std::string(schema::meta::kAliasPrefix) + key, ids);
    const std::map<std::string, std::string> names = {{"volodymyr-zelensky", "PVolodymyr Zelensky"},
                                                      {"yuri-ushakov", "PYuri Ushakov"},
                                                      {"other-ushakov", "PAnother Ushakov"},
                                                      {"vladimir-putin", "PVladimir Putin"},
                                                      {"kyiv", "LKyiv"},
                                                      {"moscow", "LMoscow"},
                                                      {"nato", "ONATO"},
                                                      {"x-kirill-dmitriev", "XKirill Dmitriev"}};
    for (const auto& [id, name] : names)
      db.set_metadata(std::string(schema::meta::kEntityPrefix) + id, name);
    db.set_metadata(std::string(schema::meta::kSchemaVersion),
                    std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::meta::kLanguages), "en ru uk");
    db.commit();
  }

  void add(const std::string& id, const std::string& title, const std::string& body,
           const std::string& lang, const std::string& source, const std::string& date,
           const std::vector<Entity>& entities) {
    std::string used;
    Xapian::Document doc =
        builder.build(test::make_article(id, title, body, lang, source, date), used);
    test::add_entities(doc, entities);
    db.replace_document("Q" + id, doc);
  }

  Xapian::Query query(const std::string& q) {
    search::QueryBuilder qb(db, {"en", "ru", "uk"});
    return qb.build(q).query;
  }

  Ids search(const std::string& q) { return run(query(q)); }

  Ids run(const Xapian::Query& q) { return test::matching_ids(db, q); }
};

FacetFixture& corpus() {
  static FacetFixture f{Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY)};
  return f;
}

// Runs q with a FacetSpy over every match; returns the spy's results.
struct Counted {
  std::vector<search::FacetResult> facets;
  search::Timeline timeline;
  Xapian::doccount seen = 0;
  Xapian::doccount matches = 0;
};

Counted count(FacetFixture& f, const Xapian::Query& q, std::vector<Facet> facets,
              search::Interval interval, std::size_t limit = 100) {
  search::FacetSpy spy(f.db, std::move(facets), true);
  Xapian::Enquire enq(f.db);
  enq.set_query(q);
  enq.add_matchspy(&spy);
  const Xapian::MSet mset = enq.get_mset(0, 1, f.db.get_doccount());
  Counted c;
  c.facets = spy.results(limit);
  c.timeline = spy.timeline(interval);
  c.seen = spy.seen();
  c.matches = mset.get_matches_estimated();
  return c;
}

// The filter that selects one facet value, in the query language.
std::string filter_for(Facet facet, const search::FacetValue& v) {
  switch (facet) {
    case Facet::kSource:
      return "source:\"" + v.value + "\"";
    case Facet::kLanguage:
      return "lang:" + v.value;
    case Facet::kYear:
    case Facet::kMonth:
    case Facet::kDay:
      return "date:" + v.value;
    default:
      return std::string(search::facet_name(facet)) + ":" + v.value;
  }
}

}  // namespace

TEST_CASE("entity filters: every spelling of a name finds the same articles") {
  FacetFixture& f = corpus();
  const Ids zelensky{"a1", "a2"};
  for (const char* q : {"person:zelenskyy", "person:Зеленский", "person:\"Volodymyr Zelensky\"",
                        "person:Zelenskiy", "person:ЗЕЛЕНСЬКИЙ", "person:volodymyr-zelensky",
                        "person:«Volodymyr Zelensky»", "person:Zelensky's", "PERSON:zelensky"}) {
    CAPTURE(q);
    CHECK(f.search(q) == zelensky);
  }
  CHECK(f.search("person:ushakov") == Ids{"a2", "a3"});  // a surname alone
  CHECK(f.search("person:\"Yuri Ushakov\"") == f.search("person:\"Yury Ushakov\""));
  CHECK(f.search("person:\"Yury Ushakov\"") == Ids{"a2", "a3"});
  CHECK(f.search("place:Kiev") == Ids{"a1", "a2"});
  CHECK(f.search("place:Київ") == f.search("place:Kiev"));
  CHECK(f.search("place:киев") == f.search("place:kyiv"));
  CHECK(f.search("org:NATO") == Ids{"a1", "a4"});
  // The type matters: Kyiv is a place, not a person; entity: is any type.
  CHECK(f.search("person:kyiv").empty());
  CHECK(f.search("entity:kyiv") == Ids{"a1", "a2"});
  CHECK(f.search("entity:\"Kirill Dmitriev\"") == Ids{"a6"});
  CHECK(f.search("entity:x-kirill-dmitriev") == Ids{"a6"});
  // A spelling the lexicon lacks is looked up under its Latin form too.
  CHECK(f.search("entity:\"Кирилл Дмитриев\"") == Ids{"a6"});
}

TEST_CASE("entity filters combine with the rest of the query language") {
  FacetFixture& f = corpus();
  CHECK(f.search("person:zelensky person:ushakov") == Ids{"a2"});  // both people
  CHECK(f.search("person:zelensky AND person:putin").empty());
  CHECK(f.search("person:zelensky OR person:putin") == Ids{"a1", "a2", "a3", "a4"});
  CHECK(f.search("person:putin -org:nato") == Ids{"a3"});
  CHECK(f.search("person:putin NOT org:nato") == Ids{"a3"});
  CHECK(f.search("-person:zelensky") == Ids{"a3", "a4", "a5", "a6"});
  CHECK(f.search("NOT person:zelensky") == Ids{"a3", "a4", "a5", "a6"});
  CHECK(f.search("(person:zelensky OR place:moscow) date:2025-11") == Ids{"a1", "a2"});
  CHECK(f.search("person:putin date:2025") == Ids{"a3"});  // a4 is undated
  CHECK(f.search("envoys person:zelensky") == Ids{"a1"});
  CHECK(f.search("envoys -person:zelensky") == Ids{"a6"});
  CHECK(f.search("org:nato source:\"Kyiv Ledger\" lang:en") == Ids{"a1", "a4"});
  CHECK(f.search("-source:\"Kyiv Ledger\" person:putin") == Ids{"a3"});
  CHECK(f.search("title:putin org:nato") == Ids{"a4"});
  // An unknown name matches nothing; it is not an error, alone or in a larger query.
  CHECK(f.search("person:nobodyknown").empty());
  CHECK(f.search("person:nobodyknown OR place:kyiv") == Ids{"a1", "a2"});
  CHECK(f.search("place:kyiv -person:nobodyknown") == Ids{"a1", "a2"});
  // An entity filter alone scores nothing (boolean).
  Xapian::Enquire enq(f.db);
  enq.set_query(f.query("person:zelensky"));
  const Xapian::MSet mset = enq.get_mset(0, 10);
  REQUIRE(mset.size() == 2);
  CHECK(mset.begin().get_weight() == 0);
}

TEST_CASE("entity filters: empty values and the rewritten text") {
  FacetFixture& f = corpus();
  for (const char* bad : {"person:", "place:\"\"", "org:!!!", "entity:"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(f.search(bad), Error);
  }
  search::QueryBuilder qb(f.db, {"en"});
  CHECK(qb.rewrite("person:zelenskyy") == "person:volodymyr-zelensky ");
  CHECK(qb.rewrite("-person:ushakov") == "-person:other-ushakov,yuri-ushakov ");
  CHECK(qb.rewrite("person:nobody") == "person:" + std::string(search::kNoEntity) + " ");
}

TEST_CASE("facet counts equal the counts of each value run as its own query") {
  FacetFixture& f = corpus();
  const std::vector<Facet> all{Facet::kPerson,   Facet::kPlace, Facet::kOrg,   Facet::kSource,
                               Facet::kLanguage, Facet::kYear,  Facet::kMonth, Facet::kDay};
  for (const std::string q : {"-nosuchword", "envoys OR putin", "date:2025", "lang:en"}) {
    CAPTURE(q);
    const Xapian::Query base = f.query(q);
    const Counted c = count(f, base, all, search::Interval::kDay);
    const Ids matches = f.run(base);
    CHECK(c.seen == matches.size());
    CHECK(c.matches == matches.size());
    REQUIRE(c.facets.size() == all.size());
    for (const search::FacetResult& r : c.facets) {
      CAPTURE(search::facet_name(r.facet));
      CHECK(r.facet == all[static_cast<std::size_t>(&r - c.facets.data())]);
      Xapian::doccount sum = 0;
      for (const search::FacetValue& v : r.values) {
        const std::string filter = filter_for(r.facet, v);
        CAPTURE(filter);
        CHECK(v.filter == filter);     // the value's own filter (facet_filter)
        CHECK(v.articles == v.count);  // not collapsed: counted in articles
        CHECK(v.stories == 0);
        CHECK_FALSE(r.stories);
        const Ids with = f.run(Xapian::Query(Xapian::Query::OP_FILTER, base, f.query(filter)));
        CHECK(v.count == with.size());
        sum += v.count;
      }
      CHECK(r.distinct == r.values.size());
      if (r.facet == Facet::kYear || r.facet == Facet::kMonth || r.facet == Facet::kDay ||
          r.facet == Facet::kSource || r.facet == Facet::kLanguage) {
        CHECK(sum + r.missing == matches.size());  // single-valued: a partition of the matches
      }
    }
  }
}

TEST_CASE("facet values: order, limit, names and undated articles") {
  FacetFixture& f = corpus();
  const Counted c = count(f, f.query("-nosuchword"),
                          {Facet::kPerson, Facet::kSource, Facet::kYear, Facet::kPlace},
                          search::Interval::kMonth, 2);
  REQUIRE(c.facets.size() == 4);
  const search::FacetResult& person = c.facets[0];
  CHECK(person.facet == Facet::kPerson);
  CHECK(person.distinct == 3);
  CHECK(person.missing == 2);  // a5, a6 name no person
  REQUIRE(person.values.size() == 2);
  // Three people with 2 articles each: ties go by the first article naming them (a1 names
  // Zelensky, a2 Ushakov, a3 Putin).
  CHECK(person.values[0].value == "volodymyr-zelensky");
  CHECK(person.values[0].name == "Volodymyr Zelensky");
  CHECK(person.values[0].count == 2);
  CHECK(person.values[1].value == "yuri-ushakov");
  CHECK(person.values[1].count == 2);
  const search::FacetResult& source = c.facets[1];
  REQUIRE(source.values.size() == 2);
  CHECK(source.values[0].value == "Kyiv Ledger");
  CHECK(source.values[1].value == "Wire");
  CHECK(source.distinct == 4);
  const search::FacetResult& year = c.facets[2];
  REQUIRE(year.values.size() == 2);
  CHECK(year.values[0].value == "2025");
  CHECK(year.values[0].count == 4);
  CHECK(year.values[1].value == "2024");
  CHECK(year.missing == 1);  // a4: counted as undated, never given a date
  // An entity the lexicon does not name is shown by its id.
  const search::FacetResult& place = c.facets[3];
  REQUIRE(place.values.size() == 2);
  CHECK(place.values[0].value == "kyiv");
  CHECK(place.values[1].value == "moscow");
  const Counted r = count(f, f.query("place:riyadh"), {Facet::kPlace}, search::Interval::kMonth);
  REQUIRE(r.facets[0].values.size() == 1);
  CHECK(r.facets[0].values[0].name == "riyadh");
  // Languages are named in English (ICU), their value the code.
  const Counted l = count(f, f.query("-nosuchword"), {Facet::kLanguage}, search::Interval::kMonth);
  std::map<std::string, std::string> names;
  for (const search::FacetValue& v : l.facets[0].values) names[v.value] = v.name;
  CHECK(names == std::map<std::string, std::string>{
                     {"en", "English"}, {"ru", "Russian"}, {"uk", "Ukrainian"}});
}

TEST_CASE("timelines cover every period from the first match to the last and sum to the total") {
  FacetFixture& f = corpus();
  const Xapian::Query all = f.query("-nosuchword");
  const Counted months = count(f, all, {}, search::Interval::kMonth);
  CHECK(months.seen == 6);
  CHECK(months.timeline.undated == 1);
  REQUIRE(months.timeline.periods.size() == 24);  // 2024-01 .. 2025-12
  CHECK(months.timeline.periods.front().period == "2024-01");
  CHECK(months.timeline.periods.front().count == 1);
  CHECK(months.timeline.periods[1].period == "2024-02");
  CHECK(months.timeline.periods[1].count == 0);
  CHECK(months.timeline.periods[22].period == "2025-11");
  CHECK(months.timeline.periods[22].count == 3);
  CHECK(months.timeline.periods.back().period == "2025-12");
  for (search::Interval i :
       {search::Interval::kDay, search::Interval::kWeek, search::Interval::kMonth}) {
    CAPTURE(search::interval_name(i));
    for (const std::string q : {"-nosuchword", "person:zelensky", "person:putin", "nosuchword"}) {
      CAPTURE(q);
      const Counted c = count(f, f.query(q), {}, i);
      Xapian::doccount sum = c.timeline.undated;
      for (const auto& p : c.timeline.periods) sum += p.count;
      CHECK(sum == f.run(f.query(q)).size());
    }
  }
  const Counted weeks = count(f, f.query("date:2025-11"), {}, search::Interval::kWeek);
  REQUIRE(weeks.timeline.periods.size() == 2);
  CHECK(weeks.timeline.periods[0].period == "2025-W46");  // 14 and 16 November
  CHECK(weeks.timeline.periods[0].count == 2);
  CHECK(weeks.timeline.periods[1].period == "2025-W47");  // 20 November
  const Counted days = count(f, f.query("date:2025-11"), {}, search::Interval::kDay);
  REQUIRE(days.timeline.periods.size() == 7);
  CHECK(days.timeline.periods[0].period == "2025-11-14");
  CHECK(days.timeline.periods[1].count == 0);
  CHECK(count(f, f.query("nosuchword"), {}, search::Interval::kDay).timeline.periods.empty());
}

TEST_CASE("period_of, parse_facet_list, parse_interval") {
  using search::Interval;
  CHECK(search::period_of("20251114", Interval::kDay) == "2025-11-14");
  CHECK(search::period_of("20251114", Interval::kMonth) == "2025-11");
  CHECK(search::period_of("20251114", Interval::kWeek) == "2025-W46");
  CHECK(search::period_of("20241230", Interval::kWeek) == "2025-W01");  // ISO year
  CHECK(search::period_of("20210103", Interval::kWeek) == "2020-W53");
  CHECK(search::period_of("20260101", Interval::kWeek) == "2026-W01");
  CHECK(search::period_of("20230101", Interval::kWeek) == "2022-W52");
  CHECK(search::period_of("20250230", Interval::kDay).empty());
  CHECK(search::period_of("2025", Interval::kDay).empty());
  CHECK(search::parse_facet_list("") == search::default_facets());
  CHECK(search::parse_facet_list("person, year,person") ==
        std::vector<Facet>{Facet::kPerson, Facet::kYear});
  CHECK(search::parse_facet_list("lang,day") == std::vector<Facet>{Facet::kLanguage, Facet::kDay});
  CHECK(search::parse_facet_list("default") == search::default_facets());
  CHECK(search::parse_facet_list("month,default").size() == search::default_facets().size() + 1);
  for (const char* bad : {"bogus", "person,", "Person"}) {
    CAPTURE(bad);
    try {
      search::parse_facet_list(bad);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kUsage);
    }
  }
  CHECK(search::parse_interval("week") == Interval::kWeek);
  CHECK(search::parse_interval("quarter") == Interval::kQuarter);
  CHECK(search::parse_interval("year") == Interval::kYear);
  CHECK(search::parse_interval("auto") == Interval::kAuto);
  CHECK(!search::parse_interval("decade"));
  CHECK(!search::parse_interval("Year"));
  for (Interval i : {Interval::kDay, Interval::kWeek, Interval::kMonth, Interval::kQuarter,
                     Interval::kYear, Interval::kAuto})
    CHECK(search::parse_interval(search::interval_name(i)) == i);
  CHECK(search::period_of("20251114", Interval::kQuarter) == "2025-Q4");
  CHECK(search::period_of("20250101", Interval::kQuarter) == "2025-Q1");
  CHECK(search::period_of("20250331", Interval::kQuarter) == "2025-Q1");
  CHECK(search::period_of("20250401", Interval::kQuarter) == "2025-Q2");
  CHECK(search::period_of("20251114", Interval::kYear) == "2025");
  CHECK(search::period_of("20251114", Interval::kAuto).empty());
}

TEST_CASE("Searcher: facets, timeline, exact totals and hit entities") {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("sitrep-facets-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  { FacetFixture disk{Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OVERWRITE)}; }
  search::Searcher searcher(dir);
  search::SearchRequest req;
  req.query = "person:zelensky OR org:nato";
  req.limit = 10;
  req.sort = search::SortOrder::kOldest;
  req.facets = {Facet::kPerson, Facet::kMonth};
  req.facet_limit = 5;
  req.timeline = search::Interval::kMonth;
  const search::SearchResult r = searcher.search(req);
  CHECK(r.exact);
  CHECK(r.estimate == 3);
  CHECK(r.lower_bound == 3);
  CHECK(r.upper_bound == 3);
  REQUIRE(r.hits.size() == 3);
  CHECK(r.hits[0].article.id == "a1");
  REQUIRE(r.hits[0].entities.size() == 3);
  CHECK(r.hits[0].entities[0].type == schema::EntityType::kPerson);
  CHECK(r.hits[0].entities[0].id == "volodymyr-zelensky");
  CHECK(r.hits[0].entities[0].name == "Volodymyr Zelensky");
  CHECK(r.hits[0].entities[2].name == "NATO");
  REQUIRE(r.facets.size() == 2);
  CHECK(r.facets[0].values.size() == 3);
  REQUIRE(r.timeline);
  CHECK(r.timeline->undated == 1);
  REQUIRE(r.timeline->periods.size() == 1);
  CHECK(r.timeline->periods[0].period == "2025-11");
  CHECK(r.timeline->periods[0].count == 2);
  // Page size does not change the counts.
  req.limit = 0;
  const search::SearchResult r0 = searcher.search(req);
  CHECK(r0.hits.empty());
  CHECK(r0.estimate == 3);
  CHECK(r0.facets[0].values.size() == 3);
  // Out of range: below the minimum a usage error, above the maximum limit_exceeded, as for every
  // numeric setting (search/limits.hpp), each naming the setting neutrally.
  auto failure = [&](std::size_t facet_limit) {
    req.facet_limit = facet_limit;
    try {
      searcher.search(req);
    } catch (const Error& e) {
      return std::pair(e.kind(), e.setting() + ": " + e.what());
    }
    return std::pair(ErrorKind::kInternal, std::string("no error"));
  };
  CHECK(failure(0) == std::pair(ErrorKind::kUsage,
                                std::string("facet_limit: facet_limit must be between 1 and 1000 "
                                            "(got 0)")));
  CHECK(failure(1001) ==
        std::pair(ErrorKind::kLimit, std::string("facet_limit: facet_limit must be between 1 and "
                                                 "1000 (got 1001)")));
  std::filesystem::remove_all(dir);
}
