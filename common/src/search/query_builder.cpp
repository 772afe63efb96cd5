#include "sitrep/search/query_builder.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "sitrep/analysis/language.hpp"
#include "sitrep/entities/entities.hpp"
#include "sitrep/schema/article.hpp"
#include "sitrep/schema/entity_type.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/search/aliases.hpp"
#include "sitrep/store/metadata.hpp"
#include "sitrep/store/xapian_call.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/utf8.hpp"

namespace sitrep::search {

namespace {

bool is_space(char c) { return c == ' ' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7f; }

// The lexer reads the mapped text (analysis::map_characters), where every double quote the
// Tokenizer knows (“ ” „ ‟ « » ‹ › ″ ＂) is '"' and every dash and minus sign is '-'.
bool is_quote(char c) { return c == '"'; }

// A quoted phrase or field value as the lexer read it.
struct Quoted {
  std::string content;               // with \" and \\ unescaped
  std::size_t begin = 0, end = 0;    // the raw content: [begin, end) of the text read
  std::vector<std::size_t> escapes;  // the indices of the escaping backslashes in it
};

// The code point of the well-formed UTF-8 text at byte at (0 when at is past the end).
char32_t code_point_at(std::string_view text, std::size_t at) {
  if (at >= text.size()) return 0;
  const auto b = static_cast<unsigned char>(text[at]);
  const std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t k = 1; k < n && at + k < text.size(); ++k)
    c = (c << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3F);
  return c;
}

// Whether the quotation mark close ends a phrase opened by open. An ASCII quote is closed only by
// an ASCII quote; each typographic quote by its partners in the conventions that use it (“…”
// and “…“, „…“ and „…”, «…», »…« and »…», ‹…›, ›…‹ and ›…›, ”…”, ‟…‟ and ‟…”, ″…″, ＂…＂).
// Any other quotation mark inside the phrase is text: "the war.” Speaking on" is one phrase.
bool closes(char32_t open, char32_t close) {
  switch (open) {
    case 0x201C:  // “
      return close == 0x201D || close == 0x201C;
    case 0x201E:  // „
      return close == 0x201C || close == 0x201D;
    case 0x201F:  // ‟
      return close == 0x201F || close == 0x201D;
    case 0x00AB:  // «
      return close == 0x00BB;
    case 0x00BB:  // »
      return close == 0x00AB || close == 0x00BB;
    case 0x2039:  // ‹
      return close == 0x203A;
    case 0x203A:  // ›
      return close == 0x2039 || close == 0x203A;
    default:  // " ” ″ ＂: the same mark
      return close == open;
  }
}

// The phrase whose opening quote is at s[at] (s: the mapped text, where every quote is '"';
// original and offsets: the text as given and, by byte of s, its offset there, to tell the quotes
// apart); returns the index after its closing quote (an unbalanced quote runs to the end). Inside,
// a backslash before any quote makes it a literal quote and \\ is a literal backslash; a
// backslash before anything else is itself.
std::size_t read_quoted(std::string_view s, std::size_t at, Quoted& q, std::string_view original,
                        const std::vector<std::uint32_t>& offsets) {
  q.content.clear();
  q.escapes.clear();
  q.begin = at + 1;
  const char32_t open = code_point_at(original, offsets[at]);
  auto is_closing = [&](std::size_t i) {
    return is_quote(s[i]) && closes(open, code_point_at(original, offsets[i]));
  };
  std::size_t i = at + 1;
  while (i < s.size() && !is_closing(i)) {
    if (s[i] == '\\' && i + 1 < s.size() && (is_quote(s[i + 1]) || s[i + 1] == '\\')) {
      q.escapes.push_back(i);
      ++i;
    }
    q.content += s[i];
    ++i;
  }
  q.end = i;
  return i < s.size() ? i + 1 : i;
}

// The end of the chunk (a run of text up to a space, parenthesis or quote) that starts at s[i].
std::size_t chunk_end(std::string_view s, std::size_t i) {
  while (i < s.size() && !is_space(s[i]) && s[i] != '(' && s[i] != ')' && !is_quote(s[i])) ++i;
  return i;
}

// Whether out ends where a new term starts (after a space or an opening parenthesis).
bool at_term_start(const std::string& out) {
  return out.empty() || out.back() == ' ' || out.back() == '(';
}

// The value of date:VALUE as the range processor reads it, "YYYYMMDD..YYYYMMDD" (either end may
// be empty); throws Error{kBadQuery} for a malformed or reversed range.
std::string date_range(const std::string& value) {
  const std::size_t dots = value.find("..");
  const std::string lo_text = dots == std::string::npos ? value : value.substr(0, dots);
  const std::string hi_text = dots == std::string::npos ? value : value.substr(dots + 2);
  const std::string lo = lo_text.empty() ? "" : parse_date_bound(lo_text, false);
  const std::string hi = hi_text.empty() ? "" : parse_date_bound(hi_text, true);
  if ((!lo_text.empty() && lo.empty()) || (!hi_text.empty() && hi.empty()) ||
      (lo_text.empty() && hi_text.empty())) {
    throw Error(ErrorKind::kBadQuery,
                "invalid date range \"date:" + value +
                    "\": use date:YYYY-MM-DD..YYYY-MM-DD (either end may be omitted, or "
                    "YYYY / YYYY-MM)");
  }
  if (!lo.empty() && !hi.empty() && lo > hi) {
    throw Error(ErrorKind::kBadQuery, "date range \"date:" + value + "\" ends before it starts");
  }
  return lo + ".." + hi;
}

// "NEAR" or "ADJ" when w is that operator, alone or with a distance ("NEAR/5"; any text after the
// slash, checked by proximity_distance), else empty.
std::string_view proximity_operator(std::string_view w) {
  for (std::string_view op : {std::string_view("NEAR"), std::string_view("ADJ")}) {
    if (w.substr(0, op.size()) != op) continue;
    if (w.size() == op.size() || w[op.size()] == '/') return op;
  }
  return {};
}

// Refuses a NEAR/N or ADJ/N whose N is not a whole number from 1 to kMaxProximity written
// without leading zeros (QueryParser would read "NEAR/1000" or "NEAR/0" as words).
void check_proximity_distance(std::string_view w) {
  const std::string_view op = proximity_operator(w);
  if (op.empty() || w.size() == op.size()) return;
  const std::string_view n = w.substr(op.size() + 1);
  const bool digits = !n.empty() && n.size() <= 6 &&
                      std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits && n[0] != '0' && std::stoul(std::string(n)) <= kMaxProximity) return;
  std::string message = "invalid distance in " + std::string(w) + ": write " + std::string(op) +
                        "/N with N a whole number from 1 to " + std::to_string(kMaxProximity);
  if (digits && n.find_first_not_of('0') != std::string_view::npos && n[0] == '0' &&
      std::stoul(std::string(n)) <= kMaxProximity) {
    message += " without leading zeros (" + std::string(op) + "/" +
               std::to_string(std::stoul(std::string(n))) + ")";
  }
  throw Error(ErrorKind::kBadQuery, message);
}

