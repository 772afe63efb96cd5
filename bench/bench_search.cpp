// In-process search cost with and without facets and a timeline, on a database built beforehand
// (bench/run-index-facets.sh builds one from a generated archive):
//
//   SITREP_BENCH_DB=/tmp/sitrep-bench/db-100000 bench_search [--benchmark_* options]
//
// For each query of bench/queries.txt (or $SITREP_BENCH_QUERIES) three benchmarks run on one open
// Searcher: plain (top 10 hits, what a search without --facets does), facets (the default facet
// set over every match, from the database's facet column: schema/facet_column.hpp) and
// facets+timeline (the same plus a monthly timeline). Two more, for comparison: facets-slot, the
// facets counted from value slot kFacets as when there is no column (a second Searcher), and
// exact, the same query through Xapian directly with check_at_least = every document: the cost of
// visiting every match without counting anything.

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <xapian.h>

#include "sitrep/index/document.hpp"
#include "sitrep/search/query_builder.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/store/layout.hpp"

namespace {

std::vector<std::string> read_queries(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    out.push_back(line);
  }
  return out;
}

enum class Mode { kPlain, kFacets, kFacetsTimeline, kFacetsSlot };

}  // namespace

int main(int argc, char** argv) {
  const char* db = std::getenv("SITREP_BENCH_DB");
  if (!db || !*db) {
    std::cerr << "bench_search: set SITREP_BENCH_DB to a sitrep database\n";
    return 2;
  }
  const char* qenv = std::getenv("SITREP_BENCH_QUERIES");
  const std::string qfile = qenv && *qenv ? qenv : SITREP_BENCH_QUERIES_DEFAULT;
  const std::vector<std::string> queries = read_queries(qfile);
  if (queries.empty()) {
    std::cerr << "bench_search: no queries in " << qfile << '\n';
    return 2;
  }
  auto searcher = std::make_shared<sitrep::search::Searcher>(db);
  auto slot_searcher = std::make_shared<sitrep::search::Searcher>(db);
  slot_searcher->set_facet_column(false);
  auto xdb = std::make_shared<Xapian::Database>(sitrep::store::resolve_database(db));
  const std::vector<std::string> languages = sitrep::store::indexed_languages(*xdb);
  for (const std::string& q : queries) {
    const std::string label_exact = "exact";
    benchmark::RegisterBenchmark((label_exact + "/" + q).c_str(), [xdb, languages,
                                                                   q](benchmark::State& state) {
      sitrep::search::QueryBuilder builder(*xdb, languages);
      const Xapian::Query query = builder.build(q).query;
      std::size_t matches = 0;
      for (auto _ : state) {
        Xapian::Enquire enquire(*xdb);
        enquire.set_query(query);
        const Xapian::MSet mset = enquire.get_mset(0, 10, xdb->get_doccount());
        matches = mset.get_matches_estimated();
        benchmark::DoNotOptimize(mset.size());
      }
      state.counters["matches"] = static_cast<double>(matches);
    })->Unit(benchmark::kMillisecond);
    for (Mode mode : {Mode::kPlain, Mode::kFacets, Mode::kFacetsTimeline, Mode::kFacetsSlot}) {
      const char* label = mode == Mode::kPlain            ? "plain"
                          : mode == Mode::kFacets         ? "facets"
                          : mode == Mode::kFacetsTimeline ? "facets+timeline"
                                                          : "facets-slot";
      auto s = mode == Mode::kFacetsSlot ? slot_searcher : searcher;
      benchmark::RegisterBenchmark((std::string(label) + "/" + q).c_str(),
                                   [s, q, mode](benchmark::State& state) {
                                     sitrep::search::SearchRequest req;
                                     req.query = q;
                                     if (mode != Mode::kPlain)
                                       req.facets = sitrep::search::default_facets();
                                     if (mode == Mode::kFacetsTimeline)
                                       req.timeline = sitrep::search::Interval::kMonth;
                                     std::size_t matches = 0;
                                     for (auto _ : state) {
                                       const auto r = s->search(req);
                                       matches = r.estimate;
                                       benchmark::DoNotOptimize(r.hits.data());
                                     }
                                     state.counters["matches"] = static_cast<double>(matches);
                                   })
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
