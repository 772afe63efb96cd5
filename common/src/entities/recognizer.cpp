// The recogniser: gazetteer matches over the token stream, bare surnames resolved within the
// article, and names outside the gazetteer found by capitalisation (schemas/entities/README.md
// describes the rules for users; this file is their implementation).
//
// One left-to-right pass over the tokens. At each token the gazetteer trie is walked for the
// longest alias (case rule checked on the original text); failing that, a run of capitalised
// words is collected and turned into zero or more discovered names. Everything about the original
// text (capitals, punctuation between tokens) is read through the tokens' byte offsets, and only
// for tokens that start a possible name, so the common case (a lower-case word no alias starts
// with) costs one hash lookup.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gazetteer_impl.hpp"
#include "word_lists.hpp"
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "sitrep/entities/entities.hpp"

namespace sitrep::entities {

using analysis::Token;
using detail::CaseRule;
using detail::kNoNode;
using detail::Node;
using detail::word_flags;

namespace {

// How a token is written in the original text.
enum class Shape : std::uint8_t {
  kUnknown,   // not computed yet
  kLower,     // starts with a lower-case letter
  kCapital,   // starts with a capital and has a lower-case letter, or is one capital letter
  kAllUpper,  // two or more letters, all capitals (NATO, U.S)
  kUncased,   // starts with a digit or a letter without case (Arabic, CJK)
};

Shape shape_of(std::string_view s) {
  if (s.empty()) return Shape::kUncased;
  const auto first = static_cast<unsigned char>(s[0]);
  if (first >= 'a' && first <= 'z') return Shape::kLower;
  if (first >= '0' && first <= '9') return Shape::kUncased;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(p, i, n, c);
  if (c < 0) return Shape::kUncased;
  if (first >= 0x80) {
    if (u_islower(c)) return Shape::kLower;
    if (!u_isupper(c) && !u_istitle(c)) return Shape::kUncased;
  }
  int letters = 1;
  while (i < n) {
    const auto b = p[i];
    if (b < 0x80) {
      ++i;
      if (b >= 'a' && b <= 'z') return Shape::kCapital;
      if (b >= 'A' && b <= 'Z') ++letters;
      continue;
    }
    U8_NEXT(p, i, n, c);
    if (c < 0) continue;
    if (u_islower(c)) return Shape::kCapital;
    if (u_isupper(c) || u_istitle(c)) ++letters;
  }
  return letters >= 2 ? Shape::kAllUpper : Shape::kCapital;
}

bool is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// Text between two tokens that may stand inside a run of capitalised words: white space with at
// most one line break (a wrapped line), or, between glued tokens, one hyphen (al-Assad).
bool run_gap(std::string_view gap, bool glued) {
  if (glued) return gap == "-" || gap == "\xE2\x80\x90" || gap == "\xE2\x80\x91";
  int newlines = 0;
  for (std::size_t i = 0; i < gap.size(); ++i) {
    const char c = gap[i];
    if (c == '\n') {
      if (++newlines > 1) return false;
    } else if (is_space_byte(c)) {
      continue;
    } else if (c == '\xC2' && i + 1 < gap.size() && gap[i + 1] == '\xA0') {
      ++i;  // no-break space
    } else {
      return false;
    }
  }
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A name is never split by these (a gazetteer alias does not match across them).
bool breaks_name(std::string_view gap, bool after_short_word) {
  int newlines = 0;
  for (std::size_t i = 0; i < gap.size(); ++i) {
    const auto c = static_cast<unsigned char>(gap[i]);
    switch (c) {
      case ',':
      case ';':
      case ':':
      case '!':
      case '?':
      case '(':
      case ')':
      case '[':
      case ']':
      case '"':
      case '/':
      case '|':
      case '&':
      case '+':
      case '=':
      case '*':
        return true;
      case '.':
        if (!after_short_word) return true;
        break;
      case '\n':
        if (++newlines > 1) return true;
        break;
      case 0xC2:  // « »
        if (i + 1 < gap.size() && (gap[i + 1] == '\xAB' || gap[i + 1] == '\xBB')) return true;
        break;
      case 0xE2: {  // “ ” „ …
        const std::string_view rest = gap.substr(i);
        if (starts_with(rest, "\xE2\x80\x9C") || starts_with(rest, "\xE2\x80\x9D") ||
            starts_with(rest, "\xE2\x80\x9E") || starts_with(rest, "\xE2\x80\xA6")) {
          return true;
        }
        break;
      }
      default:
        break;
    }
  }
  return false;
}

// An opening quote or bracket written directly before a word.
bool ends_with_opening(std::string_view gap) {
  if (gap.empty()) return false;
  const char last = gap.back();
  if (last == '"' || last == '(' || last == '[' || last == '\'') return true;
  return gap.ends_with("\xE2\x80\x9C") || gap.ends_with("\xC2\xAB") ||
         gap.ends_with("\xE2\x80\x98") || gap.ends_with("\xE2\x80\x9E");
}

// "No type from the context" (not an EntityType letter).
constexpr auto kNoContext = static_cast<EntityType>(0);

struct Discovered {
  std::string id;
  std::string name;
};

}  // namespace

struct Recognizer::Impl {
  explicit Impl(const Gazetteer::Impl& g) : gaz(g) {}

