// The index/query consistency test of issue 2: for every article of the sample archive, phrases
// of 2 to 6 consecutive words taken from its title and body in their original spelling,
// punctuation and case are searched as quoted phrases, and each must find its article.
// Double-quote characters (" “ ” „ « ») are removed from a sampled phrase because they delimit
// phrases in the query language.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "article_fixture.hpp"
#include <doctest/doctest.h>
#include <unistd.h>

#include "sitrep/index/index_writer.hpp"
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

std::string strip_quotes(std::string s) {
  for (const char* q :
       {"\"", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x9E", "\xC2\xAB", "\xC2\xBB"}) {
    for (auto p = s.find(q); p != std::string::npos; p = s.find(q)) s.erase(p, std::strlen(q));
  }
  return s;
}

}  // namespace

TEST_CASE("issue-2: every sampled phrase finds its own article") {
  const std::vector<schema::Article> articles = test::load_sample_archive();
  REQUIRE(articles.size() >= 30);
  const fs::path dir =
      fs::temp_directory_path() / ("sitrep-consistency-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::remove_all(dir.string() + ".d");
  {
    index::IndexWriter writer(dir.string(), {2});
    for (const auto& a : articles) writer.add(a);
    const auto counts = writer.finish();
    REQUIRE(counts.added == articles.size());
  }
  search::Searcher searcher(dir.string());
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
  fs::remove_all(dir);
  fs::remove_all(dir.string() + ".d");
  for (const auto& f : failures) MESSAGE(f);
  MESSAGE(found << " of " << tried << " sampled phrases found their article");
  CHECK(tried > 500);
  CHECK(failures.empty());
}
