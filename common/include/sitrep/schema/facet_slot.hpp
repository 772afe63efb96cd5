#pragma once
// The encoding of value slot kFacets: everything the facet counter reads for one article, in one
// binary value, so that counting reads one value per match and does no string work per entity:
//
//   4 bytes   published day as the number yyyymmdd, little-endian; 0 for an undated article
//   1 byte    n, then n bytes: the source as written (truncated to kMaxFacetString bytes)
//   1 byte    n, then n bytes: the language code
//   8 bytes   for each distinct entity of the article, little-endian: entity_key(type, id)
//
// An entity key is the entity's type in the top 2 bits (its code: entity_type.hpp) and the low 62
// bits of XXH3-64 of its canonical id. Counting adds up keys; the ids of the few keys shown are
// read back from the entity terms of a document that has them (prefix + id, one per entity:
// fields.hpp). Two ids of one type would have to share 62 hash bits to be counted together: with a
// million entities the chance that any two do is about 1 in 10^7.
//
// Written by DocumentBuilder; read by the facet counter (search/facets.cpp).

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include <xapian.h>

#include "sitrep/schema/entity_type.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/util/hash.hpp"

namespace sitrep::schema {

inline constexpr std::size_t kMaxFacetString = 200;  // bytes of a source or language kept

// The type in the top 2 bits of an entity key.
inline EntityType entity_key_type(std::uint64_t key) { return static_cast<EntityType>(key >> 62); }

// The key of entity `id` of type `type`.
inline std::uint64_t entity_key(EntityType type, std::string_view id) {
  return (static_cast<std::uint64_t>(entity_type_code(type)) << 62) |
         (hash64(id) & ((std::uint64_t{1} << 62) - 1));
}

namespace detail {
inline void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
inline std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
inline void put_string(std::string& out, std::string_view s) {
  if (s.size() > kMaxFacetString) s = s.substr(0, kMaxFacetString);  // callers cut on UTF-8
  out += static_cast<char>(s.size());
  out += s;
}
}  // namespace detail

// The value's head: day, source, language. Entities are appended with append_entity().
inline std::string encode_facet_head(std::uint32_t day, std::string_view source,
                                     std::string_view language) {
  std::string out;
  detail::put_u32(out, day);
  detail::put_string(out, source);
  detail::put_string(out, language);
  return out;
}

inline void append_entity_key(std::string& slot, std::uint64_t key) {
  for (int i = 0; i < 8; ++i) slot += static_cast<char>((key >> (8 * i)) & 0xff);
}
inline void append_entity(std::string& slot, EntityType type, std::string_view id) {
  append_entity_key(slot, entity_key(type, id));
}

// A decoded value; views into the string decoded.
struct FacetSlot {
  std::uint32_t day = 0;  // yyyymmdd; 0 undated
  std::string_view source, language;
  std::string_view entities;  // 8 bytes per entity key

  std::size_t entity_count() const { return entities.size() / 8; }
  std::uint64_t entity(std::size_t i) const {
    std::uint64_t v;
    std::memcpy(&v, entities.data() + 8 * i, 8);  // the format is little-endian, like x86-64
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
  }
};

// nullopt when value is not a well-formed facet value (empty: a document without one).
inline std::optional<FacetSlot> decode_facets(std::string_view value) {
  if (value.size() < 6) return std::nullopt;
  FacetSlot f;
  f.day = detail::get_u32(value.data());
  std::size_t at = 4;
  for (std::string_view* s : {&f.source, &f.language}) {
    if (at >= value.size()) return std::nullopt;
    const std::size_t n = static_cast<unsigned char>(value[at++]);
    if (value.size() - at < n) return std::nullopt;
    *s = value.substr(at, n);
    at += n;
  }
  if ((value.size() - at) % 8 != 0) return std::nullopt;
  f.entities = value.substr(at);
  return f;
}

}  // namespace sitrep::schema
