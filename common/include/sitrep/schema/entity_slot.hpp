#pragma once
// The encoding of value slot kEntities: the article's distinct entities, one per line, each a
// type letter (P person, L place, O org, X other) followed by the canonical id:
//   "Pvolodymyr-zelensky\nLkyiv\nOnato\n". Canonical ids never contain '\n'.
// Written by DocumentBuilder, read by the facet counter and the hit output.

#include <string>
#include <string_view>

#include "sitrep/schema/fields.hpp"

namespace sitrep::schema {

inline void append_entity(std::string& slot, char type, std::string_view id) {
  slot += type;
  slot += id;
  slot += '\n';
}

// Calls fn(char type, std::string_view id) for each entity of the slot value.
template <class Fn>
void for_each_entity(std::string_view slot, Fn&& fn) {
  while (!slot.empty()) {
    const std::size_t nl = slot.find('\n');
    const std::string_view line = slot.substr(0, nl);
    if (line.size() > 1) fn(line[0], line.substr(1));
    if (nl == std::string_view::npos) break;
    slot.remove_prefix(nl + 1);
  }
}

// The term prefix for a type letter; empty for an unknown letter.
inline std::string_view entity_prefix(char type) {
  switch (type) {
    case 'P':
      return prefix::kPerson;
    case 'L':
      return prefix::kPlace;
    case 'O':
      return prefix::kOrg;
    case 'X':
      return prefix::kOtherEntity;
    default:
      return {};
  }
}

}  // namespace sitrep::schema
