// Property test of the query language (issue 14): every query generated from the grammar of the
// README's operators either matches exactly the articles an independent evaluator of the same
// grammar says it means, or is refused with kBadQuery (query_syntax); never a silently different
// query. The evaluator below reads the generated structure, not the text, on a small database of
// made-up articles whose words, positions, sources and years it knows.
#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "article_fixture.hpp"
#include <doctest/doctest.h>

#include "sitrep/index/document.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/search/query_builder.hpp"
#include "sitrep/util/error.hpp"

using namespace sitrep;

namespace {

// Words that no stemmer merges and no other word starts like (so "am*" is amber alone).
const std::vector<std::string> kWords = {"amber", "basil", "cedar", "delta", "ember", "fjord"};
const std::vector<std::string> kSources = {"North", "South"};

struct Doc {
  std::string id;
  std::vector<std::string> words;  // the body, one word per position
  std::string source;
  int year = 0;
};

using Eval = std::function<bool(const Doc&)>;

// A generated piece of query: its text, how tightly it binds (5 an item, 4 words side by side,
// 3 AND/NOT, 2 XOR, 1 OR), what it means, and whether the language documents it (an undocumented
// one must be refused).
struct Expr {
  std::string text;
  int prec = 5;
  Eval eval;
  bool valid = true;
  std::string why;            // why not valid
  bool single_word = false;   // a plain word (may be an operand of NEAR/ADJ)
  bool all_excluded = false;  // -a -b: every item marked '-' (not allowed after NOT)
  std::string field;          // a filter's field (side by side, one field's filters are ORed)
};

Expr make(std::string text, int prec, Eval eval, bool valid = true) {
  Expr e;
  e.text = std::move(text);
  e.prec = prec;
  e.eval = std::move(eval);
  e.valid = valid;
  return e;
}

bool has(const Doc& d, const std::string& w) {
  return std::find(d.words.begin(), d.words.end(), w) != d.words.end();
}

// Consecutive words (a phrase or a hyphenated word).
bool has_phrase(const Doc& d, const std::vector<std::string>& p) {
  for (std::size_t i = 0; i + p.size() <= d.words.size(); ++i) {
    if (std::equal(p.begin(), p.end(), d.words.begin() + static_cast<std::ptrdiff_t>(i)))
      return true;
  }
  return false;
}

// Distinct words within a window: positions spanning fewer than window positions, in the given
// order for ADJ (Xapian's OP_NEAR / OP_PHRASE with the window QueryParser gives NEAR/N, ADJ/N).
bool has_near(const Doc& d, const std::vector<std::string>& w, std::size_t window, bool ordered) {
  std::vector<std::size_t> pos(w.size());
  std::function<bool(std::size_t)> pick = [&](std::size_t k) -> bool {
    if (k == w.size()) {
      const auto [lo, hi] = std::minmax_element(pos.begin(), pos.end());
      if (*hi - *lo >= window) return false;
      if (!ordered) return true;
      return std::is_sorted(pos.begin(), pos.end()) &&
             std::adjacent_find(pos.begin(), pos.end()) == pos.end();
    }
    for (std::size_t i = 0; i < d.words.size(); ++i) {
      if (d.words[i] != w[k]) continue;
      pos[k] = i;
      if (pick(k + 1)) return true;
    }
    return false;
  };
  return pick(0);
}

class Generator {
 public:
  explicit Generator(unsigned seed) : m_rng(seed) {}

