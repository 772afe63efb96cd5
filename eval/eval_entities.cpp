// sitrep-eval-entities: scores the entity recogniser against hand-labelled articles
// (tests/data/entities/labelled.jsonl; the labelling guidelines are in its README.md).
//
// Each record is an article (schemas/article.schema.json) plus
//   "split": "dev" | "test",
//   "gold":  {"person": [names...], "place": [...], "org": [...]}
// where the gold names are the distinct entities the article mentions, one name each.
//
// For each article of the chosen split the recogniser runs on the title, then the body, as the
// indexer runs it. The predicted entities are the distinct (type, id) of the person, place and org
// mentions (kOther mentions are untyped and ignored); each carries the union of the search keys of
// its mentions. A predicted entity and a gold entity of the same type match when alias_key(gold
// name) is one of those keys, or when the gold name, recognised on its own, is one mention
// spanning the whole name with the same type and id. Matching is one to one (a maximum bipartite
// matching per article and type), so an entity the recogniser splits into two ids counts one hit
// and one false positive. Figures are micro-averaged over the articles of the split.
//
// Exit status: 0; 1 when --min-precision/--min-recall are given and some type falls below; 64 bad
// usage; 65 a bad labelled file (reported as FILE:LINE); 66 a file that cannot be opened; 78 a bad
// --entities dictionary.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eval_cli.hpp"
#include <nlohmann/json.hpp>

#include "sitrep/analysis/tokenizer.hpp"
#include "sitrep/entities/entities.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"

namespace {

using sitrep::Error;
using sitrep::ErrorKind;
using sitrep::ExitCode;
using sitrep::analysis::Token;
using sitrep::analysis::Tokenizer;
using sitrep::entities::EntityType;
using sitrep::entities::Gazetteer;
using sitrep::entities::Mention;
using sitrep::entities::Recognizer;

constexpr std::array<EntityType, 3> kTypes = {EntityType::kPerson, EntityType::kPlace,
                                              EntityType::kOrg};

std::size_t type_index(EntityType t) {
  switch (t) {
    case EntityType::kPerson:
      return 0;
    case EntityType::kPlace:
      return 1;
    case EntityType::kOrg:
      return 2;
    case EntityType::kOther:
      break;
  }
  return 3;
}

struct GoldEntity {
  std::string name;
  std::string key;  // alias_key(name)
};

struct Article {
  std::string id;
  std::string split;
  std::string language;
  std::string title;
  std::string body;
  std::array<std::vector<GoldEntity>, 3> gold;  // by type_index
};

struct Predicted {
  std::string id;
  std::string surface;         // the text of its first mention
  std::set<std::string> keys;  // union of the search keys of its mentions
  std::size_t mentions = 0;
  bool discovered = false;
};

struct Counts {
  std::size_t gold = 0;
  std::size_t predicted = 0;
  std::size_t matched = 0;
};

struct Options {
  std::string split = "test";
  std::vector<std::string> entity_files;
  std::optional<double> min_precision;
  std::optional<double> min_recall;
  bool verbose = false;
  std::string labelled;
};

std::string string_field(const nlohmann::json& rec, const char* key, bool required,
                         const std::string& where) {
  const auto it = rec.find(key);
  if (it == rec.end() || it->is_null()) {
    if (required) throw Error(ErrorKind::kBadInput, where + ": missing \"" + key + "\"");
    return {};
  }
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer() && std::string_view(key) == "id") return it->dump();
  throw Error(ErrorKind::kBadInput, where + ": \"" + key + "\" must be a string");
}

