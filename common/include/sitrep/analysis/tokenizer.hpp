#pragma once
// Text to search terms: the one analysis pipeline both the indexer and the searcher use, so that
// what is indexed is exactly what is searched.
//
// Pipeline, applied to the original UTF-8 text:
//  1. Character mapping (length-changing, with an offset map back to the original bytes):
//     every dash and hyphen variant (general category Pd: U+2010..U+2015, U+FE58, U+FE63,
//     U+FF0D, ...; and U+2212 minus) -> '-';
//     Default_Ignorable_Code_Point characters -> removed: soft hyphen U+00AD, zero-width space and
//     (non-)joiners U+200B..U+200D, word joiner U+2060, BOM U+FEFF, bidi marks, variation
//     selectors (invisible, so "Ukr<SHY>aine" is one word "ukraine");
//     curly and modifier apostrophes (U+2018, U+2019, U+201B, U+02BC, U+02BB, U+2032, U+FF07,
//     U+00B4, ...) -> '\'';
//     curly double quotes and guillemets -> '"'; every Unicode space (U+00A0, U+2000..U+200A,
//     U+202F, U+205F, U+3000, U+2028, U+2029) -> ' '. Invalid UTF-8 -> U+FFFD.
//  2. Word segmentation with ICU's word BreakIterator (UAX #29); only segments whose rule status is
//     a word, number, letter, kana or ideograph are kept.
//  3. Each segment is normalised with ICU NFKC_Casefold, then shaped into terms:
//     - a possessive ending "'s" (after mapping, so Moscow’s == Moscow's) is removed;
//     - remaining apostrophes inside a word are removed (O'Brien -> obrien, Мар’їнка -> марїнка);
//     - acronyms: single letters separated by dots are joined (U.S. -> us, U.N. -> un);
//     - digit group separators are removed (1,300 -> 1300, 1,300,000 -> 1300000): a comma
//       (or U+066C) between digits followed by exactly three digits; otherwise it splits (3,5);
//     - any other character that is not a letter, mark or digit splits the segment into separate
//       terms at consecutive positions (3.5 -> 3 5);
//     - after NFKC_Casefold, Arabic harakat (U+064B..U+065F), the dagger alif U+0670, Quranic
//       annotation marks and the tatweel U+0640 are dropped, so vowelled, unvowelled and
//       stretched spellings are one term (المُفَاوَضَاتُ == المفاوضات); decimal digits of every
//       script become ASCII digits (٢٠٢٤ -> 2024); U+0307 after i or j is dropped, so the
//       case-folded Turkish İ matches i (İstanbul -> istanbul).
//     - letters written interchangeably are folded: Russian ё -> е; Arabic أ إ آ ٱ -> ا,
//       ة -> ه, ى -> ي (Пётр == Петр, القاهرة == القاهره, الأمم == الامم).
//     So a term consists only of letters, combining marks and digits, lower case.
//  4. Terms longer than kMaxTermBytes bytes are dropped (Xapian's term limit is 245 bytes).
//
// Hyphenated compounds (Ukraine-Russia-U.S., 28-point) come out as consecutive terms with glued
// set, so a phrase search for the compound matches, and so does a search for any of its parts.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sitrep::analysis {

inline constexpr std::size_t kMaxTermBytes = 120;

struct Token {
  std::string term;     // normalised term: lower-case letters, marks and digits only; never empty
  std::uint32_t begin;  // byte offset of the token's first byte in the original text
  std::uint32_t end;    // byte offset one past the token's last byte in the original text
  bool glued;           // true when no whitespace separates this token from the previous one
                        // (joined by a hyphen, slash, dot...); false for the first token
};

// Not thread-safe (holds an ICU BreakIterator): use one per thread. Cheap to reuse across texts.
class Tokenizer {
 public:
  // Throws Error{kConfig} when ICU cannot create a word break iterator.
  Tokenizer();
  ~Tokenizer();
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // Appends the tokens of utf8 to out, in text order; offsets are relative to utf8. Invalid UTF-8
  // is treated as U+FFFD (a separator), never an error. Throws Error{kBadInput} for texts over
  // 2 GiB (ICU indexes UTF-16 with int32_t).
  void tokenize(std::string_view utf8, std::vector<Token>& out);

  // Convenience: just the terms of utf8.
  std::vector<std::string> terms(std::string_view utf8);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Normalises a whole string with steps 1 and 3 of the pipeline above but no segmentation: the
// character mapping, NFKC_Casefold, the same Arabic-mark, digit and dotted-i handling as terms,
// and collapsing runs of whitespace to one space, trimmed. Punctuation is kept. Thread-safe.
std::string normalize(std::string_view utf8);

// Step 1 of the pipeline alone (the character mapping), in UTF-8: what the word segmentation
// sees, so that whoever parses syntax out of text (the query lexer: quotes, '-') reads the same
// characters as the Tokenizer ("\u201Fa b\u201F" -> "\"a b\"", "\u2212x" -> "-x"). Invalid
// UTF-8 becomes U+FFFD. When offsets is given it receives, for every byte of the result, the
// offset in utf8 of the character it came from, and utf8.size() last. Thread-safe.
std::string map_characters(std::string_view utf8, std::vector<std::uint32_t>* offsets = nullptr);

// A keyword for exact-match boolean fields (source, language, id): normalize(), then only letters,
// marks and digits kept ("Kyiv Independent" -> "kyivindependent", "Al-Jazeera" -> "aljazeera").
// Thread-safe.
std::string keyword(std::string_view utf8);

}  // namespace sitrep::analysis
