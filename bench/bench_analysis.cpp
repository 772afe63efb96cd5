// Micro-benchmarks of the analysis pipeline that both the indexer and the searcher run: ICU word
// segmentation and normalisation (Tokenizer), Snowball stemming (StemmerSet), and the two together,
// which bounds the indexer's per-core throughput before Xapian is involved at all.
//
// The input is generated text (gen_text.hpp), the same kind sitrep-gen-archive writes, so the
// figures match what the end-to-end run indexes. Each benchmark runs at two sizes: 4 KiB (one
// typical article: exposes per-call overhead such as resetting the break iterator) and 64 KiB
// (steady-state throughput).
//
//   bench_analysis --benchmark_filter=Tokenizer --benchmark_repetitions=5

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gen_text.hpp"
#include <benchmark/benchmark.h>

#include "sitrep/analysis/language.hpp"
#include "sitrep/analysis/stemmer.hpp"
#include "sitrep/analysis/tokenizer.hpp"

namespace {

using sitrep::analysis::StemmerSet;
using sitrep::analysis::Token;
using sitrep::analysis::Tokenizer;

// Generated text in lang of at least `bytes` bytes, cut at a paragraph or sentence boundary
// close to it. Generated once per (lang, size) and kept: generation is not what is measured.
const std::string& text(const std::string& lang, std::size_t bytes) {
  static std::map<std::pair<std::string, std::size_t>, std::string> cache;
  auto [it, inserted] = cache.try_emplace({lang, bytes});
  if (inserted) {
    static const sitrep::bench::NewsGenerator gen;
    sitrep::bench::Rng rng(0xbe7c4 + bytes);
    std::string& s = it->second;
    while (s.size() < bytes) gen.body(lang, 200, rng, s);
  }
  return it->second;
}

// The terms of a text, as the indexer hands them to the stemmer.
std::vector<std::string> terms_of(const std::string& lang, std::size_t bytes) {
  Tokenizer tokenizer;
  return tokenizer.terms(text(lang, bytes));
}

std::size_t total_bytes(const std::vector<std::string>& terms) {
  std::size_t n = 0;
  for (const auto& t : terms) n += t.size();
  return n;
}

void BM_Tokenizer_Tokenize(benchmark::State& state, std::string lang) {
  const std::string& input = text(lang, static_cast<std::size_t>(state.range(0)));
  Tokenizer tokenizer;
  std::vector<Token> tokens;
  std::size_t count = 0;
  for (auto _ : state) {
    tokens.clear();  // reused, as the indexer reuses it: measures tokenizing, not allocation
    tokenizer.tokenize(input, tokens);
    benchmark::DoNotOptimize(tokens.data());
    benchmark::ClobberMemory();
    count = tokens.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * count));
  state.counters["tokens"] = static_cast<double>(count);
}

// Warm cache: one StemmerSet kept across iterations, as one indexer thread keeps it across
// documents; with a Zipf vocabulary most lookups hit the cache after the first pass.
void BM_StemmerSet_Stem(benchmark::State& state, std::string lang) {
  const std::vector<std::string> terms = terms_of(lang, static_cast<std::size_t>(state.range(0)));
  StemmerSet stemmers;
  for (auto _ : state) {
    for (const auto& t : terms) benchmark::DoNotOptimize(stemmers.stem(lang, t).data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes(terms)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * terms.size()));
}

// Cold cache: a fresh StemmerSet per iteration, so every distinct term goes through Snowball once;
// the cost a short-lived process (one search) or the first documents of an indexing run pay.
void BM_StemmerSet_StemCold(benchmark::State& state, std::string lang) {
  const std::vector<std::string> terms = terms_of(lang, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    StemmerSet stemmers;
    for (const auto& t : terms) benchmark::DoNotOptimize(stemmers.stem(lang, t).data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total_bytes(terms)));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * terms.size()));
}

// Text in, stemmed terms out: the analysis cost per byte of article body (MB/s of input text).
void BM_Pipeline_TokenizeStem(benchmark::State& state, std::string lang) {
  const std::string& input = text(lang, static_cast<std::size_t>(state.range(0)));
  Tokenizer tokenizer;
  StemmerSet stemmers;
  std::vector<Token> tokens;
  std::size_t count = 0;
  for (auto _ : state) {
    tokens.clear();
    tokenizer.tokenize(input, tokens);
    for (const auto& tok : tokens) benchmark::DoNotOptimize(stemmers.stem(lang, tok.term).data());
    count = tokens.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * count));
}

// Language detection runs once per article without a (trusted) language field.
void BM_Language_Detect(benchmark::State& state, std::string lang) {
  const std::string& input = text(lang, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(sitrep::analysis::detect_language({}, input));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}

constexpr std::int64_t kArticle = 4 << 10;
constexpr std::int64_t kLarge = 64 << 10;

}  // namespace

BENCHMARK_CAPTURE(BM_Tokenizer_Tokenize, en, std::string("en"))->Arg(kArticle)->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Tokenizer_Tokenize, ru, std::string("ru"))->Arg(kArticle)->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Tokenizer_Tokenize, uk, std::string("uk"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Tokenizer_Tokenize, ar, std::string("ar"))->Arg(kArticle)->Arg(kLarge);

BENCHMARK_CAPTURE(BM_StemmerSet_Stem, en, std::string("en"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_StemmerSet_Stem, ru, std::string("ru"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_StemmerSet_Stem, ar, std::string("ar"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_StemmerSet_StemCold, en, std::string("en"))->Arg(kArticle)->Arg(kLarge);
BENCHMARK_CAPTURE(BM_StemmerSet_StemCold, ru, std::string("ru"))->Arg(kLarge);
BENCHMARK_CAPTURE(BM_StemmerSet_StemCold, ar, std::string("ar"))->Arg(kLarge);

BENCHMARK_CAPTURE(BM_Pipeline_TokenizeStem, en, std::string("en"))->Arg(kArticle)->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Pipeline_TokenizeStem, ru, std::string("ru"))->Arg(kArticle)->Arg(kLarge);
BENCHMARK_CAPTURE(BM_Pipeline_TokenizeStem, ar, std::string("ar"))->Arg(kArticle)->Arg(kLarge);

BENCHMARK_CAPTURE(BM_Language_Detect, en, std::string("en"))->Arg(kArticle);
BENCHMARK_CAPTURE(BM_Language_Detect, ru, std::string("ru"))->Arg(kArticle);
BENCHMARK_CAPTURE(BM_Language_Detect, uk, std::string("uk"))->Arg(kArticle);
BENCHMARK_CAPTURE(BM_Language_Detect, ar, std::string("ar"))->Arg(kArticle);
