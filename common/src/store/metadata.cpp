#include "sitrep/store/metadata.hpp"

#include <algorithm>
#include <sstream>
#include <utility>

#include "sitrep/schema/fields.hpp"
#include "sitrep/util/error.hpp"

namespace sitrep::store {

using namespace schema;

namespace {

// Xapian refuses metadata keys longer than this (the B-tree's key limit, with some room).
constexpr std::size_t kMaxMetadataKey = 200;

// Calls f(id) for each id of an alias value ("id id ...", as write_lexicon() writes it).
template <class F>
void for_each_id(std::string_view value, F&& f) {
  while (!value.empty()) {
    const std::size_t sp = value.find(' ');
    if (sp != 0) f(value.substr(0, sp));
    if (sp == std::string_view::npos) break;
    value.remove_prefix(sp + 1);
  }
}

std::string entity_key(std::string_view id) {
  std::string k(meta::kEntityPrefix);
  k += id;
  return k;
}

std::string alias_key(std::string_view key) {
  std::string k(meta::kAliasPrefix);
  k += key;
  return k;
}

}  // namespace

std::string schema_version(const Xapian::Database& db) {
  return db.get_metadata(std::string(meta::kSchemaVersion));
}

void check_schema(const Xapian::Database& db, std::string_view named) {
  const std::string version = schema_version(db);
  if (version == std::to_string(kSchemaVersion) || db.get_doccount() == 0) return;
  throw Error(ErrorKind::kSchema,
              "database " + std::string(named) + " has schema version " +
                  (version.empty() ? std::string("(none: not a sitrep database)") : version) +
                  ", but this sitrep uses version " + std::to_string(kSchemaVersion) +
                  ": rebuild it with sitrep-index --rebuild");
}

void set_schema_version(Xapian::WritableDatabase& db) {
  db.set_metadata(std::string(meta::kSchemaVersion), std::to_string(kSchemaVersion));
}

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
    const std::string key = entity_key(id);
    if (key.size() > kMaxMetadataKey) continue;
    const std::string stored = db.get_metadata(key);
    // A stored type other than X wins: the first typed mention names the entity.
    const char letter = schema::entity_type_letter(e.type);
    const char other = schema::entity_type_letter(schema::EntityType::kOther);
    if (stored.empty() || (stored[0] == other && letter != other)) {
      db.set_metadata(key, std::string(1, letter) + e.name);
    }
    for (const std::string& k : e.keys) ids_by_key[k].insert(id);
  }
  for (const auto& [key, ids] : ids_by_key) {
    const std::string meta_key = alias_key(key);
    if (key.empty() || meta_key.size() > kMaxMetadataKey) continue;
    const std::string stored = db.get_metadata(meta_key);
    std::set<std::string> all(ids);
    for_each_id(stored, [&](std::string_view id) { all.emplace(id); });
    std::string value;
    for (const std::string& id : all) value += (value.empty() ? "" : " ") + id;
    if (value != stored) db.set_metadata(meta_key, value);
  }
}

Lexicon read_lexicon(const Xapian::Database& db, bool with_keys) {
  Lexicon lexicon;
  const std::string entity(meta::kEntityPrefix), alias(meta::kAliasPrefix);
  for (auto k = db.metadata_keys_begin(entity); k != db.metadata_keys_end(entity); ++k) {
    const std::string value = db.get_metadata(*k);
    if (value.empty()) continue;
    LexiconEntry& e = lexicon[(*k).substr(entity.size())];
    e.type = schema::entity_type_from_letter(value[0]).value_or(schema::EntityType::kOther);
    e.name = value.substr(1);
  }
  if (!with_keys) return lexicon;
  for (auto k = db.metadata_keys_begin(alias); k != db.metadata_keys_end(alias); ++k) {
    const std::string key = (*k).substr(alias.size());
    for_each_id(db.get_metadata(*k), [&](std::string_view id) {
      auto it = lexicon.find(std::string(id));
      if (it != lexicon.end()) it->second.keys.push_back(key);
    });
  }
  return lexicon;
}

std::optional<LexiconEntry> lexicon_entry(const Xapian::Database& db, std::string_view id) {
  const std::string value = db.get_metadata(entity_key(id));
  if (value.empty()) return std::nullopt;
  LexiconEntry e;
  e.type = schema::entity_type_from_letter(value[0]).value_or(schema::EntityType::kOther);
  e.name = value.substr(1);
  return e;
}

std::string entity_name(const Xapian::Database& db, std::string_view id) {
  std::optional<LexiconEntry> e = lexicon_entry(db, id);
  return e && !e->name.empty() ? std::move(e->name) : std::string(id);
}

std::vector<std::string> alias_ids(const Xapian::Database& db, std::string_view key) {
  std::vector<std::string> ids;
  for_each_id(db.get_metadata(alias_key(key)), [&](std::string_view id) { ids.emplace_back(id); });
  return ids;
}

}  // namespace sitrep::store
