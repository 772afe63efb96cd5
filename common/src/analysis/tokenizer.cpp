// Text to search terms; see tokenizer.hpp for the pipeline this implements.
//
// Implementation outline. tokenize() decodes the original UTF-8 once into a UTF-16 buffer with the
// step-1 character mapping already applied, and records for every UTF-16 unit the byte offset of
// the original character it came from. The word BreakIterator runs over that buffer. Each kept
// segment is shaped (acronyms, possessives, apostrophes, digit groups) on the mapped but not yet
// normalised UTF-16, which splits it into pieces whose original byte ranges are known; each piece
// is then normalised on its own. Doing the shaping before normalisation is what keeps exact
// offsets without having to track how NFKC changes lengths.

#include "sitrep/analysis/tokenizer.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <utility>

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "sitrep/util/error.hpp"

namespace sitrep::analysis {
namespace {

constexpr UChar32 kRemoved = -1;  // char_map result: the character is dropped

// Step 1 of the pipeline for one non-ASCII code point: the replacement, or kRemoved.
UChar32 map_char(UChar32 c) noexcept {
  switch (c) {
    // Apostrophes: curly, reversed, modifier letters (Ukrainian writes ʼ U+02BC), prime,
    // fullwidth, and the acute accent that some keyboards produce instead.
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0x02BC:
    case 0x02BB:
    case 0x02BD:
    case 0x2032:
    case 0xFF07:
    case 0x00B4:
      return '\'';
    // Double quotes and guillemets.
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x00AB:
    case 0x00BB:
    case 0x2039:
    case 0x203A:
    case 0x2033:
    case 0xFF02:
      return '"';
    case 0x2212:  // minus sign (Sm, not Pd)
    case 0x2043:  // hyphen bullet
      return '-';
    default:
      break;
  }
  if (c < 0xA0) {
    return c == 0x85 ? ' ' : c;  // NEL is a line break; other C1 controls stay and separate words
  }
  // Soft hyphen, zero-width space/joiners, word joiner, BOM, bidi marks, variation selectors...:
  // invisible, and NFKC_Casefold would delete them anyway, but only after segmentation, where
  // they would still split a word. Removing them first makes "Ukr\u00ADaine" one word.
  if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return kRemoved;
  const std::int8_t type = u_charType(c);
  if (type == U_DASH_PUNCTUATION) return '-';  // U+2010..U+2015, U+FE58, U+FE63, U+FF0D, ...
  if (type == U_SPACE_SEPARATOR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR) {
    return ' ';  // NBSP, U+2000..U+200A, U+202F, U+205F, U+3000, U+2028, U+2029
  }
  return c;
}

inline bool is_ascii_word(UChar32 c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A term character: a letter, a combining mark or a digit (any Unicode number).
inline bool is_word(UChar32 c) noexcept {
  if (c < 0x80) return is_ascii_word(c);
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

inline bool is_letter(UChar32 c) noexcept {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return (U_GET_GC_MASK(c) & U_GC_L_MASK) != 0;
}

inline bool is_mark(UChar32 c) noexcept {
  return c >= 0x300 && (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

inline bool is_digit(UChar32 c) noexcept {
  if (c < 0x80) return c >= '0' && c <= '9';
  return u_charType(c) == U_DECIMAL_DIGIT_NUMBER;
}

// The full stops UAX #29 treats as MidNumLet: what joins the letters of an acronym.
inline bool is_dot(UChar32 c) noexcept {
  return c == '.' || c == 0x2024 || c == 0xFE52 || c == 0xFF0E;
}

// Digit group separators: comma (ASCII, small, fullwidth) and the Arabic thousands separator.
inline bool is_group_separator(UChar32 c) noexcept {
  return c == ',' || c == 0x066C || c == 0xFE50 || c == 0xFF0C;
}

inline bool is_space(UChar c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Arabic harakat (short vowels, shadda, sukun, tanwin), the dagger alif, Quranic annotation marks
// and the tatweel (kashida, U+0640, a pure stretching character): dropped from terms so that
// vowelled and unvowelled spellings, and stretched ones, are the same term.
inline bool is_arabic_decoration(UChar32 c) noexcept {
  if (c < 0x0610 || c > 0x06ED) return false;
  return (c <= 0x061A) || (c >= 0x064B && c <= 0x065F) || c == 0x0640 || c == 0x0670 ||
         (c >= 0x06D6 && c <= 0x06DC) || (c >= 0x06DF && c <= 0x06E4) || c == 0x06E7 ||
         c == 0x06E8 || (c >= 0x06EA);
}

// Letter folding, after NFKC_Casefold, for terms and normalize(): spelling variants that writers
// and typists use interchangeably become one letter. Russian ё -> е (most text omits the dots);
// Arabic hamza forms on alef (أ إ آ ٱ) -> bare alef ا, taa marbuta ة -> haa ه, alef maqsura
// ى -> yaa ي (the usual Arabic search normalisation, as in Lucene's ArabicNormalizer).
inline UChar32 fold_letter(UChar32 c) noexcept {
  switch (c) {
    case 0x0451:  // ё
      return 0x0435;
    case 0x0622:  // آ
    case 0x0623:  // أ
    case 0x0625:  // إ
    case 0x0671:  // ٱ
      return 0x0627;
    case 0x0629:  // ة
      return 0x0647;
    case 0x0649:  // ى
      return 0x064A;
    default:
      return c;
  }
}

inline std::size_t utf8_lead_length(unsigned char b) noexcept {
  return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

const icu::Normalizer2& nfkc_casefold() {
  // getNFKCCasefoldInstance returns a process-lifetime singleton; thread-safe to share.
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || n == nullptr) {
      throw Error(ErrorKind::kConfig,
                  std::string("ICU NFKC_Casefold normaliser unavailable: ") + u_errorName(status));
    }
    return n;
  }();
  return *instance;
}

// Appends the UTF-8 of the normalised text [p, p+n) to out with the term policy applied (Arabic
// decorations dropped, decimal digits of any script as ASCII digits), calling split(out) whenever
// a character that may not be in a term is met, and before returning.
template <typename Split>
void emit_normalised(const UChar* p, int32_t n, std::string& out, Split&& split) {
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U16_NEXT(p, i, n, c);
    if (c < 0x80) {
      if (is_ascii_word(c)) {
        out.push_back(static_cast<char>(c));
      } else {
        split(out);
      }
      continue;
    }
    if (is_arabic_decoration(c)) continue;
    c = fold_letter(c);
    if (c == 0x0307 && !out.empty() && (out.back() == 'i' || out.back() == 'j')) {
      continue;  // case-folded Turkish İ is i + U+0307; i is already dotted: İstanbul == istanbul
    }
    const std::uint32_t mask = U_GET_GC_MASK(c);
    if ((mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) == 0) {
      split(out);
      continue;
    }
    if (mask & U_GC_ND_MASK) {
      const int32_t v = u_charDigitValue(c);
      if (v >= 0 && v <= 9) {
        out.push_back(static_cast<char>('0' + v));
        continue;
      }
    }
    char buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c);
    out.append(buf, static_cast<std::size_t>(len));
  }
  split(out);
}

// Step 1, the character mapping: calls fn(c, at) for each code point of utf8 after map_char
// (invalid UTF-8 as U+FFFD, removed characters skipped), at its byte offset in utf8. Both
// map_text() (the tokenizer) and map_characters() (the query lexer) read text through it.
template <class Fn>
void for_each_mapped(std::string_view utf8, Fn&& fn) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto n = static_cast<int32_t>(std::min<std::size_t>(utf8.size(), INT32_MAX));
  for (int32_t i = 0; i < n;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      c = 0xFFFD;
    } else if (c >= 0x80) {
      c = map_char(c);
      if (c == kRemoved) continue;
    }
    fn(c, at);
  }
}

// Step 1 for normalize(): the mapped text.
icu::UnicodeString map_text(std::string_view utf8) {
  icu::UnicodeString mapped;
  mapped.getBuffer(static_cast<int32_t>(std::min<std::size_t>(utf8.size(), INT32_MAX / 2)));
  mapped.releaseBuffer(0);
  for_each_mapped(utf8, [&](UChar32 c, int32_t) { mapped.append(c); });
  return mapped;
}

}  // namespace

struct Tokenizer::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  const icu::Normalizer2* normaliser = nullptr;

