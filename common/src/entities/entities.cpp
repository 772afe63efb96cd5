// The gazetteer: dictionary parsing (schemas/entities/README.md), alias keys, Latin forms and the
// term trie the recogniser matches with. Recognition itself is in recognizer.cpp.

#include "sitrep/entities/entities.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "builtin.hpp"
#include "gazetteer_impl.hpp"
#include "word_lists.hpp"
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "sitrep/util/error.hpp"
#include "sitrep/util/hash.hpp"
#include "sitrep/util/utf8.hpp"

namespace sitrep::entities {

using detail::Alias;
using detail::CaseRule;
using detail::Entity;
using detail::Node;

std::optional<EntityType> parse_type(std::string_view name) {
  if (name == "organisation" || name == "organization") return EntityType::kOrg;
  return schema::entity_type_from_name(name);
}

std::string alias_key(analysis::Tokenizer& tokenizer, std::string_view name) {
  std::vector<analysis::Token> tokens;
  tokenizer.tokenize(name, tokens);
  std::string key;
  for (const auto& t : tokens) {
    if (!key.empty()) key += ' ';
    key += t.term;
  }
  return key;
}

namespace {

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Any-Latin then Latin-ASCII. ICU documents transliterator instances as not safe to share between
// threads while transliterating, and creating one costs milliseconds: one per thread, kept.
icu::Transliterator& transliterator() {
  thread_local std::unique_ptr<icu::Transliterator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        icu::UnicodeString::fromUTF8("Any-Latin; Latin-ASCII"), UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !t) {
      throw Error(ErrorKind::kConfig,
                  std::string("ICU transliterator Any-Latin; Latin-ASCII unavailable: ") +
                      u_errorName(status));
    }
    return t;
  }();
  return *instance;
}

std::string transliterate_uncached(std::string_view key) {
  icu::UnicodeString s =
      icu::UnicodeString::fromUTF8(icu::StringPiece(key.data(), static_cast<int32_t>(key.size())));
  transliterator().transliterate(s);
  std::string latin;
  s.toUTF8String(latin);
  // Keep lower-case ASCII letters and digits; spaces separate words as in the key. Whatever the
  // transliteration left (apostrophes for soft signs, unmapped characters) is dropped.
  std::string out;
  out.reserve(latin.size());
  for (char ch : latin) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out += ch;
    } else if (c == ' ' && !out.empty() && out.back() != ' ') {
      out += ' ';
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// UTF-8 code point at s[i], advancing i; U+FFFD for invalid input.
UChar32 next_code_point(std::string_view s, std::size_t& i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  auto j = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(p, j, static_cast<int32_t>(s.size()), c);
  i = static_cast<std::size_t>(j);
  return c < 0 ? 0xFFFD : c;
}

CaseRule case_rule(std::string_view alias, std::size_t terms) {
  int upper = 0;
  int lower = 0;
  for (std::size_t i = 0; i < alias.size();) {
    const UChar32 c = next_code_point(alias, i);
    if (u_isupper(c) || u_istitle(c)) {
      ++upper;
    } else if (u_islower(c)) {
      ++lower;
    }
  }
  if (upper == 0) return CaseRule::kAny;
  if (terms == 1 && lower == 0 && upper >= 2 && upper <= 5) return CaseRule::kUpper;
  return CaseRule::kCapitalised;
}

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return parts;
}

std::size_t count_terms(std::string_view key) {
  return key.empty() ? 0 : static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
}

// Why an id is not a valid canonical id, or empty.
std::string id_problem(std::string_view id) {
  if (id.empty()) return "empty id";
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return "id '" + std::string(id) + "' may only contain a-z, 0-9 and '-'";
    }
  }
  if (id.front() == '-' || id.back() == '-') {
    return "id '" + std::string(id) + "' may not start or end with '-'";
  }
  if (id.size() >= 2 && id.substr(0, 2) == "x-") {
    return "id '" + std::string(id) + "' may not start with 'x-' (reserved for discovered names)";
  }
  if (id.size() > kMaxIdBytes) {
    return "id '" + std::string(id.substr(0, 20)) + "...' is longer than " +
           std::to_string(kMaxIdBytes) + " bytes";
  }
  return {};
}

