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

  // Slide a window of max_words tokens; score = distinct matched terms * 4 + matches, so a window
  // showing every query word beats one repeating a single word.
  const std::size_t w = std::min(max_words, m_tokens.size());
  std::size_t best = 0;
  long best_score = -1;
  for (std::size_t start = 0; start + w <= m_tokens.size(); ++start) {
    if (start > 0 && !hit[start] && best_score > 0) continue;  // best windows start at a match
    std::set<std::string_view> distinct;
    long n = 0;
    for (std::size_t k = start; k < start + w; ++k) {
      if (hit[k]) {
        ++n;
        distinct.insert(m_tokens[k].term);
      }
    }
    const long score = static_cast<long>(distinct.size()) * 4 + n;
    if (score > best_score) {
      best_score = score;
      best = start;
    }
  }
  // Start a couple of words before the first match, for context.
  std::size_t first = best;
  if (best_score > 0) first = best >= 3 ? best - 3 : 0;
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
