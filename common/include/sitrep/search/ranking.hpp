#pragma once
// Ranking of the default query mode (issue 14): what words typed next to each other mean, query
// stop words, the weighting scheme (IneB2) and pseudo-relevance feedback. Chosen by measuring on
// the dev queries of the TIME collection (eval/eval_ranking.cpp, eval/README.md); the README's
// "Ranking quality" table has the figures.
//
// Default operator: how words typed next to each other (no operator between them) combine.
//  - kAuto (the default): ranked OR with a strong preference for the articles that match every
//    word: a query of plain words matches the articles with any of them, and those with all of
//    them get their weight again (prefer_all_terms). Query stop words are dropped (not inside
//    phrases, nor after '+'). Two keywords then rank the articles with both first; a pasted
//    sentence finds the articles with most of its content words.
//  - kAnd: every word must match (the behaviour before issue 14), no stop words dropped.
//  - kOr: any word may match, ranked by the weighting scheme alone; stop words dropped.
// Explicit operators (AND OR NOT XOR NEAR ADJ, + and -, phrases) and filters keep their exact
// boolean meaning in every mode: only the juxtaposition changes.

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace sitrep::search {

enum class DefaultOp { kAuto, kAnd, kOr };

// "auto", "and", "or" (lower case); nothing for anything else.
std::optional<DefaultOp> parse_default_op(std::string_view name);
std::string_view default_op_name(DefaultOp op);

// The ranking settings; the defaults are the ones chosen on TIME dev.
struct Ranking {
  // Weighting scheme (make_weight()): "ineb2:0.5" (the default), the divergence-from-randomness
  // model IneB2 of Xapian 1.4 (Xapian::IneB2Weight, length normalisation c 0.5): on TIME dev it
  // ranked better than BM25 (MAP 0.728 against 0.698) and its idf never goes below zero, so a
  // query with stop words in it (kAnd) still ranks (IfB2, whose idf uses the collection
  // frequency, scored 0.735 but returned nothing once "the" was in a query). Others, for
  // measuring, as NAME[:PARAM[:PARAM2]]: "bm25" (k1, b below), "bm25+:DELTA",
  // "lm-dirichlet:MU", "lm-2stage:LAMBDA:MU", "lm-jm:LAMBDA", "dph", "dlh", "pl2:C", "inl2:C",
  // "ifb2:C", "bb2:C", "ineb2:C", "tfidf:NORMS" (e.g. "ltn"), "coord:C" (BM25 plus C for each
  // query item matched: coordination). eval/README.md has every figure.
  std::string weighting = "ineb2:0.5";
  // BM25 (weighting "bm25"; Xapian::BM25Weight): term frequency saturation and document length
  // normalisation.
  double k1 = 1.2;
  double b = 0.75;
  // kAuto: the articles that match every juxtaposed item get boost times their weight again.
  double all_terms_boost = 0.2;
  // kAuto and kOr: drop query stop words of the database's languages (stop_words()).
  bool stop_words = true;
  // kAuto, queries of plain words: each pair of consecutive words (stop words dropped) found
  // within proximity_window positions of each other adds proximity_weight times its weight.
  // 0: off.
  double proximity_weight = 0;
  unsigned proximity_window = 3;
  // Pseudo-relevance feedback (kAuto and kOr, relevance order, queries of at least
  // feedback_min_words juxtaposed items without explicit operators: pasted sentences, not
  // keywords): the best feedback_terms stems of the top feedback_docs articles (Xapian's ESet)
  // re-rank the matches, with feedback_weight times their weight. It never adds matches. 0 docs:
  // off, the default: on TIME, 5 docs, 20 terms, 0.1 gained 0.023 MAP on dev but 0.002 on test
  // (noise), and the two extra passes made a 3-word search 2 to 8 times slower.
  unsigned feedback_docs = 0;
  unsigned feedback_terms = 20;
  double feedback_weight = 0.1;
  unsigned feedback_min_words = 3;
  // Feedback that also finds: the expansion terms are ORed with the query (articles matching only
  // them become matches), RM3-style, instead of only re-ranking the query's matches.
  bool feedback_expand = false;
};

// The Xapian weighting scheme of ranking.weighting; Error{kUsage} for an unknown one.
std::unique_ptr<Xapian::Weight> make_weight(const Ranking& ranking);

// Words a query in capitals needs to read as a pasted sentence (shouted_sentence()).
inline constexpr std::size_t kSentenceWords = 6;

// Whether text reads as a sentence pasted in capitals (a wire headline, an old all-caps archive):
// at least kSentenceWords words and no lower-case ASCII letter. In kAuto, AND, OR, NOT and XOR are
// then words of the sentence (stop words), not operators: "WHEAT DEALS INVOLVING THE UNITED
// STATES, RUSSIA AND CANADA" is not (wheat ... russia) AND canada.
bool shouted_sentence(std::string_view text);

// The query stop words of a language (ISO 639-1 code): short lists of function words written for
// sitrep (English, Russian, Ukrainian, Arabic; no other language has one). Each word as the
// Tokenizer writes it (case-folded).
const std::set<std::string>& stop_words(std::string_view language);

// A Xapian stopper with the stop words of the given languages; nullptr when none has a list.
std::unique_ptr<Xapian::Stopper> make_stopper(const std::vector<std::string>& languages);

// kAuto: q as QueryParser built it with OR between juxtaposed items (under any filters, NOT and
// '+' structure); the OR of those items becomes OP_AND_MAYBE(OR, boost * AND): the same matches,
// and the articles with every item first. Returns q unchanged when it has no such OR or boost is
// 0.
Xapian::Query prefer_all_terms(const Xapian::Query& q, double boost);

// kAuto: the pairs of consecutive plain words of parsed (the query as QueryParser built it, before
// stems were added), each as OP_NEAR within ranking.proximity_window, ORed and scaled by
// ranking.proximity_weight, added to query as OP_AND_MAYBE (the same matches). Returns query
// unchanged when there is no pair or the weight is 0.
Xapian::Query prefer_proximity(const Xapian::Query& parsed, const Xapian::Query& query,
                               const Ranking& ranking);

// Whether q (as QueryParser built it with OR between juxtaposed items) has such an OR at its top
// (under any filters and NOT): the articles then match any of the items.
bool has_top_or(const Xapian::Query& q);
// The number of items of that OR (0 without one).
std::size_t top_or_size(const Xapian::Query& q);

// Pseudo-relevance feedback: the query re-weighted by the expansion terms of the top documents of
// mset (those of query, matched on enquire). Returns query unchanged when there is nothing to add.
Xapian::Query with_feedback(const Xapian::Database& db, const Xapian::Enquire& enquire,
                            const Xapian::MSet& mset, const Xapian::Query& query,
                            const Ranking& ranking);

}  // namespace sitrep::search
