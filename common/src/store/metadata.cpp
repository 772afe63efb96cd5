#include "sitrep/store/metadata.hpp"

#include <algorithm>
#include <sstream>
#include <utility>

#include "sitrep/schema/fields.hpp"

namespace sitrep::store {

using namespace schema;

namespace {

// Xapian refuses metadata keys longer than this (the B-tree's key limit, with some room).
constexpr std::size_t kMaxMetadataKey = 200;

}  // namespace

std::vector<std::string> indexed_languages(const Xapian::Database& db) {
  std::set<std::string> sorted;
  std::istringstream in(db.get_metadata(std::string(meta::kLanguages)));
  for (std::string l; in >> l;) sorted.insert(std::move(l));
  return {sorted.begin(), sorted.end()};
}

void add_indexed_languages(Xapian::WritableDatabase& db, const std::set<std::string>& languages) {
  const std::vector<std::string> have = indexed_languages(db);
  std::set<std::string> all(have.begin(), have.end());
  all.insert(languages.begin(), languages.end());
  std::string value;
  for (const std::string& l : all) value += (value.empty() ? "" : " ") + l;
  db.set_metadata(std::string(meta::kLanguages), value);
}

void merge_entry(Lexicon& into, const std::string& id, const LexiconEntry& e) {
  auto [it, inserted] = into.try_emplace(id, e);
  if (inserted) return;
  LexiconEntry& have = it->second;
  if (have.type == schema::EntityType::kOther && e.type != schema::EntityType::kOther) {
    have.type = e.type;
  }
  for (const std::string& k : e.keys) {
    if (std::find(have.keys.begin(), have.keys.end(), k) == have.keys.end()) {
      have.keys.push_back(k);
    }
  }
}

void merge_lexicon(Lexicon& into, const Lexicon& from) {
  for (const auto& [id, e] : from) merge_entry(into, id, e);
}

void write_lexicon(Xapian::WritableDatabase& db, const Lexicon& lexicon) {
  std::map<std::string, std::set<std::string>> ids_by_key;
  for (const auto& [id, e] : lexicon) {
    const std::string entity_key = std::string(meta::kEntityPrefix) + id;
    if (entity_key.size() > kMaxMetadataKey) continue;
    const std::string stored = db.get_metadata(entity_key);
    // A stored type other than X wins: the first typed mention names the entity.
    const char letter = schema::entity_type_letter(e.type);
    const char other = schema::entity_type_letter(schema::EntityType::kOther);
    if (stored.empty() || (stored[0] == other && letter != other)) {
      db.set_metadata(entity_key, std::string(1, letter) + e.name);
    }
    for (const std::string& k : e.keys) ids_by_key[k].insert(id);
  }
  for (const auto& [key, ids] : ids_by_key) {
    const std::string alias_key = std::string(meta::kAliasPrefix) + key;
    if (key.empty() || alias_key.size() > kMaxMetadataKey) continue;
    const std::string stored = db.get_metadata(alias_key);
    std::set<std::string> all(ids);
    std::string_view rest = stored;
    while (!rest.empty()) {
      const std::size_t sp = rest.find(' ');
      if (sp != 0) all.emplace(rest.substr(0, sp));
      if (sp == std::string_view::npos) break;
      rest.remove_prefix(sp + 1);
    }
    std::string value;
    for (const std::string& id : all) value += (value.empty() ? "" : " ") + id;
    if (value != stored) db.set_metadata(alias_key, value);
  }
}

}  // namespace sitrep::store
