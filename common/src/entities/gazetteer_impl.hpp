#pragma once
// The gazetteer's data, shared by entities.cpp (loading) and recognizer.cpp (matching).
//
// Matching is a trie over terms: every distinct term of every alias key gets a small integer id
// (one hash lookup per text token, and most tokens miss); a node's children are found through one
// hash map keyed by (node, term id), the root's through a vector indexed by term id. The
// recogniser walks it from each token and keeps the longest match, so the cost per token does not
// depend on the number of entries.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sitrep/entities/entities.hpp"

namespace sitrep::entities {
namespace detail {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// How an alias must be written in text to match, from how the dictionary writes it: kAny for an
// alias with no capital letter (Arabic, or one written in lower case), kUpper for a short all-caps
// acronym (US, UN, NATO: "us" and "Us" are not the United States), kCapitalised otherwise (at
// least one word of the match starts with a capital: "turkey" is a bird). Several aliases with the
// same key take the loosest rule.
enum class CaseRule : std::uint8_t { kAny = 0, kCapitalised = 1, kUpper = 2 };

struct Alias {
  std::string key;
  CaseRule rule = CaseRule::kCapitalised;
  std::uint32_t capitals = 0;  // kCapitalised: bit p set when word p is capitalised in the alias
};

// The form of a term the trie compares: Cyrillic words of five letters or more lose one case
// ending (Путина, Путину, Путиным -> путин; Києва, Києві -> києв; Зеленского -> зеленск), so
// Russian and Ukrainian inflection matches without listing every form; other terms unchanged.
std::string_view match_form(std::string_view term);

struct Entity {
  EntityInfo info;
  std::vector<Alias> aliases;   // the name's and every alias's key, distinct
  std::vector<Alias> surnames;  // people: the last word of multi-word aliases, not aliases
};

struct Node {
  std::vector<std::uint32_t> entities;    // entities with an alias key ending here
  std::vector<std::uint32_t> surname_of;  // people with a derived surname ending here
  CaseRule rule = CaseRule::kUpper;
  CaseRule surname_rule = CaseRule::kUpper;
  std::uint32_t capitals = ~std::uint32_t{0};  // the words every alias here capitalises
};

inline constexpr std::uint32_t kNoNode = 0;  // the root is never a child

struct Trie {
  StringMap<std::uint32_t> term_ids;
  std::vector<std::uint32_t> root;                         // by term id: child of the root
  std::unordered_map<std::uint64_t, std::uint32_t> edges;  // (node << 32 | term id) -> child
  std::vector<Node> nodes{Node{}};                         // nodes[0] is the root

  // The term's id, or -1 when no alias has that term.
  std::int64_t term_id(std::string_view term) const {
    const auto it = term_ids.find(match_form(term));
    return it == term_ids.end() ? -1 : static_cast<std::int64_t>(it->second);
  }
  std::uint32_t child(std::uint32_t node, std::uint32_t term) const {
    if (node == 0) return term < root.size() ? root[term] : kNoNode;
    const auto it = edges.find((std::uint64_t{node} << 32) | term);
    return it == edges.end() ? kNoNode : it->second;
  }
  // The node of a whole key (terms joined by ' '), or nullptr.
  const Node* find(std::string_view key) const;
  Node& insert(std::string_view key);
};

// The keys under which the searcher finds an entity: every alias key, the derived surnames, and the
// Latin forms of those not in ASCII. Sorted, distinct.
std::vector<std::string> search_keys_of(const Entity& e);

}  // namespace detail

struct Gazetteer::Impl {
  std::vector<detail::Entity> entities;
  detail::StringMap<std::uint32_t> by_id;
  detail::Trie trie;

  // Adds an entity, or for a known id replaces its name and type and adds the aliases.
  void add(EntityInfo info, const std::vector<detail::Alias>& keys);
  // Rebuilds the derived surnames and the trie after entities changed.
  void rebuild();
};

}  // namespace sitrep::entities
