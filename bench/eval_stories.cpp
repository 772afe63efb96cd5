// sitrep-eval-stories: scores the story clusters of a sitrep database against labelled stories
// (tests/data/stories/labels.tsv; format and contents in tests/data/stories/README.md).
//
// For every document of the database it reads the article id (the Q term) and the story id
// (value slot schema::slot::kStory); a document without a story value counts as a story of its
// own (a singleton) and is reported as a count. It joins them with the labels of the chosen split
// and prints B-cubed and pairwise precision, recall and F1 (bench/story_metrics.hpp). Documents
// without a label are left out (and counted); a labelled id that is not in the database is an
// error. Only the articles of the split are scored, so a predicted story joining a dev story and
// a test story counts as two stories.
//
// Exit status: 0 ok; 1 B-cubed F1 below --min-f1; 64 bad usage; 65 bad labels file (FILE:LINE) or
// a labelled id not in the database; 66 labels file or database missing; 74 read error.

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "story_metrics.hpp"

#include "sitrep/schema/fields.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"

namespace {

using sitrep::Error;
using sitrep::ErrorKind;
using sitrep::ExitCode;
namespace schema = sitrep::schema;
namespace bench = sitrep::bench;

struct Options {
  std::string db;
  std::string labels;
  std::string split = "test";
  std::optional<double> min_f1;
  bool verbose = false;
};

[[noreturn]] void usage_error(const std::string& message) {
  throw Error(ErrorKind::kUsage, message + " (try --help)");
}

void print_help() {
  std::printf(
      "usage: sitrep-eval-stories --db PATH --labels FILE [--split dev|test|all] [--min-f1 X]\n"
      "                           [--verbose]\n"
      "\n"
      "Compares the story of every labelled article in the database (value slot %u) with its\n"
      "labelled story and prints B-cubed and pairwise precision, recall and F1 for the split\n"
      "(default: test). LABELS has one 'id<TAB>story<TAB>split' line per article (split dev or\n"
      "test; '#' lines are comments). A document without a story counts as its own story.\n"
      "--verbose lists the labelled stories split over several predicted stories and the\n"
      "predicted stories that join several labelled ones.\n"
      "\n"
      "Exit status: 0 ok; 1 B-cubed F1 below --min-f1; 64 bad usage; 65 bad labels file or a\n"
      "labelled id not in the database; 66 labels file or database not found; 74 read error.\n",
      static_cast<unsigned>(schema::slot::kStory));
}

double parse_fraction(std::string_view option, const char* value) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(value, &end);
  if (errno != 0 || end == value || *end != '\0' || !(v >= 0.0 && v <= 1.0)) {
    usage_error(std::string(option) + ": expected a number from 0 to 1, got '" + value + "'");
  }
  return v;
}

// Returns nullopt when --help was asked for.
std::optional<Options> parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage_error(std::string(arg) + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      return std::nullopt;
    } else if (arg == "--db") {
      o.db = value();
    } else if (arg == "--labels") {
      o.labels = value();
    } else if (arg == "--split") {
      o.split = value();
      if (o.split != "dev" && o.split != "test" && o.split != "all") {
        usage_error("--split: expected dev, test or all, got '" + o.split + "'");
      }
    } else if (arg == "--min-f1") {
      o.min_f1 = parse_fraction(arg, value());
    } else if (arg == "--verbose" || arg == "-v") {
      o.verbose = true;
    } else {
      usage_error("unknown argument '" + std::string(arg) + "'");
    }
  }
  if (o.db.empty()) usage_error("--db is required");
  if (o.labels.empty()) usage_error("--labels is required");
  return o;
}

int run(const Options& o) {
  std::ifstream in(o.labels, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, o.labels + ": cannot open labels file");
  const auto labels = bench::read_story_labels(in, o.labels);
  if (labels.empty()) throw Error(ErrorKind::kBadInput, o.labels + ": no labels");
  const auto db = bench::read_story_values(o.db);
  const auto j = bench::join_stories(labels, db, o.split, o.labels, o.db);
  if (j.items.empty()) {
    throw Error(ErrorKind::kBadInput, o.labels + ": no labelled articles in split " + o.split);
  }
  const auto& gold = j.gold;
  const auto& predicted = j.predicted;
  const auto& items = j.items;
  const auto s = bench::score_clustering(gold, predicted);

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
      return bench::is_singleton_key(p) ? std::string("(none)") : p;
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
  try {
    const auto opt = parse_args(argc, argv);
    if (!opt) {
      print_help();
      return 0;
    }
    return run(*opt);
  } catch (const Error& e) {
    std::fprintf(stderr, "sitrep-eval-stories: %s\n", e.what());
    return static_cast<int>(sitrep::exit_code_for(e.kind()));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sitrep-eval-stories: %s\n", e.what());
    return static_cast<int>(ExitCode::kSoftware);
  }
}