  Expr query() { return expr(3); }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_rng); }
  bool chance(int percent) { return pick(100) < percent; }
  const std::string& word() { return kWords[static_cast<std::size_t>(pick(6))]; }

  static Expr group(const Expr& e) {
    Expr g = e;
    g.text = "(" + e.text + ")";
    g.prec = 5;
    g.single_word = false;
    g.all_excluded = false;
    g.field.clear();
    return g;
  }
  static Expr at_least(const Expr& e, int prec) { return e.prec >= prec ? e : group(e); }

  Expr item(int depth) {
    switch (pick(depth > 0 ? 9 : 7)) {
      case 0:
      case 1: {
        const std::string w = word();
        Expr e = make(w, 5, [w](const Doc& d) { return has(d, w); });
        e.single_word = true;
        return e;
      }
      case 2: {  // a phrase of 2 or 3 words
        std::vector<std::string> p{word(), word()};
        if (chance(40)) p.push_back(word());
        std::string text = "\"";
        for (std::size_t k = 0; k < p.size(); ++k) text += (k ? " " : "") + p[k];
        return make(text + "\"", 5, [p](const Doc& d) { return has_phrase(d, p); });
      }
      case 3: {  // a hyphenated word: a phrase
        std::vector<std::string> p{word(), word()};
        return make(p[0] + "-" + p[1], 5, [p](const Doc& d) { return has_phrase(d, p); });
      }
      case 4: {  // a wildcard
        const std::string prefix = word().substr(0, chance(50) ? 2 : 3);
        return make(prefix + "*", 5, [prefix](const Doc& d) {
          return std::any_of(d.words.begin(), d.words.end(), [&](const std::string& w) {
            return w.compare(0, prefix.size(), prefix) == 0;
          });
        });
      }
      case 5: {  // a filter
        if (chance(50)) {
          const std::string s = kSources[static_cast<std::size_t>(pick(2))];
          Expr e = make("source:" + s, 5, [s](const Doc& d) { return d.source == s; });
          e.field = "source";
          return e;
        }
        const int y = 2024 + pick(2);
        Expr e = make("date:" + std::to_string(y), 5, [y](const Doc& d) { return d.year == y; });
        e.field = "date";
        return e;
      }
      case 6:
        return proximity(depth);
      default:
        return group(expr(depth - 1));
    }
  }

  // a NEAR b [NEAR c], or ADJ; N from 1 to 4 or none (10). Operands other than plain words, a
  // distance out of range and NEAR mixed with ADJ are not in the language.
  Expr proximity(int depth) {
    bool adj = chance(50);
    const std::string op = adj ? "ADJ" : "NEAR";
    const std::size_t n = chance(40) ? 3 : 2;
    std::vector<std::string> ws;
    std::vector<std::string> shuffled = kWords;
    std::shuffle(shuffled.begin(), shuffled.end(), m_rng);
    Expr e;
    std::size_t window = 0;
    std::string last_op;
    for (std::size_t k = 0; k < n; ++k) {
      if (k > 0) {
        std::string this_op = op;
        if (chance(10)) this_op = adj ? "NEAR" : "ADJ";  // mixed in one chain
        if (k > 1 && this_op != last_op) {
          e.valid = false;
          e.why += "mixed ";
        }
        last_op = this_op;
        e.text += " " + this_op;
        if (chance(60)) {
          const int r = pick(20);
          if (r == 0) {
            e.text += "/0";
            e.valid = false;
            e.why += "L172 ";
          } else if (r == 1) {
            e.text += "/1000";
            e.valid = false;
            e.why += "L175 ";
          } else if (r == 2) {
            e.text += "/03";
            e.valid = false;
            e.why += "L178 ";
          } else {
            const std::size_t d = static_cast<std::size_t>(1 + pick(4));
            window = std::max(window, d);
            e.text += "/" + std::to_string(d);
          }
        }
        e.text += " ";
      }
      Expr operand;
      if (chance(85)) {
        operand = make(shuffled[k], 5, nullptr);
        operand.single_word = true;
      } else {
        operand = item(depth > 0 ? depth - 1 : 0);
        if (operand.single_word) operand.text = shuffled[k];  // the words of a chain differ
        if (!operand.single_word && operand.text.front() != '(' &&
            (operand.text.find(" NEAR") != std::string::npos ||
             operand.text.find(" ADJ") != std::string::npos)) {
          operand = group(operand);  // a chain as an operand: in parentheses
        }
      }
      if (!operand.single_word) e.valid = false;
      ws.push_back(operand.text);
      e.text += operand.text;
    }
    adj = last_op == "ADJ";  // the operator written (a chain of one kind)
    if (window == 0) window = 10;
    window += n - 1;
    e.prec = 5;
    if (e.valid) e.eval = [ws, window, adj](const Doc& d) { return has_near(d, ws, window, adj); };
    return e;
  }

  // Items side by side (all must match), each maybe marked + (must) or - (must not).
  Expr juxtaposition(int depth) {
    const int n = 1 + pick(3);
    std::vector<Expr> items;
    std::vector<char> marks;
    Expr e;
    e.prec = n == 1 ? 5 : 4;
    for (int k = 0; k < n; ++k) {
      items.push_back(item(depth));
      const int m = pick(10);
      marks.push_back(m == 0 ? '+' : m <= 2 ? '-' : ' ');
      if (marks.back() != ' ') e.prec = 4;
      if (!items.back().valid) e.valid = false;
      e.why += items.back().why;
      // +/- binds tighter than NEAR: "-a NEAR b" is refused, "-(a NEAR b)" is meant.
      const std::string& t = items.back().text;
      if (marks.back() != ' ' && t.front() != '(' &&
          (t.find("NEAR") != std::string::npos || t.find("ADJ") != std::string::npos)) {
        e.valid = false;
        e.why += "marked-near ";
      }
      e.text += (k ? " " : "") +
                (marks.back() == ' ' ? std::string() : std::string(1, marks.back())) +
                items.back().text;
    }
    if (n == 1 && marks[0] == ' ') return items[0];
    e.all_excluded = std::all_of(marks.begin(), marks.end(), [](char m) { return m == '-'; });
    if (e.valid) {
      e.eval = [items, marks](const Doc& d) {
        std::map<std::string, bool> filters;  // by field: whether any of its values matches
        for (std::size_t k = 0; k < items.size(); ++k) {
          if (marks[k] != '-' && !items[k].field.empty()) {
            filters[items[k].field] = filters[items[k].field] || items[k].eval(d);
          } else if (items[k].eval(d) == (marks[k] == '-')) {
            return false;
          }
        }
        for (const auto& [field, any] : filters) {
          if (!any) return false;
        }
        return true;  // all exclusions alone: every article but those
      };
    }
    return e;
  }

  Expr expr(int depth) {
    const int r = pick(10);
    if (depth <= 0 || r < 4) return juxtaposition(depth);
    if (r == 4) {  // NOT x: every article but x
      Expr x = at_least(expr(depth - 1), 4);
      Expr e = make("NOT " + x.text, 3, nullptr, x.valid && !x.all_excluded);
      e.why = x.why + (x.all_excluded ? "NOT-excl " : "");
      if (e.valid) e.eval = [x](const Doc& d) { return !x.eval(d); };
      return e;
    }
    static const char* const ops[] = {"AND", "OR", "XOR", "NOT", "AND NOT"};
    const std::string op = ops[pick(5)];
    const int prec = op == "OR" ? 1 : op == "XOR" ? 2 : 3;
    Expr a = at_least(expr(depth - 1), prec);  // left-associative
    Expr b = at_least(expr(depth - 1), prec + 1);
    if (a.text.rfind("NOT ", 0) == 0 && op != "OR") a = group(a);
    if (b.text.rfind("NOT ", 0) == 0) b = group(b);
    Expr e = make(a.text + " " + op + " " + b.text, prec, nullptr,
                  a.valid && b.valid && !((op == "NOT" || op == "AND NOT") && b.all_excluded));
    e.why = a.why + b.why + (b.all_excluded ? "bin-excl " : "");
    if (e.valid) {
      e.eval = [a, b, op](const Doc& d) {
        if (op == "AND") return a.eval(d) && b.eval(d);
        if (op == "OR") return a.eval(d) || b.eval(d);
        if (op == "XOR") return a.eval(d) != b.eval(d);
        return a.eval(d) && !b.eval(d);
      };
    }
    return e;
  }

  std::mt19937 m_rng;
};