  const Gazetteer::Impl& gaz;
  std::optional<analysis::Tokenizer> tokenizer;  // only for search_keys of discovered names

  // Per article.
  std::unordered_map<std::uint32_t, std::uint64_t> named;  // gazetteer entity -> when last named
  std::uint64_t sequence = 0;
  detail::StringMap<Discovered> surnames;          // discovered names by their last word
  detail::StringMap<EntityType> discovered_types;  // best type seen for a discovered id

  // Per call.
  std::string_view text;
  const std::vector<Token>* tokens = nullptr;
  std::vector<Mention>* out = nullptr;
  std::vector<Shape> shapes;
  bool title_case = false;
  std::size_t first_mention = 0;  // out->size() when this text started
  std::string clitic_buffer;

  struct Match {
    std::size_t end = 0;  // 0: none
    std::uint32_t node = kNoNode;
  };
  struct Candidates {
    Match alias;    // longest alias match
    Match surname;  // longest derived-surname match
  };

  const Token& tok(std::size_t i) const { return (*tokens)[i]; }
  std::string_view original(std::size_t i) const {
    return text.substr(tok(i).begin, tok(i).end - tok(i).begin);
  }
  std::string_view gap(std::size_t i) const {  // text between tokens i-1 and i
    return text.substr(tok(i - 1).end, tok(i).begin - tok(i - 1).end);
  }
  Shape shape(std::size_t i) {
    if (shapes[i] == Shape::kUnknown) shapes[i] = shape_of(original(i));
    return shapes[i];
  }

  // Is tokens [begin, end) written as the rule and capital mask of an alias require? A word the
  // alias capitalises must not be lower case in the text ("Russia's Foreign Ministry" is not
  // "Russia's foreign ministry").
  bool case_ok(std::size_t begin, std::size_t end, CaseRule rule, std::uint32_t capitals) {
    switch (rule) {
      case CaseRule::kAny:
        return true;
      case CaseRule::kUpper:
        for (std::size_t k = begin; k < end; ++k) {
          if (shape(k) != Shape::kAllUpper) return false;
        }
        return true;
      case CaseRule::kCapitalised: {
        bool capital = false;
        for (std::size_t k = begin; k < end; ++k) {
          const Shape s = shape(k);
          const bool is_capital = s == Shape::kCapital || s == Shape::kAllUpper;
          const std::size_t p = k - begin;
          if (p < 32 && (capitals >> p & 1) && !is_capital) return false;
          capital = capital || is_capital;
        }
        return capital;
      }
    }
    return false;
  }

