// sitrep-eval-ranking: ranking quality of the search on a test collection with relevance
// judgments (the TIME collection of ../shared/corpora/time, or any with the same files): each
// query of the split is searched as typed, through the Searcher API (as sitrep-search does), and
// the hits are scored against the judgments: MAP over the first 1000 hits and nDCG@10 (binary
// relevance), averaged over the split's queries (a query without a judged relevant article is
// left out and counted).
//
// QUERIES is JSON lines {"id": N, "text": "...", "split": "dev"|"test"}; QRELS is TREC format
// "QUERY 0 DOCID REL" (REL > 0: relevant), DOCID the article id. The ranking settings
// (search/ranking.hpp) are options, so that they can be tuned on dev; their defaults are the
// library's.
//
// Exit status: 0 ok; 1 MAP or nDCG@10 below --min-map / --min-ndcg; 64 bad usage; 65 bad
// queries or judgments file; 66 a file or the database missing; 74 read error.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "eval_cli.hpp"
#include <nlohmann/json.hpp>

#include "sitrep/search/ranking.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"

namespace {

using sitrep::Error;
using sitrep::ErrorKind;
using sitrep::ExitCode;
namespace search = sitrep::search;
namespace ev = sitrep::eval;

struct Options {
  std::string db, queries, qrels;
  std::string split = "dev";
  std::string default_op = "auto";
  search::Ranking ranking;
  bool no_stop_words = false;
  std::optional<double> min_map, min_ndcg;
  bool verbose = false;
};

struct Query {
  std::string id, text, split;
};

std::vector<Query> read_queries(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, path + ": cannot open queries file");
  std::vector<Query> out;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      const auto j = nlohmann::json::parse(line);
      Query q;
      const auto& id = j.at("id");
      q.id = id.is_string() ? id.get<std::string>() : id.dump();
      q.text = j.at("text").get<std::string>();
      q.split = j.value("split", std::string());
      out.push_back(std::move(q));
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorKind::kBadInput, path + ":" + std::to_string(n) + ": " + e.what());
    }
  }
  return out;
}

// query id -> relevant article ids.
std::map<std::string, std::set<std::string>> read_qrels(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, path + ": cannot open judgments file");
  std::map<std::string, std::set<std::string>> out;
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream fields(line);
    std::string query, iter, doc;
    int rel = 0;
    if (!(fields >> query >> iter >> doc >> rel)) {
      throw Error(ErrorKind::kBadInput,
                  path + ":" + std::to_string(n) + ": expected 'QUERY 0 DOCID REL'");
    }
    if (rel > 0) out[query].insert(doc);
  }
  return out;
}

