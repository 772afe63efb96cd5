// Compares sitrep's Ukrainian light stemmer with Hunspell's morphological analysis (Debian's
// hunspell-uk dictionary) on the Ukrainian part of this test set, as docs/indexing.md reports:
// for every labelled form, the recall and precision of a one-word search, and stemming speed.
// Not built by CMake (sitrep does not depend on Hunspell). Build and run from the repository root
// after building sitrep_common (apt-get install hunspell-uk libhunspell-dev):
//   g++ -std=c++20 -O2 -Icommon/include tests/data/multilingual/compare_uk_stemmers.cpp \
//     build/common/libsitrep_common.a $(pkg-config --libs icu-uc icu-i18n xapian-core hunspell) \
//     -o /tmp/compare_uk_stemmers
//   /tmp/compare_uk_stemmers tests/data/multilingual /usr/share/hunspell/uk_UA
// A word matches a form when their analyses share a stem: for Hunspell, the set of its lemmas
// (Hunspell::stem of the word in lower case and capitalised as a name, united); a word Hunspell
// does not know falls back to the light stem ("hunspell+light") or to itself ("hunspell only").

#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <hunspell/hunspell.hxx>
#include <nlohmann/json.hpp>
#include <unicode/unistr.h>

#include "sitrep/analysis/stemmer.hpp"
#include "sitrep/analysis/tokenizer.hpp"

namespace analysis = sitrep::analysis;

namespace {

std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

std::string capitalised(const std::string& w) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(w);
  u.toLower();
  if (u.length() > 0) u.replace(0, 1, icu::UnicodeString(u.tempSubString(0, 1)).toUpper());
  std::string out;
  u.toUTF8String(out);
  return out;
}

enum class Method { kLight, kHunspellLight, kHunspellOnly };

