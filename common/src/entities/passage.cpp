// The Passage of passage.hpp.

#include "passage.hpp"

#include "gazetteer_impl.hpp"
#include "word_lists.hpp"

namespace sitrep::entities::detail {

void Passage::reset(std::string_view text, const std::vector<analysis::Token>& tokens) {
  m_text = text;
  m_tokens = &tokens;
  m_shapes.assign(tokens.size(), Shape::kUnknown);
  m_title_case = is_title_case();
}

std::string_view Passage::after(std::size_t k) const {
  const std::size_t b = tok(k).end;
  const std::size_t e = k + 1 < m_tokens->size() ? tok(k + 1).begin : m_text.size();
  return m_text.substr(b, e - b);
}

bool Passage::is_title_case() {
  std::size_t capital = 0;
  std::size_t lower = 0;
  for (std::size_t i = 0; i < m_tokens->size(); ++i) {
    if (tok(i).term.size() < 4) continue;
    const auto first = static_cast<unsigned char>(m_text[tok(i).begin]);
    if (first >= 'a' && first <= 'z') {
      ++lower;
    } else if (first >= 'A' && first <= 'Z') {
      ++capital;
    } else if (first >= 0x80) {
      const Shape s = shape(i);
      if (s == Shape::kLower) ++lower;
      if (s == Shape::kCapital || s == Shape::kAllUpper) ++capital;
    }
    if (lower > 3) return false;
  }
  return (capital >= 3 && lower == 0) || (capital >= 6 && lower * 6 <= capital);
}

std::string Passage::key_of(std::size_t begin, std::size_t end) const {
  std::string key;
  for (std::size_t k = begin; k < end; ++k) {
    if (k > begin) key += ' ';
    key += tok(k).term;
  }
  return key;
}

std::string Passage::match_key_of(std::size_t begin, std::size_t end) const {
  std::string key;
  for (std::size_t k = begin; k < end; ++k) {
    if (k > begin) key += ' ';
    key += match_form(tok(k).term);
  }
  return key;
}

std::string Passage::name_of(std::size_t begin, std::size_t end) const {
  const std::string_view raw = m_text.substr(tok(begin).begin, tok(end - 1).end - tok(begin).begin);
  std::string name;
  bool space = false;
  for (char c : raw) {
    if (is_space_byte(c)) {
      space = true;
      continue;
    }
    if (space && !name.empty()) name += ' ';
    space = false;
    name += c;
  }
  return name;
}

bool Passage::sentence_start(std::size_t i) {
  if (i == 0) return true;
  const std::string_view g = gap(i);
  if (ends_with_opening(g)) return true;
  int newlines = 0;
  for (std::size_t k = 0; k < g.size(); ++k) {
    const char c = g[k];
    if (c == '!' || c == '?' || c == ':' || c == ';') return true;
    if (c == '\n' && ++newlines > 1) return true;
    if (c == '.') {
      // Mr. Witkoff, Gen. Syrskyi, the U.S. envoy: the full stop of an abbreviation.
      const bool abbreviation =
          k == 0 && ((word_flags(tok(i - 1).term) & kAbbrev) || shape(i - 1) == Shape::kAllUpper ||
                     original(i - 1).find('.') != std::string_view::npos);
      if (!abbreviation) return true;
    }
    if (starts_with(g.substr(k), "\xE2\x80\xA6")) return true;  // …
  }
  return false;
}

std::optional<EntityType> Passage::context_before(std::size_t i) {
  if (i == 0) return std::nullopt;
  const std::string_view g = gap(i);
  const bool plain = run_gap(g, false) && !g.empty();
  const bool abbrev_dot = !g.empty() && g.front() == '.' && run_gap(g.substr(1), false) &&
                          (word_flags(tok(i - 1).term) & kAbbrev);
  if (!plain && !abbrev_dot) return std::nullopt;
  const std::uint16_t f = word_flags(tok(i - 1).term);
  if (f & kTitle) return EntityType::kPerson;
  if (!plain) return std::nullopt;
  if ((f & kPlaceCue) && shape(i - 1) == Shape::kLower) return EntityType::kPlace;
  // "the newspaper Haaretz", "monitoring group Airwars", "energy giant Gazprom".
  // Not a possessive: "the group's Yahya Sinwar".
  const std::string_view cue = original(i - 1);
  if ((f & kOrgCue) && shape(i - 1) == Shape::kLower && !cue.ends_with("'s") &&
      !cue.ends_with("\xE2\x80\x99s") && !cue.ends_with("\xE2\x80\x99") && !cue.ends_with("'")) {
    return EntityType::kOrg;
  }
  if (tok(i - 1).term == "of" && i >= 2 && run_gap(gap(i - 1), false) &&
      (word_flags(tok(i - 2).term) & kPlaceNoun)) {
    return EntityType::kPlace;
  }
  return std::nullopt;
}

bool Passage::speaker_after(std::size_t end) {
  if (end >= m_tokens->size()) return false;
  const std::string_view g = gap(end);
  const std::uint16_t f = word_flags(tok(end).term);
  if ((f & kSpeech) && run_gap(g, false)) return true;
  return tok(end).term == "who" && (g == ", " || g == ",");
}

}  // namespace sitrep::entities::detail
