#pragma once
// Clustering quality figures for sitrep-eval-stories (eval/eval_stories.cpp), the labels file it
// reads (tests/data/stories/README.md) and the story values it reads from a database. Header-only
// so that the unit tests check them without the tool.
//
// B-cubed (Bagga and Baldwin 1998): for every item i with predicted cluster C(i) and gold story
// G(i), precision(i) = |C(i) ∩ G(i)| / |C(i)| and recall(i) = |C(i) ∩ G(i)| / |G(i)|; the set's
// precision and recall are the means over all items, F1 their harmonic mean.
// Pairwise: over all unordered pairs of items, a predicted pair is two items in one predicted
// cluster, a gold pair two items in one gold story; precision = correct / predicted pairs, recall
// = correct / gold pairs. With no predicted pairs precision is 1 (nothing wrongly merged); with no
// gold pairs recall is 1 (nothing to find).

#include <cstddef>
#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "sitrep/schema/fields.hpp"
#include "sitrep/store/layout.hpp"
#include "sitrep/util/error.hpp"

namespace sitrep::eval {

struct ClusterScores {
  std::size_t items = 0;
  std::size_t gold_clusters = 0;
  std::size_t predicted_clusters = 0;
  double bcubed_precision = 0;
  double bcubed_recall = 0;
  double bcubed_f1 = 0;
  std::uint64_t gold_pairs = 0;
  std::uint64_t predicted_pairs = 0;
  std::uint64_t correct_pairs = 0;
  double pair_precision = 0;
  double pair_recall = 0;
  double pair_f1 = 0;
};

inline double harmonic_mean(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

// gold[i] and predicted[i] are the gold story and the predicted cluster of item i; labels are
// compared for equality only. Throws Error{kInternal} when the two differ in size. With no items
// every figure is 0.
inline ClusterScores score_clustering(const std::vector<std::string>& gold,
                                      const std::vector<std::string>& predicted) {
  if (gold.size() != predicted.size()) {
    throw Error(ErrorKind::kInternal, "score_clustering: gold and predicted differ in size");
  }
  ClusterScores s;
  s.items = gold.size();
  if (s.items == 0) return s;
  std::map<std::string, std::uint64_t> gold_size;
  std::map<std::string, std::uint64_t> pred_size;
  std::map<std::pair<std::string, std::string>, std::uint64_t> both;  // (predicted, gold)
  for (std::size_t i = 0; i < s.items; ++i) {
    ++gold_size[gold[i]];
    ++pred_size[predicted[i]];
    ++both[{predicted[i], gold[i]}];
  }
  s.gold_clusters = gold_size.size();
  s.predicted_clusters = pred_size.size();
  const auto pairs = [](std::uint64_t n) { return n * (n - 1) / 2; };
  // Each of the n items of one (cluster, story) cell has n in the intersection.
  double p_sum = 0;
  double r_sum = 0;
  for (const auto& [key, n] : both) {
    const auto nd = static_cast<double>(n);
    p_sum += nd * nd / static_cast<double>(pred_size[key.first]);
    r_sum += nd * nd / static_cast<double>(gold_size[key.second]);
    s.correct_pairs += pairs(n);
  }
  s.bcubed_precision = p_sum / static_cast<double>(s.items);
  s.bcubed_recall = r_sum / static_cast<double>(s.items);
  s.bcubed_f1 = harmonic_mean(s.bcubed_precision, s.bcubed_recall);
  for (const auto& [label, n] : gold_size) s.gold_pairs += pairs(n);
  for (const auto& [label, n] : pred_size) s.predicted_pairs += pairs(n);
  s.pair_precision = s.predicted_pairs == 0 ? 1.0
                                            : static_cast<double>(s.correct_pairs) /
                                                  static_cast<double>(s.predicted_pairs);
  s.pair_recall = s.gold_pairs == 0
                      ? 1.0
                      : static_cast<double>(s.correct_pairs) / static_cast<double>(s.gold_pairs);
  s.pair_f1 = harmonic_mean(s.pair_precision, s.pair_recall);
  return s;
}

struct StoryLabel {
  std::string id;
  std::string story;
  std::string split;  // "dev" or "test"
  std::size_t line = 0;
};

// Reads a labels file: one "id<TAB>story<TAB>split" line per article, split "dev" or "test";
// empty lines and lines starting with '#' are skipped. Throws Error{kBadInput} naming
// "name:line" for a line without exactly three non-empty fields, another split or an id given
// twice.
inline std::vector<StoryLabel> read_story_labels(std::istream& in, const std::string& name) {
  std::vector<StoryLabel> out;
  std::map<std::string, std::size_t> seen;
  std::string line;
  std::size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::string where = name + ":" + std::to_string(lineno) + ": ";
    std::vector<std::string> f;
    std::size_t start = 0;
    while (true) {
      const auto tab = line.find('\t', start);
      f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (f.size() != 3) {
      throw Error(ErrorKind::kBadInput, where +
                                            "expected 3 tab-separated fields (id, story, "
                                            "split), found " +
                                            std::to_string(f.size()));
    }
    for (std::size_t k = 0; k < 3; ++k) {
      if (f[k].empty()) {
        static const char* const kNames[] = {"id", "story", "split"};
        throw Error(ErrorKind::kBadInput, where + "empty " + kNames[k]);
      }
    }
    if (f[2] != "dev" && f[2] != "test") {
      throw Error(ErrorKind::kBadInput, where + "split must be dev or test, got '" + f[2] + "'");
    }
    const auto [it, fresh] = seen.emplace(f[0], lineno);
    if (!fresh) {
      throw Error(ErrorKind::kBadInput, where + "id '" + f[0] + "' already labelled on line " +
                                            std::to_string(it->second));
    }
    out.push_back({f[0], f[1], f[2], lineno});
  }
  if (in.bad()) throw Error(ErrorKind::kIo, name + ": read failed");
  return out;
}

// Article id (the Q term) -> story value (slot kStory, "" when absent) of every document of the
// sitrep database at path (a generation link or a plain directory). Throws Error{kNotFound} when
// there is no database there, Error{kIo} on a Xapian read error.
inline std::map<std::string, std::string> read_story_values(const std::string& path) {
  const std::string dir = store::resolve_database(path);
  std::map<std::string, std::string> out;
  try {
    Xapian::Database db(dir);
    const std::string prefix(schema::prefix::kId);
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
      const std::string term = *t;
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        out[term.substr(prefix.size())] = db.get_document(*p).get_value(schema::slot::kStory);
      }
    }
  } catch (const Xapian::DatabaseOpeningError& e) {
    throw Error(ErrorKind::kNotFound, path + ": cannot open database: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    throw Error(ErrorKind::kIo, path + ": " + e.get_description());
  }
  return out;
}

// The labelled articles of one split joined with their stories in the database.
struct StoryJoin {
  std::vector<const StoryLabel*> items;  // the labels of the split, in file order
  std::vector<std::string> gold;         // gold[i]: the labelled story of items[i]
  std::vector<std::string> predicted;    // predicted[i]: its story value, or a singleton key
  std::size_t no_story = 0;              // items without a story value
  std::size_t unlabelled = 0;            // database documents with no label (any split)
};

// A singleton key starts with a byte that no story value (hex digits) holds.
inline bool is_singleton_key(const std::string& p) { return !p.empty() && p[0] == '\x01'; }

// Joins labels (of split "dev", "test", or "all") with story values. A document without a story
// value is a story of its own. Throws Error{kBadInput} naming "labels_name:line" for a labelled id
// that is not in the database db_name (whatever its split).
inline StoryJoin join_stories(const std::vector<StoryLabel>& labels,
                              const std::map<std::string, std::string>& stories,
                              const std::string& split, const std::string& labels_name,
                              const std::string& db_name) {
  StoryJoin j;
  std::size_t labelled_in_db = 0;
  for (const auto& l : labels) {
    const auto it = stories.find(l.id);
    if (it == stories.end()) {
      throw Error(ErrorKind::kBadInput, labels_name + ":" + std::to_string(l.line) + ": id '" +
                                            l.id + "' is not in the database " + db_name);
    }
    ++labelled_in_db;
    if (split != "all" && l.split != split) continue;
    j.items.push_back(&l);
    j.gold.push_back(l.story);
    if (it->second.empty()) {
      ++j.no_story;
      j.predicted.push_back(std::string("\x01") + l.id);
    } else {
      j.predicted.push_back(it->second);
    }
  }
  j.unlabelled = stories.size() - labelled_in_db;
  return j;
}

}  // namespace sitrep::eval
