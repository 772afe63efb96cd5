#pragma once
// "Did you mean": spelling suggestions for a query that finds (almost) nothing.
//
// Offered, never applied: the searcher runs the query as typed, and only when it finds fewer
// than kSuggestBelow articles does it ask corrected_query() for a correction, and offers it
// (SearchResult::suggestion) when the corrected query finds more articles: at least one when the
// query found none, else at least kSuggestFactor times as many.
//
// What is corrected, word by word, in the text as typed (operators, parentheses, quotes and the
// other filters are kept as they are):
//  - a plain word (also inside a phrase or after title:) found in at most kRareWordDocs articles
//    is replaced by the word of the database's spelling table (index/spelling.hpp) that Xapian
//    finds closest (Database::get_spelling_suggestion: edit distance at most 2, at most 1 for
//    words of up to 5 characters; ties go to the more frequent), when that word is in at least
//    kSuggestFactor times as many articles (and in at least one more); written in the case the
//    word was typed in (Uskakov -> Ushakov). Words of fewer than store::kMinSpellingChars
//    characters, words with digits and wildcards are left alone. A database written before the
//    spelling table existed has an empty one: its words get no suggestion (until the next
//    sitrep-index run fills it).
//  - the value of person:, place:, org: or entity: that names no entity the database knows is
//    replaced by the closest alias key of the entity lexicon among the field's types (edit
//    distance over characters, at most a third of the value's length and at most 2; ties go to
//    the entity in more articles), written as the entity's display name when that is the alias,
//    quoted when it has a space.

#include <string>

#include <xapian.h>

#include "sitrep/analysis/tokenizer.hpp"

namespace sitrep::search {

inline constexpr std::size_t kSuggestBelow = 5;
inline constexpr Xapian::doccount kRareWordDocs = 2;
inline constexpr Xapian::doccount kSuggestFactor = 10;

// The query text with its words and entity names corrected as above, or an empty string when
// nothing in it has a correction.
std::string corrected_query(const Xapian::Database& db, analysis::Tokenizer& tokenizer,
                            const std::string& query);

// Whether a query that found `found` articles offers a correction that finds `corrected`.
inline bool worth_suggesting(std::size_t found, std::size_t corrected) {
  return found < kSuggestBelow && corrected > found &&
         (found == 0 || corrected >= kSuggestFactor * found);
}

}  // namespace sitrep::search