  // Per-call state, kept to reuse the allocations.
  std::vector<UChar> text;             // mapped UTF-16
  std::vector<std::uint32_t> offsets;  // offsets[i]: original byte offset of text[i]'s character
  std::string_view original;
  std::vector<Token>* out = nullptr;
  int32_t prev_end = -1;  // end (in text) of the last emitted token, -1 before the first

  std::vector<UChar> piece;       // the characters of the current piece, before normalisation
  icu::UnicodeString normalised;  // reused output buffer of the normaliser
  std::string term;               // the term being built

  void map_input(std::string_view utf8);
  void segment(int32_t start, int32_t end);
  void emit_piece(int32_t start, int32_t end);
  bool glued_before(int32_t start) const noexcept;
  std::uint32_t end_offset(int32_t last_unit) const noexcept {
    const std::uint32_t begin = offsets[static_cast<std::size_t>(last_unit)];
    return begin + static_cast<std::uint32_t>(
                       utf8_lead_length(static_cast<unsigned char>(original[begin])));
  }
  UChar32 char_at(int32_t i, int32_t end) const noexcept {
    UChar32 c;
    U16_NEXT(text.data(), i, end, c);
    return c;
  }
};

void Tokenizer::Impl::map_input(std::string_view utf8) {
  text.clear();
  offsets.clear();
  text.reserve(utf8.size());
  offsets.reserve(utf8.size());
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto n = static_cast<int32_t>(utf8.size());
  int32_t i = 0;
  while (i < n) {
    // ASCII fast path: copied unchanged, one unit per byte.
    while (i < n && s[i] < 0x80) {
      text.push_back(s[i]);
      offsets.push_back(static_cast<std::uint32_t>(i));
      ++i;
    }
    if (i >= n) break;
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      c = 0xFFFD;  // an invalid sequence (maximal subpart) becomes one replacement character
    } else {
      c = map_char(c);
      if (c == kRemoved) continue;
    }
    if (c <= 0xFFFF) {
      text.push_back(static_cast<UChar>(c));
      offsets.push_back(static_cast<std::uint32_t>(at));
    } else {
      text.push_back(U16_LEAD(c));
      text.push_back(U16_TRAIL(c));
      offsets.push_back(static_cast<std::uint32_t>(at));
      offsets.push_back(static_cast<std::uint32_t>(at));
    }
  }
}