int run(Options& o) {
  const auto queries = read_queries(o.queries);
  const auto qrels = read_qrels(o.qrels);
  const auto op = search::parse_default_op(o.default_op);
  if (!op) throw Error(ErrorKind::kUsage, "--default-op: expected auto, and or or");
  if (o.no_stop_words) o.ranking.stop_words = false;
  search::Searcher searcher(o.db);
  double sum_ap = 0, sum_ndcg = 0;
  std::size_t scored = 0, unjudged = 0, failed = 0, empty = 0;
  for (const Query& q : queries) {
    if (o.split != "all" && q.split != o.split) continue;
    const auto rel = qrels.find(q.id);
    if (rel == qrels.end() || rel->second.empty()) {
      ++unjudged;
      continue;
    }
    search::SearchRequest req;
    req.query = q.text;
    req.limit = 1000;
    req.default_op = *op;
    req.ranking = o.ranking;
    std::vector<std::string> ids;
    try {
      for (const auto& hit : searcher.search(req).hits) ids.push_back(hit.article.id);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kBadQuery) throw;
      ++failed;
      if (o.verbose) std::printf("query %s: %s\n", q.id.c_str(), e.what());
    }
    if (ids.empty()) ++empty;
    const std::set<std::string>& relevant = rel->second;
    double hits = 0, ap = 0, dcg = 0, idcg = 0;
    for (std::size_t k = 0; k < ids.size(); ++k) {
      if (relevant.count(ids[k]) == 0) continue;
      hits += 1;
      ap += hits / static_cast<double>(k + 1);
      if (k < 10) dcg += 1.0 / std::log2(static_cast<double>(k + 2));
    }
    ap /= static_cast<double>(relevant.size());
    for (std::size_t k = 0; k < std::min<std::size_t>(10, relevant.size()); ++k) {
      idcg += 1.0 / std::log2(static_cast<double>(k + 2));
    }
    const double ndcg = dcg / idcg;
    if (o.verbose) {
      std::printf("query %-4s AP %.4f nDCG@10 %.4f hits %zu relevant %zu\n", q.id.c_str(), ap, ndcg,
                  ids.size(), relevant.size());
    }
    sum_ap += ap;
    sum_ndcg += ndcg;
    ++scored;
  }
  if (scored == 0)
    throw Error(ErrorKind::kBadInput, o.queries + ": no judged query in split " + o.split);
  const double map = sum_ap / static_cast<double>(scored);
  const double ndcg = sum_ndcg / static_cast<double>(scored);
  std::printf(
      "split %s: %zu queries (%zu without judgments left out; %zu with no hits, %zu refused)\n",
      o.split.c_str(), scored, unjudged, empty, failed);
  std::printf("MAP %.4f  nDCG@10 %.4f\n", map, ndcg);
  int status = 0;
  if (o.min_map && map < *o.min_map) {
    std::fprintf(stderr, "sitrep-eval-ranking: MAP %.4f is below --min-map %.4f\n", map,
                 *o.min_map);
    status = static_cast<int>(ExitCode::kPartial);
  }
  if (o.min_ndcg && ndcg < *o.min_ndcg) {
    std::fprintf(stderr, "sitrep-eval-ranking: nDCG@10 %.4f is below --min-ndcg %.4f\n", ndcg,
                 *o.min_ndcg);
    status = static_cast<int>(ExitCode::kPartial);
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "Searches each query of the split as typed and scores the hits against the relevance "
      "judgments: MAP over the first 1000 hits and nDCG@10. QUERIES: JSON lines {\"id\", "
      "\"text\", \"split\"}; QRELS: TREC lines 'QUERY 0 DOCID REL'.",
      "sitrep-eval-ranking"};
  app.footer(
      "Exit status: 0 ok; 1 MAP or nDCG@10 below --min-map/--min-ndcg; 64 bad usage; 65 bad "
      "queries or judgments file; 66 a file or the database not found; 74 read error.");
  app.add_option("db", o.db, "The sitrep database")->required();
  app.add_option("queries", o.queries, "The queries (JSON lines)")->required();
  app.add_option("qrels", o.qrels, "The relevance judgments (TREC format)")->required();
  ev::add_split_option(app, o.split);
  app.add_option("--default-op", o.default_op, "How juxtaposed words combine: auto, and, or")
      ->capture_default_str();
  auto& r = o.ranking;
  app.add_option("--k1", r.k1, "BM25 k1")->capture_default_str()->check(CLI::Range(0.0, 100.0));
  app.add_option("--b", r.b, "BM25 b")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  app.add_option("--all-terms-boost", r.all_terms_boost,
                 "auto: extra weight of the articles with every word")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--prox-weight", r.proximity_weight, "auto: weight of consecutive words near")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
  app.add_option("--prox-window", r.proximity_window, "auto: their window (positions)")
      ->capture_default_str();
  app.add_flag("--no-stop-words", o.no_stop_words, "Keep query stop words");
  app.add_option("--fb-docs", r.feedback_docs, "Pseudo-relevance feedback: top documents")
      ->capture_default_str();
  app.add_option("--fb-terms", r.feedback_terms, "Pseudo-relevance feedback: expansion terms")
      ->capture_default_str();
  app.add_option("--fb-weight", r.feedback_weight, "Pseudo-relevance feedback: their weight")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 100.0));
  app.add_flag("--fb-expand", r.feedback_expand,
               "Pseudo-relevance feedback: the expansion terms also find articles");
  app.add_option("--fb-min-words", r.feedback_min_words,
                 "Pseudo-relevance feedback: only for queries of this many words")
      ->capture_default_str();
  app.add_option("--weighting", r.weighting, "Weighting scheme (search/ranking.hpp make_weight)")
      ->capture_default_str();
  ev::add_threshold_option(app, "--min-map", o.min_map, "Exit 1 when MAP is below this");
  ev::add_threshold_option(app, "--min-ndcg", o.min_ndcg, "Exit 1 when nDCG@10 is below this");
  app.add_flag("-v,--verbose", o.verbose, "Print each query's AP and nDCG@10");
  return ev::eval_main("sitrep-eval-ranking", app, argc, argv, [&] { return run(o); });
}
