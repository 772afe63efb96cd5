#include "sitrep/search/snippet.hpp"

#include <algorithm>

#include "sitrep/schema/fields.hpp"

namespace sitrep::search {

std::string Snippet::plain() const {
  std::string out;
  for (const Run& r : runs) out += r.text;
  return out;
}

SnippetMaker::SnippetMaker(std::set<std::string> terms, std::set<std::string> stems)
    : m_terms(std::move(terms)), m_stems(std::move(stems)) {}

bool SnippetMaker::matches(const std::string& term, const std::string& lang) {
  if (m_terms.count(term)) return true;
  std::string z(schema::prefix::kStem);
  z += m_stemmers.stem(lang, term);
  return m_stems.count(z) > 0;
}

Snippet SnippetMaker::make(const std::string& text, const std::string& lang,
                           std::size_t max_words) {
  m_tokens.clear();
  m_tokenizer.tokenize(text, m_tokens);
  Snippet snippet;
  if (m_tokens.empty()) return snippet;
  std::vector<char> hit(m_tokens.size());
  for (std::size_t i = 0; i < m_tokens.size(); ++i) hit[i] = matches(m_tokens[i].term, lang);

  // Windows of max_words tokens that start at a match; score = distinct matched terms * 4 +
  // matches, so a window showing every query word beats one repeating a single word. Only
  // windows starting at a match are tried: one ending at a match is never better, and would lose
  // the match when the start moves back for context below.
  const std::size_t w = std::min(max_words, m_tokens.size());
  std::size_t best = 0;
  long best_score = 0;
  std::vector<std::string_view> distinct;
  for (std::size_t start = 0; start < m_tokens.size(); ++start) {
    if (!hit[start]) continue;
    distinct.clear();
    long n = 0;
    for (std::size_t k = start; k < std::min(start + w, m_tokens.size()); ++k) {
      if (!hit[k]) continue;
      ++n;
      const std::string_view t = m_tokens[k].term;
      if (std::find(distinct.begin(), distinct.end(), t) == distinct.end()) distinct.push_back(t);
    }
    const long score = static_cast<long>(distinct.size()) * 4 + n;
    if (score > best_score) {
      best_score = score;
      best = start;
    }
  }
  // Start a few words before the first match, for context; the match stays inside the window.
  // Near the end of the text, start earlier so the window stays full (a short text shows whole).
  std::size_t first = best >= 3 ? best - 3 : 0;
  first = std::min(first, m_tokens.size() - w);
  const std::size_t last = std::min(m_tokens.size(), first + w) - 1;

  std::size_t pos = m_tokens[first].begin;
  if (first > 0) snippet.runs.push_back({"…", false});
  for (std::size_t k = first; k <= last; ++k) {
    const auto& t = m_tokens[k];
    if (t.begin > pos) snippet.runs.push_back({text.substr(pos, t.begin - pos), false});
    snippet.runs.push_back({text.substr(t.begin, t.end - t.begin), static_cast<bool>(hit[k])});
    pos = t.end;
  }
  if (last + 1 < m_tokens.size()) {
    snippet.runs.push_back({"…", false});
  } else if (pos < text.size()) {
    snippet.runs.push_back({text.substr(pos), false});
  }
  // Line breaks and runs of spaces inside a snippet read as one space.
  for (auto& r : snippet.runs) {
    std::string clean;
    for (char c : r.text) {
      const bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
      if (space && !clean.empty() && clean.back() == ' ') continue;
      clean += space ? ' ' : c;
    }
    r.text = std::move(clean);
  }
  return snippet;
}

}  // namespace sitrep::search