  // Arabic writes the conjunctions و and ف and the prepositions ب, ك, ل as prefixes of the next
  // word (والرقة, بالخرطوم, للأمم): the term id of the word without them, or -1.
  std::int64_t arabic_clitic_term(std::string_view term) {
    static constexpr std::string_view kWa = "\u0648", kFa = "\u0641", kBi = "\u0628",
                                      kKa = "\u0643", kLi = "\u0644", kAl = "\u0627\u0644";
    if (term.size() < 8 || static_cast<unsigned char>(term[0]) < 0xD8 ||
        static_cast<unsigned char>(term[0]) > 0xDB) {
      return -1;
    }
    const auto& trie = gaz.trie;
    if (term.starts_with(kWa) || term.starts_with(kFa)) {
      term.remove_prefix(2);
      if (const std::int64_t id = trie.term_id(term); id >= 0) return id;
    }
    if ((term.starts_with(kBi) || term.starts_with(kKa) || term.starts_with(kLi)) &&
        term.substr(2).starts_with(kAl)) {
      return trie.term_id(term.substr(2));  // بالخرطوم -> الخرطوم
    }
    if (term.starts_with(kLi) && term.substr(2).starts_with(kLi)) {
      clitic_buffer.assign(kAl);  // للأمم -> الأمم
      clitic_buffer.append(term.substr(4));
      return trie.term_id(clitic_buffer);
    }
    return -1;
  }

  Candidates candidates(std::size_t i) {
    Candidates c;
    const auto& trie = gaz.trie;
    std::int64_t term = trie.term_id(tok(i).term);
    if (term < 0) term = arabic_clitic_term(tok(i).term);
    if (term < 0) return c;
    std::uint32_t node = trie.child(0, static_cast<std::uint32_t>(term));
    std::size_t j = i;
    while (node != kNoNode) {
      ++j;
      const Node& n = trie.nodes[node];
      if (!n.entities.empty() && case_ok(i, j, n.rule, n.capitals)) c.alias = {j, node};
      if (!n.surname_of.empty() && case_ok(i, j, n.surname_rule, n.capitals)) {
        c.surname = {j, node};
      }
      if (j >= tokens->size()) break;
      if (breaks_name(gap(j), tok(j - 1).term.size() <= 3)) break;
      term = trie.term_id(tok(j).term);
      if (term < 0) break;
      node = trie.child(node, static_cast<std::uint32_t>(term));
    }
    return c;
  }

  // Among candidates, the entity named most recently in the article, if any was.
  std::optional<std::uint32_t> latest_named(const std::vector<std::uint32_t>& candidates) const {
    std::optional<std::uint32_t> best;
    std::uint64_t best_seen = 0;
    for (const std::uint32_t e : candidates) {
      const auto it = named.find(e);
      if (it != named.end() && it->second > best_seen) {
        best = e;
        best_seen = it->second;
      }
    }
    return best;
  }

  // The person of a derived-surname node named earlier in the article, latest first.
  std::optional<std::uint32_t> resolve_surname(const Node& n) const {
    return latest_named(n.surname_of);
  }

  // The entity of an alias node: the only one, or among several the one named earlier.
  std::optional<std::uint32_t> resolve_alias(const Node& n) const {
    if (n.entities.size() == 1) return n.entities.front();
    return latest_named(n.entities);  // none: ambiguous, and precision comes first
  }

  // Does a gazetteer name start at token i (one that would be emitted)?
  bool gazetteer_starts(std::size_t i) {
    const Candidates c = candidates(i);
    if (c.surname.end > c.alias.end && resolve_surname(gaz.trie.nodes[c.surname.node])) {
      return true;
    }
    return c.alias.end != 0 && resolve_alias(gaz.trie.nodes[c.alias.node]).has_value();
  }

  void emit_gazetteer(std::uint32_t index, std::size_t begin, std::size_t end) {
    const EntityInfo& info = gaz.entities[index].info;
    out->push_back(Mention{info.id, info.type, info.name, begin, end, false});
    named[index] = ++sequence;
  }

