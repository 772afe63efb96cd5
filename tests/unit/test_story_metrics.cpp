// eval/story_metrics.hpp: the clustering figures of sitrep-eval-stories, checked against
// numbers worked out by hand, and its labels-file reader (issue 6).
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "story_metrics.hpp"
#include <doctest/doctest.h>
#include <unistd.h>
#include <xapian.h>

#include "sitrep/schema/fields.hpp"
#include "sitrep/util/error.hpp"

using sitrep::Error;
using sitrep::ErrorKind;
using sitrep::eval::read_story_labels;
using sitrep::eval::score_clustering;

TEST_CASE("story metrics: one story split, two stories merged") {
  // Gold: A = {a1 a2 a3}, B = {b1 b2}, C = {c1}. Predicted: X = {a1 a2}, Y = {a3 b1 b2}, Z = {c1}.
  // B-cubed precision per item: a1 2/2, a2 2/2, a3 1/3, b1 2/3, b2 2/3, c1 1/1 -> 14/3 / 6 = 7/9.
  // B-cubed recall per item:    a1 2/3, a2 2/3, a3 1/3, b1 2/2, b2 2/2, c1 1/1 -> 14/3 / 6 = 7/9.
  // Pairs: gold 3 + 1 = 4; predicted 1 + 3 = 4; correct (a1,a2) and (b1,b2) = 2.
  const std::vector<std::string> gold = {"A", "A", "A", "B", "B", "C"};
  const std::vector<std::string> pred = {"X", "X", "Y", "Y", "Y", "Z"};
  const auto s = score_clustering(gold, pred);
  CHECK(s.items == 6);
  CHECK(s.gold_clusters == 3);
  CHECK(s.predicted_clusters == 3);
  CHECK(s.bcubed_precision == doctest::Approx(7.0 / 9.0));
  CHECK(s.bcubed_recall == doctest::Approx(7.0 / 9.0));
  CHECK(s.bcubed_f1 == doctest::Approx(7.0 / 9.0));
  CHECK(s.gold_pairs == 4);
  CHECK(s.predicted_pairs == 4);
  CHECK(s.correct_pairs == 2);
  CHECK(s.pair_precision == doctest::Approx(0.5));
  CHECK(s.pair_recall == doctest::Approx(0.5));
  CHECK(s.pair_f1 == doctest::Approx(0.5));
}

TEST_CASE("story metrics: everything in one predicted story") {
  // Gold A = {1 2}, B = {3}; predicted one story {1 2 3}.
  // B-cubed precision: 2/3, 2/3, 1/3 -> 5/9; recall 1; F1 = 2 * 5/9 / (14/9) = 5/7.
  // Pairs: gold 1, predicted 3, correct 1 -> precision 1/3, recall 1, F1 0.5.
  const auto s = score_clustering({"A", "A", "B"}, {"s", "s", "s"});
  CHECK(s.bcubed_precision == doctest::Approx(5.0 / 9.0));
  CHECK(s.bcubed_recall == doctest::Approx(1.0));
  CHECK(s.bcubed_f1 == doctest::Approx(5.0 / 7.0));
  CHECK(s.pair_precision == doctest::Approx(1.0 / 3.0));
  CHECK(s.pair_recall == doctest::Approx(1.0));
  CHECK(s.pair_f1 == doctest::Approx(0.5));
}

TEST_CASE("story metrics: every article its own story") {
  // Gold A = {1 2}, B = {3}; predicted all singletons.
  // B-cubed precision 1; recall 1/2, 1/2, 1 -> 2/3; F1 = 2 * 2/3 / (5/3) = 4/5.
  // No predicted pair: pairwise precision 1 by definition, recall 0/1, F1 0.
  const auto s = score_clustering({"A", "A", "B"}, {"p", "q", "r"});
  CHECK(s.bcubed_precision == doctest::Approx(1.0));
  CHECK(s.bcubed_recall == doctest::Approx(2.0 / 3.0));
  CHECK(s.bcubed_f1 == doctest::Approx(0.8));
  CHECK(s.predicted_pairs == 0);
  CHECK(s.pair_precision == doctest::Approx(1.0));
  CHECK(s.pair_recall == doctest::Approx(0.0));
  CHECK(s.pair_f1 == doctest::Approx(0.0));
}

TEST_CASE("story metrics: perfect clustering, labels are only compared") {
  const auto s = score_clustering({"A", "B", "A", "C", "B"}, {"7", "x", "7", "1", "x"});
  CHECK(s.bcubed_precision == doctest::Approx(1.0));
  CHECK(s.bcubed_recall == doctest::Approx(1.0));
  CHECK(s.bcubed_f1 == doctest::Approx(1.0));
  CHECK(s.correct_pairs == 2);
  CHECK(s.pair_f1 == doctest::Approx(1.0));
  // Items in another order give the same figures.
  const auto t = score_clustering({"C", "B", "A", "A", "B"}, {"1", "x", "7", "7", "x"});
  CHECK(t.bcubed_f1 == doctest::Approx(s.bcubed_f1));
  CHECK(t.pair_f1 == doctest::Approx(s.pair_f1));
}

