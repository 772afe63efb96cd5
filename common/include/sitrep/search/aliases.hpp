#pragma once
// Name variants in plain queries: a query word that is a known alias of an entity (a single-word
// key of the database's alias lexicon, store::alias_ids) also matches the articles in which that
// entity was recognised under any of its spellings. QueryBuilder puts the entity terms into the
// word's OP_SYNONYM (beside its stems), so "Zelenskiy" finds the articles about Volodymyr
// Zelensky that spell him Zelensky or Зеленський, ranked as one term, and under AND one variant
// spelling no longer empties a query. The entity terms are boolean (wdf 0): an article that
// matches through its entity alone is found, and ranked by the query's other words.
//
// Precision: a common word that happens to be an alias ("turkey", "chad") must not pull in an
// entity. So only a word typed as a name is looked up (reads_as_name: Zelenskiy, Kiev, Путин;
// or a script without case, Arabic), never one in lower case or all capitals, and only when it
// names at most kMaxAliasEntities entities that the database holds.

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "sitrep/analysis/tokenizer.hpp"

namespace sitrep::search {

inline constexpr std::size_t kMaxAliasEntities = 3;

// Whether a word as typed reads as a name: an upper-case letter followed by a lower-case one
// ("Kiev", "Путин", "McCain"), or a first letter of a script without case (Arabic, Hebrew, CJK).
// Not a lower-case word, nor one in capitals ("KIEV", "NATO": pasted upper-case text is common).
bool reads_as_name(std::string_view word);

// The entity terms (schema::terms::entity) of the entities that term, a single query word's
// Tokenizer term, is an alias of (its alias key; unlike entity filters, not its Latin form), that
// db holds documents for. Empty when it names none, or more than kMaxAliasEntities.
// When there are some, adds to words (for highlighting, not matching) the Tokenizer terms of every
// spelling of those entities that is known cheaply: the display name in db's lexicon and, for an
// entity of the built-in dictionaries, its name and aliases there; so that an article found
// through its entity alone still shows the name highlighted in its snippet.
std::vector<std::string> alias_entity_terms(const Xapian::Database& db, const std::string& term,
                                            analysis::Tokenizer& tokenizer,
                                            std::set<std::string>& words);

}  // namespace sitrep::search