struct Entry {
  EntityInfo info;
  std::vector<Alias> aliases;  // the name's first
};

// Parses a dictionary; every problem is appended to errors as "origin:line: problem".
std::vector<Entry> parse(analysis::Tokenizer& tokenizer, std::string_view text,
                         std::string_view origin, std::vector<std::string>& errors) {
  std::vector<Entry> entries;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') continue;

    std::vector<std::string> problems;
    const auto columns = split(line, '\t');
    Entry entry;
    if (columns.size() < 3 || columns.size() > 4) {
      problems.push_back("expected 3 or 4 tab-separated columns (id, type, name, aliases), got " +
                         std::to_string(columns.size()));
    } else {
      const std::string_view id = trim(columns[0]);
      if (std::string p = id_problem(id); !p.empty()) problems.push_back(std::move(p));
      entry.info.id = std::string(id);
      const std::string_view type = trim(columns[1]);
      if (const auto t = parse_type(type)) {
        entry.info.type = *t;
      } else {
        problems.push_back("unknown type '" + std::string(type) +
                           "' (expected person, place, org or other)");
      }
      const std::string_view name = trim(columns[2]);
      entry.info.name = std::string(name);
      std::vector<std::string_view> aliases{name};
      if (columns.size() == 4) {
        for (std::string_view a : split(columns[3], '|')) {
          a = trim(a);
          if (!a.empty()) aliases.push_back(a);
        }
      }
      for (std::size_t i = 0; i < aliases.size(); ++i) {
        std::vector<analysis::Token> tokens;
        tokenizer.tokenize(aliases[i], tokens);
        std::string key;
        std::uint32_t capitals = 0;
        for (std::size_t p = 0; p < tokens.size(); ++p) {
          if (!key.empty()) key += ' ';
          key += tokens[p].term;
          std::size_t at = tokens[p].begin;
          const UChar32 c = next_code_point(aliases[i], at);
          if (p < 32 && (u_isupper(c) || u_istitle(c))) capitals |= std::uint32_t{1} << p;
        }
        if (key.empty()) {
          problems.push_back(i == 0 ? "the name '" + std::string(aliases[i]) + "' has no words"
                                    : "alias '" + std::string(aliases[i]) + "' has no words");
          continue;
        }
        const CaseRule rule = case_rule(aliases[i], count_terms(key));
        entry.aliases.push_back(Alias{std::move(key), rule, capitals});
      }
    }
    if (problems.empty()) {
      entries.push_back(std::move(entry));
    } else {
      for (const auto& p : problems) {
        errors.push_back(std::string(origin) + ":" + std::to_string(line_no) + ": " + p);
      }
    }
  }
  return entries;
}

void add_alias(std::vector<Alias>& aliases, const Alias& alias) {
  for (Alias& a : aliases) {
    if (a.key == alias.key) {
      a.rule = std::min(a.rule, alias.rule);
      a.capitals &= alias.capitals;
      return;
    }
  }
  aliases.push_back(alias);
}

// The surnames of a person: the last word of each multi-word alias ("yury ushakov" -> "ushakov"),
// with a particle before it kept too ("bashar al assad" -> "al assad" and "assad").
void derive_surnames(Entity& e) {
  e.surnames.clear();
  if (e.info.type != EntityType::kPerson) return;
  for (const Alias& a : e.aliases) {
    const std::size_t last_space = a.key.rfind(' ');
    if (last_space == std::string::npos) continue;
    const std::string last = a.key.substr(last_space + 1);
    if (last.size() < 3 ||
        std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    const CaseRule rule = a.rule == CaseRule::kAny ? CaseRule::kAny : CaseRule::kCapitalised;
    add_alias(e.surnames, Alias{last, rule, 1});
    const std::string_view before = std::string_view(a.key).substr(0, last_space);
    const std::size_t prev_space = before.rfind(' ');
    const std::string_view prev =
        prev_space == std::string_view::npos ? before : before.substr(prev_space + 1);
    if (prev_space != std::string_view::npos && (detail::word_flags(prev) & detail::kParticle)) {
      add_alias(e.surnames, Alias{std::string(prev) + " " + last, rule, 2});
    }
  }
  // A surname that is also an explicit alias is matched as the alias.
  std::erase_if(e.surnames, [&](const Alias& s) {
    return std::any_of(e.aliases.begin(), e.aliases.end(),
                       [&](const Alias& a) { return a.key == s.key; });
  });
}

}  // namespace

