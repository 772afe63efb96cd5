#pragma once
// The encoding of value slot kFacets: one line per value, each a letter followed by the value:
//   D  published date, YYYYMMDD (UTC); absent for an undated article
//   S  source as written (at most 200 bytes)
//   G  language code
//   P, L, O, X  an entity (person, place, organisation, other) by canonical id, one line for each
//               distinct entity of the article
// e.g. "D20251114\nSBlack Sea Courier\nGen\nPvolodymyr-zelensky\nLodesa\n". No value contains
// '\n'. Written by DocumentBuilder; read by the facet counter (one value read per match for every
// facet) and by the hit output (entities).

#include <string>
#include <string_view>

#include "sitrep/schema/fields.hpp"

namespace sitrep::schema {

inline constexpr char kFacetDate = 'D';
inline constexpr char kFacetSource = 'S';
inline constexpr char kFacetLanguage = 'G';

// Appends one line; newlines in value become spaces.
inline void append_facet(std::string& slot, char letter, std::string_view value) {
  slot += letter;
  const std::size_t at = slot.size();
  slot += value;
  for (std::size_t i = at; i < slot.size(); ++i) {
    if (slot[i] == '\n') slot[i] = ' ';
  }
  slot += '\n';
}

inline void append_entity(std::string& slot, char type, std::string_view id) {
  append_facet(slot, type, id);
}

inline bool is_entity_letter(char c) { return c == 'P' || c == 'L' || c == 'O' || c == 'X'; }

// Calls fn(char letter, std::string_view value) for each line of the slot value.
template <class Fn>
void for_each_facet(std::string_view slot, Fn&& fn) {
  while (!slot.empty()) {
    const std::size_t nl = slot.find('\n');
    const std::string_view line = slot.substr(0, nl);
    if (line.size() > 1) fn(line[0], line.substr(1));
    if (nl == std::string_view::npos) break;
    slot.remove_prefix(nl + 1);
  }
}

// Calls fn(char type, std::string_view id) for each entity of the slot value.
template <class Fn>
void for_each_entity(std::string_view slot, Fn&& fn) {
  for_each_facet(slot, [&](char letter, std::string_view value) {
    if (is_entity_letter(letter)) fn(letter, value);
  });
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
