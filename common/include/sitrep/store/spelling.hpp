#pragma once
// The spelling table (Xapian's, WritableDatabase::add_spelling) that "did you mean" suggestions
// are drawn from (search/suggest.hpp).
//
// It is derived from the database's plain word terms, not fed while indexing: at the end of a run
// sync_spelling() makes the table hold every plain word (unprefixed term) of at least
// kMinSpellingChars characters, with a letter and no digit, found in at least kMinSpellingDocs
// documents, at its document frequency (which ranks suggestions of equal edit distance). Words
// that fell below (removed documents) leave it. One pass over the vocabulary, not over every
// word of every article.

#include <cstddef>

#include <xapian.h>

namespace sitrep::store {

inline constexpr std::size_t kMinSpellingChars = 4;
// A word of a single article is too often a typo itself to be offered as a correction.
inline constexpr Xapian::doccount kMinSpellingDocs = 2;

struct SpellingCounts {
  std::size_t words = 0;    // words in the table afterwards
  std::size_t changed = 0;  // words added, removed or whose frequency changed
};

// Brings db's spelling table in line with its plain word terms (above). Does not commit.
SpellingCounts sync_spelling(Xapian::WritableDatabase& db);

}  // namespace sitrep::store
