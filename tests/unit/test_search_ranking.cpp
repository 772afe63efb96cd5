// The weighting schemes of the default query mode (search/ranking.hpp make_weight): the default
// is IneB2, whose weights stay positive for words in every article, so a query keeping its stop
// words still finds and ranks; the other schemes are there for measuring, and a bad name or
// parameter is a usage error.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <xapian.h>

#include "sitrep/search/ranking.hpp"
#include "sitrep/util/error.hpp"

using namespace sitrep;

namespace {

// Ten articles, each with "the" many times; "treaty" in articles 1 and 2, "ban" in 2 and 3 (three
// times in 3).
Xapian::Database make_db() {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (int i = 0; i < 10; ++i) {
    Xapian::Document doc;
    Xapian::termpos pos = 1;
    for (int k = 0; k < 20 + i; ++k) doc.add_posting("the", pos++);
    for (int k = 0; k < 10; ++k) doc.add_posting("filler" + std::to_string(i * 10 + k), pos++);
    if (i == 1 || i == 2) doc.add_posting("treaty", pos++);
    if (i == 2 || i == 3) doc.add_posting("ban", pos++);
    if (i == 3)
      for (int k = 0; k < 2; ++k) doc.add_posting("ban", pos++);
    doc.set_data(std::to_string(i));
    db.add_document(doc);
  }
  db.commit();
  return db;
}

std::vector<std::string> ranked(const Xapian::Database& db, const Xapian::Query& q,
                                const search::Ranking& r) {
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(*search::make_weight(r));
  enquire.set_query(q);
  std::vector<std::string> out;
  const Xapian::MSet mset = enquire.get_mset(0, 100);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    CHECK(it.get_weight() > 0);
    out.push_back(it.get_document().get_data());
  }
  return out;
}

Xapian::Query any_of(const std::vector<std::string>& words) {
  return Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end());
}

}  // namespace

TEST_CASE("ranking: the default scheme is IneB2; the others are named, bm25 among them") {
  const search::Ranking r;
  CHECK(r.weighting == "ineb2:0.5");
  CHECK(search::make_weight(r)->name() == "Xapian::IneB2Weight");
  for (const auto& [spec, name] :
       std::vector<std::pair<std::string, std::string>>{{"bm25", "Xapian::BM25Weight"},
                                                        {"lm-dirichlet:500", "Xapian::LMWeight"},
                                                        {"pl2:2", "Xapian::PL2Weight"},
                                                        {"dph", "Xapian::DPHWeight"},
                                                        {"tfidf:ltn", "Xapian::TfIdfWeight"},
                                                        {"coord:0.5", "sitrep::CoordBM25Weight"}}) {
    search::Ranking s;
    s.weighting = spec;
    CHECK_MESSAGE(search::make_weight(s)->name() == name, spec);
  }
}

TEST_CASE("ranking: an unknown scheme or a bad parameter is a usage error") {
  for (const std::string spec : {"bm26", "", "ineb2:x", "pl2:-1", "tfidf:nt", "ineb2:0.5x"}) {
    search::Ranking r;
    r.weighting = spec;
    try {
      (void)search::make_weight(r);
      FAIL("no error for '" << spec << "'");
    } catch (const Error& e) {
      CHECK_MESSAGE(e.kind() == ErrorKind::kUsage, spec);
    }
  }
}

TEST_CASE("ranking: with the default scheme a word in every article keeps every match ranked") {
  const Xapian::Database db = make_db();
  const search::Ranking r;
  // "the" is in all ten articles, many times each: its weight must not be zero or negative (IfB2's
  // is, and the query then finds nothing), and the articles with "treaty" come first.
  const auto hits = ranked(db, any_of({"the", "treaty"}), r);
  REQUIRE(hits.size() == 10);
  CHECK(((hits[0] == "1" && hits[1] == "2") || (hits[0] == "2" && hits[1] == "1")));
  // Two keywords, as the default mode asks: the article with both ranks above the one repeating
  // one of them.
  const auto two =
      ranked(db, search::prefer_all_terms(any_of({"treaty", "ban"}), r.all_terms_boost), r);
  REQUIRE(two.size() == 3);
  CHECK(two[0] == "2");
}

TEST_CASE("ranking: coord adds its constant for each query word matched") {
  const Xapian::Database db = make_db();
  search::Ranking r;
  r.weighting = "coord:0";
  const auto plain = ranked(db, any_of({"ban", "treaty"}), r);
  r.weighting = "coord:5";
  const auto coord = ranked(db, any_of({"ban", "treaty"}), r);
  REQUIRE(plain.size() == 3);
  REQUIRE(coord.size() == 3);
  CHECK(coord[0] == "2");  // both words: 2 x 5 on top of BM25
}
