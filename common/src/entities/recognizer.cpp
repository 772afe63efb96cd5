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
#include <cctype>
#include <initializer_list>
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

// An opening quotation mark written directly before a word: « " “ „.
bool ends_with_opening_quote(std::string_view gap) {
  if (gap.empty()) return false;
  return gap.back() == '"' || gap.ends_with("\xC2\xAB") || gap.ends_with("\xE2\x80\x9C") ||
         gap.ends_with("\xE2\x80\x9E");
}

// A closing quotation mark at the start of the text after a word: » " ” “.
bool starts_with_closing_quote(std::string_view after) {
  return starts_with(after, "\"") || starts_with(after, "\xC2\xBB") ||
         starts_with(after, "\xE2\x80\x9D") || starts_with(after, "\xE2\x80\x9C");
}

bool is_cyrillic(std::string_view term) {
  return !term.empty() && static_cast<unsigned char>(term[0]) >= 0xD0 &&
         static_cast<unsigned char>(term[0]) <= 0xD3;
}

// The number of letters of a term of Latin or Cyrillic letters only, 0 for anything else.
std::size_t letter_count(std::string_view term) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < term.size(); ++i) {
    const auto c = static_cast<unsigned char>(term[i]);
    if (c >= 'a' && c <= 'z') {
      ++n;
    } else if (c >= 0xD0 && c <= 0xD3 && i + 1 < term.size()) {
      ++n;
      ++i;
    } else {
      return 0;
    }
  }
  return n;
}

// Russian and Ukrainian word shapes for the head-noun rule ("Министерство обороны России",
// "Державна прикордонна служба"): adjective endings, and endings of verbs and words that end
// an organisation's name ("Министерство обороны сообщило").
bool ends_with_any(std::string_view term, std::initializer_list<std::string_view> endings) {
  for (std::string_view e : endings) {
    if (term.size() > e.size() + 2 && term.ends_with(e)) return true;
  }
  return false;
}

bool cyrillic_adjective(std::string_view term) {
  return ends_with_any(term, {"ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ій", "на",
                              "ка", "ва", "не", "ке", "ве", "ні", "кі", "ві", "ча", "че", "чі"});
}