namespace detail {

std::string_view match_form(std::string_view term) {
  // Cyrillic letters are two bytes with a lead byte 0xD0..0xD3 (U+0400..U+04FF).
  if (term.size() < 10 || static_cast<unsigned char>(term[0]) < 0xD0 ||
      static_cast<unsigned char>(term[0]) > 0xD3) {
    return term;
  }
  // Russian and Ukrainian noun and adjective case endings, longest first. One is removed, and at
  // least three letters stay.
  static constexpr std::string_view kEndings[] = {
      "ией", "ією", "ого", "его", "ому", "ему", "ими", "ыми", "ами", "ями", "ия", "ии", "ию", "ія",
      "ії",  "ію",  "ой",  "ей",  "ий",  "ый",  "ій",  "ая",  "яя",  "ую",  "юю", "ое", "ее", "ом",
      "ем",  "ам",  "ям",  "ах",  "ях",  "ым",  "им",  "ых",  "их",  "ою",  "ею", "єю", "а",  "я",
      "у",   "ю",   "е",   "є",   "и",   "і",   "ї",   "ы",   "о",   "ь",   "й"};
  for (std::string_view ending : kEndings) {
    if (term.size() >= ending.size() + 6 && term.ends_with(ending)) {
      return term.substr(0, term.size() - ending.size());
    }
  }
  return term;
}

}  // namespace detail

std::string latin_key(std::string_view key) {
  if (is_ascii(key)) return std::string(key);
  // Names recur: a small per-thread cache saves most transliterations.
  thread_local detail::StringMap<std::string> cache;
  if (const auto it = cache.find(key); it != cache.end()) return it->second;
  std::string latin = transliterate_uncached(key);
  if (cache.size() >= 4096) cache.clear();
  cache.emplace(std::string(key), latin);
  return latin;
}

std::string discovered_id(std::string_view key) {
  std::string id = "x-";
  for (char c : latin_key(key)) id += c == ' ' ? '-' : c;
  if (id.size() == 2) {
    // Nothing transliterable (should not happen for a name of letters): a stable hash instead.
    id += hash64_hex(key);
  } else if (id.size() > kMaxIdBytes) {
    // A long run of words (or a script that transliterates long): a prefix, kept whole on a UTF-8
    // boundary, and a hash of the whole key.
    const std::string hash = hash64_hex(key);
    id.resize(utf8::truncate(id, kMaxIdBytes - 1 - hash.size()).size());
    id += '-';
    id += hash;
  }
  return id;
}

// ---- Trie ----

namespace detail {

const Node* Trie::find(std::string_view key) const {
  std::uint32_t node = 0;
  for (std::string_view term : split(key, ' ')) {
    const std::int64_t id = term_id(term);
    if (id < 0) return nullptr;
    node = child(node, static_cast<std::uint32_t>(id));
    if (node == kNoNode) return nullptr;
  }
  return node == 0 ? nullptr : &nodes[node];
}

Node& Trie::insert(std::string_view key) {
  std::uint32_t node = 0;
  for (std::string_view term : split(key, ' ')) {
    auto [it, added] = term_ids.try_emplace(std::string(match_form(term)),
                                            static_cast<std::uint32_t>(root.size()));
    if (added) root.push_back(kNoNode);
    const std::uint32_t id = it->second;
    std::uint32_t next = child(node, id);
    if (next == kNoNode) {
      next = static_cast<std::uint32_t>(nodes.size());
      nodes.emplace_back();
      if (node == 0) {
        root[id] = next;
      } else {
        edges.emplace((std::uint64_t{node} << 32) | id, next);
      }
    }
    node = next;
  }
  return nodes[node];
}

}  // namespace detail

