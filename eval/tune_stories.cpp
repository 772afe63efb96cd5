// sitrep-tune-stories: sweeps the story-clustering parameters over a database built with
// `sitrep-index --no-stories` from a labelled set (tests/data/stories/labelled.jsonl) and prints
// B-cubed precision, recall and F1 for each split of labels.tsv. Thresholds are chosen on the dev
// split only; the test split is reported, not tuned on (eval/README.md, docs/design/stories.md).
//
//   sitrep-tune-stories DB LABELS.tsv [--threshold 0.2,0.3] [--top-terms 40] [--entity-weight 1]
//                       [--window 3]
// Each combination reassigns every story (recluster) in DB.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <xapian.h>

#include "sitrep/cluster/stories.hpp"
#include "sitrep/schema/fields.hpp"

namespace {

std::vector<double> parse_list(const std::string& s) {
  std::vector<double> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stod(item));
  return out;
}

struct Label {
  std::string story, split;
};

struct Score {
  double p = 0, r = 0, f = 0;
  std::size_t n = 0;
};

// B-cubed over the articles of one split: clusters and labels restricted to that split.
Score bcubed(const std::map<std::string, Label>& labels,
             const std::map<std::string, std::string>& got, const std::string& split) {
  std::map<std::string, std::set<std::string>> by_pred, by_label;
  for (const auto& [id, l] : labels) {
    if (l.split != split) continue;
    auto g = got.find(id);
    const std::string pred = g == got.end() ? "(none):" + id : g->second;
    by_pred[pred].insert(id);
    by_label[l.story].insert(id);
  }
  Score s;
  for (const auto& [id, l] : labels) {
    if (l.split != split) continue;
    auto g = got.find(id);
    const std::string pred = g == got.end() ? "(none):" + id : g->second;
    const auto& c = by_pred[pred];
    const auto& t = by_label[l.story];
    std::size_t both = 0;
    for (const std::string& x : c) both += t.count(x);
    s.p += static_cast<double>(both) / static_cast<double>(c.size());
    s.r += static_cast<double>(both) / static_cast<double>(t.size());
    ++s.n;
  }
  if (s.n == 0) return s;
  s.p /= static_cast<double>(s.n);
  s.r /= static_cast<double>(s.n);
  s.f = s.p + s.r > 0 ? 2 * s.p * s.r / (s.p + s.r) : 0;
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: sitrep-tune-stories DB LABELS.tsv [--threshold LIST] [--top-terms LIST] "
                 "[--entity-weight LIST] [--window LIST]\n";
    return 64;
  }
  const std::string db_path = argv[1], labels_path = argv[2];
  std::vector<double> thresholds{0.30}, tops{40}, ents{1.0}, windows{3}, means{1.0}, shared{6};
  bool show = false;
  double pairs_min = -1;  // --pairs MIN: print the cosine of every pair of articles at least MIN //
                          // --show: list the predicted stories that mix labelled stories
  for (int i = 3; i < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--show") {
      show = true;
      --i;
      continue;
    }
    if (i + 1 >= argc) {
      std::cerr << "sitrep-tune-stories: " << opt << " needs a value\n";
      return 64;
    }
    if (opt == "--pairs") {
      pairs_min = std::stod(argv[i + 1]);
    } else if (opt == "--threshold") {
      thresholds = parse_list(argv[i + 1]);
    } else if (opt == "--top-terms") {
      tops = parse_list(argv[i + 1]);
    } else if (opt == "--entity-weight") {
      ents = parse_list(argv[i + 1]);
    } else if (opt == "--min-shared") {
      shared = parse_list(argv[i + 1]);
    } else if (opt == "--mean-weight") {
      means = parse_list(argv[i + 1]);
    } else if (opt == "--window") {
      windows = parse_list(argv[i + 1]);
    } else {
      std::cerr << "sitrep-tune-stories: unknown option " << opt << '\n';
      return 64;
    }
  }
  std::map<std::string, Label> labels;
  std::ifstream in(labels_path);
  if (!in) {
    std::cerr << "sitrep-tune-stories: cannot read " << labels_path << '\n';
    return 66;
  }
  std::set<std::string> splits;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    std::string id, story, split;
    std::getline(fields, id, '\t');
    std::getline(fields, story, '\t');
    std::getline(fields, split, '\t');
    labels[id] = {story, split};
    splits.insert(split);
  }
  try {
    Xapian::WritableDatabase db(db_path, Xapian::DB_OPEN);
    if (pairs_min >= 0) {
      std::vector<std::pair<Xapian::docid, std::string>> docs;
      const std::string q(sitrep::schema::prefix::kId);
      for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
        auto term = db.termlist_begin(*p);
        term.skip_to(q);
        if (term != db.termlist_end(*p) && (*term).starts_with(q)) {
          docs.emplace_back(*p, (*term).substr(q.size()));
        }
      }
      sitrep::cluster::StoryOptions o;
      o.top_terms = static_cast<std::size_t>(tops[0]);
      o.entity_weight = ents[0];
      for (std::size_t a = 0; a < docs.size(); ++a) {
        for (std::size_t b = a + 1; b < docs.size(); ++b) {
          const double c = sitrep::cluster::article_similarity(db, docs[a].first, docs[b].first, o);
          if (c < pairs_min) continue;
          const auto la = labels.find(docs[a].second), lb = labels.find(docs[b].second);
          const bool same =
              la != labels.end() && lb != labels.end() && la->second.story == lb->second.story;
          std::printf("%.3f\t%s\t%s\t%s\n", c, same ? "same" : "diff", docs[a].second.c_str(),
                      docs[b].second.c_str());
        }
      }
      return 0;
    }
    std::printf("window\ttop_terms\tentity_weight\tmean_weight\tmin_shared\tthreshold");
    for (const std::string& s : splits)
      std::printf("\t%s_P\t%s_R\t%s_F1", s.c_str(), s.c_str(), s.c_str());
    std::printf("\tstories\n");
    for (double w : windows) {
      for (double top : tops) {
        for (double ew : ents) {
          for (double mw : means)
            for (double ms : shared)
              for (double t : thresholds) {
                sitrep::cluster::StoryOptions o;
                o.recluster = true;
                o.window_days = static_cast<int>(w);
                o.top_terms = static_cast<std::size_t>(top);
                o.entity_weight = ew;
                o.threshold = t;
                o.mean_weight = mw;
                o.min_shared_terms = static_cast<unsigned>(ms);
                const auto counts = sitrep::cluster::assign_stories(db, o);
                db.commit();
                std::map<std::string, std::string> got;
                const std::string q(sitrep::schema::prefix::kId);
                for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
                  auto term = db.termlist_begin(*p);
                  term.skip_to(q);
                  if (term == db.termlist_end(*p) || !(*term).starts_with(q)) continue;
                  got[(*term).substr(q.size())] =
                      db.get_document(*p).get_value(sitrep::schema::slot::kStory);
                }
                std::printf("%g\t%g\t%g\t%g\t%g\t%g", w, top, ew, mw, ms, t);
                for (const std::string& s : splits) {
                  const Score sc = bcubed(labels, got, s);
                  std::printf("\t%.3f\t%.3f\t%.3f", sc.p, sc.r, sc.f);
                }
                std::printf("\t%zu\n", counts.new_stories);
                if (show) {
                  std::map<std::string, std::set<std::string>> mixed;
                  for (const auto& [id, story] : got) {
                    auto l = labels.find(id);
                    mixed[story].insert(l == labels.end()
                                            ? "(unlabelled)"
                                            : l->second.story + "/" + l->second.split);
                  }
                  for (const auto& [story, ls] : mixed) {
                    if (ls.size() < 2) continue;
                    std::printf("  mixed %s:", story.c_str());
                    for (const std::string& l : ls) std::printf(" %s", l.c_str());
                    std::printf("\n");
                  }
                }
                std::fflush(stdout);
              }
        }
      }
    }
  } catch (const Xapian::Error& e) {
    std::cerr << "sitrep-tune-stories: " << e.get_description() << '\n';
    return 74;
  }
  return 0;
}
