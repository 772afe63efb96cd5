// facet_filter(): the query text that selects the matches with one facet value
// (docs/design/contract-v3.md, docs/query-language.md).

#include <algorithm>
#include <string>
#include <string_view>

#include "sitrep/analysis/tokenizer.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/search/facets.hpp"

namespace sitrep::search {

namespace {

// Whether s can stand unquoted after a field: a canonical entity id, a language code or a period
// ([a-z0-9-], nothing the lexer reads as syntax).
bool plain(std::string_view s) {
  return !s.empty() && s.front() != '-' && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// s between double quotes, with a backslash before each character the query lexer reads as a
// quote or a backslash. The lexer reads the text through the Tokenizer's character mapping
// (analysis::map_characters), so that is every character mapped to '"' (“ ” « » ＂ ...) or '\\',
// not only the ASCII ones: an unescaped « inside the value would end it.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 1;
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead >= 0xF0) {
      len = 4;
    } else if (lead >= 0xE0) {
      len = 3;
    } else if (lead >= 0xC0) {
      len = 2;
    }
    len = std::min(len, s.size() - i);
    const std::string_view ch = s.substr(i, len);
    const std::string mapped = analysis::map_characters(ch);
    if (mapped == "\"" || mapped == "\\") out += '\\';
    out += ch;
    i += len;
  }
  out += '"';
  return out;
}

std::string field(std::string_view name, std::string_view value) {
  std::string out(name);
  out += ':';
  out += plain(value) ? std::string(value) : quoted(value);
  return out;
}

}  // namespace

std::string entity_filter(schema::EntityType t, std::string_view id) {
  switch (t) {
    case schema::EntityType::kPerson:
      return field(schema::field::kPerson, id);
    case schema::EntityType::kPlace:
      return field(schema::field::kPlace, id);
    case schema::EntityType::kOrg:
      return field(schema::field::kOrg, id);
    default:
      return field(schema::field::kEntity, id);
  }
}

std::string facet_filter(Facet f, std::string_view value) {
  switch (f) {
    case Facet::kPerson:
      return entity_filter(schema::EntityType::kPerson, value);
    case Facet::kPlace:
      return entity_filter(schema::EntityType::kPlace, value);
    case Facet::kOrg:
      return entity_filter(schema::EntityType::kOrg, value);
    case Facet::kSource:
      // Always quoted: a source is a name as written ("Smith & Sons").
      return std::string(schema::field::kSource) + ':' + quoted(value);
    case Facet::kLanguage:
      return field(schema::field::kLanguage, value);
    case Facet::kYear:
    case Facet::kMonth:
    case Facet::kDay:
      return field(schema::field::kDate, value);
  }
  return {};
}

}  // namespace sitrep::search