bool Tokenizer::Impl::glued_before(int32_t start) const noexcept {
  if (prev_end < 0) return false;
  for (int32_t i = prev_end; i < start; ++i) {
    if (is_space(text[static_cast<std::size_t>(i)])) return false;
  }
  return true;
}

// Shapes one word segment [start, end) of text into pieces (step 3 of the pipeline).
void Tokenizer::Impl::segment(int32_t start, int32_t end) {
  const UChar* t = text.data();

  // Acronym: single letters (each with its combining marks) joined by dots. UAX #29 keeps "U.S"
  // together and leaves the final dot out of the segment.
  {
    piece.clear();
    int32_t i = start;
    int letters = 0;
    bool acronym = true;
    while (i < end) {
      UChar32 c;
      U16_NEXT(t, i, end, c);
      if (!is_letter(c)) {
        acronym = false;
        break;
      }
      for (int32_t k = i - U16_LENGTH(c); k < i; ++k) piece.push_back(t[k]);
      ++letters;
      while (i < end) {
        const int32_t before = i;
        UChar32 m;
        U16_NEXT(t, i, end, m);
        if (!is_mark(m)) {
          i = before;
          break;
        }
        for (int32_t k = before; k < i; ++k) piece.push_back(t[k]);
      }
      if (i == end) break;
      UChar32 d;
      U16_NEXT(t, i, end, d);
      if (!is_dot(d) || i == end) {
        acronym = false;
        break;
      }
    }
    if (acronym && letters >= 2) {
      emit_piece(start, end);
      return;
    }
  }

  // Possessive: a final 's (the apostrophe already mapped) after a letter or digit.
  if (end - start >= 3 && t[end - 2] == '\'' && (t[end - 1] == 's' || t[end - 1] == 'S')) {
    UChar32 before;
    int32_t k = end - 2;
    U16_PREV(t, start, k, before);
    if (is_word(before)) end -= 2;
  }

  int32_t i = start;
  while (i < end) {
    // Skip the characters that split; a piece starts at a term character.
    int32_t piece_start = i;
    UChar32 c;
    U16_NEXT(t, i, end, c);
    if (!is_word(c)) continue;
    piece.clear();
    for (int32_t k = piece_start; k < i; ++k) piece.push_back(t[k]);
    int32_t piece_end = i;
    UChar32 prev = c;
    while (i < end) {
      const int32_t at = i;
      U16_NEXT(t, i, end, c);
      if (is_word(c)) {
        for (int32_t k = at; k < i; ++k) piece.push_back(t[k]);
        piece_end = i;
        prev = c;
        continue;
      }
      if (i < end && c == '\'' && is_word(prev) && is_word(char_at(i, end))) {
        continue;  // an apostrophe inside a word is dropped: O'Brien -> obrien
      }
      if (is_group_separator(c) && is_digit(prev)) {
        // Exactly three digits must follow, then no further digit: 1,300 but not 3,5 or 1,2345.
        int32_t j = i;
        int digits = 0;
        while (j < end && digits < 4) {
          UChar32 d;
          U16_NEXT(t, j, end, d);
          if (!is_digit(d)) break;
          ++digits;
        }
        if (digits == 3) continue;
      }
      i = at;
      break;
    }
    emit_piece(piece_start, piece_end);
    // The splitting character (if any) is consumed at the top of the loop.
  }
}

