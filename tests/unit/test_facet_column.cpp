// The facet column (store/facet_column.hpp): written by the indexer, used by the facet counter
// only for the revision it was built from, and counting exactly what slot kFacets counts, through
// both ways the searcher hands matches to the counter (a second unweighted pass, or the ranked
// pass itself).
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "article_fixture.hpp"
#include <doctest/doctest.h>
#include <unistd.h>
#include <xapian.h>

#include "sitrep/entities/entities.hpp"
#include "sitrep/index/index_writer.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/search/facets.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/store/facet_column.hpp"
#include "sitrep/store/layout.hpp"
#include "sitrep/util/hash.hpp"

using namespace sitrep;
namespace fs = std::filesystem;

namespace {

// The sample archive plus articles without a date, a source or any entity, indexed with the
// built-in gazetteer by IndexWriter into a fresh database.
struct ColumnDb {
  std::string path;
  entities::Gazetteer gazetteer;

  ColumnDb() {
    path = (fs::temp_directory_path() / ("sitrep-column-" + std::to_string(::getpid()))).string();
    fs::remove_all(path);
    fs::remove_all(path + ".d");
    gazetteer.load_builtin();
    index::WriterOptions options;
    options.threads = 2;
    options.gazetteer = &gazetteer;
    index::IndexWriter writer(path, options);
    for (schema::Article& a : test::load_sample_archive()) writer.add(std::move(a));
    writer.add(test::make_article("undated-1", "Talks in Kyiv",
                                  "Officials met in Kyiv to discuss grain exports.", "en", "Wire",
                                  ""));
    writer.add(test::make_article("nosource-1", "Grain exports", "Grain exports rose again.", "en",
                                  "", "2024-02-03"));
    writer.add(test::make_article("plain-1", "a quiet day", "nothing much happened today.", "en",
                                  "Wire", "2024-02-04"));
    writer.finish();
  }
  ~ColumnDb() {
    std::error_code ec;
    fs::remove_all(path, ec);
    fs::remove_all(path + ".d", ec);
  }
  std::string dir() const { return store::resolve_database(path); }
};

const std::vector<std::string> kQueries = {"Kyiv",
                                           "grain",
                                           "Kyiv OR Moscow",
                                           "grain exports",
                                           "\"grain exports\"",
                                           "Kyiv NOT grain",
                                           "place:kyiv",
                                           "title:Kyiv",
                                           "Kyiv date:2022-01-01..2022-12-31",
                                           "zzznomatch",
                                           "ceasefire OR truce OR talks",
                                           "sanctions OR Kyiv OR Gaza"};

search::SearchRequest request(const std::string& q, bool collapse) {
  search::SearchRequest r;
  r.query = q;
  r.facets = {search::Facet::kPerson, search::Facet::kPlace,    search::Facet::kOrg,
              search::Facet::kSource, search::Facet::kLanguage, search::Facet::kYear,
              search::Facet::kMonth,  search::Facet::kDay};
  r.facet_limit = 1000;
  r.timeline = search::Interval::kDay;
  r.collapse = collapse;
  return r;
}

void check_same(const search::SearchResult& a, const search::SearchResult& b) {
  CHECK(a.estimate == b.estimate);
  CHECK(a.articles.estimate == b.articles.estimate);
  CHECK(a.stories.has_value() == b.stories.has_value());
  if (a.stories && b.stories) CHECK(a.stories->estimate == b.stories->estimate);
  REQUIRE(a.facets.size() == b.facets.size());
  for (std::size_t i = 0; i < a.facets.size(); ++i) {
    const search::FacetResult &x = a.facets[i], &y = b.facets[i];
    INFO("facet " << search::facet_name(x.facet));
    CHECK(x.facet == y.facet);
    CHECK(x.stories == y.stories);
    CHECK(x.distinct == y.distinct);
    CHECK(x.missing == y.missing);
    REQUIRE(x.values.size() == y.values.size());
    for (std::size_t j = 0; j < x.values.size(); ++j) {
      CHECK(x.values[j].value == y.values[j].value);
      CHECK(x.values[j].name == y.values[j].name);
      CHECK(x.values[j].count == y.values[j].count);
      CHECK(x.values[j].articles == y.values[j].articles);
      CHECK(x.values[j].stories == y.values[j].stories);
      CHECK(x.values[j].filter == y.values[j].filter);
    }
  }
  REQUIRE(a.timeline.has_value() == b.timeline.has_value());
  if (a.timeline) {
    CHECK(a.timeline->undated == b.timeline->undated);
    CHECK(a.timeline->undated_stories == b.timeline->undated_stories);
    REQUIRE(a.timeline->periods.size() == b.timeline->periods.size());
    for (std::size_t j = 0; j < a.timeline->periods.size(); ++j) {
      CHECK(a.timeline->periods[j].period == b.timeline->periods[j].period);
      CHECK(a.timeline->periods[j].count == b.timeline->periods[j].count);
      CHECK(a.timeline->periods[j].articles == b.timeline->periods[j].articles);
      CHECK(a.timeline->periods[j].stories == b.timeline->periods[j].stories);
    }
  }
}

// Collapsed counts (c) and plain ones (plain) of the same query: the same articles per value and
// period; c counts stories, never more than articles.
void check_articles_same(const search::SearchResult& c, const search::SearchResult& plain) {
  CHECK(c.articles.estimate == plain.articles.estimate);
  REQUIRE(c.facets.size() == plain.facets.size());
  for (std::size_t i = 0; i < c.facets.size(); ++i) {
    INFO("facet " << search::facet_name(c.facets[i].facet));
    CHECK(c.facets[i].stories);
    std::map<std::string, Xapian::doccount> x, y;
    for (const search::FacetValue& v : c.facets[i].values) {
      x[v.value] = v.articles;
      CHECK(v.count == v.stories);
      CHECK(v.stories <= v.articles);
      CHECK(v.stories >= 1);
    }
    for (const search::FacetValue& v : plain.facets[i].values) y[v.value] = v.count;
    CHECK(x == y);
  }
  REQUIRE(c.timeline);
  REQUIRE(c.timeline->periods.size() == plain.timeline->periods.size());
  CHECK(c.timeline->undated == plain.timeline->undated);
  for (std::size_t j = 0; j < c.timeline->periods.size(); ++j) {
    CHECK(c.timeline->periods[j].articles == plain.timeline->periods[j].count);
    CHECK(c.timeline->periods[j].stories <= c.timeline->periods[j].articles);
  }
}

// Facets of every query of kQueries, from the column and from the slot, collapsed or not (a
// second, unweighted pass for OR queries and collapsed ones): the two ways the same.
void check_column_matches_slot(const std::string& path) {
  search::Searcher with(path), without(path);
  without.set_facet_column(false);
  for (const std::string& q : kQueries) {
    INFO("query: " << q);
    const search::SearchResult plain = without.search(request(q, false));
    check_same(with.search(request(q, false)), plain);
    // Collapsed, the counts are in stories, and the articles are the same as without.
    const search::SearchResult c1 = with.search(request(q, true)),
                               c2 = without.search(request(q, true));
    check_same(c1, c2);
    check_articles_same(c1, plain);
  }
}

std::size_t column_files(const std::string& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("facets-") && name.ends_with(".col")) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("the indexer writes one facet column, of the revision it leaves") {
  ColumnDb db;
  Xapian::Database x(db.dir());
  CHECK(column_files(db.dir()) == 1);
  CHECK(fs::exists(fs::path(db.dir()) / store::facet_column_name(x.get_revision())));
  const auto column = store::FacetColumn::open(db.dir(), x);
  REQUIRE(column != nullptr);
  CHECK(column->limit() == x.get_lastdocid() + 1);
  CHECK(column->entity_count() > 10);  // the sample archive names many people and places
  CHECK(column->ref_width() == 2);
  // Each type's entities form one run, ids and names readable.
  for (int t = 0; t < 3; ++t) {
    for (std::uint32_t e = column->type_begin(t); e < column->type_begin(t + 1); ++e) {
      const auto ent = column->entity(e);
      CHECK((ent.key >> 62) == static_cast<std::uint64_t>(t));
      CHECK(!ent.id.empty());
      CHECK(!ent.name.empty());
    }
  }
  CHECK(column->type_begin(3) == column->entity_count());
}

TEST_CASE("facets from the column equal facets from slot kFacets, in both passes") {
  ColumnDb db;
  check_column_matches_slot(db.path);
}

TEST_CASE("4-byte entity numbers count the same") {
  ColumnDb db;
  {
    Xapian::Database x(db.dir());
    fs::remove(fs::path(db.dir()) / store::facet_column_name(x.get_revision()));
  }
  store::write_facet_column(db.dir(), /*wide=*/true);
  Xapian::Database x(db.dir());
  const auto column = store::FacetColumn::open(db.dir(), x);
  REQUIRE(column != nullptr);
  CHECK(column->ref_width() == 4);
  check_column_matches_slot(db.path);
}

TEST_CASE("a column of another revision is not used, and the next run writes a new one") {
  ColumnDb db;
  const std::string old_dir = db.dir();
  search::SearchRequest r = request("Kyiv OR grain", false);
  const search::SearchResult before = search::Searcher(db.path).search(r);
  {
    // Change the database behind the indexer's back: delete one article.
    Xapian::WritableDatabase w(old_dir, Xapian::DB_OPEN);
    w.delete_document(std::string(schema::prefix::kId) + "undated-1");
    w.commit();
  }
  Xapian::Database x(old_dir);
  CHECK(store::FacetColumn::open(old_dir, x) == nullptr);  // its revision is older
  search::Searcher s(db.path);
  const search::SearchResult after = s.search(r);
  // Counted from the slot: the deleted article is gone from the total and the undated count.
  search::SearchRequest all = r;
  all.facets.clear();
  all.timeline.reset();
  all.limit = 1000;
  const search::SearchResult hits = s.search(all);
  CHECK(after.estimate == hits.hits.size());
  for (const auto& h : hits.hits) CHECK(h.article.id != "undated-1");
  CHECK(after.estimate == before.estimate - 1);
  CHECK(after.timeline->undated == before.timeline->undated - 1);

  // A run of the indexer (with nothing to add) writes the column of the new revision.
  {
    index::WriterOptions options;
    options.gazetteer = &db.gazetteer;
    index::IndexWriter writer(db.path, options);
    writer.finish();
  }
  Xapian::Database y(db.dir());
  CHECK(store::FacetColumn::open(db.dir(), y) != nullptr);
  CHECK(column_files(db.dir()) == 1);
  check_column_matches_slot(db.path);
}

TEST_CASE("issue 11.8: a damaged column is ignored, and facets are counted as from the slot") {
  ColumnDb db;
  Xapian::Database x(db.dir());
  const fs::path file = fs::path(db.dir()) / store::facet_column_name(x.get_revision());
  const auto size = fs::file_size(file);
  std::string bytes(size, '\0');
  {
    std::ifstream in(file, std::ios::binary);
    in.read(bytes.data(), static_cast<std::streamsize>(size));
  }
  auto write = [&](const std::string& b) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(b.data(), static_cast<std::streamsize>(b.size()));
  };
  auto state = [&]() {
    store::FacetColumn::State st = store::FacetColumn::State::kPresent;
    CHECK(store::FacetColumn::open(db.dir(), x, &st) == nullptr);
    return st;
  };
  // The trailer: XXH3-64 of every byte before it.
  auto reseal = [](std::string& b) {
    const std::uint64_t sum = hash64(std::string_view(b.data(), b.size() - 8));
    std::memcpy(b.data() + b.size() - 8, &sum, 8);
  };
  {
    store::FacetColumn::State st = store::FacetColumn::State::kAbsent;
    CHECK(store::FacetColumn::open(db.dir(), x, &st) != nullptr);
    CHECK(st == store::FacetColumn::State::kPresent);
  }
  SUBCASE("one byte flipped anywhere: header, offsets, records, entities, blob, checksum") {
    std::uint64_t off_records = 0, off_entities = 0, off_blob = 0;
    std::memcpy(&off_records, bytes.data() + 64, 8);
    std::memcpy(&off_entities, bytes.data() + 72, 8);
    std::memcpy(&off_blob, bytes.data() + 104, 8);
    for (const std::size_t at :
         {std::size_t{20}, std::size_t{124}, static_cast<std::size_t>(off_records) + 5,
          static_cast<std::size_t>(off_entities) + 3, static_cast<std::size_t>(off_blob),
          bytes.size() / 2, bytes.size() - 9, bytes.size() - 1}) {
      INFO("byte " << at << " of " << bytes.size());
      std::string b = bytes;
      b[at] = static_cast<char>(b[at] ^ 0x20);
      write(b);
      CHECK(state() == store::FacetColumn::State::kDamaged);
    }
    // Facets (with a flipped blob byte: a reader without the checksum showed invented names).
    std::string b = bytes;
    b[off_blob] = static_cast<char>(b[off_blob] ^ 0x20);
    write(b);
    check_column_matches_slot(db.path);
  }
  SUBCASE("truncated") {
    write(bytes.substr(0, bytes.size() / 2));
    CHECK(state() == store::FacetColumn::State::kDamaged);
    write(bytes.substr(0, 16));
    CHECK(state() == store::FacetColumn::State::kDamaged);
    write(bytes.substr(0, bytes.size() - 8));  // without its checksum
    CHECK(state() == store::FacetColumn::State::kDamaged);
  }
  SUBCASE("another magic") {
    std::string b = bytes;
    b[0] = 'X';
    write(b);
    CHECK(state() == store::FacetColumn::State::kDamaged);
  }
  SUBCASE("an older format (no checksum): outdated, and the next run writes this one's") {
    std::string b = bytes;
    const std::uint32_t two = 2;
    std::memcpy(b.data() + 8, &two, 4);
    write(b);
    CHECK(state() == store::FacetColumn::State::kOutdated);
    check_column_matches_slot(db.path);
    {
      index::WriterOptions options;
      options.gazetteer = &db.gazetteer;
      index::IndexWriter writer(db.path, options);
      writer.finish();
    }
    Xapian::Database y(db.dir());
    store::FacetColumn::State st = store::FacetColumn::State::kAbsent;
    CHECK(store::FacetColumn::open(db.dir(), y, &st) != nullptr);
    CHECK(st == store::FacetColumn::State::kPresent);
  }
  SUBCASE("scribbled records with a matching checksum: counting stays within the file") {
    // Everything after the header's offsets becomes 0xff: offsets, counts and numbers out of
    // range, sealed with a checksum that matches (a bug, not damage, could write such a file).
    // The header still validates, so the searcher uses the column; it must not read outside it
    // (the ASan build checks), and every match is still seen.
    std::string b = bytes;
    for (std::size_t i = 200; i < b.size() / 2; ++i) b[i] = '\xff';
    reseal(b);
    write(b);
    REQUIRE(store::FacetColumn::open(db.dir(), x) != nullptr);
    search::Searcher s(db.path);
    search::Searcher slot(db.path);
    slot.set_facet_column(false);
    for (const std::string& q : kQueries) {
      const auto r = s.search(request(q, false));
      CHECK(r.estimate == slot.search(request(q, false)).estimate);
    }
  }
}

