// "Did you mean" (search/suggest.hpp, index/spelling.hpp) and name variants in plain queries
// (search/aliases.hpp), on the sample archive indexed by IndexWriter with the built-in gazetteer:
// the lexicon and spelling table are the ones a real run writes.
#include <filesystem>
#include <set>
#include <string>

#include "article_fixture.hpp"
#include <doctest/doctest.h>
#include <unistd.h>
#include <xapian.h>

#include "sitrep/entities/entities.hpp"
#include "sitrep/index/document.hpp"
#include "sitrep/index/index_writer.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/search/aliases.hpp"
#include "sitrep/search/query_builder.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/search/suggest.hpp"
#include "sitrep/store/layout.hpp"
#include "sitrep/store/metadata.hpp"
#include "sitrep/store/spelling.hpp"

using namespace sitrep;
namespace fs = std::filesystem;

namespace {

using Ids = std::set<std::string>;

struct SampleDb {
  std::string path;
  entities::Gazetteer gazetteer;

  SampleDb() {
    path = (fs::temp_directory_path() / ("sitrep-suggest-" + std::to_string(::getpid()))).string();
    fs::remove_all(path);
    fs::remove_all(path + ".d");
    gazetteer.load_builtin();
    index::WriterOptions options;
    options.threads = 2;
    options.gazetteer = &gazetteer;
    index::IndexWriter writer(path, options);
    for (schema::Article& a : test::load_sample_archive()) writer.add(std::move(a));
    writer.finish();
  }
  ~SampleDb() {
    std::error_code ec;
    fs::remove_all(path, ec);
    fs::remove_all(path + ".d", ec);
  }
  std::string dir() const { return store::resolve_database(path); }

