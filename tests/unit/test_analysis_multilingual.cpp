// The multilingual test set (tests/data/multilingual, written for sitrep): every inflected or
// prefixed form of a labelled Russian, Ukrainian or Arabic word finds >= 90% of the articles with
// that label, and >= 90% of what it finds has the label. Indexes and searches the way sitrep does:
// Analyzer::index for each article in its language, Analyzer::expand for a query word over the
// languages of the archive.

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "sitrep/analysis/analyzer.hpp"

namespace analysis = sitrep::analysis;

namespace {

std::string data_dir() {
  // SITREP_SAMPLE_ARCHIVE is <root>/data/sample/archive.jsonl.
  std::string root = SITREP_SAMPLE_ARCHIVE;
  root.resize(root.size() - std::string("data/sample/archive.jsonl").size());
  return root + "tests/data/multilingual/";
}

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

struct Archive {
  Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
  std::vector<std::string> ids, langs;                // by docid - 1
  std::map<std::string, std::set<std::string>> with;  // label -> ids
  analysis::Analyzer analyzer;

  // Indexes the articles whose language is in only (all when empty).
  explicit Archive(const std::set<std::string>& only = {}) {
    for (const nlohmann::json& a : read_jsonl(data_dir() + "articles.jsonl")) {
      const std::string lang = a.at("language");
      if (!only.empty() && !only.count(lang)) continue;
      Xapian::Document doc;
      Xapian::termpos pos = 0;
      analyzer.index(doc, analyzer.tokenize(a.at("title").get<std::string>()),
                     analysis::Field::kTitle, lang, pos);
      pos += 100;
      analyzer.index(doc, analyzer.tokenize(a.at("body").get<std::string>()),
                     analysis::Field::kBody, lang, pos);
      db.add_document(doc);
      ids.push_back(a.at("id"));
      langs.push_back(lang);
      for (const std::string label : a.at("labels")) with[label].insert(ids.back());
    }
  }

  // The ids a query of one word finds, its word analysed as sitrep-search does: the OP_SYNONYM
  // of its body stems in every language of the archive.
  std::set<std::string> search(const std::string& text, const std::vector<std::string>& languages,
                               const std::string& in_language = {}) {
    std::vector<analysis::Token>& tokens = analyzer.tokenize(text);
    REQUIRE(tokens.size() == 1);
    analysis::Expansion e;
    analyzer.expand(tokens[0].term, analysis::Field::kBody, languages, false, e);
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_SYNONYM, e.terms.begin(), e.terms.end()));
    std::set<std::string> found;
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
      if (in_language.empty() || langs[*it - 1] == in_language) found.insert(ids[*it - 1]);
    }
    return found;
  }
};

}  // namespace

TEST_CASE("multilingual: every form of a labelled word finds its articles (>= 90% / 90%)") {
  Archive archive;
  const std::vector<std::string> languages = {"ar", "ru", "uk"};
  int forms = 0;
  for (const nlohmann::json& q : read_jsonl(data_dir() + "queries.jsonl")) {
    const std::string label = q.at("label");
    const std::set<std::string>& relevant = archive.with[label];
    REQUIRE_MESSAGE(relevant.size() >= 2, label);
    for (const std::string form : q.at("forms")) {
      const std::set<std::string> found = archive.search(form, languages);
      std::size_t hits = 0;
      for (const std::string& id : found) hits += relevant.count(id);
      CAPTURE(label);
      CAPTURE(form);
      std::string found_ids;
      for (const std::string& id : found) found_ids += id + " ";
      CAPTURE(found_ids);
      CHECK(hits >= 0.9 * relevant.size());
      CHECK(hits >= 0.9 * found.size());
      ++forms;
    }
  }
  CHECK(forms >= 70);
}

TEST_CASE("multilingual: Russian articles do not change what a Ukrainian query finds") {
  Archive ukrainian_only({"uk"});
  Archive both({"uk", "ru"});
  for (const nlohmann::json& q : read_jsonl(data_dir() + "queries.jsonl")) {
    if (q.at("language") != "uk" && q.at("language") != "ru") continue;
    for (const std::string form : q.at("forms")) {
      CAPTURE(form);
      CHECK(ukrainian_only.search(form, {"uk"}) == both.search(form, {"uk", "ru"}, "uk"));
    }
  }
  // Ukrainian stems are tagged, so they never meet the Russian stems of the same letters.
  analysis::StemmerSet stems;
  CHECK(stems.stem("uk", "києва").starts_with(analysis::kUkrainianStemTag));
  CHECK(stems.stem("uk", "києва") != stems.stem("ru", "києва"));
}