struct PropertyCorpus {
  Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
  std::vector<Doc> docs;
  PropertyCorpus() {
    std::mt19937 rng(14);
    index::DocumentBuilder builder;
    std::set<std::vector<std::string>> bodies;
    while (docs.size() < 40) {
      Doc d;
      d.id = "d" + std::to_string(docs.size());
      const int n = std::uniform_int_distribution<int>(3, 9)(rng);
      for (int k = 0; k < n; ++k) d.words.push_back(kWords[rng() % kWords.size()]);
      if (!bodies.insert(d.words).second) continue;
      d.source = kSources[rng() % 2];
      d.year = 2024 + static_cast<int>(rng() % 2);
      std::string body;
      for (const std::string& w : d.words) body += (body.empty() ? "" : " ") + w;
      std::string used;
      db.replace_document(schema::terms::id(d.id),
                          builder.build(test::make_article(d.id, "Quux", body + ".", "en", d.source,
                                                           std::to_string(d.year) + "-06-01"),
                                        used));
      docs.push_back(d);
    }
  }
};

std::string diff(const std::set<std::string>& got, const std::set<std::string>& expected) {
  std::string out;
  for (const std::string& id : got) {
    if (!expected.count(id)) out += "+" + id + " ";
  }
  for (const std::string& id : expected) {
    if (!got.count(id)) out += "-" + id + " ";
  }
  return out;
}

}  // namespace

TEST_CASE("query language property: each generated query runs as documented or is query_syntax") {
  PropertyCorpus c;
  search::QueryBuilder qb(c.db, {"en"});
  // The evaluator reads juxtaposed items as AND: the strict mode (--default-op and).
  qb.set_default_op(search::DefaultOp::kAnd, search::Ranking{});
  Generator gen(20261203);
  int ran = 0, refused = 0, wrong = 0;
  for (int n = 0; n < 3000; ++n) {
    const Expr e = gen.query();
    CAPTURE(e.text);
    if (std::count(e.text.begin(), e.text.end(), '*') > static_cast<long>(search::kMaxWildcards))
      continue;  // a limit, tested elsewhere
    std::set<std::string> expected;
    if (e.valid) {
      for (const Doc& d : c.docs) {
        if (e.eval(d)) expected.insert(d.id);
      }
    }
    try {
      const search::BuiltQuery built = qb.build(e.text);
      ++ran;
      const std::set<std::string> got = test::matching_ids(c.db, built.query);
      if (!e.valid || got != expected) {
        ++wrong;
        if (wrong <= 20) {
          MESSAGE(std::string(e.valid ? "different matches: " : "not refused: ")
                  << e.text << "  -> " << built.rewritten << "  -> "
                  << built.query.get_description() << " why " << e.why << " diff "
                  << diff(got, expected));
        }
      }
    } catch (const Error& err) {
      ++refused;
      CHECK_MESSAGE(err.kind() == ErrorKind::kBadQuery, std::string(err.what()));
      if (e.valid) {
        ++wrong;
        if (wrong <= 20)
          MESSAGE("refused though documented: " << e.text << ": " << std::string(err.what()));
      }
    }
  }
  MESSAGE(ran << " ran, " << refused << " refused, " << wrong << " wrong");
  CHECK(wrong == 0);
  CHECK(ran > 1500);  // the grammar is mostly valid: the parser does not refuse everything
}