struct Stemmer {
  Hunspell& hun;
  Method method;
  std::map<std::string, std::set<std::string>> cache;
  // The stems of a Tokenizer term (lower case, folded).
  const std::set<std::string>& stems(const std::string& term) {
    auto it = cache.find(term);
    if (it != cache.end()) return it->second;
    std::set<std::string> out;
    if (method == Method::kLight) {
      out.insert(analysis::ukrainian_stem(term));
    } else {
      // Lower case (a common word) and capitalised (a name): the union of their lemmas.
      for (const std::string& w : {term, capitalised(term)}) {
        for (const std::string& s : hun.stem(w)) out.insert("h:" + capitalised(s));
      }
      if (out.empty()) {
        out.insert(method == Method::kHunspellLight ? analysis::ukrainian_stem(term) : term);
      }
    }
    return cache.emplace(term, std::move(out)).first->second;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr
        << "usage: compare_uk_stemmers DATA_DIR DICTIONARY (e.g. /usr/share/hunspell/uk_UA)\n";
    return 2;
  }
  const std::string dir = std::string(argv[1]) + "/", dict = argv[2];
  Hunspell hun((dict + ".aff").c_str(), (dict + ".dic").c_str());
  analysis::Tokenizer tokenizer;
  std::vector<analysis::Token> tokens;
  auto terms = [&](const std::string& text) {
    tokens.clear();
    tokenizer.tokenize(text, tokens);
    std::vector<std::string> out;
    for (const analysis::Token& t : tokens) out.push_back(t.term);
    return out;
  };
  struct Doc {
    std::string id;
    std::vector<std::string> words;
    std::set<std::string> labels;
  };
  std::vector<Doc> docs;
  std::vector<std::string> all_words;
  for (const nlohmann::json& a : read_jsonl(dir + "articles.jsonl")) {
    if (a.at("language") != "uk") continue;
    Doc d{a.at("id"), terms(a.at("title").get<std::string>()), a.at("labels")};
    for (const std::string& w : terms(a.at("body").get<std::string>())) d.words.push_back(w);
    all_words.insert(all_words.end(), d.words.begin(), d.words.end());
    docs.push_back(std::move(d));
  }
  for (const Method method : {Method::kLight, Method::kHunspellLight, Method::kHunspellOnly}) {
    Stemmer stemmer{hun, method, {}};
    double recall = 0, precision = 0;
    int forms = 0, failing = 0;
    std::string failures;
    for (const nlohmann::json& q : read_jsonl(dir + "queries.jsonl")) {
      if (q.at("language") != "uk") continue;
      const std::string label = q.at("label");
      for (const std::string form : q.at("forms")) {
        const std::set<std::string> want = stemmer.stems(terms(form).at(0));
        std::size_t found = 0, hits = 0, relevant = 0;
        for (const Doc& d : docs) {
          bool match = false;
          for (const std::string& w : d.words) {
            for (const std::string& s : stemmer.stems(w)) match |= want.count(s) > 0;
          }
          const bool rel = d.labels.count(label) > 0;
          relevant += rel;
          found += match;
          hits += match && rel;
        }
        const double r = relevant ? double(hits) / double(relevant) : 0;
        const double p = found ? double(hits) / double(found) : 0;
        recall += r;
        precision += p;
        ++forms;
        if (r < 0.9 || p < 0.9) {
          ++failing;
          failures += " " + form + "(" + std::to_string(hits) + "/" + std::to_string(relevant) +
                      " of " + std::to_string(found) + ")";
        }
      }
    }
    // Word pairs beyond the set (not used to write the light stemmer's rules): alternations and
    // endings the set lacks, which should meet, and words of other lemmas that share letters.
    static const std::vector<std::pair<std::string, std::string>> kSame = {
        {"школа", "шкіл"},         {"школа", "школи"},    {"сила", "сили"},
        {"колектив", "колективу"}, {"держава", "держав"}, {"міста", "місто"},
        {"міст", "мосту"},         {"рік", "року"},       {"ніч", "ночі"},
        {"вечір", "вечора"},       {"сказав", "сказала"}, {"пішов", "пішла"},
        {"говорить", "говорив"},   {"осінь", "осені"},    {"день", "дня"},
        {"допомога", "допомозі"},  {"рука", "руці"},      {"нога", "нозі"}};
    static const std::vector<std::pair<std::string, std::string>> kOther = {
        {"міст", "місто"},  {"рада", "радий"},   {"вода", "водій"}, {"син", "синій"},
        {"світ", "світло"}, {"мова", "мовчати"}, {"лист", "листя"}, {"кіно", "кінець"}};
    auto meet = [&](const std::string& a, const std::string& b) {
      const std::set<std::string> x = stemmer.stems(terms(a).at(0));
      for (const std::string& y : stemmer.stems(terms(b).at(0))) {
        if (x.count(y)) return true;
      }
      return false;
    };
    int same = 0, other = 0;
    std::string missed;
    for (const auto& [a, b] : kSame) {
      if (meet(a, b)) {
        ++same;
      } else {
        missed += " " + a + "/" + b;
      }
    }
    for (const auto& [a, b] : kOther) {
      if (!meet(a, b)) {
        ++other;
      } else {
        missed += " " + a + "=" + b;
      }
    }
    // Speed: stem every word of the set, uncached, repeated to about 100,000 words (CPU time).
    const int rounds = 100000 / static_cast<int>(all_words.size()) + 1;
    std::size_t n = 0, sink = 0;
    const std::clock_t t0 = std::clock();
    for (int k = 0; k < rounds; ++k) {
      for (const std::string& w : all_words) {
        Stemmer fresh{hun, method, {}};
        sink += fresh.stems(w).size();
        ++n;
      }
    }
    const double secs = static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC;
    const char* name = method == Method::kLight           ? "light"
                       : method == Method::kHunspellLight ? "hunspell+light"
                                                          : "hunspell only";
    std::cout << name << ": " << forms << " forms, recall mean " << recall / forms
              << ", precision mean " << precision / forms << ", forms under 90%: " << failing
              << failures << "; pairs: " << same << "/" << kSame.size()
              << " same-lemma pairs meet, " << other << "/" << kOther.size()
              << " other pairs apart (wrong:" << missed << "); "
              << static_cast<long>(double(n) / secs) << " words/s of CPU (" << sink << ")\n";
  }
  return 0;
}