std::vector<Article> load_labelled(const std::string& path, Tokenizer& tokenizer) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, path + ": cannot open");
  std::vector<Article> articles;
  std::set<std::string> ids;
  std::string line;
  std::size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string where = path + ":" + std::to_string(lineno);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json rec;
    try {
      rec = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(ErrorKind::kBadInput, where + ": not JSON: " + e.what());
    }
    if (!rec.is_object()) throw Error(ErrorKind::kBadInput, where + ": not a JSON object");
    Article a;
    a.id = string_field(rec, "id", true, where);
    if (a.id.empty()) throw Error(ErrorKind::kBadInput, where + ": empty \"id\"");
    if (!ids.insert(a.id).second) {
      throw Error(ErrorKind::kBadInput, where + ": duplicate id '" + a.id + "'");
    }
    a.split = string_field(rec, "split", true, where);
    if (a.split != "dev" && a.split != "test") {
      throw Error(ErrorKind::kBadInput,
                  where + ": \"split\" must be \"dev\" or \"test\", got '" + a.split + "'");
    }
    a.language = string_field(rec, "language", false, where);
    if (a.language.empty()) a.language = "?";
    a.title = string_field(rec, "title", false, where);
    a.body = string_field(rec, "body", false, where);
    if (a.title.empty() && a.body.empty()) {
      throw Error(ErrorKind::kBadInput, where + ": neither \"title\" nor \"body\"");
    }
    const auto gold = rec.find("gold");
    if (gold == rec.end() || !gold->is_object()) {
      throw Error(ErrorKind::kBadInput, where + ": \"gold\" must be an object");
    }
    for (const auto& [type_name, names] : gold->items()) {
      const auto type = sitrep::entities::parse_type(type_name);
      if (!type || *type == EntityType::kOther) {
        throw Error(ErrorKind::kBadInput,
                    where + ": gold type must be person, place or org, got '" + type_name + "'");
      }
      if (!names.is_array()) {
        throw Error(ErrorKind::kBadInput, where + ": gold." + type_name + " must be an array");
      }
      auto& list = a.gold[type_index(*type)];
      for (const auto& n : names) {
        if (!n.is_string()) {
          throw Error(ErrorKind::kBadInput, where + ": gold." + type_name + ": not a string");
        }
        GoldEntity g{n.get<std::string>(), {}};
        g.key = sitrep::entities::alias_key(tokenizer, g.name);
        if (g.key.empty()) {
          throw Error(ErrorKind::kBadInput,
                      where + ": gold." + type_name + ": '" + g.name + "' has no terms");
        }
        for (const auto& other : list) {
          if (other.key == g.key) {
            throw Error(ErrorKind::kBadInput,
                        where + ": gold." + type_name + ": '" + g.name + "' is listed twice");
          }
        }
        list.push_back(std::move(g));
      }
    }
    articles.push_back(std::move(a));
  }
  if (in.bad()) throw Error(ErrorKind::kIo, path + ": read error");
  if (articles.empty()) throw Error(ErrorKind::kBadInput, path + ": no articles");
  return articles;
}

// The id of a gold name recognised on its own, when that is one mention of the given type spanning
// the whole name. Cached: the same names recur across articles.
class GoldIds {
 public:
  GoldIds(const Gazetteer& gazetteer, Tokenizer& tokenizer)
      : m_recognizer(gazetteer), m_tokenizer(tokenizer) {}

  const std::string* id(EntityType type, const std::string& name) {
    const auto key = std::make_pair(type, name);
    auto it = m_cache.find(key);
    if (it == m_cache.end()) {
      std::vector<Token> tokens;
      m_tokenizer.tokenize(name, tokens);
      std::vector<Mention> mentions;
      m_recognizer.begin_article();
      m_recognizer.recognize(name, tokens, mentions);
      std::optional<std::string> found;
      for (const auto& m : mentions) {
        if (m.type == type && m.token_begin == 0 && m.token_end == tokens.size()) found = m.id;
      }
      it = m_cache.emplace(key, std::move(found)).first;
    }
    return it->second ? &*it->second : nullptr;
  }

 private:
  Recognizer m_recognizer;
  Tokenizer& m_tokenizer;
  std::map<std::pair<EntityType, std::string>, std::optional<std::string>> m_cache;
};

// Kuhn's augmenting paths: match[g] = predicted index or -1. The graphs are tiny.
bool augment(std::size_t p, const std::vector<std::vector<std::size_t>>& edges,
             std::vector<int>& match_of_gold, std::vector<char>& seen) {
  for (const std::size_t g : edges[p]) {
    if (seen[g]) continue;
    seen[g] = 1;
    if (match_of_gold[g] < 0 ||
        augment(static_cast<std::size_t>(match_of_gold[g]), edges, match_of_gold, seen)) {
      match_of_gold[g] = static_cast<int>(p);
      return true;
    }
  }
  return false;
}

std::string join_keys(const std::set<std::string>& keys) {
  std::string s;
  for (const auto& k : keys) {
    if (!s.empty()) s += " | ";
    s += k;
  }
  return s;
}

// The predicted entity of another type that the gold entity would match, for the FN report.
std::string other_type_hint(const GoldEntity& g, std::size_t t,
                            const std::array<std::vector<Predicted>, 4>& predicted) {
  for (std::size_t u = 0; u < predicted.size(); ++u) {
    if (u == t) continue;
    for (const auto& p : predicted[u]) {
      if (p.keys.count(g.key) != 0) {
        return std::string(" [recognised as ") +
               (u < 3 ? std::string(sitrep::entities::type_name(kTypes[u])) : "other") + " " +
               p.id + "]";
      }
    }
  }
  return {};
}

std::set<std::string> key_terms(const std::string& key) {
  std::set<std::string> terms;
  for (std::size_t b = 0; b < key.size();) {
    const std::size_t e = std::min(key.find(' ', b), key.size());
    if (e > b) terms.insert(key.substr(b, e - b));
    b = e + 1;
  }
  return terms;
}