// Normalises the collected piece and appends its term(s), spanning text [start, end), to *out.
void Tokenizer::Impl::emit_piece(int32_t start, int32_t end) {
  const std::uint32_t begin = offsets[static_cast<std::size_t>(start)];
  const std::uint32_t end_byte = end_offset(end - 1);
  bool glued = glued_before(start);
  auto push = [&](std::string& t) {
    if (t.empty()) return;
    if (t.size() <= kMaxTermBytes) {
      out->push_back(Token{t, begin, end_byte, glued});
      glued = true;  // later terms from the same piece follow without a space
      prev_end = end;
    }
    t.clear();
  };

  term.clear();
  bool ascii = true;
  for (UChar u : piece) {
    if (u >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    // NFKC_Casefold of ASCII letters and digits is just lower-casing.
    for (UChar u : piece) term.push_back(static_cast<char>(u >= 'A' && u <= 'Z' ? u + 32 : u));
    push(term);
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString source(false, piece.data(), static_cast<int32_t>(piece.size()));
  normaliser->normalize(source, normalised, status);
  if (U_FAILURE(status)) throw Error(ErrorKind::kInternal, "ICU normalisation failed");
  emit_normalised(normalised.getBuffer(), normalised.length(), term, push);
}

namespace {

// The root locale's word break iterator, built once per process on first use: building one reads
// the rules from ICU's data (a resource bundle look-up and a rule-table parse), which is a
// measurable part of a one-query process's start when every Tokenizer does it (the searcher has
// two: one for the query, one for snippets). Tokenizers get clones, which share the rule tables.
// Never given a text, so concurrent clone() calls only read it. Locale("") is the root locale,
// as Locale::getRoot() is, without first building ICU's table of the common locales.
const icu::BreakIterator& word_break_prototype() {
  static const std::unique_ptr<const icu::BreakIterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<const icu::BreakIterator> words(
        icu::BreakIterator::createWordInstance(icu::Locale(""), status));
    if (U_FAILURE(status) || !words) {
      throw Error(ErrorKind::kConfig,
                  std::string("ICU word break iterator unavailable: ") + u_errorName(status));
    }
    return words;
  }();
  return *prototype;
}

}  // namespace

Tokenizer::Tokenizer() : m_impl(std::make_unique<Impl>()) {
  m_impl->words.reset(word_break_prototype().clone());
  if (!m_impl->words) throw Error(ErrorKind::kConfig, "ICU word break iterator: out of memory");
  m_impl->normaliser = &nfkc_casefold();
}

Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

void Tokenizer::tokenize(std::string_view utf8, std::vector<Token>& out) {
  // Offsets are 32-bit and ICU indexes UTF-16 with int32_t, which bounds the text length.
  if (utf8.size() > static_cast<std::size_t>(INT32_MAX)) {
    throw Error(ErrorKind::kBadInput, "text too long to tokenize (over 2 GiB)");
  }
  Impl& im = *m_impl;
  im.map_input(utf8);
  im.original = utf8;
  im.out = &out;
  im.prev_end = -1;
  if (im.text.empty()) return;

  UErrorCode status = U_ZERO_ERROR;
  UText ut = UTEXT_INITIALIZER;
  utext_openUChars(&ut, im.text.data(), static_cast<int64_t>(im.text.size()), &status);
  im.words->setText(&ut, status);  // the iterator keeps a shallow clone; ours can be closed
  utext_close(&ut);
  if (U_FAILURE(status)) {
    throw Error(ErrorKind::kInternal, std::string("ICU setText failed: ") + u_errorName(status));
  }
  icu::BreakIterator& words = *im.words;
  int32_t start = words.first();
  for (int32_t end = words.next(); end != icu::BreakIterator::DONE;
       start = end, end = words.next()) {
    if (words.getRuleStatus() >= UBRK_WORD_NUMBER) im.segment(start, end);
  }
  // Do not keep a pointer to the caller's vector or text.
  im.out = nullptr;
  im.original = {};
}

std::vector<std::string> Tokenizer::terms(std::string_view utf8) {
  std::vector<Token> tokens;
  tokenize(utf8, tokens);
  std::vector<std::string> result;
  result.reserve(tokens.size());
  for (Token& t : tokens) result.push_back(std::move(t.term));
  return result;
}

std::string normalize(std::string_view utf8) {
  const icu::UnicodeString mapped = map_text(utf8);
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString folded = nfkc_casefold().normalize(mapped, status);
  if (U_FAILURE(status)) throw Error(ErrorKind::kInternal, "ICU normalisation failed");

  // Same character policy as terms (Arabic decorations dropped, decimal digits as ASCII), but
  // every other character kept, and whitespace runs collapsed.
  std::string result;
  result.reserve(utf8.size());
  bool pending_space = false;
  const UChar* p = folded.getBuffer();
  const int32_t n = folded.length();
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U16_NEXT(p, i, n, c);
    if (c < 0x80 ? is_space(static_cast<UChar>(c)) : u_isUWhiteSpace(c)) {
      pending_space = !result.empty();
      continue;
    }
    if (is_arabic_decoration(c)) continue;
    if (c >= 0x80) c = fold_letter(c);
    if (c == 0x0307 && !result.empty() && (result.back() == 'i' || result.back() == 'j')) continue;
    if (pending_space) {
      result.push_back(' ');
      pending_space = false;
    }
    if (c >= 0x80 && u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
      const int32_t v = u_charDigitValue(c);
      if (v >= 0 && v <= 9) c = '0' + v;
    }
    char buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c);
    result.append(buf, static_cast<std::size_t>(len));
  }
  return result;
}

std::string keyword(std::string_view utf8) {
  const icu::UnicodeString mapped = map_text(utf8);
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString folded = nfkc_casefold().normalize(mapped, status);
  if (U_FAILURE(status)) throw Error(ErrorKind::kInternal, "ICU normalisation failed");
  std::string result;
  emit_normalised(folded.getBuffer(), folded.length(), result, [](std::string&) {});
  return result;
}

std::string map_characters(std::string_view utf8, std::vector<std::uint32_t>* offsets) {
  std::string out;
  out.reserve(utf8.size());
  if (offsets) offsets->clear();
  for_each_mapped(utf8, [&](UChar32 c, int32_t at) {
    char buf[U8_MAX_LENGTH];
    int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c);
    out.append(buf, static_cast<std::size_t>(len));
    if (offsets) {
      offsets->insert(offsets->end(), static_cast<std::size_t>(len),
                      static_cast<std::uint32_t>(at));
    }
  });
  if (offsets) {
    offsets->push_back(static_cast<std::uint32_t>(std::min<std::size_t>(utf8.size(), INT32_MAX)));
  }
  return out;
}

}  // namespace sitrep::analysis
