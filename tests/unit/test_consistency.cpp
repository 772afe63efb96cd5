// The index/query consistency tests. Issue 2: for every article of the sample archive, phrases
// of 2 to 6 consecutive words taken from its title and body in their original spelling,
// punctuation and case are searched as quoted phrases, and each must find its article.
// Double-quote characters (" “ ” „ ‟ « » ‹ › ″ ＂) are removed from a sampled phrase because they
// delimit phrases in the query language. Issue 12: every field of the query language finds the
// article whose field it names (title, body, source, lang, id, date, person/place/org/entity,
// boilerplate with include_boilerplate), the Unicode quotes delimit phrases and the Unicode minus
// excludes exactly like their ASCII forms, and the Analyzer's terms are the term-scheme table.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "article_fixture.hpp"
#include <doctest/doctest.h>
#include <unistd.h>

#include "sitrep/analysis/analyzer.hpp"
#include "sitrep/entities/entities.hpp"
#include "sitrep/index/index_writer.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/search/query_builder.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"

namespace fs = std::filesystem;
using namespace sitrep;

namespace {

std::vector<std::string> split_ws(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Every double quote the Tokenizer maps to '"' (analysis/tokenizer.hpp).
const char* const kQuotes[] = {"\"",           "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x9E",
                               "\xE2\x80\x9F", "\xC2\xAB",     "\xC2\xBB",     "\xE2\x80\xB9",
                               "\xE2\x80\xBA", "\xE2\x80\xB3", "\xEF\xBC\x82"};

std::string strip_quotes(std::string s) {
  for (const char* q : kQuotes) {
    for (auto p = s.find(q); p != std::string::npos; p = s.find(q)) s.erase(p, std::strlen(q));
  }
  return s;
}

// The sample archive, indexed once (with the built-in gazetteer) for every test case here.
struct SampleIndex {
  std::vector<schema::Article> articles = test::load_sample_archive();
  fs::path dir = fs::temp_directory_path() / ("sitrep-consistency-" + std::to_string(::getpid()));
  entities::Gazetteer gazetteer;
  SampleIndex() {
    fs::remove_all(dir);
    fs::remove_all(dir.string() + ".d");
    gazetteer.load_builtin();
    index::WriterOptions options;
    options.threads = 2;
    options.gazetteer = &gazetteer;
    index::IndexWriter writer(dir.string(), options);
    for (const auto& a : articles) writer.add(a);
    const auto counts = writer.finish();
    REQUIRE(counts.added == articles.size());
  }
  ~SampleIndex() {
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::remove_all(dir.string() + ".d", ec);
  }
};

SampleIndex& sample() {
  static SampleIndex s;
  return s;
}

// The ids a query finds (at most search::kMaxLimit), or nothing when it has no words to search.
std::optional<std::set<std::string>> find(search::Searcher& searcher, const std::string& query,
                                          bool include_boilerplate = false) {
  search::SearchRequest req;
  req.query = query;
  req.include_boilerplate = include_boilerplate;
  req.limit = search::kMaxLimit;
  try {
    std::set<std::string> ids;
    for (const auto& h : searcher.search(req).hits) ids.insert(h.article.id);
    return ids;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kBadQuery &&
        std::string(e.what()).find("empty query") != std::string::npos) {
      return std::nullopt;
    }
    throw;
  }
}

// Up to max_words consecutive whitespace-separated words of text from word start, quotes removed.
std::string words_at(const std::vector<std::string>& words, std::size_t start,
                     std::size_t max_words) {
  std::string phrase;
  for (std::size_t k = start; k < std::min(words.size(), start + max_words); ++k) {
    phrase += (k > start ? " " : "") + words[k];
  }
  return strip_quotes(phrase);
}

}  // namespace

