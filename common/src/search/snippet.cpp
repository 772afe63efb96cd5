#include "sitrep/search/snippet.hpp"

#include <algorithm>

#include "sitrep/schema/terms.hpp"

namespace sitrep::search {

namespace {

// Bytes of text a window keeps before the first match (the snippet shows a few words of context).
constexpr std::size_t kContextBytes = 512;
// How far a window's edge moves to reach a space instead of cutting a word.
constexpr std::size_t kSnapBytes = 256;
// The byte search reads the text in blocks of this size (lower-cased copies).
constexpr std::size_t kScanBlockBytes = 64 * 1024;

bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'; }

// The suppressed lines of a text (in text order), looked up by position with a binary search.
class Suppressed {
 public:
  explicit Suppressed(const std::vector<analysis::SuppressedLine>& lines) : m_lines(lines) {}
  // The end of the suppressed line that holds byte at, or 0 when none does.
  std::size_t end_of_line_at(std::size_t at) const {
    auto it = std::upper_bound(
        m_lines.begin(), m_lines.end(), at,
        [](std::size_t a, const analysis::SuppressedLine& l) { return a < l.begin; });
    if (it == m_lines.begin()) return 0;
    --it;
    return at < it->end ? it->end : 0;
  }

 private:
  const std::vector<analysis::SuppressedLine>& m_lines;
};

}  // namespace

std::string Snippet::plain() const {
  std::string out;
  for (const Run& r : runs) out += r.text;
  return out;
}

SnippetMaker::SnippetMaker(std::set<std::string> terms, std::set<std::string> stems)
    : m_terms(std::move(terms)), m_stems(std::move(stems)) {}

bool SnippetMaker::matches(const std::string& term, const std::string& lang) {
  return m_terms.count(term) > 0 || m_stems.count(m_analyzer.stem_term(lang, term)) > 0;
}

SnippetSource SnippetMaker::source(std::string_view text,
                                   const std::vector<analysis::SuppressedLine>& suppressed) const {
  const std::size_t n = text.size();
  const Suppressed lines(suppressed);
  std::size_t begin = 0, end = n;
  if (n > kSnippetWindowBytes) {
    // The first query term or stem at the start of a word, outside the suppressed lines. Terms
    // are case-folded: the text is compared lower-cased (ASCII only; the search is a heuristic).
    std::vector<std::string_view> patterns;
    std::size_t longest = 0;
    for (const std::string& t : m_terms) patterns.push_back(t);
    for (const std::string& s : m_stems) {
      if (const auto stem = schema::terms::body_stem(s)) patterns.push_back(*stem);
    }
    for (std::string_view p : patterns) longest = std::max(longest, p.size());
    std::size_t at = std::string_view::npos;
    std::string block;
    for (std::size_t pos = 0; pos < n && at == std::string_view::npos && !patterns.empty();
         pos += kScanBlockBytes) {
      block.assign(text.substr(pos, kScanBlockBytes + longest));
      for (char& c : block) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      std::size_t best = kScanBlockBytes;  // matches from there on are the next block's
      for (std::string_view p : patterns) {
        for (std::size_t k = block.find(p); k < best; k = block.find(p, k + 1)) {
          if (pos + k > 0 && ascii_alnum(text[pos + k - 1])) continue;  // inside a word
          if (lines.end_of_line_at(pos + k) > 0) continue;
          best = k;
          break;
        }
      }
      if (best < kScanBlockBytes) at = pos + best;
    }
    if (at == std::string_view::npos) {
      // No match found: the first text that is not suppressed or space.
      for (std::size_t i = 0; i < n; ++i) {
        if (const std::size_t skip = lines.end_of_line_at(i); skip > 0) {
          i = skip - 1;
        } else if (!space(text[i])) {
          at = i;
          break;
        }
      }
      if (at == std::string_view::npos) return {};  // nothing but boilerplate and spaces
    }
    begin = std::min(at > kContextBytes ? at - kContextBytes : 0, n - kSnippetWindowBytes);
    end = begin + kSnippetWindowBytes;
    // Cut after a space (or else at a character boundary), never inside a UTF-8 sequence.
    if (begin > 0) {
      const std::size_t s = text.substr(begin, kSnapBytes).find_first_of(" \n\r\t\f");
      if (s != std::string_view::npos) begin += s + 1;
      while (begin < end && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) ++begin;
    }
    if (end < n) {
      const std::size_t from = std::max(begin, end - kSnapBytes);
      const std::size_t s = text.substr(from, end - from).find_last_of(" \n\r\t\f");
      if (s != std::string_view::npos) end = from + s;
      while (end > begin && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    }
  }
  SnippetSource out;
  out.text.assign(text.substr(begin, end - begin));
  for (const analysis::SuppressedLine& l : suppressed) {
    const std::size_t from = std::max<std::size_t>(l.begin, begin);
    const std::size_t to = std::min<std::size_t>(l.end, end);
    for (std::size_t i = from; i < to; ++i) out.text[i - begin] = '\n';
  }
  if (out.text.find_first_not_of(" \t\r\n\f") == std::string::npos) return {};
  out.cut_before = begin > 0;
  out.cut_after = end < n;
  return out;
}

Snippet SnippetMaker::make(const std::string& text, const std::string& lang,
                           std::size_t max_words) {
  SnippetSource whole;
  whole.text = text;
  return make(whole, lang, max_words);
}

Snippet SnippetMaker::make(const SnippetSource& source, const std::string& lang,
                           std::size_t max_words) {
  const std::string& text = source.text;
  const std::vector<analysis::Token>& tokens = m_analyzer.tokenize(text);
  Snippet snippet;
  if (tokens.empty()) return snippet;
  std::vector<char> hit(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) hit[i] = matches(tokens[i].term, lang);

  // Windows of max_words tokens that start at a match; score = distinct matched terms * 4 +
  // matches, so a window showing every query word beats one repeating a single word. Only
  // windows starting at a match are tried: one ending at a match is never better, and would lose
  // the match when the start moves back for context below.
  const std::size_t w = std::min(max_words, tokens.size());
  std::size_t best = 0;
  long best_score = 0;
  std::vector<std::string_view> distinct;
  for (std::size_t start = 0; start < tokens.size(); ++start) {
    if (!hit[start]) continue;
    distinct.clear();
    long n = 0;
    for (std::size_t k = start; k < std::min(start + w, tokens.size()); ++k) {
      if (!hit[k]) continue;
      ++n;
      const std::string_view t = tokens[k].term;
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
  first = std::min(first, tokens.size() - w);
  const std::size_t last = std::min(tokens.size(), first + w) - 1;

  std::size_t pos = tokens[first].begin;
  if (first > 0 || source.cut_before) snippet.runs.push_back({"…", false});
  for (std::size_t k = first; k <= last; ++k) {
    const auto& t = tokens[k];
    if (t.begin > pos) snippet.runs.push_back({text.substr(pos, t.begin - pos), false});
    snippet.runs.push_back({text.substr(t.begin, t.end - t.begin), static_cast<bool>(hit[k])});
    pos = t.end;
  }
  if (last + 1 < tokens.size() || source.cut_after) {
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