  bool sentence_start(std::size_t i) {
    if (i == 0) return true;
    const std::string_view g = gap(i);
    if (ends_with_opening(g)) return true;
    int newlines = 0;
    for (std::size_t k = 0; k < g.size(); ++k) {
      const char c = g[k];
      if (c == '!' || c == '?' || c == ':' || c == ';') return true;
      if (c == '\n' && ++newlines > 1) return true;
      if (c == '.') {
        // Mr. Witkoff, Gen. Syrskyi, the U.S. envoy: the full stop of an abbreviation.
        const bool abbreviation = k == 0 && ((word_flags(tok(i - 1).term) & detail::kAbbrev) ||
                                             shape(i - 1) == Shape::kAllUpper ||
                                             original(i - 1).find('.') != std::string_view::npos);
        if (!abbreviation) return true;
      }
      if (starts_with(g.substr(k), "\xE2\x80\xA6")) return true;  // …
    }
    return false;
  }

  // The type the words just before token i give a name starting there: a title (envoy Kirill
  // Dmitriev, Mr. Witkoff) makes it a person; "in", "near", "city of" make it a place.
  std::optional<EntityType> context_before(std::size_t i) {
    if (i == 0) return std::nullopt;
    const std::string_view g = gap(i);
    const bool plain = run_gap(g, false) && !g.empty();
    const bool abbrev_dot = !g.empty() && g.front() == '.' && run_gap(g.substr(1), false) &&
                            (word_flags(tok(i - 1).term) & detail::kAbbrev);
    if (!plain && !abbrev_dot) return std::nullopt;
    const std::uint16_t f = word_flags(tok(i - 1).term);
    if (f & detail::kTitle) return EntityType::kPerson;
    if (!plain) return std::nullopt;
    if ((f & detail::kPlaceCue) && shape(i - 1) == Shape::kLower) return EntityType::kPlace;
    if (tok(i - 1).term == "of" && i >= 2 && run_gap(gap(i - 1), false) &&
        (word_flags(tok(i - 2).term) & detail::kPlaceNoun)) {
      return EntityType::kPlace;
    }
    return std::nullopt;
  }

  std::string key_of(std::size_t begin, std::size_t end) const {
    std::string key;
    for (std::size_t k = begin; k < end; ++k) {
      if (k > begin) key += ' ';
      key += tok(k).term;
    }
    return key;
  }

  // The text of tokens [begin, end) with white space collapsed ("Volodymyr\nZelensky").
  std::string name_of(std::size_t begin, std::size_t end) const {
    const std::string_view raw = text.substr(tok(begin).begin, tok(end - 1).end - tok(begin).begin);
    std::string name;
    bool space = false;
    for (char c : raw) {
      if (is_space_byte(c)) {
        space = true;
        continue;
      }
      if (space && !name.empty()) name += ' ';
      space = false;
      name += c;
    }
    return name;
  }

  EntityType remember_type(const std::string& id, EntityType type) {
    auto [it, added] = discovered_types.try_emplace(id, type);
    if (!added && type != EntityType::kOther && it->second == EntityType::kOther) it->second = type;
    return it->second;
  }

  void emit_discovered(const std::string& id, std::string name, EntityType type, std::size_t begin,
                       std::size_t end) {
    type = remember_type(id, type);
    out->push_back(Mention{id, type, std::move(name), begin, end, true});
  }

  // The key of tokens [begin, end) in match forms: a discovered Cyrillic name gets one id in every
  // grammatical case (Кирилла Дмитриева and Кирилл Дмитриев are x-kirill-dmitriev).
  std::string match_key_of(std::size_t begin, std::size_t end) const {
    std::string key;
    for (std::size_t k = begin; k < end; ++k) {
      if (k > begin) key += ' ';
      key += detail::match_form(tok(k).term);
    }
    return key;
  }

  // Does a speech verb follow token end-1 ("Alison Reade said", "..., who")? Then it is a person.
  bool speaker_after(std::size_t end) {
    if (end >= tokens->size()) return false;
    const std::string_view g = gap(end);
    const std::uint16_t f = word_flags(tok(end).term);
    if ((f & detail::kSpeech) && run_gap(g, false)) return true;
    return tok(end).term == "who" && (g == ", " || g == ",");
  }