// Predicted entities (any type) that do not match the gold entity but whose keys share a term with
// its key: partial or over-long recognitions, for the FN report.
std::string partial_hint(const GoldEntity& g,
                         const std::array<std::vector<Predicted>, 4>& predicted) {
  const std::set<std::string> terms = key_terms(g.key);
  std::string hint;
  for (std::size_t u = 0; u < predicted.size(); ++u) {
    for (const auto& p : predicted[u]) {
      if (p.keys.count(g.key) != 0) continue;
      bool shared = false;
      for (const auto& k : p.keys) {
        for (const auto& term : key_terms(k)) shared = shared || terms.count(term) != 0;
      }
      if (!shared) continue;
      hint += hint.empty() ? " [near: " : ", ";
      hint += (u < 3 ? std::string(sitrep::entities::type_name(kTypes[u])) : "other") + " " + p.id +
              " '" + p.surface + "'";
    }
  }
  return hint.empty() ? hint : hint + "]";
}

void print_row(const char* label, const Counts& c) {
  const auto ratio = [](std::size_t num, std::size_t den) -> std::string {
    if (den == 0) return "    -";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%5.3f", static_cast<double>(num) / static_cast<double>(den));
    return buf;
  };
  std::string f1 = "    -";
  if (c.predicted > 0 && c.gold > 0) {
    const double p = static_cast<double>(c.matched) / static_cast<double>(c.predicted);
    const double r = static_cast<double>(c.matched) / static_cast<double>(c.gold);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%5.3f", p + r > 0 ? 2 * p * r / (p + r) : 0.0);
    f1 = buf;
  }
  std::printf("%-10s %6zu %6zu %7zu  %s  %s  %s\n", label, c.gold, c.predicted, c.matched,
              ratio(c.matched, c.predicted).c_str(), ratio(c.matched, c.gold).c_str(), f1.c_str());
}