  search::SearchResult search(const std::string& q) {
    search::Searcher searcher(dir());
    search::SearchRequest req;
    req.query = q;
    req.limit = 1000;
    req.exact_total = true;
    return searcher.search(req);
  }
  Ids ids(const std::string& q) {
    Ids out;
    for (const search::Hit& h : search(q).hits) out.insert(h.article.id);
    return out;
  }
};

SampleDb& sample() {
  static SampleDb db;
  return db;
}

// The frequency of word in db's spelling table (0: not in it).
Xapian::termcount spelling_frequency(const Xapian::Database& db, const std::string& word) {
  auto it = db.spellings_begin();
  it.skip_to(word);
  return it != db.spellings_end() && *it == word ? it.get_termfreq() : 0;
}

bool contains_all(const Ids& big, const Ids& small) {
  for (const std::string& id : small) {
    if (!big.count(id)) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("aliases: reads_as_name") {
  for (const char* w : {"Zelenskiy", "Kiev", "Путин", "Київ", "McCain", "كييف", "'Kiev"}) {
    CAPTURE(w);
    CHECK(search::reads_as_name(w));
  }
  for (const char* w : {"kiev", "turkey", "KIEV", "NATO", "путин", "123", "", "X"}) {
    CAPTURE(w);
    CHECK_FALSE(search::reads_as_name(w));
  }
}

TEST_CASE("name variants: Zelenskiy Miami finds what Zelensky Miami finds") {
  SampleDb& db = sample();
  const Ids want = db.ids("Zelensky Miami");
  REQUIRE_FALSE(want.empty());
  CHECK(db.ids("Zelenskiy Miami") == want);
  CHECK(db.ids("Зеленський Miami") == want);
}

TEST_CASE("name variants: a name typed in any spelling finds its entity's articles") {
  SampleDb& db = sample();
  struct Case {
    const char* word;
    const char* filter;
  };
  for (const Case c :
       {Case{"Kiev", "place:kyiv"}, Case{"Путин", "person:vladimir-putin"},
        Case{"Zelenskiy", "person:volodymyr-zelensky"}, Case{"Київ", "place:kyiv"}}) {
    CAPTURE(c.word);
    const Ids entity = db.ids(c.filter);
    REQUIRE_FALSE(entity.empty());
    const Ids found = db.ids(c.word);
    CHECK(contains_all(found, entity));
    // The word's own matches stay: the entity is OR-ed in, ranked as one term.
    const search::SearchResult r = db.search(c.word);
    CHECK(r.parsed.find("SYNONYM") != std::string::npos);
    CHECK(r.parsed.find(schema::terms::kAnyEntity) != std::string::npos);
  }
}

TEST_CASE("name variants: only a word typed as a name; in lower case or capitals only a word") {
  SampleDb& db = sample();
  CHECK(db.search("Kiev").parsed.find(schema::terms::kAnyEntity) != std::string::npos);
  for (const char* q : {"kiev", "KIEV", "путин", "title:Kiev", "\"Kiev\""}) {
    CAPTURE(q);
    CHECK(db.search(q).parsed.find(schema::terms::kAnyEntity) == std::string::npos);
  }
  // An exact id filter is still exactly that entity.
  CHECK(db.search("place:kyiv").parsed.find("SYNONYM") == std::string::npos);
}

TEST_CASE("suggest: a misspelt word gets the spelling table's correction, never applied") {
  SampleDb& db = sample();
  struct Case {
    const char* query;
    const char* suggestion;
  };
  for (const Case c :
       {Case{"Uskakov", "Ushakov"}, Case{"Witkof", "Witkoff"},
        Case{"Uskakov AND Witkof", "Ushakov AND Witkoff"},
        Case{"\"Yuri Uskakov\"", "\"Yuri Ushakov\""}, Case{"USKAKOV", "USHAKOV"},
        Case{"(Witkof OR xyzzyq)", "(Witkoff OR xyzzyq)"}, Case{"person:Witkof", "person:Witkoff"},
        Case{"person:\"Volodimir Zelensky\"", "person:\"Volodymyr Zelensky\""}}) {
    CAPTURE(c.query);
    const search::SearchResult r = db.search(c.query);
    CHECK(r.articles.estimate == 0);
    CHECK(r.hits.empty());
    CHECK(r.suggestion == c.suggestion);
    CHECK_FALSE(db.search(r.suggestion).hits.empty());
  }
}

TEST_CASE("suggest: only for a query that finds too little and whose correction finds more") {
  SampleDb& db = sample();
  CHECK(db.search("Witkof").suggestion == "Witkoff");
  for (const char* q : {"Ushakov", "Witkoff", "Zelensky", "ceasefire", "Ushakov xyzzyq",
                        "source:Witkof", "id:Uskakov", "Uskak*", "person:qqqqqqqq"}) {
    CAPTURE(q);
    CHECK(db.search(q).suggestion.empty());
  }
}

TEST_CASE("suggest: a database without a spelling table gives no suggestion until it has one") {
  const std::string dir =
      (fs::temp_directory_path() / ("sitrep-suggest-old-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);
  {
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
    index::DocumentBuilder builder;
    std::string used;
    for (int i = 0; i < 3; ++i) {
      const std::string id = "d" + std::to_string(i);
      db.replace_document(
          schema::terms::id(id),
          builder.build(test::make_article(id, "Ushakov spoke", "Ushakov said the talks went well.",
                                           "en", "Wire", "2025-01-02"),
                        used));
    }
    db.set_metadata(std::string(schema::meta::kSchemaVersion),
                    std::to_string(schema::kSchemaVersion));
    db.set_metadata(std::string(schema::meta::kLanguages), "en");
    db.commit();
    CHECK(db.spellings_begin() == db.spellings_end());
  }
  search::Searcher searcher(dir);
  search::SearchRequest req;
  req.query = "Uskakov";
  CHECK(searcher.search(req).hits.empty());
  CHECK(searcher.search(req).suggestion.empty());
  // The next sitrep-index run fills the table (store::sync_spelling): then it has one.
  {
    Xapian::WritableDatabase db(dir, Xapian::DB_OPEN);
    store::sync_spelling(db);
    db.commit();
  }
  CHECK(search::Searcher(dir).search(req).suggestion == "Ushakov");
  fs::remove_all(dir);
}

TEST_CASE("store::sync_spelling follows the words of the database") {
  // On disk: the in-memory backend has no spelling table.
  const std::string dir =
      (fs::temp_directory_path() / ("sitrep-spelling-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir);
  Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
  index::DocumentBuilder builder;
  std::string used;
  auto add = [&](const std::string& id, const std::string& body) {
    db.replace_document(schema::terms::id(id),
                        builder.build(test::make_article(id, "", body, "en", "Wire", ""), used));
  };
  add("a", "Ushakov met envoys in 2025 at noon");
  add("b", "Ushakov met envoys again");
  add("c", "Once only: Witkoff");
  store::SpellingCounts n = store::sync_spelling(db);
  CHECK(spelling_frequency(db, "ushakov") == 2);
  CHECK(spelling_frequency(db, "envoys") == 2);
  CHECK(spelling_frequency(db, "witkoff") == 0);  // in one article only
  CHECK(spelling_frequency(db, "met") == 0);      // too short
  CHECK(spelling_frequency(db, "2025") == 0);     // a number
  CHECK(n.words == 2);
  CHECK(db.get_spelling_suggestion("uskakov") == "ushakov");
  // Nothing changed: nothing to write.
  CHECK(store::sync_spelling(db).changed == 0);
  // A word that falls below leaves; one that rises enters.
  db.delete_document(schema::terms::id("b"));
  add("d", "Witkoff again");
  n = store::sync_spelling(db);
  CHECK(spelling_frequency(db, "ushakov") == 0);
  CHECK(spelling_frequency(db, "witkoff") == 2);
  CHECK(spelling_frequency(db, "again") == 0);
  CHECK(n.words == 1);
  db.close();
  fs::remove_all(dir);
}