TEST_CASE("story metrics: empty input and mismatched sizes") {
  const auto s = score_clustering({}, {});
  CHECK(s.items == 0);
  CHECK(s.bcubed_f1 == 0.0);
  CHECK_THROWS_AS(score_clustering({"A"}, {}), Error);
}

namespace {
std::string label_error(const std::string& text) {
  std::istringstream in(text);
  try {
    read_story_labels(in, "labels.tsv");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kBadInput);
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("story labels: reading") {
  std::istringstream in("# id\tstory\tsplit\n\nx-1\todesa\tdev\r\nx-2\todesa\ttest\n");
  const auto labels = read_story_labels(in, "labels.tsv");
  REQUIRE(labels.size() == 2);
  CHECK(labels[0].id == "x-1");
  CHECK(labels[0].story == "odesa");
  CHECK(labels[0].split == "dev");
  CHECK(labels[0].line == 3);
  CHECK(labels[1].split == "test");  // the \r of a CRLF line is not part of the split
  CHECK(labels[1].line == 4);
}

TEST_CASE("story labels: errors name the file and line") {
  CHECK(label_error("a\tb\tdev\nc\td\n") ==
        "labels.tsv:2: expected 3 tab-separated fields (id, story, split), found 2");
  CHECK(label_error("a\tb\tdev\tx\n") ==
        "labels.tsv:1: expected 3 tab-separated fields (id, story, split), found 4");
  CHECK(label_error("# c\na\t\tdev\n") == "labels.tsv:2: empty story");
  CHECK(label_error("a\tb\ttrain\n") == "labels.tsv:1: split must be dev or test, got 'train'");
  CHECK(label_error("a\tb\tdev\n\na\tc\ttest\n") ==
        "labels.tsv:3: id 'a' already labelled on line 1");
}

TEST_CASE("story values: read from a database and joined with labels") {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("sitrep-story-metrics-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    const auto add = [&](const std::string& id, const std::string& story) {
      Xapian::Document doc;
      doc.add_boolean_term(std::string(sitrep::schema::prefix::kId) + id);
      doc.add_term("Zodesa");
      if (!story.empty()) doc.add_value(sitrep::schema::slot::kStory, story);
      db.add_document(doc);
    };
    add("a1", "00000000000000aa");
    add("a2", "00000000000000aa");
    add("a3", "");  // not clustered: its own story
    add("b1", "00000000000000bb");
    add("extra", "00000000000000bb");  // no label: ignored
    db.commit();
  }
  const auto values = sitrep::eval::read_story_values(dir.string());
  CHECK(values.size() == 5);
  CHECK(values.at("a1") == "00000000000000aa");
  CHECK(values.at("a3").empty());

  std::istringstream in("a1\tA\ttest\na2\tA\ttest\na3\tA\ttest\nb1\tB\tdev\n");
  const auto labels = read_story_labels(in, "l.tsv");
  const auto test = sitrep::eval::join_stories(labels, values, "test", "l.tsv", "db");
  REQUIRE(test.items.size() == 3);
  CHECK(test.no_story == 1);
  CHECK(test.unlabelled == 1);
  CHECK(test.predicted[0] == test.predicted[1]);
  CHECK(sitrep::eval::is_singleton_key(test.predicted[2]));
  // Gold A = {a1 a2 a3}; predicted {a1 a2}, {a3}: B-cubed precision 1, recall (2/3 * 2 + 1/3) / 3
  // = 5/9; pairs: 3 gold, 1 predicted, 1 correct.
  const auto s = score_clustering(test.gold, test.predicted);
  CHECK(s.bcubed_precision == doctest::Approx(1.0));
  CHECK(s.bcubed_recall == doctest::Approx(5.0 / 9.0));
  CHECK(s.pair_precision == doctest::Approx(1.0));
  CHECK(s.pair_recall == doctest::Approx(1.0 / 3.0));
  const auto all = sitrep::eval::join_stories(labels, values, "all", "l.tsv", "db");
  CHECK(all.items.size() == 4);
  CHECK(all.gold[3] == "B");

  std::istringstream in2("a1\tA\tdev\nzz\tA\ttest\n");
  const auto bad = read_story_labels(in2, "l.tsv");
  CHECK_THROWS_WITH_AS(sitrep::eval::join_stories(bad, values, "dev", "l.tsv", "db"),
                       "l.tsv:2: id 'zz' is not in the database db", Error);
  CHECK_THROWS_AS(sitrep::eval::read_story_values((dir / "missing").string()), Error);
  fs::remove_all(dir);
}