  // A name of one or more words [begin, end) from a run of capitalised words, with the type the
  // context gives it (kNoContext: none).
  void emit_name(std::size_t begin, std::size_t end, EntityType context) {
    // Lower-case particles at the edges are not part of the name ("Secretary of State": the
    // title does not reach "State"); a capitalised one is (Al-Nuhud).
    const std::size_t first = begin;
    while (begin < end && (word_flags(tok(begin).term) & detail::kConnector) &&
           shape(begin) == Shape::kLower) {
      ++begin;
    }
    if (begin != first) context = kNoContext;
    while (end > begin && (word_flags(tok(end - 1).term) & detail::kConnector) &&
           shape(end - 1) == Shape::kLower) {
      --end;
    }
    if (begin == end) return;
    if (end - begin == 1) {
      const std::string_view term = detail::match_form(tok(begin).term);
      if (const auto it = surnames.find(term); it != surnames.end()) {
        // "Dmitriev" after "Kirill Dmitriev": the same person.
        const Discovered d = it->second;
        emit_discovered(d.id, d.name, (context == kNoContext ? EntityType::kOther : context), begin,
                        end);
        return;
      }
      if (context == kNoContext) return;  // a lone capitalised word says too little
      const EntityType ctx = (context == kNoContext ? EntityType::kOther : context);
      if (ctx == EntityType::kPerson) {
        // "Foreign Minister Shaibani": the surname of exactly one gazetteer person.
        const std::int64_t id = gaz.trie.term_id(term);
        const std::uint32_t node =
            id < 0 ? kNoNode : gaz.trie.child(0, static_cast<std::uint32_t>(id));
        if (node != kNoNode && gaz.trie.nodes[node].surname_of.size() == 1) {
          emit_gazetteer(gaz.trie.nodes[node].surname_of.front(), begin, end);
          return;
        }
      }
      // Only in Latin script: Russian and Ukrainian put the word after a title or preposition
      // in an oblique case (посол Венгрии, в Будапеште), which is not the name.
      if (static_cast<unsigned char>(tok(begin).term[0]) >= 0x80) return;
      const std::string discovered = discovered_id(term);
      emit_discovered(discovered, name_of(begin, end), ctx, begin, end);
      if (ctx == EntityType::kPerson) {
        surnames[std::string(term)] = Discovered{discovered, name_of(begin, end)};
      }
      return;
    }
    const std::string key = key_of(begin, end);
    // A Cyrillic spelling of a gazetteer name the dictionary does not list.
    if (static_cast<unsigned char>(key[0]) >= 0x80) {
      if (const Node* n = gaz.trie.find(latin_key(key))) {
        if (const auto index = resolve_alias(*n)) {
          emit_gazetteer(*index, begin, end);
          return;
        }
      }
    }
    EntityType type = (context == kNoContext ? EntityType::kOther : context);
    if (context == kNoContext && (word_flags(tok(begin).term) & detail::kGeoNoun)) {
      type = EntityType::kPlace;  // Gulf of Finland, Strait of Kerch
    } else if (context == kNoContext &&
               ((word_flags(tok(begin).term) & detail::kGivenName) || speaker_after(end))) {
      type = EntityType::kPerson;
    }
    const std::string id = discovered_id(match_key_of(begin, end));
    std::string name = name_of(begin, end);
    if (type == EntityType::kPerson || type == EntityType::kOther) {
      surnames[std::string(detail::match_form(tok(end - 1).term))] = Discovered{id, name};
    }
    emit_discovered(id, std::move(name), type, begin, end);
  }

  // Is tokens [begin, end) the head of a longer name that may contain a place: a geographical
  // feature (Gulf, Sea, Strait) first, or an organisation word anywhere?
  bool names_container(std::size_t begin, std::size_t end) const {
    if (begin < end && (word_flags(tok(begin).term) & detail::kGeoNoun)) return true;
    for (std::size_t k = begin; k < end; ++k) {
      if (word_flags(tok(k).term) & detail::kOrgWord) return true;
    }
    return false;
  }

