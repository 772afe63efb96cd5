#include "sitrep/search/aliases.hpp"

#include <algorithm>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "sitrep/entities/entities.hpp"
#include "sitrep/schema/entity_type.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/store/metadata.hpp"

namespace sitrep::search {

bool reads_as_name(std::string_view word) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(word.data());
  const auto n = static_cast<std::int32_t>(word.size());
  std::int32_t i = 0;
  UChar32 first = -1;
  // The first letter (a leading apostrophe or digit is not the word's shape).
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_isalpha(c)) {
      first = c;
      break;
    }
  }
  if (first < 0) return false;
  if (!u_hasBinaryProperty(first, UCHAR_CASED)) return true;  // a script without case
  if (!u_isupper(first) && !u_istitle(first)) return false;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_islower(c)) return true;
  }
  return false;
}

std::vector<std::string> alias_entity_terms(const Xapian::Database& db, const std::string& term) {
  std::vector<std::string> ids = store::alias_ids(db, term);
  if (ids.empty()) {
    const std::string latin = entities::latin_key(term);
    if (latin != term) ids = store::alias_ids(db, latin);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::string> out;
  if (ids.size() > kMaxAliasEntities) return out;
  for (const std::string& id : ids) {
    for (const schema::EntityType type : {schema::EntityType::kPerson, schema::EntityType::kPlace,
                                          schema::EntityType::kOrg, schema::EntityType::kOther}) {
      std::string t = schema::terms::entity(type, id);
      if (db.term_exists(t)) out.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace sitrep::search