void Gazetteer::Impl::rebuild() {
  trie = detail::Trie{};
  for (std::uint32_t i = 0; i < entities.size(); ++i) {
    Entity& e = entities[i];
    derive_surnames(e);
    for (const Alias& a : e.aliases) {
      Node& n = trie.insert(a.key);
      if (std::find(n.entities.begin(), n.entities.end(), i) == n.entities.end()) {
        n.entities.push_back(i);
      }
      n.rule = std::min(n.rule, a.rule);
      n.capitals &= a.capitals;
    }
    for (const Alias& s : e.surnames) {
      Node& n = trie.insert(s.key);
      n.surname_of.push_back(i);
      n.surname_rule = std::min(n.surname_rule, s.rule);
      n.capitals &= s.capitals;
    }
  }
}

// ---- Gazetteer ----

Gazetteer::Gazetteer() : m_impl(std::make_unique<Impl>()) {}
Gazetteer::~Gazetteer() = default;
Gazetteer::Gazetteer(Gazetteer&&) noexcept = default;
Gazetteer& Gazetteer::operator=(Gazetteer&&) noexcept = default;

void Gazetteer::Impl::add(EntityInfo info, const std::vector<Alias>& keys) {
  auto [it, added] = by_id.try_emplace(info.id, static_cast<std::uint32_t>(entities.size()));
  if (added) entities.emplace_back();
  Entity& e = entities[it->second];
  e.info = std::move(info);
  for (const Alias& a : keys) add_alias(e.aliases, a);
}

void Gazetteer::load_builtin() {
  analysis::Tokenizer tokenizer;
  std::vector<std::string> errors;
  std::vector<std::vector<Entry>> all;
  for (std::size_t i = 0; i < detail::builtin_dictionary_count(); ++i) {
    all.push_back(parse(tokenizer, detail::builtin_dictionary_text(i),
                        detail::builtin_dictionary_origin(i), errors));
  }
  if (!errors.empty()) {
    std::string message = "bad builtin entity dictionary:";
    for (const auto& e : errors) message += "\n" + e;
    throw Error(ErrorKind::kInternal, message);
  }
  for (auto& entries : all) {
    for (Entry& entry : entries) m_impl->add(std::move(entry.info), entry.aliases);
  }
  m_impl->rebuild();
}

void Gazetteer::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kConfig, path + ": cannot read entity dictionary");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(ErrorKind::kConfig, path + ": cannot read entity dictionary");
  load_text(text.str(), path);
}

void Gazetteer::load_text(std::string_view tsv, std::string_view origin) {
  analysis::Tokenizer tokenizer;
  std::vector<std::string> errors;
  std::vector<Entry> entries = parse(tokenizer, tsv, origin, errors);
  if (!errors.empty()) {
    std::string message;
    for (const auto& e : errors) {
      if (!message.empty()) message += '\n';
      message += e;
    }
    throw Error(ErrorKind::kConfig, message);
  }
  for (Entry& entry : entries) m_impl->add(std::move(entry.info), entry.aliases);
  m_impl->rebuild();
}

std::size_t Gazetteer::size() const { return m_impl->entities.size(); }

const EntityInfo* Gazetteer::find(std::string_view id) const {
  const auto it = m_impl->by_id.find(id);
  return it == m_impl->by_id.end() ? nullptr : &m_impl->entities[it->second].info;
}

std::vector<std::string> Gazetteer::search_keys(std::string_view id) const {
  const auto it = m_impl->by_id.find(id);
  if (it == m_impl->by_id.end()) return {};
  return detail::search_keys_of(m_impl->entities[it->second]);
}

namespace detail {

std::vector<std::string> search_keys_of(const Entity& e) {
  std::vector<std::string> keys;
  for (const auto* list : {&e.aliases, &e.surnames}) {
    for (const Alias& a : *list) {
      keys.push_back(a.key);
      if (!is_ascii(a.key)) {
        std::string latin = latin_key(a.key);
        if (!latin.empty()) keys.push_back(std::move(latin));
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace detail

}  // namespace sitrep::entities
