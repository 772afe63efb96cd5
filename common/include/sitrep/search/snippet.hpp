#pragma once
// Snippets: the passage of an article's text that best matches the query, with the matching words
// marked. Tokenised with the shared Tokenizer (not MSet::snippet(), which would re-tokenise with
// Xapian's rules and miss what ICU segmentation indexed), so exactly the indexed words highlight.

#include <set>
#include <string>
#include <vector>

#include "sitrep/analysis/stemmer.hpp"
#include "sitrep/analysis/tokenizer.hpp"

namespace sitrep::search {

// A snippet as plain text split into runs; highlighted runs are matched words.
struct Snippet {
  struct Run {
    std::string text;
    bool highlight;
  };
  std::vector<Run> runs;
  std::string plain() const;
};

// Not thread-safe: use one per thread.
class SnippetMaker {
 public:
  // terms: unstemmed terms of the query; stems: its Z-prefixed stem terms.
  SnippetMaker(std::set<std::string> terms, std::set<std::string> stems);

  // The best window of about max_words words of text (in language lang); leading/trailing "…"
  // mark cut text. When nothing matches, the start of the text.
  Snippet make(const std::string& text, const std::string& lang, std::size_t max_words = 32);

  // Whether a token of language lang matches the query.
  bool matches(const std::string& term, const std::string& lang);

 private:
  std::set<std::string> m_terms, m_stems;
  analysis::Tokenizer m_tokenizer;
  analysis::StemmerSet m_stemmers;
  std::vector<analysis::Token> m_tokens;
};

}  // namespace sitrep::search