  // Tokens [begin, end) are a run of capitalised words (with connectors) that no gazetteer name
  // starts in. Emits the names in it.
  void process_run(std::size_t begin, std::size_t end) {
    EntityType context = context_before(begin).value_or(kNoContext);
    if (sentence_start(begin)) {
      // A capital at a sentence start says nothing, unless the word is a title, a common first
      // name, or a surname named in full earlier in the article.
      const std::uint16_t f = word_flags(tok(begin).term);
      if (!(f & (detail::kTitle | detail::kGivenName)) &&
          !surnames.contains(detail::match_form(tok(begin).term))) {
        ++begin;
        context = kNoContext;
      }
    }
    if (begin >= end) return;

    // An organisation: Ministry, Council, Forces... anywhere in a run of two words or more.
    if (end - begin >= 2) {
      bool org = false;
      for (std::size_t k = begin; k < end && !org; ++k) {
        org = (word_flags(tok(k).term) & detail::kOrgWord) != 0;
      }
      if (org) {
        // "Kyiv School of Economics", "Sudan Doctors Network": a place just before an
        // organisation's name is part of it.
        if (!out->empty() && out->size() > first_mention && !out->back().discovered &&
            out->back().type == EntityType::kPlace && out->back().token_end == begin &&
            run_gap(gap(begin), false)) {
          begin = out->back().token_begin;
          out->pop_back();
        }
        std::size_t b = begin;
        std::size_t e = end;
        while (b < e && (word_flags(tok(b).term) & (detail::kStop | detail::kConnector))) ++b;
        while (e > b && (word_flags(tok(e - 1).term) & detail::kConnector)) --e;
        if (e - b >= 2) {
          const std::string key = key_of(b, e);
          emit_discovered(discovered_id(key), name_of(b, e), EntityType::kOrg, b, e);
        }
        return;
      }
    }

    // Otherwise titles, weekdays, months and other non-names split the run into names.
    std::size_t start = begin;
    for (std::size_t k = begin; k < end; ++k) {
      const std::uint16_t f = word_flags(tok(k).term);
      if (f & detail::kTitle) {
        emit_name(start, k, context);
        context = EntityType::kPerson;
        start = k + 1;
      } else if ((f & (detail::kStop | detail::kCalendar | detail::kDemonym)) &&
                 (!(f & detail::kConnector) || tok(k).term == "and" || tok(k).term == "for")) {
        emit_name(start, k, context);
        context = kNoContext;
        start = k + 1;
      }
    }
    emit_name(start, end, context);
  }

  // Title Case Text (headlines): capitals say nothing there, so no names are discovered.
  bool is_title_case() {
    std::size_t capital = 0;
    std::size_t lower = 0;
    for (std::size_t i = 0; i < tokens->size(); ++i) {
      if (tok(i).term.size() < 4) continue;
      const auto first = static_cast<unsigned char>(text[tok(i).begin]);
      if (first >= 'a' && first <= 'z') {
        ++lower;
      } else if (first >= 'A' && first <= 'Z') {
        ++capital;
      } else if (first >= 0x80) {
        const Shape s = shape(i);
        if (s == Shape::kLower) ++lower;
        if (s == Shape::kCapital || s == Shape::kAllUpper) ++capital;
      }
      if (lower > 3) return false;
    }
    return (capital >= 3 && lower == 0) || (capital >= 6 && lower * 6 <= capital);
  }

