#pragma once
// The database's metadata: the languages it holds and the entity lexicon (schema/fields.hpp,
// namespace meta). The indexer writes them, the searcher reads them.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "sitrep/schema/entity_type.hpp"

namespace sitrep::store {

// What the searcher needs to know about an entity the index holds (database metadata
// meta::kEntityPrefix and meta::kAliasPrefix).
struct LexiconEntry {
  schema::EntityType type = schema::EntityType::kOther;  // stored as its letter
  std::string name;               // display name
  std::vector<std::string> keys;  // alias keys under which the entity is found
};
using Lexicon = std::map<std::string, LexiconEntry>;  // by canonical id

// The languages the database holds (metadata meta::kLanguages), in sorted order: the searcher
// expands query words into their stems in each of them.
std::vector<std::string> indexed_languages(const Xapian::Database& db);

// Adds languages to db's meta::kLanguages. Does not commit.
void add_indexed_languages(Xapian::WritableDatabase& db, const std::set<std::string>& languages);

// Adds from's entries to into (an entry already there keeps its name; an untyped one takes a
// type; keys are united).
// Adds one entry to into, as merge_lexicon() does.
void merge_entry(Lexicon& into, const std::string& id, const LexiconEntry& e);

void merge_lexicon(Lexicon& into, const Lexicon& from);

// Writes the lexicon into db's metadata, uniting alias lists with what is already stored. Only
// keys whose value changes are written. Does not commit.
void write_lexicon(Xapian::WritableDatabase& db, const Lexicon& lexicon);

}  // namespace sitrep::store