TEST_CASE("--compact and --rebuild give the new generation its column") {
  ColumnDb db;
  const std::string first = db.dir();
  {
    index::WriterOptions options;
    options.gazetteer = &db.gazetteer;
    index::IndexWriter writer(db.path, options);
    writer.compact();
    writer.finish();
  }
  CHECK(db.dir() != first);
  {
    Xapian::Database x(db.dir());
    CHECK(store::FacetColumn::open(db.dir(), x) != nullptr);
    CHECK(column_files(db.dir()) == 1);
  }
  {
    index::WriterOptions options;
    options.gazetteer = &db.gazetteer;
    options.rebuild = true;
    index::IndexWriter writer(db.path, options);
    for (schema::Article& a : test::load_sample_archive()) writer.add(std::move(a));
    writer.finish();
  }
  Xapian::Database x(db.dir());
  CHECK(x.get_doccount() == test::load_sample_archive().size());
  CHECK(store::FacetColumn::open(db.dir(), x) != nullptr);
  check_column_matches_slot(db.path);
}

TEST_CASE("a long-lived Searcher moves to the new revision's column on refresh()") {
  ColumnDb db;
  search::Searcher s(db.path);
  const search::SearchRequest r = request("grain", false);
  const search::SearchResult before = s.search(r);
  {
    index::WriterOptions options;
    options.gazetteer = &db.gazetteer;
    index::IndexWriter writer(db.path, options);
    writer.add(test::make_article("grain-2", "Grain in Odesa", "Grain ships left Odesa.", "en",
                                  "Harbour Wire", "2024-03-05"));
    writer.finish();
  }
  s.refresh();
  const search::SearchResult after = s.search(r);
  CHECK(after.estimate == before.estimate + 1);
  // The new article's source is counted: from the new revision's column, as the slot counts it.
  search::Searcher slot(db.path);
  slot.set_facet_column(false);
  check_same(after, slot.search(r));
  bool found = false;
  for (const auto& f : after.facets) {
    if (f.facet != search::Facet::kSource) continue;
    for (const auto& v : f.values) found = found || (v.value == "Harbour Wire" && v.count == 1);
  }
  CHECK(found);
}

TEST_CASE("a facet column that cannot be written is reported; the documents stay committed") {
  ColumnDb db;
  const std::string dir = db.dir();
  // A directory where write_facet_column puts its temporary file makes the write fail.
  fs::create_directories(fs::path(dir) / (".facets-" + std::to_string(::getpid()) + ".tmp"));
  index::IndexCounts counts;
  {
    index::WriterOptions options;
    options.gazetteer = &db.gazetteer;
    index::IndexWriter writer(db.path, options);
    writer.add(test::make_article("grain-3", "Grain in Izmail", "Grain ships left Izmail.", "en",
                                  "Harbour Wire", "2024-03-06"));
    counts = writer.finish();
  }
  CHECK(counts.added == 1);
  CHECK(counts.facet_column_error.find(".facets-") != std::string::npos);
  Xapian::Database x(dir);
  CHECK(store::FacetColumn::open(dir, x) == nullptr);
  CHECK(column_files(dir) == 0);  // the old revision's column is not left behind either
  // Searches count from the slot, and see the new article.
  search::Searcher s(db.path);
  const search::SearchResult r = s.search(request("Izmail", false));
  CHECK(r.estimate == 1);
  check_column_matches_slot(db.path);
}