TEST_CASE("issue-2: every sampled phrase finds its own article") {
  const std::vector<schema::Article>& articles = sample().articles;
  REQUIRE(articles.size() >= 30);
  search::Searcher searcher(sample().dir.string());
  std::mt19937 rng(20261122);  // fixed seed: the same phrases every run
  std::size_t tried = 0, found = 0;
  std::vector<std::string> failures;
  for (const auto& a : articles) {
    for (const std::string* field : {&a.title, &a.body}) {
      const std::vector<std::string> words = split_ws(*field);
      if (words.size() < 2) continue;
      const int samples = field == &a.title ? 4 : 20;
      for (int s = 0; s < samples; ++s) {
        const std::size_t len = std::min<std::size_t>(2 + rng() % 5, words.size());
        const std::size_t start = rng() % (words.size() - len + 1);
        std::string phrase;
        for (std::size_t k = start; k < start + len; ++k)
          phrase += (k > start ? " " : "") + words[k];
        phrase = strip_quotes(phrase);
        search::SearchRequest req;
        req.query = "\"" + phrase + "\"";
        // Every word of the text is indexed, boilerplate lines ("Read more:", photo credits)
        // under their own prefix: searched with them, a phrase may run into or out of one.
        req.include_boilerplate = true;
        req.limit = search::kMaxLimit;
        search::SearchResult r;
        try {
          r = searcher.search(req);
        } catch (const Error& e) {
          // A phrase of punctuation only (e.g. "— —") has no words to search for.
          if (e.kind() == ErrorKind::kBadQuery &&
              std::string(e.what()).find("empty query") != std::string::npos)
            continue;
          throw;
        }
        ++tried;
        bool ok = false;
        for (const auto& h : r.hits) ok = ok || h.article.id == a.id;
        if (ok) {
          ++found;
        } else {
          failures.push_back(a.id + ": " + req.query + "  -> " + r.rewritten);
        }
      }
    }
  }
  for (const auto& f : failures) MESSAGE(f);
  MESSAGE(found << " of " << tried << " sampled phrases found their article");
  CHECK(tried > 500);
  CHECK(failures.empty());
}

TEST_CASE("issue-12: every field of the query language finds the article it names") {
  SampleIndex& s = sample();
  search::Searcher searcher(s.dir.string());
  std::vector<std::string> failures;
  std::size_t tried = 0, entities = 0;
  auto expect = [&](const std::string& query, const std::string& id, bool include = false) {
    ++tried;
    const auto ids = find(searcher, query, include);
    if (!ids || !ids->count(id)) failures.push_back(id + ": " + query);
  };
  for (const schema::Article& a : s.articles) {
    // id: exactly the article.
    const auto by_id = find(searcher, "id:" + a.id);
    CHECK_MESSAGE((by_id && *by_id == std::set<std::string>{a.id}), "id:" << a.id);
    search::SearchRequest req;
    req.query = "id:" + a.id;
    const search::SearchResult r = searcher.search(req);
    REQUIRE(r.hits.size() == 1);
    const search::Hit& hit = r.hits.front();
    // title: a phrase of the title, and each of its words.
    const std::vector<std::string> title = split_ws(a.title);
    if (!title.empty()) {
      if (find(searcher, "\"" + words_at(title, 0, 4) + "\"")) {
        expect("title:\"" + words_at(title, 0, 4) + "\"", a.id);
      }
      for (std::size_t k = 0; k < title.size(); ++k) {
        if (find(searcher, words_at(title, k, 1)))
          expect("title:\"" + words_at(title, k, 1) + "\"", a.id);
      }
    }
    // A bare word of the body (in any form: stemmed matching), boilerplate included.
    const std::vector<std::string> body = split_ws(a.body);
    for (std::size_t k = 0; k < body.size(); k += 7) {
      if (find(searcher, "\"" + words_at(body, k, 1) + "\""))
        expect(words_at(body, k, 1), a.id, true);
    }
    expect("source:\"" + a.source + "\"", a.id);
    expect("lang:" + hit.article.language, a.id);
    if (a.published) {
      const std::string ymd = a.published->ymd();
      const std::string iso = ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2);
      expect("date:" + iso, a.id);
      expect("date:" + iso.substr(0, 7), a.id);
      expect("date:" + iso.substr(0, 4) + ".." + iso.substr(0, 4), a.id);
    }
    for (const search::HitEntity& e : hit.entities) {
      ++entities;
      expect("entity:" + e.id, a.id);
      expect("entity:\"" + e.name + "\"", a.id);
      // person:, place:, org: (the field is the type's name); other names only under entity:.
      const std::string field = e.type == schema::EntityType::kOther
                                    ? std::string()
                                    : std::string(schema::entity_type_name(e.type)) + ":";
      if (!field.empty()) {
        expect(field + e.id, a.id);
        expect(field + "\"" + e.name + "\"", a.id);
      }
    }
  }
  for (const auto& f : failures) MESSAGE(f);
  MESSAGE(tried << " field queries, " << entities << " entities");
  CHECK(entities > 50);
  CHECK(failures.empty());
}

