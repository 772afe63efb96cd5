#pragma once
// How the recogniser reads the original text around tokens: the shape of a word (lower case,
// capitalised, all capitals, uncased), the punctuation between two tokens that may stand inside a
// name or breaks one, quotes, and the Cyrillic word shapes the organisation rules use. Pure
// functions of their arguments.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sitrep::entities::detail {

// How a token is written in the original text.
enum class Shape : std::uint8_t {
  kUnknown,   // not computed yet
  kLower,     // starts with a lower-case letter
  kCapital,   // starts with a capital and has a lower-case letter, or is one capital letter
  kAllUpper,  // two or more letters, all capitals (NATO, U.S)
  kUncased,   // starts with a digit or a letter without case (Arabic, CJK)
};

Shape shape_of(std::string_view s);

bool is_space_byte(char c);

// Text between two tokens that may stand inside a run of capitalised words: white space with at
// most one line break (a wrapped line), or, between glued tokens, one hyphen (al-Assad).
bool run_gap(std::string_view gap, bool glued);

bool starts_with(std::string_view s, std::string_view prefix);

// A name is never split by these (a gazetteer alias does not match across them).
bool breaks_name(std::string_view gap, bool after_short_word);

// An opening quote or bracket written directly before a word.
bool ends_with_opening(std::string_view gap);

// An opening quotation mark written directly before a word: « " “ „.
bool ends_with_opening_quote(std::string_view gap);

// A closing quotation mark at the start of the text after a word: » " ” “.
bool starts_with_closing_quote(std::string_view after);

bool is_cyrillic(std::string_view term);

// The number of letters of a term of Latin or Cyrillic letters only, 0 for anything else.
std::size_t letter_count(std::string_view term);

// Russian and Ukrainian word shapes for the head-noun rule ("Министерство обороны России",
// "Державна прикордонна служба"): adjective endings, and endings of verbs and words that end
// an organisation's name ("Министерство обороны сообщило").
bool cyrillic_adjective(std::string_view term);
bool cyrillic_verb_or_adverb(std::string_view term);

}  // namespace sitrep::entities::detail