bool cyrillic_verb_or_adverb(std::string_view term) {
  static constexpr std::string_view kAdverbs[] = {
      "ранее", "позже",   "уже",      "вчера",       "сегодня", "накануне", "раніше",
      "вже",   "вчора",   "сьогодні", "напередодні", "тоже",    "теж",      "ещё",
      "еще",   "ще",      "также",    "теперь",      "тепер",   "снова",    "знову",
      "нет",   "немає",   "ночью",    "вночі",       "утром",   "вранці",   "днем",
      "вдень", "вечером", "увечері",  "впервые",     "вперше",
  };
  for (std::string_view a : kAdverbs) {
    if (term == a) return true;
  }
  return ends_with_any(term, {"л",  "ла", "ло", "ли",  "ет",  "ёт",  "ит",  "ут", "ют",
                              "ат", "ят", "ть", "ся",  "сь",  "ав",  "ив",  "яв", "ає",
                              "яє", "ує", "ює", "ить", "ать", "ано", "ено", "ого"}) &&
         !ends_with_any(term, {"ого", "его"});
}

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
  detail::StringMap<Mention> acronyms;      // acronyms defined in the article: "... Rights (SOHR)"
  detail::StringMap<Mention> org_suffixes;  // "air force" -> the Ukrainian Air Force named before

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
    // لحماس, لحزب الله, بدمشق: ب and ل before a word without the article, when at least three
    // letters stay and they are a gazetteer word.
    if ((term.starts_with(kBi) || term.starts_with(kLi)) && term.size() >= 8) {
      return trie.term_id(term.substr(2));
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
    if (info.type == EntityType::kOrg) remember_org_suffixes(out->back());
  }

  // "the Ukrainian Air Force ... the Air Force said": the last words (two or more) of an
  // organisation's name named in the article stand for it later.
  void remember_org_suffixes(const Mention& m) {
    if (m.token_end - m.token_begin < 3) return;
    for (std::size_t b = m.token_begin + 1; b + 2 <= m.token_end; ++b) {
      if (shape(b) == Shape::kLower) continue;
      org_suffixes.try_emplace(key_of(b, m.token_end), m);
    }
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
    // "the newspaper Haaretz", "monitoring group Airwars", "energy giant Gazprom".
    // Not a possessive: "the group's Yahya Sinwar".
    const std::string_view cue = original(i - 1);
    if ((f & detail::kOrgCue) && shape(i - 1) == Shape::kLower && !cue.ends_with("'s") &&
        !cue.ends_with("\xE2\x80\x99s") && !cue.ends_with("\xE2\x80\x99") && !cue.ends_with("'")) {
      return EntityType::kOrg;
    }
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
  // context gives it (nullopt: none).
  void emit_name(std::size_t begin, std::size_t end, std::optional<EntityType> context) {
    // Lower-case particles at the edges are not part of the name ("Secretary of State": the
    // title does not reach "State"); a capitalised one is (Al-Nuhud).
    const std::size_t first = begin;
    while (begin < end && (word_flags(tok(begin).term) & detail::kConnector) &&
           shape(begin) == Shape::kLower) {
      ++begin;
    }
    if (begin != first) context.reset();
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
        emit_discovered(d.id, d.name, context.value_or(EntityType::kOther), begin, end);
        return;
      }
      if (!context) return;  // a lone capitalised word says too little
      const EntityType ctx = context.value_or(EntityType::kOther);
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
      if (ctx == EntityType::kPerson || ctx == EntityType::kOrg) {
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
    EntityType type = context.value_or(EntityType::kOther);
    if (!context && (word_flags(tok(begin).term) & detail::kGeoNoun)) {
      type = EntityType::kPlace;  // Gulf of Finland, Strait of Kerch
    } else if (!context &&
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
  // "GENEVA, Nov 23 (Meridian) -": the name in brackets after the date of a dateline is the news
  // agency. Tokens [begin, end) are the run.
  bool dateline_agency(std::size_t begin, std::size_t end) {
    if (begin < 2 || begin > 12) return false;
    const std::string_view before = gap(begin);
    if (before != " (" && before != "(") return false;
    const std::string_view prev = tok(begin - 1).term;
    if (!(prev[0] >= '0' && prev[0] <= '9') && !(word_flags(prev) & detail::kCalendar)) {
      return false;
    }
    const std::size_t after_begin = tok(end - 1).end;
    const std::size_t after_end = end < tokens->size() ? tok(end).begin : text.size();
    std::string_view after = text.substr(after_begin, after_end - after_begin);
    if (!starts_with(after, ")")) return false;
    after.remove_prefix(1);
    while (!after.empty() && is_space_byte(after.front())) after.remove_prefix(1);
    return starts_with(after, "-") || starts_with(after, "\xE2\x80\x93") ||
           starts_with(after, "\xE2\x80\x94");
  }

  bool has_org_word(std::size_t begin, std::size_t end) const {
    for (std::size_t k = begin; k < end; ++k) {
      if (word_flags(tok(k).term) & detail::kOrgWord) return true;
    }
    return false;
  }

  // The left part of a run split at "and": an organisation's name of its own when it is one.
  void process_run_org_split(std::size_t begin, std::size_t end) {
    if (org_run(begin, end)) process_run_org(begin, end);
  }

  // Is the run [begin, end) an organisation's name: two words or more, one an organisation word?
  bool org_run(std::size_t begin, std::size_t end) const {
    if (end - begin < 2) return false;
    for (std::size_t k = begin; k < end; ++k) {
      if (word_flags(tok(k).term) & detail::kOrgWord) return true;
    }
    return false;
  }

  void process_run(std::size_t begin, std::size_t end) {
    if (dateline_agency(begin, end)) {
      emit_discovered(discovered_id(match_key_of(begin, end)), name_of(begin, end),
                      EntityType::kOrg, begin, end);
      return;
    }
    std::optional<EntityType> context = context_before(begin);
    // An organisation's name keeps its first word at a sentence start ("Norwegian Refugee
    // Council said"), unless that is a function word ("However, ...").
    const bool keep_first =
        org_run(begin, end) && !(word_flags(tok(begin).term) & (detail::kStop | detail::kCalendar));
    if (!keep_first && sentence_start(begin)) {
      // A capital at a sentence start says nothing, unless the word is a title, a common first
      // name, or a surname named in full earlier in the article.
      const std::uint16_t f = word_flags(tok(begin).term);
      if (!(f & (detail::kTitle | detail::kGivenName)) &&
          !surnames.contains(detail::match_form(tok(begin).term))) {
        ++begin;
        context.reset();
      }
    }
    if (begin >= end) return;

    // An organisation: Ministry, Council, Forces... anywhere in a run of two words or more.
    if (org_run(begin, end)) {
      // Two organisations joined by "and": "the Committee to Protect Journalists and the Council
      // on Foreign Relations" (not "Ministry of Agriculture and Food").
      for (std::size_t k = begin + 1; k + 1 < end; ++k) {
        if (tok(k).term != "and" || shape(k) != Shape::kLower) continue;
        std::size_t right = k + 1;
        if (tok(right).term == "the" && shape(right) == Shape::kLower) ++right;
        if (has_org_word(begin, k) && has_org_word(right, end)) {
          process_run_org_split(begin, k);
          process_run(right, end);
          return;
        }
      }
      {
        // A title after the last organisation word starts a person's name: "Army General Valery
        // Gerasimov", "Kyiv School of Economics President Tymofiy Mylovanov".
        std::size_t last_org = begin;
        for (std::size_t k = begin; k < end; ++k) {
          if (word_flags(tok(k).term) & detail::kOrgWord) last_org = k;
        }
        for (std::size_t k = last_org + 1; k < end; ++k) {
          if (person_title(tok(k).term) && names_person(k + 1, end)) {
            if (k - begin >= 2) process_run_org(begin, k);
            std::size_t rest = k + 1;
            while (rest < end && person_title(tok(rest).term)) ++rest;
            if (rest < end) emit_name(rest, end, EntityType::kPerson);
            return;
          }
        }
      }
      process_run_org(begin, end);
      return;
    }
    process_run_names(begin, end, context);
  }

  // Can tokens [begin, end) after a title be a person's name: one to four words without the
  // links of an organisation's name ("High Commissioner for Human Rights")?
  bool names_person(std::size_t begin, std::size_t end) {
    if (begin >= end || end - begin > 5) return false;
    for (std::size_t k = begin; k < end; ++k) {
      const std::string_view t = tok(k).term;
      if (shape(k) == Shape::kLower && (t == "of" || t == "for" || t == "and" || t == "the" ||
                                        t == "to" || t == "on" || t == "against")) {
        return false;
      }
      if (word_flags(t) & detail::kOrgWord) return false;
    }
    return true;
  }

  // A title that starts a person's name inside a capitalised run (not one that is part of an
  // organisation's name: "Ministry of Foreign Affairs", "Prosecutor General's Office").
  static bool person_title(std::string_view term) {
    if (!(word_flags(term) & detail::kTitle)) return false;
    static constexpr std::string_view kAdjectival[] = {
        "foreign", "defence", "defense", "interior", "finance",  "special", "opposition",
        "deputy",  "vice",    "prime",   "crown",    "national", "justice", "foreign"};
    for (std::string_view a : kAdjectival) {
      if (term == a) return false;
    }
    return true;
  }

  void process_run_org(std::size_t begin, std::size_t end) {
    {
      {
        // "Kyiv School of Economics", "Sudan Doctors Network": a place just before an
        // organisation's name is part of it; not "U.S." or "UK" written before it as a modifier
        // (U.S. Central Command), nor a possessive (Ukraine's State Emergency Service).
        if (!out->empty() && out->size() > first_mention && !out->back().discovered &&
            out->back().type == EntityType::kPlace && out->back().token_end == begin &&
            run_gap(gap(begin), false) && shape(begin - 1) != Shape::kAllUpper &&
            !original(begin - 1).ends_with("'s") &&
            !original(begin - 1).ends_with("\xE2\x80\x99s")) {
          begin = out->back().token_begin;
          out->pop_back();
        }
        std::size_t b = begin;
        std::size_t e = end;
        while (b < e && (word_flags(tok(b).term) & (detail::kStop | detail::kConnector))) ++b;
        while (e > b && (word_flags(tok(e - 1).term) & detail::kConnector)) --e;
        if (e - b >= 2) {
          const std::string key = key_of(b, e);
          if (const auto it = org_suffixes.find(key); it != org_suffixes.end()) {
            Mention same = it->second;
            same.token_begin = b;
            same.token_end = e;
            out->push_back(std::move(same));
          } else {
            emit_discovered(discovered_id(key), name_of(b, e), EntityType::kOrg, b, e);
            remember_org_suffixes(out->back());
          }
        }
      }
    }
  }

  void process_run_names(std::size_t begin, std::size_t end, std::optional<EntityType> context) {
    // Titles, weekdays, months and other non-names split the run into names.
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
        context.reset();
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

  // The gazetteer entity an alias match resolves to, if any.
  std::optional<std::uint32_t> gazetteer_at(std::size_t i, std::size_t* end) {
    const Candidates c = candidates(i);
    if (c.alias.end == 0) return std::nullopt;
    *end = c.alias.end;
    return resolve_alias(gaz.trie.nodes[c.alias.node]);
  }

  // Emits tokens [begin, end) as an organisation: the gazetteer's when the whole span is one of
  // its organisations (or, for Cyrillic, its Latin form is), else a discovered one.
  void emit_org(std::size_t begin, std::size_t end) {
    std::size_t alias_end = 0;
    if (const auto index = gazetteer_at(begin, &alias_end);
        index && alias_end == end && gaz.entities[*index].info.type == EntityType::kOrg) {
      emit_gazetteer(*index, begin, end);
      return;
    }
    if (is_cyrillic(tok(begin).term)) {
      if (const Node* n = gaz.trie.find(latin_key(key_of(begin, end)))) {
        if (const auto index = resolve_alias(*n);
            index && gaz.entities[*index].info.type == EntityType::kOrg) {
          emit_gazetteer(*index, begin, end);
          return;
        }
      }
    }
    emit_discovered(discovered_id(match_key_of(begin, end)), name_of(begin, end), EntityType::kOrg,
                    begin, end);
  }

  // The text after token k up to the next token (or the end of the text).
  std::string_view after(std::size_t k) const {
    const std::size_t b = tok(k).end;
    const std::size_t e = k + 1 < tokens->size() ? tok(k + 1).begin : text.size();
    return text.substr(b, e - b);
  }

  // A quoted name after a word that names a kind of organisation: газета «Ведомости», телеканал
  // «Суспільне», ЧВК «Вагнер», the newspaper "Haaretz". Returns the end of the name (after the
  // closing quote's token), 0 when the rule does not apply.
  std::size_t quoted_org(std::size_t i) {
    const std::string_view g = gap(i);
    if (!ends_with_opening_quote(g)) return 0;
    const std::string_view prev = tok(i - 1).term;
    const bool cue = is_cyrillic(prev)
                         ? detail::is_cyrillic_org_cue(detail::match_form(prev))
                         : (word_flags(prev) & detail::kOrgCue) && shape(i - 1) == Shape::kLower;
    if (!cue) return 0;
    // Only white space before the quote: "газета «X»", not "газета, «X»".
    const std::size_t quote_bytes = g.back() == '"' ? 1 : (g.ends_with("\xC2\xAB") ? 2 : 3);
    const std::string_view space = g.substr(0, g.size() - quote_bytes);
    if (space.empty() || !run_gap(space, false)) return 0;
    const Shape first = shape(i);
    if (first != Shape::kCapital && first != Shape::kAllUpper && first != Shape::kUncased) return 0;
    for (std::size_t k = i; k < tokens->size() && k < i + 6; ++k) {
      if (k > i && (!run_gap(gap(k), tok(k).glued) || breaks_name(gap(k), false))) return 0;
      if (starts_with_closing_quote(after(k))) {
        emit_org(i, k + 1);
        return k + 1;
      }
    }
    return 0;
  }

  // An all-capitals word of 2 to 6 letters that no gazetteer name starts: an acronym defined in
  // the article ("the Syrian Observatory for Human Rights (SOHR) said ... SOHR added"), or one
  // that says something ("SOHR said"), is an organisation.
  bool acronym(std::size_t i) {
    const std::string_view term = tok(i).term;
    const std::size_t letters = letter_count(term);
    if (letters < 2 || letters > 6) return false;
    if (const auto it = acronyms.find(term); it != acronyms.end()) {
      Mention m = it->second;
      m.token_begin = i;
      m.token_end = i + 1;
      if (!m.discovered) {
        if (const auto e = gaz.by_id.find(m.id); e != gaz.by_id.end())
          named[e->second] = ++sequence;
      }
      out->push_back(std::move(m));
      return true;
    }
    const std::string_view g = i == 0 ? std::string_view() : gap(i);
    const bool bracketed = (g == " (" || g == "(") && starts_with(after(i), ")") &&
                           out->size() > first_mention && out->back().token_end == i;
    if (bracketed) {
      Mention& named_before = out->back();
      bool org = named_before.type == EntityType::kOrg;
      if (!org && named_before.discovered && named_before.type == EntityType::kOther) {
        // The acronym's letters are the initials of the name's capitalised words, in order.
        std::size_t next = 0;
        const std::string acr(original(i));
        for (std::size_t k = named_before.token_begin; k < named_before.token_end; ++k) {
          if (next < acr.size() && shape(k) != Shape::kLower &&
              static_cast<unsigned char>(acr[next]) < 0x80 &&
              std::toupper(static_cast<unsigned char>(original(k)[0])) == acr[next]) {
            ++next;
          }
        }
        org = next == acr.size() && acr.size() >= 2 &&
              static_cast<unsigned char>(original(named_before.token_begin)[0]) == acr[0];
        if (org) {
          named_before.type = EntityType::kOrg;
          discovered_types[named_before.id] = EntityType::kOrg;
        }
      }
      if (!org) return false;
      Mention m = named_before;
      m.token_begin = i;
      m.token_end = i + 1;
      acronyms.emplace(std::string(term), m);
      out->push_back(std::move(m));
      return true;
    }
    if (speaker_after(i + 1) && !is_cyrillic(term)) {
      Mention m{discovered_id(term), EntityType::kOrg, std::string(original(i)), i, i + 1, true};
      m.type = remember_type(m.id, EntityType::kOrg);
      acronyms.emplace(std::string(term), m);
      out->push_back(std::move(m));
      return true;
    }
    return false;
  }

  // Is token i an acronym in brackets right after an organisation's name (of another id than the
  // gazetteer's for the acronym)?
  bool defined_acronym(std::size_t i) {
    if (i == 0 || out->size() <= first_mention || out->back().token_end != i ||
        out->back().type != EntityType::kOrg) {
      return false;
    }
    const std::string_view g = gap(i);
    if ((g != " (" && g != "(") || !starts_with(after(i), ")")) return false;
    std::size_t end = 0;
    const auto index = gazetteer_at(i, &end);
    return !index || end != i + 1 || gaz.entities[*index].info.id != out->back().id;
  }

  // A Russian or Ukrainian organisation's name, where only the first word is capitalised:
  // "Министерство обороны России", "Служба безпеки України", "Державна прикордонна служба
  // України", "Міністерство у справах ветеранів". Returns its end, 0 when there is none at i.
  std::size_t cyrillic_org(std::size_t i) {
    const std::size_t end = cyrillic_org_end(i);
    if (end != 0) emit_org(i, end);
    return end;
  }

  static bool military_head(std::string_view form) {
    static constexpr std::string_view kMilitary[] = {
        "силы",      "сили",    "войска",  "війська", "армия", "армія",
        "флот",      "бригада", "дивизия", "дивізія", "полк",  "батальон",
        "батальйон", "корпус",  "гвардия", "гвардія", "штаб"};
    for (std::string_view w : kMilitary) {
      if (detail::match_form(w) == form) return true;
    }
    return false;
  }

  std::size_t cyrillic_org_end(std::size_t i) {
    const std::size_t n = tokens->size();
    const std::string_view first = detail::match_form(tok(i).term);
    if (detail::is_cyrillic_demonym_stem(first)) return 0;
    std::size_t head = i;
    // A military noun first is a description ("Війська РФ атакували", "Силы противовоздушной
    // обороны сбили"); after an adjective it is a name ("Сухопутні війська", "Третя штурмова
    // бригада").
    if (detail::is_cyrillic_org_head(first) && military_head(first)) return 0;
    if (!detail::is_cyrillic_org_head(first)) {
      if (!cyrillic_adjective(tok(i).term)) return 0;
      head = 0;
      for (std::size_t k = i + 1; k < n && k <= i + 3; ++k) {
        if (!run_gap(gap(k), tok(k).glued) || shape(k) != Shape::kLower ||
            !is_cyrillic(tok(k).term)) {
          return 0;
        }
        if (detail::is_cyrillic_org_head(detail::match_form(tok(k).term))) {
          head = k;
          break;
        }
        if (!cyrillic_adjective(tok(k).term)) return 0;
      }
      if (head == 0) return 0;
    }
    // The words after the head that complete the name (genitives: обороны, безпеки, иностранных
    // дел; "по делам", "з питань", "у справах" + a genitive).
    std::size_t k = head + 1;
    std::size_t complements = 0;
    while (k < n && complements < 4) {
      if (!run_gap(gap(k), tok(k).glued) || shape(k) != Shape::kLower) break;
      const std::string_view term = tok(k).term;
      if (!is_cyrillic(term)) break;
      const std::uint16_t f = word_flags(term);
      if ((term == "по" || term == "з" || term == "із" || term == "у") && k + 1 < n &&
          run_gap(gap(k + 1), false) && shape(k + 1) == Shape::kLower) {
        const std::string_view next = detail::match_form(tok(k + 1).term);
        if (next == "дел" || next == "чрезвычайн" || next == "вопрос" || next == "питан" ||
            next == "надзвичайн" || next == "справ") {
          k += 2;
          ++complements;
          continue;
        }
        break;
      }
      if (f & (detail::kStop | detail::kSpeech | detail::kCalendar | detail::kPlaceCue |
               detail::kTitle)) {
        break;
      }
      if (cyrillic_verb_or_adverb(term) || detail::is_cyrillic_org_head(detail::match_form(term))) {
        break;
      }
      ++complements;
      ++k;
    }
    if (complements == 0 && head == i) return 0;  // "Министерство заявило"
    const bool bare = complements == 0;
    // A place or an organisation's acronym closing the name: России, України, ЗСУ, ООН.
    std::size_t end = k;
    if (k < n && run_gap(gap(k), false) &&
        (shape(k) == Shape::kCapital || shape(k) == Shape::kAllUpper)) {
      std::size_t alias_end = 0;
      if (const auto index = gazetteer_at(k, &alias_end)) {
        const EntityType t = gaz.entities[*index].info.type;
        if (t == EntityType::kPlace || t == EntityType::kOrg) end = alias_end;
      } else if (shape(k) == Shape::kAllUpper && is_cyrillic(tok(k).term) &&
                 letter_count(tok(k).term) <= 6) {
        end = k + 1;  // МВД ДНР
      }
    }
    // At a sentence start the capital says nothing, so an adjective and a head noun alone are as
    // likely a description ("Аварийные бригады выехали") as a name: it takes a complement or a
    // closing place or acronym there.
    if (bare && end == k && sentence_start(i)) return 0;
    return end;
  }

  void recognize() {
    const std::size_t n = tokens->size();
    shapes.assign(n, Shape::kUnknown);
    title_case = is_title_case();
    first_mention = out->size();
    std::size_t i = 0;
    while (i < n) {
      if (i > 0) {
        if (const std::size_t end = quoted_org(i)) {
          i = end;
          continue;
        }
      }
      // "Reporters Without Borders (RSF)": an acronym defined in brackets names the organisation
      // before it, whatever the gazetteer says the letters are.
      if (shape(i) == Shape::kAllUpper && !title_case && defined_acronym(i) && acronym(i)) {
        ++i;
        continue;
      }
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
      if (shape(i) == Shape::kAllUpper && !title_case && acronym(i)) {
        ++i;
        continue;
      }
      if (shape(i) == Shape::kCapital && is_cyrillic(tok(i).term)) {
        if (const std::size_t end = cyrillic_org(i)) {
          i = end;
          continue;
        }
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
          // "Представитель Министерства обороны ...": an organisation's name starts here.
          if (is_cyrillic(tok(j).term) && cyrillic_org_end(j) != 0) break;
          ++j;
          continue;
        }
        // "Committee to Protect Journalists", "Council on Foreign Relations": in an
        // organisation's name, "to", "on" and "against" join its words too.
        const bool org_link =
            s == Shape::kLower &&
            (tok(j).term == "to" || tok(j).term == "on" || tok(j).term == "against") && j + 1 < n &&
            shape(j + 1) == Shape::kCapital &&
            !(word_flags(tok(j + 1).term) &
              (detail::kCalendar | detail::kStop | detail::kDemonym)) &&
            names_container(i, j);
        if (s == Shape::kLower && ((word_flags(tok(j).term) & detail::kConnector) || org_link)) {
          // "Institute for the Study of War": a connector, optionally "the", then a capital.
          std::size_t next = j + 1;
          if (next + 1 < n && tok(next).term == "the" && shape(next) == Shape::kLower &&
              run_gap(gap(next), false)) {
            ++next;
          }
          if (next < n && run_gap(gap(next), tok(next).glued) &&
              (shape(next) == Shape::kCapital ||
               (shape(next) == Shape::kAllUpper && tok(j).term == "of"))) {
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
  m_impl->acronyms.clear();
  m_impl->org_suffixes.clear();
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