TEST_CASE("issue-12: boilerplate is found with include_boilerplate, and only then") {
  SampleIndex& s = sample();
  search::Searcher searcher(s.dir.string());
  analysis::Tokenizer tokenizer;
  std::size_t lines = 0;
  std::vector<std::string> failures;
  for (const schema::Article& a : s.articles) {
    const search::Explanation ex = searcher.explain(a.id);
    if (ex.suppressed.empty()) continue;
    // The article's text terms (not boilerplate) at their positions, as the Analyzer indexes them.
    std::vector<analysis::Token> title, body;
    tokenizer.tokenize(a.title, title);
    tokenizer.tokenize(a.body, body);
    std::vector<std::pair<std::string, bool>> text;  // by position - 1: term, in boilerplate
    for (const auto& t : title) text.emplace_back(t.term, false);
    text.resize(text.size() + schema::kTitleBodyGap, {"", true});
    for (const auto& t : body) {
      bool in = false;
      for (const auto& l : ex.suppressed) in = in || (t.begin >= l.begin && t.begin < l.end);
      text.emplace_back(t.term, in);
    }
    auto text_has = [&](const std::vector<analysis::Token>& phrase) {
      for (std::size_t p = 0; p + phrase.size() <= text.size(); ++p) {
        bool all = true;
        for (std::size_t k = 0; k < phrase.size() && all; ++k) {
          all = !text[p + k].second && text[p + k].first == phrase[k].term;
        }
        if (all) return true;
      }
      return false;
    };
    for (const analysis::SuppressedLine& l : ex.suppressed) {
      const std::vector<std::string> words = split_ws(a.body.substr(l.begin, l.end - l.begin));
      if (words.empty()) continue;
      const std::string phrase = "\"" + words_at(words, 0, 5) + "\"";
      std::vector<analysis::Token> tokens;
      tokenizer.tokenize(words_at(words, 0, 5), tokens);
      if (tokens.empty()) continue;
      ++lines;
      const auto with = find(searcher, phrase, true);
      const auto without = find(searcher, phrase, false);
      if (!with || !with->count(a.id)) failures.push_back(a.id + " with: " + phrase);
      if (without && without->count(a.id) != static_cast<std::size_t>(text_has(tokens))) {
        failures.push_back(a.id + " without: " + phrase);
      }
    }
  }
  for (const auto& f : failures) MESSAGE(f);
  MESSAGE(lines << " boilerplate lines");
  CHECK(lines > 5);
  CHECK(failures.empty());
}

TEST_CASE("issue-12: Unicode quotes and minus signs are the query syntax the ASCII ones are") {
  SampleIndex& s = sample();
  search::Searcher searcher(s.dir.string());
  // Opening and closing forms: each pair delimits a phrase as '"' does.
  const std::pair<const char*, const char*> quotes[] = {
      {"\xE2\x80\x9F", "\xE2\x80\x9F"}, {"\xEF\xBC\x82", "\xEF\xBC\x82"},
      {"\xE2\x80\xB9", "\xE2\x80\xBA"}, {"\xE2\x80\x9C", "\xE2\x80\x9D"},
      {"\xE2\x80\x9E", "\xE2\x80\x9C"}, {"\xC2\xAB", "\xC2\xBB"},
      {"\xE2\x80\xB3", "\xE2\x80\xB3"}};
  // U+2212 minus, U+2013 en dash, U+FE63 small and U+FF0D fullwidth hyphen-minus.
  const char* const minuses[] = {"\xE2\x88\x92", "\xE2\x80\x93", "\xEF\xB9\xA3", "\xEF\xBC\x8D"};
  std::mt19937 rng(20261203);
  std::size_t tried = 0;
  std::vector<std::string> failures;
  analysis::Tokenizer tokenizer;
  for (const schema::Article& a : s.articles) {
    const std::vector<std::string> words = split_ws(a.body);
    if (words.size() < 8) continue;
    for (int n = 0; n < 3; ++n) {
      const std::size_t start = rng() % (words.size() - 4);
      const std::string phrase = words_at(words, start, 2 + rng() % 3);
      const auto ascii = find(searcher, "\"" + phrase + "\"", true);
      if (!ascii) continue;
      ++tried;
      if (!ascii->count(a.id)) failures.push_back(a.id + ": \"" + phrase + "\"");
      for (const auto& [open, close] : quotes) {
        const std::string q = std::string(open) + phrase + close;
        if (find(searcher, q, true) != ascii) failures.push_back(a.id + ": " + q);
      }
      // Excluding one of the article's words: the article is no longer found.
      std::vector<analysis::Token> tokens;
      tokenizer.tokenize(words_at(words, rng() % words.size(), 1), tokens);
      if (tokens.empty()) continue;
      const std::string& w = tokens.front().term;
      const auto excluded = find(searcher, "\"" + phrase + "\" -" + w, true);
      if (!excluded || excluded->count(a.id)) failures.push_back(a.id + ": -" + w);
      for (const char* minus : minuses) {
        const std::string q = "\"" + phrase + "\" " + minus + w;
        if (find(searcher, q, true) != excluded) failures.push_back(a.id + ": " + q);
      }
    }
  }
  for (const auto& f : failures) MESSAGE(f);
  MESSAGE(tried << " phrases in every quote, with every minus");
  CHECK(tried > 100);
  CHECK(failures.empty());
}