bool is_operator(std::string_view w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || !proximity_operator(w).empty();
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// QueryParser ignores the '-' of a group whose every item is an exclusion ("-a -\"b c\"", at the
// top level or in parentheses), so such a group is rewritten as "NOT a NOT \"b c\"": at the top
// level it then means everything but those, in a group it combines like any other. Works on the
// rewritten text, where parentheses and operators are tokens of their own.
// The tokens of rewritten text: runs of non-space characters, a quoted phrase kept whole.
std::vector<std::string> split_tokens(const std::string& q) {
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < q.size();) {
    if (q[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool in_quote = false;
    while (j < q.size() && (in_quote || q[j] != ' ')) {
      if (q[j] == '"') in_quote = !in_quote;
      ++j;
    }
    tokens.push_back(q.substr(i, j - i));
    i = j;
  }
  return tokens;
}

// The boolean operators, which a sentence pasted in capitals uses as words (shouted_sentence()).
bool is_boolean_word(std::string_view w) {
  return w == "AND" || w == "OR" || w == "NOT" || w == "XOR";
}

bool is_binary_operator(std::string_view w) { return is_operator(w) && w != "NOT"; }

// Refuses what QueryParser cannot take as an operand of NEAR or ADJ (op): only single words
// (unprefixed or title:) can be; token is a token of the rewritten text next to it.
void check_proximity_operand(const std::string& op, const std::string& token) {
  auto bad = [&](const std::string& what) {
    throw Error(ErrorKind::kBadQuery,
                op + " joins single words, not " + what + ": write the words with " + op +
                    " between them (a NEAR b NEAR c), or use a phrase or AND without " + op);
  };
  if (token == "(" || token == ")") bad("a group in parentheses");
  if (is_operator(token)) bad("the operator " + token);
  if (token.front() == '"') bad("the phrase " + token);
  if (token.front() == '+' || token.front() == '-') bad("+ or - (" + token + ")");
  const std::size_t colon = token.find(':');
  const bool title = token.compare(0, 6, "title:") == 0;
  if (colon != std::string::npos && !title) bad("the filter " + token);
  if (title && token.find('"') != std::string::npos) bad("the phrase " + token);
  if (token.back() == '*') bad("the wildcard " + token);
  if (token.find('-') != std::string::npos) {
    bad("the hyphenated word " + token + " (a phrase)");
  }
}

// Whether rewritten text has an explicit operator (AND OR NOT XOR NEAR ADJ) or a '+'/'-' item:
// the default mode's preference for every word (prefer_all_terms) is then not added.
bool has_explicit_operator(const std::string& rewritten) {
  for (const std::string& t : split_tokens(rewritten)) {
    if (is_operator(t) || t.front() == '+' || t.front() == '-') return true;
  }
  return false;
}

// Refuses, before QueryParser sees them, the shapes that have no meaning or only cost: nesting
// deeper than kMaxQueryDepth, operators in a row ("AND OR", "NOT NOT"), an operator with nothing
// on one side, and more than kMaxWildcards wildcards. Works on the rewritten text.
void check_structure(const std::string& rewritten) {
  const std::vector<std::string> tokens = split_tokens(rewritten);
  std::size_t depth = 0, wildcards = 0;
  auto bad = [](const std::string& message) { throw Error(ErrorKind::kBadQuery, message); };
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const std::string& t = tokens[k];
    const std::string prev = k > 0 ? tokens[k - 1] : std::string("(");
    const std::string next = k + 1 < tokens.size() ? tokens[k + 1] : std::string(")");
    if (t == "(" || t == "-(" || t == "+(") {
      if (++depth > kMaxQueryDepth) {
        bad("parentheses are nested more than " + std::to_string(kMaxQueryDepth) + " deep");
      }
      continue;
    }
    if (t == ")") {
      if (depth > 0) --depth;
      continue;
    }
    if (t.back() == '*' && t.front() != '"' && ++wildcards > kMaxWildcards) {
      throw Error(ErrorKind::kLimit,
                  "more than " + std::to_string(kMaxWildcards) + " wildcards in one query");
    }
    if (!is_operator(t)) continue;
    if (is_operator(prev) && !(t == "NOT" && is_binary_operator(prev))) {
      bad("operator " + t + " follows operator " + prev +
          " (write operators in lower case to search for them as words)");
    }
    if (is_binary_operator(t) && prev.back() == '(') {
      bad("operator " + t + " has nothing before it");
    }
    if (next == ")") bad("operator " + t + " has nothing after it");
    const std::string_view op = proximity_operator(t);
    if (op.empty()) continue;
    // QueryParser joins single words only with NEAR/ADJ; given anything else it would silently
    // reparse the whole query with every operator read as a word.
    check_proximity_operand(t, prev);
    check_proximity_operand(t, next);
    if (k + 2 < tokens.size()) {
      const std::string_view then = proximity_operator(tokens[k + 2]);
      if (!then.empty() && then != op) {
        bad("cannot mix NEAR and ADJ in one chain (" + prev + " " + t + " " + next + " " +
            tokens[k + 2] + "): put parentheses around a whole NEAR or ADJ group");
      }
    }
  }
}

std::string exclusions_to_not(const std::string& q) {
  std::vector<std::string> tokens = split_tokens(q);
  // For each operand (of the top level or of a parenthesised group, up to an operator), its
  // items; and the operator before it.
  struct Operand {
    std::vector<std::size_t> items;
    std::string after;
    std::size_t last = 0;  // its last token
  };
  std::vector<Operand> stack(1);
  auto close_operand = [&](Operand& o) {
    const bool all =
        !o.items.empty() && std::all_of(o.items.begin(), o.items.end(), [&](std::size_t k) {
          return tokens[k].size() > 1 && tokens[k][0] == '-';
        });
    if (all && o.after == "NOT") {
      throw Error(ErrorKind::kBadQuery, "NOT followed by -" + tokens[o.items.front()].substr(1) +
                                            ": write NOT or -, not both");
    }
    if (all) {
      for (std::size_t k : o.items) tokens[k] = "NOT " + tokens[k].substr(1);
    } else if (!o.items.empty() && !o.after.empty() && tokens[o.items.front()][0] == '-') {
      // QueryParser reads a '-' right after an operator as "AND NOT" and refuses it after any
      // other ("a OR -b c"); in parentheses it excludes as it does anywhere else.
      tokens[o.items.front()] = "( " + tokens[o.items.front()];
      tokens[o.last] += " )";
    }
    o.items.clear();
  };
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const std::string& t = tokens[k];
    if (t == "(" || t == "-(" || t == "+(") {
      stack.back().items.push_back(k);  // the group is an item of its parent operand
      stack.back().last = k;
      stack.emplace_back();
    } else if (t == ")") {
      if (stack.size() > 1) {
        close_operand(stack.back());
        stack.pop_back();
      }
      stack.back().last = k;
    } else if (!proximity_operator(t).empty()) {
      continue;  // binds tighter than words side by side: a NEAR chain is one item of its operand
    } else if (is_operator(t)) {
      close_operand(stack.back());
      stack.back().after = t;
    } else {
      stack.back().items.push_back(k);
      stack.back().last = k;
    }
  }
  while (!stack.empty()) {  // the top level, and any group left open
    close_operand(stack.back());
    stack.pop_back();
  }
  std::string out;
  for (const std::string& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

// Drops each ')' of the rewritten text that closes no group: QueryParser's grammar refuses one
// (and would reparse the query with its operators read as words); an unclosed '(' it closes.
std::string drop_unmatched_closers(const std::string& q) {
  std::string out;
  std::size_t depth = 0;
  for (const std::string& t : split_tokens(q)) {
    if (t == ")") {
      if (depth == 0) continue;
      --depth;
    } else if (t.back() == '(' && (t.size() == 1 || t == "-(" || t == "+(")) {
      ++depth;
    }
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

// Puts each NEAR/ADJ chain of the rewritten text in parentheses: QueryParser reads a word that
// follows another word as part of a group of words, which it refuses before NEAR ("a b NEAR c").
// The operands are single words (check_structure).
std::string group_proximity(const std::string& q) {
  std::vector<std::string> tokens = split_tokens(q);
  for (std::size_t k = 1; k + 1 < tokens.size(); ++k) {
    if (proximity_operator(tokens[k]).empty()) continue;
    const std::size_t first = k - 1;
    while (k + 2 < tokens.size() && !proximity_operator(tokens[k + 2]).empty()) k += 2;
    tokens[first] = "( " + tokens[first];
    tokens[k + 1] += " )";
  }
  std::string out;
  for (const std::string& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

bool is_entity_field(std::string_view name) {
  return !schema::terms::entity_types_of_field(name).empty();
}

// A canonical id as the entities module makes them: [a-z0-9-]+.
bool looks_like_id(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

void split_ids(const std::string& list, std::vector<std::string>& out) {
  std::size_t at = 0;
  while (at < list.size()) {
    std::size_t end = list.find_first_of(" ,", at);
    if (end == std::string::npos) end = list.size();
    if (end > at) out.push_back(list.substr(at, end - at));
    at = end + 1;
  }
}

// Turns the ids the lexer put after an entity field ("a,b", or kNoEntity) into a boolean OR of
// the entity terms of the field's types.
class EntityProcessor : public Xapian::FieldProcessor {
 public:
  explicit EntityProcessor(std::string_view field)
      : m_types(schema::terms::entity_types_of_field(field)) {}
  Xapian::Query operator()(const std::string& value) override {
    std::vector<std::string> ids, terms;
    split_ids(value, ids);
    for (const std::string& id : ids) {
      if (!looks_like_id(id)) continue;
      for (const schema::EntityType type : m_types)
        terms.push_back(schema::terms::entity(type, id));
    }
    // No entity: a term that is never indexed (ids are never empty), so the filter matches
    // nothing yet stays a query of its own (MatchNothing would vanish from "-person:x").
    if (terms.empty()) return Xapian::Query(schema::terms::entity(m_types.front(), ""));
    if (terms.size() == 1) return Xapian::Query(terms.front());
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  }

 private:
  std::vector<schema::EntityType> m_types;
};

// Counts QueryParser's parses of a query that starts with a filter of this prefix. Xapian 1.4's
// QueryParser::parse_query, when its grammar rejects a query, parses it again with every flag off
// (operators, quotes, +/-, wildcards read as words) instead of failing; the filter is the first
// thing read in either parse, so two calls mean the query was reparsed.
class ReparseProbe : public Xapian::FieldProcessor {
 public:
  static constexpr std::string_view kField = "sitrepprobe";  // the lexer never writes it
  Xapian::Query operator()(const std::string&) override {
    ++calls;
    return Xapian::Query::MatchAll;
  }
  int calls = 0;
};

// The window of a phrase or NEAR/ADJ query: not exposed by Query's API, so it is read from the
// description "(a@1 PHRASE 2 b@2)"; nullopt for a query of another shape.
std::optional<Xapian::termcount> proximity_window(const Xapian::Query& q) {
  const std::string op = q.get_type() == Xapian::Query::OP_PHRASE ? " PHRASE " : " NEAR ";
  const std::string d = q.get_description();
  const std::size_t at = d.find(op);
  if (at == std::string::npos) return std::nullopt;
  Xapian::termcount window = 0;
  for (std::size_t i = at + op.size(); i < d.size() && d[i] >= '0' && d[i] <= '9'; ++i) {
    window = window * 10 + static_cast<Xapian::termcount>(d[i] - '0');
  }
  return window;
}

// A phrase or NEAR/ADJ query of unprefixed terms with each term t replaced by the OR of the terms
// alternatives(t) gives for its position (Xapian 1.4 matches positional OR subqueries inside a
// phrase); a query of another shape (a title: phrase, a wildcard inside) gives nullopt.
template <typename Alternatives>
std::optional<Xapian::Query> phrase_of_alternatives(const Xapian::Query& q,
                                                    Alternatives&& alternatives) {
  const std::optional<Xapian::termcount> window = proximity_window(q);
  if (!window) return std::nullopt;
  std::vector<Xapian::Query> subs;
  for (std::size_t k = 0; k < q.get_num_subqueries(); ++k) {
    const Xapian::Query sub = q.get_subquery(k);
    if (sub.get_type() != Xapian::Query::LEAF_TERM) return std::nullopt;
    const std::string term = *sub.get_terms_begin();
    if (schema::terms::is_prefixed(term)) return std::nullopt;
    const std::vector<std::string> terms = alternatives(term);
    if (terms.size() == 1) {
      subs.emplace_back(terms.front());
    } else {
      subs.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
    }
  }
  return Xapian::Query(q.get_type(), subs.begin(), subs.end(), *window);
}

// The phrase with each word also matched in boilerplate (t OR XBt, Analyzer::phrase_terms), so
// the words may be in article text or boilerplate; a query of another shape as it is.
Xapian::Query with_boilerplate(const Xapian::Query& q, analysis::Analyzer& analyzer) {
  return phrase_of_alternatives(
             q, [&](const std::string& t) { return analyzer.phrase_terms(t, true); })
      .value_or(q);
}

}  // namespace

std::string parse_date_bound(std::string_view text, bool end) {
  std::string t(text);
  if (t.size() == 8 &&
      std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    t = t.substr(0, 4) + "-" + t.substr(4, 2) + "-" + t.substr(6, 2);
  }
  if (t.size() == 4) t += end ? "-12" : "-01";
  if (t.size() == 7) {
    if (!end) {
      t += "-01";
    } else {
      // The last day of the month: the day before the first of the next month.
      for (const char* d : {"-31", "-30", "-29", "-28"}) {
        if (schema::parse_timestamp(t + d)) {
          t += d;
          break;
        }
      }
    }
  }
  const auto ts = schema::parse_timestamp(t);
  if (!ts || ts->has_time || t.size() != 10) return {};
  return ts->ymd();
}

QueryBuilder::QueryBuilder(const Xapian::Database& db, std::vector<std::string> languages)
    : m_db(db), m_stopper(make_stopper(languages)) {
  for (std::string& l : languages) {
    if (analysis::StemmerSet::has_stemmer(l)) m_stem_languages.push_back(std::move(l));
  }
}

void QueryBuilder::set_default_op(DefaultOp op, const Ranking& ranking) {
  m_default_op = op;
  m_ranking = ranking;
}

void QueryBuilder::append_text(std::string& out, std::string_view chunk) {
  bool wildcard = false;
  while (!chunk.empty() && chunk.back() == '*') {
    wildcard = true;
    chunk.remove_suffix(1);
  }
  const std::vector<analysis::Token>& tokens = m_analyzer.tokenize(chunk);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += tokens[i].glued ? '-' : ' ';
    out += tokens[i].term;
    const analysis::Token& t = tokens[i];
    if (reads_as_name(chunk.substr(t.begin, t.end - t.begin))) m_names.insert(t.term);
  }
  // A wildcard only applies when the '*' directly follows the last word.
  if (wildcard && !tokens.empty() && tokens.back().end == chunk.size()) out += '*';
}

void QueryBuilder::append_phrase(std::string& out, std::string_view content) {
  const std::vector<analysis::Token>& tokens = m_analyzer.tokenize(content);
  if (tokens.empty()) return;
  out += '"';
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (k > 0) out += ' ';
    out += tokens[k].term;
  }
  out += "\" ";
}

std::string QueryBuilder::rewrite(const std::string& text) {
  // The lexer reads the text through the Tokenizer's character mapping, so every quote and dash
  // that indexing treats as one is one here too (‟a b‟ is a phrase, −a excludes).
  m_mapped = analysis::map_characters(text, &m_offsets);
  m_text = text;
  m_operators_as_words = m_default_op == DefaultOp::kAuto && shouted_sentence(text);
  m_names.clear();
  const std::string_view s(m_mapped);
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_space(c)) {
      out += ' ';
      ++i;
    } else if (c == '(' || c == ')') {
      // A '+' or '-' just written belongs to the group: "-(a b)" stays one token for QueryParser.
      if (c == ')' || out.empty() || (out.back() != '+' && out.back() != '-')) out += ' ';
      out += c;
      out += ' ';
      ++i;
    } else if (is_quote(c)) {
      Quoted q;
      i = read_quoted(s, i, q, m_text, m_offsets);
      append_phrase(out, q.content);
    } else if ((c == '+' || c == '-') && at_term_start(out) && i + 1 < s.size() &&
               !is_space(s[i + 1]) && s[i + 1] != ')' && s[i + 1] != c) {
      out += c;  // love/hate: belongs to what follows
      ++i;
    } else {
      i = lex_chunk(out, i);
    }
  }
  return out;
}

std::size_t QueryBuilder::lex_chunk(std::string& out, std::size_t i) {
  const std::string_view s(m_mapped);
  const std::size_t j = chunk_end(s, i);
  const std::string_view chunk = s.substr(i, j - i);
  if (is_operator(chunk) && !(m_operators_as_words && is_boolean_word(chunk))) {
    check_proximity_distance(chunk);
    out += ' ';
    out += chunk;
    out += ' ';
    return j;
  }
  const std::size_t colon = chunk.find(':');
  const std::string name =
      colon == std::string_view::npos ? "" : ascii_lower(chunk.substr(0, colon));
  if (name == schema::field::kTitle) {
    const std::string_view rest = chunk.substr(colon + 1);
    if (!at_term_start(out)) out += ' ';
    out += "title:";
    append_text(out, rest);  // a following quoted phrase attaches to the prefix
    if (!rest.empty()) out += ' ';
    return j;
  }
  if (name == schema::field::kSource || name == schema::field::kLanguage ||
      name == schema::field::kId || name == schema::field::kDate || is_entity_field(name)) {
    return lex_field(out, name, i + colon + 1, j);
  }
  if (!at_term_start(out) && out.back() != '+' && out.back() != '-') out += ' ';
  append_text(out, chunk);
  out += ' ';
  return j;
}

std::size_t QueryBuilder::lex_field(std::string& out, const std::string& name,
                                    std::size_t value_begin, std::size_t value_end) {
  const std::string_view s(m_mapped);
  std::size_t next = value_end;
  Quoted q;
  if (value_begin == value_end && next < s.size() && is_quote(s[next])) {
    next = read_quoted(s, next, q, m_text, m_offsets);  // name:"a quoted value"
  } else {
    q.content = s.substr(value_begin, value_end - value_begin);
    q.begin = value_begin;
    q.end = value_end;
  }
  // An id is matched byte for byte: its value is taken from the text as written, unmapped, less
  // the escaping backslashes.
  std::string original;
  std::size_t from = m_offsets[q.begin];
  for (const std::size_t k : q.escapes) {
    original.append(m_text, from, m_offsets[k] - from);
    from = m_offsets[k + 1];
  }
  original.append(m_text, from, m_offsets[q.end] - from);
  const std::string emitted = field_value(name, q.content, original);
  if (emitted.empty()) throw Error(ErrorKind::kBadQuery, "empty value for " + name + ":");
  // A '+' or '-' just written belongs to this filter ("-source:x"). QueryParser takes no '+' or
  // '-' before a date range: "-date:x" is written "-( date:a..b )" and "+date:x" as "date:x".
  if (name == schema::field::kDate && !out.empty() && out.back() == '+') {
    out.pop_back();  // as for any filter, '+' changes nothing (filters side by side must match)
  } else if (name == schema::field::kDate && !out.empty() && out.back() == '-') {
    out += "( date:" + emitted + " ) ";
    return next;
  }
  if (!at_term_start(out) && out.back() != '+' && out.back() != '-') out += ' ';
  out += name;
  out += ':';
  out += emitted;
  out += ' ';
  return next;
}

std::string QueryBuilder::field_value(const std::string& name, const std::string& value,
                                      std::string_view original) {
  if (name == schema::field::kSource) return analysis::keyword(value);
  if (name == schema::field::kLanguage) {
    std::string code = analysis::canonical_language(value);
    return code.empty() ? analysis::keyword(value) : code;
  }
  if (is_entity_field(name)) return resolve_entity(name, value);
  if (name == schema::field::kId) {
    if (original.find_first_of(" \t()\"") != std::string::npos) {
      throw Error(ErrorKind::kBadQuery, "id: values cannot contain spaces, quotes or parentheses");
    }
    return std::string(original);
  }
  return date_range(value);
}

std::string QueryBuilder::resolve_entity(const std::string& field, std::string_view value) {
  // A canonical id, as the JSON output and facet filters give them (any case), names exactly that
  // entity when the database knows it (an entity term of the field's types, or a lexicon entry),
  // even if it is also another entity's alias: "place:kyiv" is Kyiv, not Kyiv Oblast too.
  const std::string id = ascii_lower(value);
  if (looks_like_id(id)) {
    if (store::lexicon_entry(m_db, id)) return id;
    for (const schema::EntityType type : schema::terms::entity_types_of_field(field)) {
      if (m_db.term_exists(schema::terms::entity(type, id))) return id;
    }
  }
  const std::string key = entities::alias_key(m_analyzer.tokenizer(), value);
  if (key.empty()) return {};  // "empty value for person:"
  std::vector<std::string> ids = store::alias_ids(m_db, key);
  if (ids.empty()) {
    // Another script: the lexicon holds the Latin forms of the names it knows.
    const std::string latin = entities::latin_key(key);
    if (latin != key) ids = store::alias_ids(m_db, latin);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::string out;
  for (const std::string& i : ids) {
    if (!looks_like_id(i)) continue;
    if (!out.empty()) out += ',';
    out += i;
  }
  return out.empty() ? std::string(kNoEntity) : out;
}

Xapian::Query QueryBuilder::expand(const Xapian::Query& q, BuiltQuery& out) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      return expand_word(q, out);
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX: {
      std::vector<Xapian::Query> subs;
      for (std::size_t k = 0; k < q.get_num_subqueries(); ++k)
        subs.push_back(expand(q.get_subquery(k), out));
      return Xapian::Query(q.get_type(), subs.begin(), subs.end());
    }
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR: {
      // A phrase matches its words as typed, or any case form of them: the same phrase of their
      // positional stems (Analyzer::phrase_stems), in the body and title text (not boilerplate).
      // Weighted once: an article with the words as typed gets the exact phrase's weight alone (the
      // stemmed phrase, an OR of a word's stem and form, would count each word twice: a hyphenated
      // word of a pasted sentence outweighed the other words); one with other forms only gets
      // kStemmedPhraseScale of the stemmed phrase's weight, which puts it below the words as typed.
      for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) {
        if (!schema::terms::is_prefixed(*t)) out.terms.insert(*t);
      }
      const Xapian::Query exact = m_include_boilerplate ? with_boilerplate(q, m_analyzer) : q;
      const std::optional<Xapian::Query> stemmed =
          phrase_of_alternatives(q, [&](const std::string& t) {
            std::vector<std::string> stems = m_analyzer.phrase_stems(t, m_stem_languages);
            out.stems.insert(stems.begin(), stems.end());
            return stems;
          });
      if (!stemmed) return exact;
      constexpr double kStemmedPhraseScale = 0.4;
      return Xapian::Query(Xapian::Query::OP_OR, exact,
                           Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                         Xapian::Query(Xapian::Query::OP_AND_NOT, *stemmed, exact),
                                         kStemmedPhraseScale));
    }
    default:
      return q;  // wildcards, value ranges, MatchAll, scaled subqueries: as parsed
  }
}

