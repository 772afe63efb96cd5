// The text-shape predicates of text_shape.hpp.

#include "text_shape.hpp"

#include <initializer_list>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace sitrep::entities::detail {

Shape shape_of(std::string_view s) {
  if (s.empty()) return Shape::kUncased;
  const auto first = static_cast<unsigned char>(s[0]);
  if (first >= 'a' && first <= 'z') return Shape::kLower;
  if (first >= '0' && first <= '9') return Shape::kUncased;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  UChar32 c;
  U8_NEXT(p, i, n, c);
  if (c < 0) return Shape::kUncased;
  if (first >= 0x80) {
    if (u_islower(c)) return Shape::kLower;
    if (!u_isupper(c) && !u_istitle(c)) return Shape::kUncased;
  }
  int letters = 1;
  while (i < n) {
    const auto b = p[i];
    if (b < 0x80) {
      ++i;
      if (b >= 'a' && b <= 'z') return Shape::kCapital;
      if (b >= 'A' && b <= 'Z') ++letters;
      continue;
    }
    U8_NEXT(p, i, n, c);
    if (c < 0) continue;
    if (u_islower(c)) return Shape::kCapital;
    if (u_isupper(c) || u_istitle(c)) ++letters;
  }
  return letters >= 2 ? Shape::kAllUpper : Shape::kCapital;
}

bool is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// Text between two tokens that may stand inside a run of capitalised words: white space with at
// most one line break (a wrapped line), or, between glued tokens, one hyphen (al-Assad).
bool run_gap(std::string_view gap, bool glued) {
  if (glued) return gap == "-" || gap == "\xE2\x80\x90" || gap == "\xE2\x80\x91";
  int newlines = 0;
  for (std::size_t i = 0; i < gap.size(); ++i) {
    const char c = gap[i];
    if (c == '\n') {
      if (++newlines > 1) return false;
    } else if (is_space_byte(c)) {
      continue;
    } else if (c == '\xC2' && i + 1 < gap.size() && gap[i + 1] == '\xA0') {
      ++i;  // no-break space
    } else {
      return false;
    }
  }
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A name is never split by these (a gazetteer alias does not match across them).
bool breaks_name(std::string_view gap, bool after_short_word) {
  int newlines = 0;
  for (std::size_t i = 0; i < gap.size(); ++i) {
    const auto c = static_cast<unsigned char>(gap[i]);
    switch (c) {
      case ',':
      case ';':
      case ':':
      case '!':
      case '?':
      case '(':
      case ')':
      case '[':
      case ']':
      case '"':
      case '/':
      case '|':
      case '&':
      case '+':
      case '=':
      case '*':
        return true;
      case '.':
        if (!after_short_word) return true;
        break;
      case '\n':
        if (++newlines > 1) return true;
        break;
      case 0xC2:  // « »
        if (i + 1 < gap.size() && (gap[i + 1] == '\xAB' || gap[i + 1] == '\xBB')) return true;
        break;
      case 0xE2: {  // “ ” „ …
        const std::string_view rest = gap.substr(i);
        if (starts_with(rest, "\xE2\x80\x9C") || starts_with(rest, "\xE2\x80\x9D") ||
            starts_with(rest, "\xE2\x80\x9E") || starts_with(rest, "\xE2\x80\xA6")) {
          return true;
        }
        break;
      }
      default:
        break;
    }
  }
  return false;
}

// An opening quote or bracket written directly before a word.
bool ends_with_opening(std::string_view gap) {
  if (gap.empty()) return false;
  const char last = gap.back();
  if (last == '"' || last == '(' || last == '[' || last == '\'') return true;
  return gap.ends_with("\xE2\x80\x9C") || gap.ends_with("\xC2\xAB") ||
         gap.ends_with("\xE2\x80\x98") || gap.ends_with("\xE2\x80\x9E");
}

// An opening quotation mark written directly before a word: « " “ „.
bool ends_with_opening_quote(std::string_view gap) {
  if (gap.empty()) return false;
  return gap.back() == '"' || gap.ends_with("\xC2\xAB") || gap.ends_with("\xE2\x80\x9C") ||
         gap.ends_with("\xE2\x80\x9E");
}

// A closing quotation mark at the start of the text after a word: » " ” “.
bool starts_with_closing_quote(std::string_view after) {
  return starts_with(after, "\"") || starts_with(after, "\xC2\xBB") ||
         starts_with(after, "\xE2\x80\x9D") || starts_with(after, "\xE2\x80\x9C");
}

bool is_cyrillic(std::string_view term) {
  return !term.empty() && static_cast<unsigned char>(term[0]) >= 0xD0 &&
         static_cast<unsigned char>(term[0]) <= 0xD3;
}

// The number of letters of a term of Latin or Cyrillic letters only, 0 for anything else.
std::size_t letter_count(std::string_view term) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < term.size(); ++i) {
    const auto c = static_cast<unsigned char>(term[i]);
    if (c >= 'a' && c <= 'z') {
      ++n;
    } else if (c >= 0xD0 && c <= 0xD3 && i + 1 < term.size()) {
      ++n;
      ++i;
    } else {
      return 0;
    }
  }
  return n;
}

namespace {

bool ends_with_any(std::string_view term, std::initializer_list<std::string_view> endings) {
  for (std::string_view e : endings) {
    if (term.size() > e.size() + 2 && term.ends_with(e)) return true;
  }
  return false;
}

}  // namespace

bool cyrillic_adjective(std::string_view term) {
  return ends_with_any(term, {"ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ій", "на",
                              "ка", "ва", "не", "ке", "ве", "ні", "кі", "ві", "ча", "че", "чі"});
}

bool cyrillic_verb_or_adverb(std::string_view term) {
  static constexpr std::string_view kAdverbs[] = {
      "ранее", "позже",   "уже",      "вчера",       "сегодня", "накануне", "раніше",
      "вже",   "вчора",   "сьогодні", "напередодні", "тоже",    "теж",      "ещё",
      "еще",   "ще",      "также",    "теперь",      "тепер",   "снова",    "знову",
      "нет",   "немає",   "ночью",    "вночі",       "утром",   "вранці",   "днем",
      "вдень", "вечером", "увечері",  "впервые",     "вперше",
  };
  for (std::string_view a : kAdverbs) {
    if (term == a) return true;
  }
  return ends_with_any(term, {"л",  "ла", "ло", "ли",  "ет",  "ёт",  "ит",  "ут", "ют",
                              "ат", "ят", "ть", "ся",  "сь",  "ав",  "ив",  "яв", "ає",
                              "яє", "ує", "ює", "ить", "ать", "ано", "ено", "ого"}) &&
         !ends_with_any(term, {"ого", "его"});
}

}  // namespace sitrep::entities::detail