TEST_CASE("issue-12: the Analyzer's terms are the term scheme") {
  Xapian::Document doc;
  analysis::Analyzer analyzer;
  Xapian::termpos pos = 0;
  analyzer.index(doc, analyzer.tokenize("Talks resumed"), analysis::Field::kTitle, "en", pos);
  CHECK(pos == 2);
  pos += schema::kTitleBodyGap;
  const std::string body = "Negotiators talked. Read more: talks";
  std::vector<analysis::Token> tokens = analyzer.tokenize(body);
  std::vector<char> boilerplate(tokens.size());
  for (std::size_t k = 0; k < tokens.size(); ++k) boilerplate[k] = tokens[k].begin >= 20;
  analyzer.index(doc, tokens, analysis::Field::kBody, "en", pos, boilerplate);
  std::map<std::string, std::pair<Xapian::termcount, std::vector<Xapian::termpos>>> terms;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    terms[*t] = {t.get_wdf(), {t.positionlist_begin(), t.positionlist_end()}};
  }
  using P = std::vector<Xapian::termpos>;
  const std::map<std::string, std::pair<Xapian::termcount, P>> expected = {
      // Title: plain words wdf 3, S copies wdf 1, Z stems wdf 3 and ZS stems wdf 1.
      {"talks", {3, {1}}},
      {"resumed", {3, {2}}},
      {schema::terms::title("talks"), {1, {1}}},
      {schema::terms::title("resumed"), {1, {2}}},
      // Z stems at their words' positions (schema version 5: stemmed phrases).
      {schema::terms::stem("talk"), {3 + 1, {1, 104}}},  // title talks, body talked
      {schema::terms::stem("resum"), {3, {2}}},
      {schema::terms::title_stem("talk"), {1, {}}},
      {schema::terms::title_stem("resum"), {1, {}}},
      // Body: wdf 1, positions after the gap.
      {"negotiators", {1, {103}}},
      {"talked", {1, {104}}},
      {schema::terms::stem("negoti"), {1, {103}}},
      // Boilerplate: XB words, XBZ stems, no plain terms.
      {schema::terms::boilerplate("read"), {1, {105}}},
      {schema::terms::boilerplate("more"), {1, {106}}},
      {schema::terms::boilerplate("talks"), {1, {107}}},
      {schema::terms::boilerplate_stem("read"), {1, {}}},
      {schema::terms::boilerplate_stem("more"), {1, {}}},
      {schema::terms::boilerplate_stem("talk"), {1, {}}},
  };
  CHECK(terms == expected);

  // A query word: its stems in every language of its script; title: the ZS forms; with
  // boilerplate, the XBZ forms too (body only).
  analysis::Expansion e;
  analyzer.expand("talks", analysis::Field::kBody, {"en", "ru", "de"}, false, e);
  CHECK(e.stems == std::set<std::string>{"Ztalks", "Ztalk"});
  CHECK(e.terms == e.stems);
  analyzer.expand("talks", analysis::Field::kBody, {"en"}, true, e);
  CHECK(e.terms == std::set<std::string>{"Ztalks", "Ztalk", "XBZtalks", "XBZtalk"});
  analyzer.expand("talks", analysis::Field::kTitle, {"en"}, true, e);
  CHECK(e.stems == std::set<std::string>{"ZStalks", "ZStalk"});
  CHECK(e.terms == e.stems);
  CHECK(analyzer.phrase_terms("talks", false) == std::vector<std::string>{"talks"});
  CHECK(analyzer.phrase_terms("talks", true) == std::vector<std::string>{"talks", "XBtalks"});
  CHECK(analyzer.stem_term("en", "negotiations") == "Znegoti");
}