  void recognize() {
    const std::size_t n = tokens->size();
    shapes.assign(n, Shape::kUnknown);
    title_case = is_title_case();
    first_mention = out->size();
    std::size_t i = 0;
    while (i < n) {
      const Candidates c = candidates(i);
      if (c.surname.end > c.alias.end) {
        if (const auto index = resolve_surname(gaz.trie.nodes[c.surname.node])) {
          emit_gazetteer(*index, i, c.surname.end);
          i = c.surname.end;
          continue;
        }
      }
      if (c.alias.end != 0) {
        if (const auto index = resolve_alias(gaz.trie.nodes[c.alias.node])) {
          emit_gazetteer(*index, i, c.alias.end);
        }
        i = c.alias.end;
        continue;
      }
      if (title_case || shape(i) != Shape::kCapital) {
        ++i;
        continue;
      }
      // A run of capitalised words, joined by white space, hyphens and lower-case connectors
      // (Bank of England, Rostov-on-Don), up to where a gazetteer name starts.
      std::size_t j = i + 1;
      while (j < n) {
        if (!run_gap(gap(j), tok(j).glued)) break;
        const Shape s = shape(j);
        if (s == Shape::kCapital) {
          if (gazetteer_starts(j)) break;
          ++j;
          continue;
        }
        if (s == Shape::kLower && (word_flags(tok(j).term) & detail::kConnector)) {
          // "Institute for the Study of War": a connector, optionally "the", then a capital.
          std::size_t next = j + 1;
          if (next + 1 < n && tok(next).term == "the" && shape(next) == Shape::kLower &&
              run_gap(gap(next), false)) {
            ++next;
          }
          if (next < n && run_gap(gap(next), tok(next).glued) && shape(next) == Shape::kCapital) {
            if (!gazetteer_starts(next)) {
              j = next + 1;
              continue;
            }
            // "Gulf of Finland", "Kyiv School of Economics": a gazetteer name inside a longer
            // name, when the run is a geographical feature or an organisation.
            if (tok(j).term == "of" && names_container(i, j)) {
              const Candidates inner = candidates(next);
              if (inner.alias.end != 0) {
                j = inner.alias.end;
                continue;
              }
            }
          }
        }
        break;
      }
      process_run(i, j);
      i = j;
    }
    // A discovered name typed by a later mention (Mr Witkoff after Steve Witkoff) takes that type
    // in its earlier mentions of this text too.
    for (std::size_t k = first_mention; k < out->size(); ++k) {
      Mention& m = (*out)[k];
      if (m.discovered) {
        if (const auto it = discovered_types.find(m.id); it != discovered_types.end()) {
          m.type = it->second;
        }
      }
    }
  }
};

Recognizer::Recognizer(const Gazetteer& gazetteer)
    : m_impl(std::make_unique<Impl>(*gazetteer.m_impl)) {}
Recognizer::~Recognizer() = default;
Recognizer::Recognizer(Recognizer&&) noexcept = default;

void Recognizer::begin_article() {
  m_impl->named.clear();
  m_impl->surnames.clear();
  m_impl->discovered_types.clear();
}

void Recognizer::recognize(std::string_view text, const std::vector<analysis::Token>& tokens,
                           std::vector<Mention>& out) {
  m_impl->text = text;
  m_impl->tokens = &tokens;
  m_impl->out = &out;
  m_impl->recognize();
  m_impl->tokens = nullptr;
  m_impl->out = nullptr;
}

std::vector<std::string> Recognizer::search_keys(const Mention& m) const {
  if (!m.discovered) {
    const auto it = m_impl->gaz.by_id.find(m.id);
    if (it != m_impl->gaz.by_id.end())
      return detail::search_keys_of(m_impl->gaz.entities[it->second]);
  }
  if (!m_impl->tokenizer) m_impl->tokenizer.emplace();
  std::vector<std::string> keys;
  const std::string key = alias_key(*m_impl->tokenizer, m.name);
  if (key.empty()) return keys;
  keys.push_back(key);
  keys.push_back(latin_key(key));
  if (m.type == EntityType::kPerson) {
    const std::size_t space = key.rfind(' ');
    if (space != std::string::npos) {
      const std::string surname = key.substr(space + 1);
      keys.push_back(surname);
      keys.push_back(latin_key(surname));
    }
  }
  std::erase_if(keys, [](const std::string& k) { return k.empty(); });
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace sitrep::entities
