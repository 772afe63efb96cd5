#pragma once
// The four entity types and everything each one is called, in one table: the letter stored in
// terms and in the lexicon, the 2-bit code of a facet-slot key (facet_slot.hpp), the name used by
// dictionaries, JSON, query fields and facets, the term prefix, and the label of text output.
// Every translation between a type and one of these goes through this table.
//
// The table's order is the code order and the order in which types are listed (people, places,
// organisations, other names). These are stored formats: changing a letter, code or prefix is a
// schema change (fields.hpp, kSchemaVersion).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sitrep/schema/fields.hpp"

namespace sitrep::schema {

// The value is the 2-bit code (the top two bits of an entity key).
enum class EntityType : std::uint8_t { kPerson = 0, kPlace = 1, kOrg = 2, kOther = 3 };

struct EntityTypeInfo {
  EntityType type;
  char letter;              // after prefix::kEntity in a term; first byte of a lexicon value
  std::string_view name;    // "person": dictionaries, JSON groups, query fields, facet names
  std::string_view prefix;  // term prefix: prefix::kEntity + letter
  std::string_view label;   // text output: "People: ..."
};

inline constexpr EntityTypeInfo kEntityTypes[] = {
    {EntityType::kPerson, 'P', "person", prefix::kPerson, "People"},
    {EntityType::kPlace, 'L', "place", prefix::kPlace, "Places"},
    {EntityType::kOrg, 'O', "org", prefix::kOrg, "Orgs"},
    {EntityType::kOther, 'X', "other", prefix::kOtherEntity, "Other"},
};

inline constexpr const EntityTypeInfo& entity_type_info(EntityType t) {
  return kEntityTypes[static_cast<std::size_t>(t) & 3];
}

// The 2-bit code of an entity key (facet_slot.hpp): 0 person, 1 place, 2 org, 3 other.
inline constexpr int entity_type_code(EntityType t) { return static_cast<int>(t); }
inline constexpr char entity_type_letter(EntityType t) { return entity_type_info(t).letter; }
// "person", "place", "org", "other".
inline constexpr std::string_view entity_type_name(EntityType t) {
  return entity_type_info(t).name;
}
inline constexpr std::string_view entity_type_label(EntityType t) {
  return entity_type_info(t).label;
}
// The term prefix (prefix::kPerson, kPlace, kOrg, kOtherEntity).
inline constexpr std::string_view entity_prefix(EntityType t) { return entity_type_info(t).prefix; }

// The type of a stored letter; nullopt for another letter.
inline constexpr std::optional<EntityType> entity_type_from_letter(char letter) {
  for (const EntityTypeInfo& i : kEntityTypes) {
    if (i.letter == letter) return i.type;
  }
  return std::nullopt;
}

// The type of a name ("person", ...); nullopt for another name.
inline constexpr std::optional<EntityType> entity_type_from_name(std::string_view name) {
  for (const EntityTypeInfo& i : kEntityTypes) {
    if (i.name == name) return i.type;
  }
  return std::nullopt;
}

}  // namespace sitrep::schema
