#pragma once
// What the recogniser remembers of the article so far (Recognizer::begin_article() forgets it):
// which gazetteer entities were named and when, the discovered names by their last word, the
// best type seen for each discovered id, the acronyms defined, and the shorter forms of the
// organisations named.

#include <cstdint>
#include <string>
#include <unordered_map>

#include "gazetteer_impl.hpp"

#include "sitrep/entities/entities.hpp"

namespace sitrep::entities::detail {

struct Discovered {
  std::string id;
  std::string name;
};

struct ArticleMemory {
  std::unordered_map<std::uint32_t, std::uint64_t> named;  // gazetteer entity -> when last named
  std::uint64_t sequence = 0;
  StringMap<Discovered> surnames;          // discovered names by their last word
  StringMap<EntityType> discovered_types;  // best type seen for a discovered id
  StringMap<Mention> acronyms;             // acronyms defined in the article: "... Rights (SOHR)"
  StringMap<Mention> org_suffixes;         // "air force" -> the Ukrainian Air Force named before

  void clear() {
    named.clear();
    surnames.clear();
    discovered_types.clear();
    acronyms.clear();
    org_suffixes.clear();
  }

  void mark_named(std::uint32_t entity) { named[entity] = ++sequence; }

  // Records a type seen for a discovered id and returns the id's type: the first one other than
  // kOther seen in the article.
  EntityType remember_type(const std::string& id, EntityType type) {
    auto [it, added] = discovered_types.try_emplace(id, type);
    if (!added && type != EntityType::kOther && it->second == EntityType::kOther) it->second = type;
    return it->second;
  }
};

}  // namespace sitrep::entities::detail
