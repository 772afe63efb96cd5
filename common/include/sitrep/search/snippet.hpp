#pragma once
// Snippets: the passage of an article's text that best matches the query, with the matching words
// marked. Tokenised and stemmed by the shared Analyzer (not MSet::snippet(), which would
// re-tokenise with Xapian's rules and miss what ICU segmentation indexed), so exactly the indexed
// words highlight.
//
// Cost is bounded whatever the article's size (issue 11): a snippet is made from at most
// kSnippetWindowBytes of text. A longer text is cut to a window of that size around the first
// place the query's words occur, found by a plain byte search (SnippetMaker::source), so that
// only the window is tokenised, case-folded and stemmed.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/analysis/analyzer.hpp"
#include "sitrep/analysis/boilerplate.hpp"

namespace sitrep::search {

// The most bytes of an article's text a snippet is made from.
inline constexpr std::size_t kSnippetWindowBytes = 64 * 1024;

// A snippet as plain text split into runs; highlighted runs are matched words.
struct Snippet {
  struct Run {
    std::string text;
    bool highlight;
  };
  std::vector<Run> runs;
  std::string plain() const;
};

// The bounded piece of an article's text a snippet is made from (SnippetMaker::source).
struct SnippetSource {
  std::string text;         // at most kSnippetWindowBytes (plus a cut UTF-8 character) bytes
  bool cut_before = false;  // text begins after the start of the article's text
  bool cut_after = false;   // text ends before the end of the article's text
};

// Not thread-safe: use one per thread.
class SnippetMaker {
 public:
  // terms: unstemmed terms of the query; stems: its Z-prefixed stem terms.
  SnippetMaker(std::set<std::string> terms, std::set<std::string> stems);

  // What a snippet of text is made from: all of text when it is at most kSnippetWindowBytes long,
  // else a window of that size that begins a little before the first occurrence of a query term
  // or stem at the start of a word (a byte search, ASCII letters in either case; a text whose
  // words occur only in another case or form gets the window at its start), cut at spaces.
  // suppressed: lines of text (boilerplate, in text order) that are left out: replaced by line
  // breaks, never searched for the window. Empty text when nothing but suppressed lines and
  // spaces is left. Reads text once, never copies more than the window.
  SnippetSource source(std::string_view text,
                       const std::vector<analysis::SuppressedLine>& suppressed = {}) const;

  // The best window of about max_words words of source.text (in language lang); leading/trailing
  // "…" mark cut text. When nothing matches, the start of the text.
  Snippet make(const SnippetSource& source, const std::string& lang, std::size_t max_words = 32);
  // The same for the whole of text (which should be at most kSnippetWindowBytes long: use
  // source() for a text of any size).
  Snippet make(const std::string& text, const std::string& lang, std::size_t max_words = 32);

  // Whether a token of language lang matches the query: it is one of terms, or its body stem
  // term (analysis::Analyzer::stem_term) is one of stems.
  bool matches(const std::string& term, const std::string& lang);

 private:
  std::set<std::string> m_terms, m_stems;
  analysis::Analyzer m_analyzer;
};

}  // namespace sitrep::search
