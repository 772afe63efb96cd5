// sitrep-eval-stories: scores the story clusters of a sitrep database against labelled stories
// (tests/data/stories/labels.tsv; format and contents in tests/data/stories/README.md).
//
// For every document of the database it reads the article id (the Q term) and the story id
// (value slot schema::slot::kStory); a document without a story value counts as a story of its
// own (a singleton) and is reported as a count. It joins them with the labels of the chosen split
// and prints B-cubed and pairwise precision, recall and F1 (eval/story_metrics.hpp). Documents
// without a label are left out (and counted); a labelled id that is not in the database is an
// error. Only the articles of the split are scored, so a predicted story joining a dev story and
// a test story counts as two stories.
//
// Exit status: 0 ok; 1 B-cubed F1 below --min-f1; 64 bad usage; 65 bad labels file (FILE:LINE) or
// a labelled id not in the database; 66 labels file or database missing; 74 read error.

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "eval_cli.hpp"
#include "story_metrics.hpp"

#include "sitrep/schema/fields.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"

namespace {

using sitrep::Error;
using sitrep::ErrorKind;
using sitrep::ExitCode;
namespace schema = sitrep::schema;
namespace ev = sitrep::eval;

struct Options {
  std::string db;
  std::string labels;
  std::string split = "test";
  std::optional<double> min_f1;
  bool verbose = false;
};

int run(const Options& o) {
  std::ifstream in(o.labels, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, o.labels + ": cannot open labels file");
  const auto labels = ev::read_story_labels(in, o.labels);
  if (labels.empty()) throw Error(ErrorKind::kBadInput, o.labels + ": no labels");
  const auto db = ev::read_story_values(o.db);
  const auto j = ev::join_stories(labels, db, o.split, o.labels, o.db);
  if (j.items.empty()) {
    throw Error(ErrorKind::kBadInput, o.labels + ": no labelled articles in split " + o.split);
  }
  const auto& gold = j.gold;
  const auto& predicted = j.predicted;
  const auto& items = j.items;
  const auto s = ev::score_clustering(gold, predicted);

  std::printf("split %s: %zu articles, %zu labelled stories, %zu predicted stories",
              o.split.c_str(), s.items, s.gold_clusters, s.predicted_clusters);
  std::printf(" (%zu articles without a story, each counted as its own)\n", j.no_story);
  std::printf("database: %zu documents, %zu without a label (ignored)\n", db.size(), j.unlabelled);
  std::printf("B-cubed   precision %.4f  recall %.4f  F1 %.4f\n", s.bcubed_precision,
              s.bcubed_recall, s.bcubed_f1);
  std::printf(
      "pairwise  precision %.4f  recall %.4f  F1 %.4f  (pairs: %llu correct, %llu "
      "predicted, %llu labelled)\n",
      s.pair_precision, s.pair_recall, s.pair_f1, static_cast<unsigned long long>(s.correct_pairs),
      static_cast<unsigned long long>(s.predicted_pairs),
      static_cast<unsigned long long>(s.gold_pairs));

  if (o.verbose) {
    // story -> predicted -> ids, and predicted -> story -> ids.
    std::map<std::string, std::map<std::string, std::vector<std::string>>> by_gold;
    std::map<std::string, std::map<std::string, std::vector<std::string>>> by_pred;
    for (std::size_t i = 0; i < items.size(); ++i) {
      by_gold[gold[i]][predicted[i]].push_back(items[i]->id);
      by_pred[predicted[i]][gold[i]].push_back(items[i]->id);
    }
    const auto show = [](const std::string& p) {
      return ev::is_singleton_key(p) ? std::string("(none)") : p;
    };
    for (const auto& [story, parts] : by_gold) {
      if (parts.size() < 2) continue;
      std::printf("SPLIT  %s over %zu predicted stories:\n", story.c_str(), parts.size());
      for (const auto& [pred, ids] : parts) {
        std::printf("  %s:", show(pred).c_str());
        for (const auto& id : ids) std::printf(" %s", id.c_str());
        std::printf("\n");
      }
    }
    for (const auto& [pred, parts] : by_pred) {
      if (parts.size() < 2) continue;
      std::printf("MERGED %s joins %zu labelled stories:\n", show(pred).c_str(), parts.size());
      for (const auto& [story, ids] : parts) {
        std::printf("  %s:", story.c_str());
        for (const auto& id : ids) std::printf(" %s", id.c_str());
        std::printf("\n");
      }
    }
  }

  if (o.min_f1 && s.bcubed_f1 < *o.min_f1) {
    std::fprintf(stderr, "sitrep-eval-stories: B-cubed F1 %.4f is below --min-f1 %.4f\n",
                 s.bcubed_f1, *o.min_f1);
    return static_cast<int>(ExitCode::kPartial);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "Compares the story of every labelled article in the database (value slot " +
          std::to_string(schema::slot::kStory) +
          ") with its labelled story and prints B-cubed and pairwise precision, recall and F1 for "
          "the split. LABELS has one 'id<TAB>story<TAB>split' line per article (split dev or test; "
          "'#' lines are comments). A document without a story counts as its own story.",
      "sitrep-eval-stories"};
  app.footer(
      "Exit status: 0 ok; 1 B-cubed F1 below --min-f1; 64 bad usage; 65 bad labels file or a "
      "labelled id not in the database; 66 labels file or database not found; 74 read error.");
  app.add_option("--db", o.db, "The sitrep database")->required();
  app.add_option("--labels", o.labels, "The labels file (tests/data/stories/labels.tsv)")
      ->required();
  ev::add_split_option(app, o.split);
  ev::add_threshold_option(app, "--min-f1", o.min_f1, "Exit 1 when B-cubed F1 is below this");
  app.add_flag("-v,--verbose", o.verbose,
               "List the labelled stories split over several predicted stories and the "
               "predicted stories that join several labelled ones");
  return ev::eval_main("sitrep-eval-stories", app, argc, argv, [&] { return run(o); });
}
