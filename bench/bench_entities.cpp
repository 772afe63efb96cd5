// Micro-benchmarks of entity recognition, the step the indexer adds to the analysis pipeline for
// entity facets. The gazetteer is the builtin one plus 10,000 generated entries (people with
// Latin and Cyrillic aliases, places, organisations), so the figures show that the cost per token
// does not grow with the dictionary; the text is generated news (gen_text.hpp) with names of the
// generated dictionary spliced in every few sentences.
//
//   bench_entities --benchmark_filter=Recognize --benchmark_repetitions=5
//
// BM_Recognizer_Recognize measures recognition alone on tokens computed once (MB/s of text);
// BM_Pipeline_Tokenize and BM_Pipeline_TokenizeRecognize the tokenizer without and with it, which
// is the ratio that matters for indexing throughput.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gen_text.hpp"
#include <benchmark/benchmark.h>

#include "sitrep/analysis/tokenizer.hpp"
#include "sitrep/entities/entities.hpp"

namespace {

using sitrep::analysis::Token;
using sitrep::analysis::Tokenizer;
using sitrep::entities::Gazetteer;
using sitrep::entities::Mention;
using sitrep::entities::Recognizer;

constexpr std::size_t kGeneratedEntries = 10000;

// Pronounceable generated names: "Varodin Teshkelov". Deterministic.
std::string syllables(sitrep::bench::Rng& rng, int count, bool capital) {
  static constexpr std::string_view kOnsets[] = {"b", "d", "k", "l",  "m",  "n",  "r", "s",
                                                 "t", "v", "z", "sh", "kh", "dr", "st"};
  static constexpr std::string_view kVowels[] = {"a", "e", "i", "o", "u", "ya"};
  std::string s;
  for (int i = 0; i < count; ++i) {
    s += kOnsets[rng.below(std::size(kOnsets))];
    s += kVowels[rng.below(std::size(kVowels))];
  }
  s += "n";
  if (capital) s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// A crude Cyrillic spelling of a generated Latin name, as a second alias.
std::string cyrillic(std::string_view latin) {
  static const std::map<char, std::string_view> kMap = {
      {'a', "а"}, {'b', "б"}, {'d', "д"}, {'e', "е"}, {'i', "и"}, {'k', "к"}, {'l', "л"},
      {'m', "м"}, {'n', "н"}, {'o', "о"}, {'r', "р"}, {'s', "с"}, {'t', "т"}, {'u', "у"},
      {'v', "в"}, {'z', "з"}, {'h', "х"}, {'y', "й"}, {' ', " "}, {'A', "А"}, {'B', "Б"},
      {'D', "Д"}, {'K', "К"}, {'L', "Л"}, {'M', "М"}, {'N', "Н"}, {'R', "Р"}, {'S', "С"},
      {'T', "Т"}, {'V', "В"}, {'Z', "З"}};
  std::string out;
  for (char c : latin) {
    const auto it = kMap.find(c);
    if (it != kMap.end()) out += it->second;
  }
  return out;
}

struct Fixture {
  Gazetteer gazetteer;
  std::vector<std::string> names;  // display names of the generated entries, to splice into text
};

const Fixture& fixture() {
  static const Fixture instance = [] {
    Fixture f;
    f.gazetteer.load_builtin();
    sitrep::bench::Rng rng(0xe7717e5);
    std::string tsv;
    for (std::size_t i = 0; i < kGeneratedEntries; ++i) {
      const std::uint64_t kind = rng.below(10);
      std::string name;
      std::string type;
      if (kind < 6) {
        name = syllables(rng, 2, true) + " " + syllables(rng, 3, true);
        type = "person";
      } else if (kind < 8) {
        name = syllables(rng, 3, true);
        type = "place";
      } else {
        name = syllables(rng, 2, true) + " " + syllables(rng, 2, true) + " Council";
        type = "org";
      }
      tsv += "gen-" + std::to_string(i) + "\t" + type + "\t" + name + "\t" + cyrillic(name) + "|" +
             name + "-" + syllables(rng, 1, false) + "\n";
      f.names.push_back(std::move(name));
    }
    f.gazetteer.load_text(tsv, "generated");
    return f;
  }();
  return instance;
}

// Generated text in lang of at least `bytes` bytes, with a generated entity's name spliced in
// after every third sentence or so.
const std::string& text(const std::string& lang, std::size_t bytes) {
  static std::map<std::pair<std::string, std::size_t>, std::string> cache;
  auto [it, inserted] = cache.try_emplace({lang, bytes});
  if (inserted) {
    static const sitrep::bench::NewsGenerator gen;
    const Fixture& f = fixture();
    sitrep::bench::Rng rng(0xe7 + bytes);
    std::string& s = it->second;
    while (s.size() < bytes) {
      std::string paragraph;
      gen.body(lang, 60, rng, paragraph);
      s += paragraph;
      s += " Officials said " + f.names[rng.below(f.names.size())] + " met " +
           f.names[rng.below(f.names.size())] + " on Monday.\n\n";
    }
  }
  return it->second;
}

void BM_Recognizer_Recognize(benchmark::State& state, std::string lang) {
  const std::string& input = text(lang, static_cast<std::size_t>(state.range(0)));
  Tokenizer tokenizer;
  std::vector<Token> tokens;
  tokenizer.tokenize(input, tokens);
  Recognizer recognizer(fixture().gazetteer);
  std::vector<Mention> mentions;
  for (auto _ : state) {
    mentions.clear();
    recognizer.begin_article();
    recognizer.recognize(input, tokens, mentions);
    benchmark::DoNotOptimize(mentions.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * tokens.size()));
  state.counters["mentions"] = static_cast<double>(mentions.size());
  state.counters["entries"] = static_cast<double>(fixture().gazetteer.size());
}

void BM_Pipeline_Tokenize(benchmark::State& state, std::string lang) {
  const std::string& input = text(lang, static_cast<std::size_t>(state.range(0)));
  Tokenizer tokenizer;
  std::vector<Token> tokens;
  for (auto _ : state) {
    tokens.clear();
    tokenizer.tokenize(input, tokens);
    benchmark::DoNotOptimize(tokens.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}

void BM_Pipeline_TokenizeRecognize(benchmark::State& state, std::string lang) {
  const std::string& input = text(lang, static_cast<std::size_t>(state.range(0)));
  Tokenizer tokenizer;
  Recognizer recognizer(fixture().gazetteer);
  std::vector<Token> tokens;
  std::vector<Mention> mentions;
  for (auto _ : state) {
    tokens.clear();
    mentions.clear();
    tokenizer.tokenize(input, tokens);
    recognizer.begin_article();
    recognizer.recognize(input, tokens, mentions);
    benchmark::DoNotOptimize(mentions.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}

// Loading the builtin dictionaries: paid once per indexer run.
void BM_Gazetteer_LoadBuiltin(benchmark::State& state) {
  for (auto _ : state) {
    Gazetteer g;
    g.load_builtin();
    benchmark::DoNotOptimize(g.size());
  }
}

constexpr std::int64_t kArticle = 4 << 10;
constexpr std::int64_t kLarge = 64 << 10;

}  // namespace

BENCHMARK_CAPTURE(BM_Recognizer_Recognize, en, std::string("en"))->Arg(kArticle)->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Recognizer_Recognize, ru, std::string("ru"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Recognizer_Recognize, ar, std::string("ar"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Pipeline_Tokenize, en, std::string("en"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Pipeline_TokenizeRecognize, en, std::string("en"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Pipeline_Tokenize, ru, std::string("ru"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Pipeline_TokenizeRecognize, ru, std::string("ru"))->Arg(kLarge);
BENCHMARK(BM_Gazetteer_LoadBuiltin)->Unit(benchmark::kMillisecond);
