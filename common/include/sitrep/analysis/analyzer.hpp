#pragma once
// The term scheme: which terms a text becomes, for indexing and for searching. One Analyzer owns
// the Tokenizer and the stemmers, and the document builder, the query builder, the snippet maker
// all ask it, so that what is indexed is exactly what is searched and highlighted. The terms
// themselves are built by schema/terms.hpp.
//
// A word w (a Tokenizer term) of language L at position p becomes (ARCHITECTURE.md has the table):
//   body        w @p wdf 1;  Z<stem_L(w)> @p wdf 1
//   title       w @p wdf 3;  Z<stem_L(w)> @p wdf 3;  S<w> @p wdf 1;  ZS<stem_L(w)> wdf 1
//   (Z<stem> has no position when the stem is w itself: w @p has it)
//   boilerplate XB<w> @p wdf 1;  XBZ<stem_L(w)> wdf 1  (a body word in a suppressed line)
// Title and body positions are one sequence, with a gap of schema::kTitleBodyGap between them.
// A query word w becomes OP_SYNONYM(Z<w>, Z<stem_M(w)> for every indexed language M with a
// stemmer written in w's script) (title: ZS instead of Z), and with boilerplate included, also the
// XBZ forms of the same stems; a word in a phrase matches w, or (w OR XB<w>) with boilerplate,
// and a phrase also matches as the phrase of its words' stems (phrase_stems: the Z stems have
// positions since schema version 5), so "Ивана Голунова" finds "Иван Голунов" too.

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "sitrep/analysis/stemmer.hpp"
#include "sitrep/analysis/tokenizer.hpp"

namespace sitrep::analysis {

// The text fields of an article.
enum class Field { kTitle, kBody };

// What a query word expands to (Analyzer::expand).
struct Expansion {
  std::set<std::string> stems;  // the stem terms (Z or ZS), what snippets highlight by
  std::set<std::string> terms;  // the OP_SYNONYM's terms: stems, plus XBZ forms with boilerplate
};

// Not thread-safe (owns a Tokenizer and a StemmerSet): use one per thread.
class Analyzer {
 public:
  Analyzer() = default;

  // The tokens of text, in a buffer the Analyzer reuses: valid until the next tokenize().
  std::vector<Token>& tokenize(std::string_view text);
  Tokenizer& tokenizer() { return m_tokenizer; }

  // Indexing: adds the terms of tokens (a field's tokens, from tokenize()) to doc as the table
  // above says. pos is the position before the first token; it is advanced by one per token.
  // boilerplate: empty, or one flag per token, true for a token in a suppressed line (only
  // meaningful for the body). Allocates nothing per token once its buffers have grown.
  void index(Xapian::Document& doc, const std::vector<Token>& tokens, Field field,
             const std::string& lang, Xapian::termpos& pos,
             const std::vector<char>& boilerplate = {});

  // Searching: the terms a query word (a Tokenizer term) of field expands to, over the stemmed
  // languages of the database (those with a stemmer; see StemmerSet::has_stemmer).
  void expand(const std::string& word, Field field, const std::vector<std::string>& languages,
              bool include_boilerplate, Expansion& out);
  // The terms a word inside a phrase or NEAR/ADJ may match at its position: the word itself,
  // and with boilerplate included also its boilerplate form.
  std::vector<std::string> phrase_terms(const std::string& word, bool include_boilerplate) const;
  // The positional terms a body word inside a phrase may match at its position, to match other
  // case forms of the phrase: Z<w> and Z<stem_M(w)> for each stemmed language M of w's script
  // (as expand() gives for the body, without boilerplate: suppressed lines keep no stem
  // positions), and each of those stems unprefixed, where a word that is its own stem has its
  // position (not a tagged Ukrainian stem).
  std::vector<std::string> phrase_stems(const std::string& word,
                                        const std::vector<std::string>& languages);

  // Snippets: the body stem term (Z<stem>) of a word of language lang, as expand() puts in
  // Expansion::stems. The reference stays valid until the next call.
  const std::string& stem_term(const std::string& lang, const std::string& word);

 private:
  Tokenizer m_tokenizer;
  StemmerSet m_stemmers;
  std::vector<Token> m_tokens;
  Expansion m_phrase_expansion;
  // Term buffers reused across tokens: each keeps its prefix, the value is rewritten.
  std::string m_stem, m_title, m_title_stem, m_boilerplate, m_boilerplate_stem;
};

}  // namespace sitrep::analysis
