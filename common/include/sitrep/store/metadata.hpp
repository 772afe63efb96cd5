#pragma once
// The database's metadata: its schema version, the languages it holds and the entity lexicon
// (schema/fields.hpp, namespace meta). The indexer writes them, the searcher reads them; nothing
// else reads or writes these keys.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "sitrep/schema/entity_type.hpp"

namespace sitrep::store {

// What the searcher needs to know about an entity the index holds (database metadata
// meta::kEntityPrefix and meta::kAliasPrefix).
struct LexiconEntry {
  schema::EntityType type = schema::EntityType::kOther;  // stored as its letter
  std::string name;                                      // display name
  std::vector<std::string> keys;  // alias keys under which the entity is found
};
using Lexicon = std::map<std::string, LexiconEntry>;  // by canonical id

// The schema version db was written with (meta::kSchemaVersion), empty when none is stored (a
// database sitrep created but never filled, or not a sitrep database).
std::string schema_version(const Xapian::Database& db);

// Throws Error{kSchema} when db holds documents but was not written with this sitrep's schema
// version (schema::kSchemaVersion): "database <named> has schema version V (or (none: not a
// sitrep database)), but this sitrep uses version N: rebuild it with sitrep-index --rebuild". An
// empty database passes whatever it says: a run writes the current version into it.
void check_schema(const Xapian::Database& db, std::string_view named);

// Stamps db with this sitrep's schema version. Does not commit.
void set_schema_version(Xapian::WritableDatabase& db);

// The languages the database holds (metadata meta::kLanguages), in sorted order: the searcher
// expands query words into their stems in each of them.
std::vector<std::string> indexed_languages(const Xapian::Database& db);

// Adds languages to db's meta::kLanguages. Does not commit.
void add_indexed_languages(Xapian::WritableDatabase& db, const std::set<std::string>& languages);

// Adds one entry to into, as merge_lexicon() does.
void merge_entry(Lexicon& into, const std::string& id, const LexiconEntry& e);

// Adds from's entries to into (an entry already there keeps its name; an untyped one takes a
// type; keys are united).
void merge_lexicon(Lexicon& into, const Lexicon& from);

// Writes the lexicon into db's metadata, uniting alias lists with what is already stored. Only
// keys whose value changes are written. Does not commit.
void write_lexicon(Xapian::WritableDatabase& db, const Lexicon& lexicon);

// Reading the lexicon: the one reader of what write_lexicon() wrote.

// The whole lexicon stored in db; with_keys: also every entry's alias keys (one more pass over
// the alias keys: the facet column, which only names entities, does without).
Lexicon read_lexicon(const Xapian::Database& db, bool with_keys = true);

// The entry of one entity (type and name; keys left empty), nullopt when db has none for id.
std::optional<LexiconEntry> lexicon_entry(const Xapian::Database& db, std::string_view id);

// The display name of an entity: its entry's name, or id itself when it has no entry or an
// empty name.
std::string entity_name(const Xapian::Database& db, std::string_view id);

// The ids of the entities found under an alias key (entities::alias_key()), as stored.
std::vector<std::string> alias_ids(const Xapian::Database& db, std::string_view key);

}  // namespace sitrep::store