int run(const Options& opt) {
  Tokenizer tokenizer;
  Gazetteer gazetteer;
  gazetteer.load_builtin();
  for (const auto& f : opt.entity_files) gazetteer.load_file(f);
  const std::vector<Article> articles = load_labelled(opt.labelled, tokenizer);

  Recognizer recognizer(gazetteer);
  GoldIds gold_ids(gazetteer, tokenizer);
  std::array<Counts, 3> counts{};
  std::map<std::string, std::array<Counts, 3>> by_language;
  std::size_t n_articles = 0;
  std::vector<Token> tokens;
  std::vector<Mention> mentions;

  for (const Article& a : articles) {
    if (opt.split != "all" && a.split != opt.split) continue;
    ++n_articles;

    // Predicted entities by type index (3 = other, kept only for the FN hints).
    std::array<std::vector<Predicted>, 4> predicted;
    std::array<std::map<std::string, std::size_t>, 4> index_of;
    recognizer.begin_article();
    for (const std::string* text : {&a.title, &a.body}) {
      tokens.clear();
      mentions.clear();
      tokenizer.tokenize(*text, tokens);
      recognizer.recognize(*text, tokens, mentions);
      for (const Mention& m : mentions) {
        const std::size_t t = type_index(m.type);
        auto [it, inserted] = index_of[t].try_emplace(m.id, predicted[t].size());
        if (inserted) {
          Predicted p;
          p.id = m.id;
          p.discovered = m.discovered;
          if (m.token_end > m.token_begin && m.token_end <= tokens.size()) {
            const std::size_t b = tokens[m.token_begin].begin;
            p.surface = text->substr(b, tokens[m.token_end - 1].end - b);
          } else {
            p.surface = m.name;
          }
          predicted[t].push_back(std::move(p));
        }
        Predicted& p = predicted[t][it->second];
        ++p.mentions;
        for (auto& k : recognizer.search_keys(m)) p.keys.insert(std::move(k));
      }
    }

    std::vector<std::string> report;
    for (std::size_t t = 0; t < kTypes.size(); ++t) {
      const auto& gold = a.gold[t];
      const auto& pred = predicted[t];
      std::vector<std::vector<std::size_t>> edges(pred.size());
      for (std::size_t p = 0; p < pred.size(); ++p) {
        for (std::size_t g = 0; g < gold.size(); ++g) {
          const std::string* gid = nullptr;
          if (pred[p].keys.count(gold[g].key) != 0 ||
              ((gid = gold_ids.id(kTypes[t], gold[g].name)) != nullptr && *gid == pred[p].id)) {
            edges[p].push_back(g);
          }
        }
      }
      std::vector<int> match_of_gold(gold.size(), -1);
      std::size_t matched = 0;
      for (std::size_t p = 0; p < pred.size(); ++p) {
        std::vector<char> seen(gold.size(), 0);
        if (augment(p, edges, match_of_gold, seen)) ++matched;
      }
      counts[t].gold += gold.size();
      counts[t].predicted += pred.size();
      counts[t].matched += matched;
      Counts& lc = by_language[a.language][t];
      lc.gold += gold.size();
      lc.predicted += pred.size();
      lc.matched += matched;
      if (!opt.verbose) continue;

      const std::string tname(sitrep::entities::type_name(kTypes[t]));
      std::vector<char> pred_matched(pred.size(), 0);
      for (const int p : match_of_gold) {
        if (p >= 0) pred_matched[static_cast<std::size_t>(p)] = 1;
      }
      for (std::size_t g = 0; g < gold.size(); ++g) {
        if (match_of_gold[g] >= 0) continue;
        report.push_back("  FN " + tname + " '" + gold[g].name + "'" +
                         other_type_hint(gold[g], t, predicted) + partial_hint(gold[g], predicted));
      }
      for (std::size_t p = 0; p < pred.size(); ++p) {
        if (pred_matched[p]) continue;
        std::string why;
        if (!edges[p].empty()) why = " [duplicate of gold '" + gold[edges[p].front()].name + "']";
        report.push_back("  FP " + tname + " " + pred[p].id + " '" + pred[p].surface + "'" +
                         (pred[p].discovered ? " (discovered)" : "") + why +
                         " keys: " + join_keys(pred[p].keys));
      }
    }
    if (!report.empty()) {
      std::printf("%s [%s]\n", a.id.c_str(), a.split.c_str());
      for (const auto& r : report) std::printf("%s\n", r.c_str());
    }
  }
  if (opt.verbose) {
    std::printf("\nby language:\n");
    for (const auto& [lang, lcounts] : by_language) {
      for (std::size_t t = 0; t < kTypes.size(); ++t) {
        const std::string label = lang + " " + std::string(sitrep::entities::type_name(kTypes[t]));
        print_row(label.c_str(), lcounts[t]);
      }
    }
    std::printf("\n");
  }

  std::printf("split: %s (%zu articles)\n", opt.split.c_str(), n_articles);
  std::printf("%-10s %6s %6s %7s  %5s  %5s  %5s\n", "type", "gold", "pred", "matched", "P", "R",
              "F1");
  Counts all;
  std::string failed;
  for (std::size_t t = 0; t < kTypes.size(); ++t) {
    print_row(std::string(sitrep::entities::type_name(kTypes[t])).c_str(), counts[t]);
    all.gold += counts[t].gold;
    all.predicted += counts[t].predicted;
    all.matched += counts[t].matched;
    // No prediction of a type has no precision to fail; no gold entity of it, no recall.
    const Counts& c = counts[t];
    const std::string tname(sitrep::entities::type_name(kTypes[t]));
    char buf[96];
    if (opt.min_precision && c.predicted > 0 &&
        static_cast<double>(c.matched) / static_cast<double>(c.predicted) < *opt.min_precision) {
      std::snprintf(buf, sizeof buf, " %s precision < %.2f;", tname.c_str(), *opt.min_precision);
      failed += buf;
    }
    if (opt.min_recall && c.gold > 0 &&
        static_cast<double>(c.matched) / static_cast<double>(c.gold) < *opt.min_recall) {
      std::snprintf(buf, sizeof buf, " %s recall < %.2f;", tname.c_str(), *opt.min_recall);
      failed += buf;
    }
  }
  print_row("all", all);
  if (!failed.empty()) {
    failed.pop_back();
    std::printf("FAIL:%s\n", failed.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  CLI::App app{
      "Runs the entity recogniser (built-in dictionaries plus every --entities FILE) on the "
      "hand-labelled articles of the split and prints, per type, the gold and predicted entity "
      "counts, the matches, precision, recall and F1 (micro-averaged).",
      "sitrep-eval-entities"};
  app.footer(
      "Exit status: 0 ok; 1 some type below --min-precision or --min-recall; 64 bad usage; 65 "
      "bad labelled file; 66 file not found; 78 bad --entities file.");
  app.add_option("labelled", opt.labelled, "The labelled articles (LABELLED.jsonl)")->required();
  sitrep::eval::add_split_option(app, opt.split);
  app.add_option("--entities", opt.entity_files, "An entity dictionary to add (repeatable)")
      ->allow_extra_args(false);  // one FILE per --entities, so the labelled file is not taken
  sitrep::eval::add_threshold_option(app, "--min-precision", opt.min_precision,
                                     "Exit 1 when some type's precision is below this");
  sitrep::eval::add_threshold_option(app, "--min-recall", opt.min_recall,
                                     "Exit 1 when some type's recall is below this");
  app.add_flag("-v,--verbose", opt.verbose,
               "Also list every false positive (FP) and false negative (FN) per article");
  return sitrep::eval::eval_main("sitrep-eval-entities", app, argc, argv, [&] { return run(opt); });
}