Xapian::Query QueryBuilder::expand_word(const Xapian::Query& q, BuiltQuery& out) {
  const std::string term = *q.get_terms_begin();
  analysis::Field field = analysis::Field::kBody;
  std::string word = term;
  if (schema::terms::is_prefixed(term)) {
    const auto title = schema::terms::title_word(term);
    if (!title) return q;  // a filter term
    field = analysis::Field::kTitle;
    word = std::string(*title);
  } else {
    out.terms.insert(term);
  }
  m_analyzer.expand(word, field, m_stem_languages, m_include_boilerplate, m_expansion);
  if (field == analysis::Field::kBody) {
    out.stems.insert(m_expansion.stems.begin(), m_expansion.stems.end());
  }
  std::vector<std::string> terms(m_expansion.terms.begin(), m_expansion.terms.end());
  // Name variants (aliases.hpp): a word typed as a name also matches its entities' terms.
  if (field == analysis::Field::kBody && m_names.count(term) > 0) {
    for (std::string& t : alias_entity_terms(m_db, term, m_analyzer.tokenizer(), out.terms))
      terms.push_back(std::move(t));
  }
  if (terms.size() == 1) return Xapian::Query(terms.front());
  return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
}

BuiltQuery QueryBuilder::build(const std::string& text) {
  if (text.size() > kMaxQueryBytes) {
    throw Error(ErrorKind::kLimit, "query is " + std::to_string(text.size()) +
                                       " bytes long; the limit is " +
                                       std::to_string(kMaxQueryBytes));
  }
  if (const auto bad = utf8::first_invalid(text); bad != std::string::npos) {
    throw Error(ErrorKind::kBadQuery,
                "query is not valid UTF-8 (byte " + std::to_string(bad + 1) + ")");
  }
  BuiltQuery out;
  out.rewritten = rewrite(text);
  if (std::all_of(m_mapped.begin(), m_mapped.end(), is_space)) {
    // Match-all: no words and no filters, every article (undated too), each of weight 0.
    out.rewritten.clear();
    out.query = Xapian::Query::MatchAll;
    return out;
  }
  out.rewritten = drop_unmatched_closers(out.rewritten);
  check_structure(out.rewritten);
  out.rewritten = group_proximity(exclusions_to_not(out.rewritten));
  Xapian::QueryParser qp;
  qp.set_database(m_db);
  // Juxtaposed words: AND, or OR ranked (search/ranking.hpp), with query stop words dropped.
  const bool ranked_or = m_default_op != DefaultOp::kAnd;
  qp.set_default_op(ranked_or ? Xapian::Query::OP_OR : Xapian::Query::OP_AND);
  if (ranked_or && m_ranking.stop_words && m_stopper) qp.set_stopper(m_stopper.get());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
  using schema::terms::prefix_of_field;
  qp.add_prefix(std::string(schema::field::kTitle),
                std::string(prefix_of_field(schema::field::kTitle)));
  for (const std::string_view f :
       {schema::field::kSource, schema::field::kLanguage, schema::field::kId}) {
    qp.add_boolean_prefix(std::string(f), std::string(prefix_of_field(f)));
  }
  // Entity filters: not exclusive, so person:a person:b needs both people.
  EntityProcessor person(schema::field::kPerson), place(schema::field::kPlace),
      org(schema::field::kOrg), entity(schema::field::kEntity);
  qp.add_boolean_prefix(std::string(schema::field::kPerson), &person, false);
  qp.add_boolean_prefix(std::string(schema::field::kPlace), &place, false);
  qp.add_boolean_prefix(std::string(schema::field::kOrg), &org, false);
  qp.add_boolean_prefix(std::string(schema::field::kEntity), &entity, false);
  Xapian::RangeProcessor dates(schema::slot::kDate, std::string(schema::field::kDate) + ":");
  qp.add_rangeprocessor(&dates);
  const unsigned flags = Xapian::QueryParser::FLAG_BOOLEAN | Xapian::QueryParser::FLAG_PHRASE |
                         Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                         Xapian::QueryParser::FLAG_PURE_NOT;
  // Wildcards expand to at most this many terms; more is an error, not a slow query.
  qp.set_max_expansion(kMaxWildcardExpansion, Xapian::Query::WILDCARD_LIMIT_ERROR);
  // A QueryParserError becomes Error{kBadQuery, "cannot parse query: ..."} (store/xapian_call).
  const Xapian::Query parsed = store::xapian_call(
      {"cannot parse query", ""}, [&] { return qp.parse_query(out.rewritten, flags); });
  // Never a silently different query: the checks above refuse what QueryParser's grammar is known
  // to reject, and this catches the rest (see ReparseProbe).
  ReparseProbe probe;
  qp.add_boolean_prefix(std::string(ReparseProbe::kField), &probe);
  store::xapian_call({"cannot parse query", ""}, [&] {
    return qp.parse_query(std::string(ReparseProbe::kField) + ":x " + out.rewritten, flags);
  });
  if (probe.calls != 1) {
    throw Error(ErrorKind::kBadQuery,
                "cannot parse query as written (Xapian's parser rejects its operators here): "
                "check that each operator has a word, phrase or group on both sides");
  }
  if (parsed.empty()) throw Error(ErrorKind::kBadQuery, "empty query: no searchable words in it");
  out.query = expand(parsed, out);
  out.ranked_or = ranked_or;
  if (ranked_or && !has_explicit_operator(out.rewritten) && has_top_or(out.query)) {
    out.any_word = true;
    out.words = top_or_size(out.query);
    if (m_default_op == DefaultOp::kAuto) {
      out.query = prefer_all_terms(out.query, m_ranking.all_terms_boost);
      out.query = prefer_proximity(parsed, out.query, m_ranking);
    }
  }
  return out;
}

}  // namespace sitrep::search
