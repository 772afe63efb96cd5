#pragma once
// Query text -> Xapian::Query, through the same analysis pipeline the indexer uses.
//
// Xapian's QueryParser splits words with its own rules, not ICU's. So the query text is first lexed
// here, through the Tokenizer's character mapping (analysis::map_characters: every quote and dash
// the indexer treats as one is one to the lexer too, so ‟a b‟ and ＂a b＂ are phrases and −a
// excludes like -a): operators (AND OR NOT XOR NEAR ADJ, upper case), parentheses, quotes, +/- and
// field prefixes are kept as syntax, and every run of text is replaced by the terms the shared
// Tokenizer produces (letters, marks and digits only, so QueryParser keeps each one whole; terms
// that were glued in the text are joined with '-', which QueryParser turns into a phrase, as the
// indexer's consecutive positions require). QueryParser then builds the boolean structure, phrases,
// filters and date ranges with no stemming, and each bare word is finally expanded into an
// OP_SYNONYM of its stemmed forms (Z terms) in every indexed language written in the word's script
// (analysis::Analyzer::expand, which owns the term scheme).
//
// Inside a quoted phrase or field value, \" is a literal double quote and \\ a literal backslash
// (source:"Smith \"Quote\" Co"); facet_filter() (facets.hpp) writes values so. A phrase opened by
// one quotation mark ends only at its partner (" at ", « at », “ at ” or “ ...); any other
// quotation mark inside is text, so a pasted "the war.” Speaking on" stays one phrase.
//
// Never a silently different query: Xapian 1.4's QueryParser, given a query its grammar refuses,
// parses it again with every flag off (operators, quotes and +/- read as words). So the rewritten
// text avoids the shapes it refuses where their meaning is clear (a NEAR/ADJ chain is put in
// parentheses, a ')' that closes nothing dropped, "-word" after an operator grouped, "-date:x"
// written "-( date:x )"), refuses the others with a message (a NEAR/ADJ operand that is not a
// single word, N of NEAR/N outside 1..kMaxProximity, NEAR and ADJ in one chain, NOT -word), and
// build() detects any remaining reparse (a filter that counts its calls) and refuses it.
//
// Entity filters (person: place: org: entity:) are resolved here too. A value that is a canonical
// id the database knows (an entity term of the field's types or a lexicon entry; any case) names
// exactly that entity: facet filters are written so. Any other value (a word or a quoted name) is
// normalised with entities::alias_key() and looked up in the database's alias lexicon
// (schema::meta::kAliasPrefix; failing that, under its Latin form). The canonical ids found replace
// the value in the rewritten text ("person:volodymyr-zelensky,x-zelensky"), and a FieldProcessor
// turns them into a boolean OR of the entity terms. A name the lexicon does not know matches
// nothing (it is not an error). Two filters of one field must both match.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "sitrep/analysis/analyzer.hpp"
#include "sitrep/search/ranking.hpp"

namespace sitrep::search {

// What an entity filter is rewritten to when its value names no known entity (ids never hold '_').
inline constexpr std::string_view kNoEntity = "_";

// Longest accepted query, in bytes (longer: Error{kLimit}).
inline constexpr std::size_t kMaxQueryBytes = 4096;
// Deepest nesting of parentheses (deeper: Error{kBadQuery}).
inline constexpr std::size_t kMaxQueryDepth = 32;
// Most words a wildcard may expand to (more: Error{kLimit}, raised while matching).
inline constexpr unsigned kMaxWildcardExpansion = 1000;
// Most wildcards in one query (more: Error{kLimit}): each may expand to kMaxWildcardExpansion.
inline constexpr std::size_t kMaxWildcards = 8;
// Largest N of NEAR/N and ADJ/N (N from 1, no leading zeros; else Error{kBadQuery}).
inline constexpr unsigned kMaxProximity = 999;

struct BuiltQuery {
  Xapian::Query query;
  std::string rewritten;        // the text given to Xapian::QueryParser
  std::set<std::string> terms;  // unprefixed terms, for highlighting
  std::set<std::string> stems;  // Z-prefixed stem terms, for highlighting
  // Whether juxtaposed words were joined by OR (default operator kAuto or kOr; not for
  // match-all): the query is then ranked (pseudo-relevance feedback may re-rank it).
  bool ranked_or = false;
  // Whether the articles match any of the juxtaposed words of a query without explicit operators
  // (kAuto, kOr), not necessarily every one: what the text output tells the reader.
  bool any_word = false;
  std::size_t words = 0;  // with any_word: the juxtaposed items (stop words dropped)
};

// Not thread-safe: use one per thread.
class QueryBuilder {
 public:
  // languages: the languages the database holds (its sitrep.languages metadata); stems of bare
  // words are looked up in each of them that has a stemmer. db is used to expand wildcards.
  QueryBuilder(const Xapian::Database& db, std::vector<std::string> languages);

  // An empty query (nothing but spaces) matches every article: Xapian::Query::MatchAll, with
  // rewritten, terms and stems empty. So does a query of filters alone ("source:x lang:ru") or of
  // exclusions alone ("-source:x", "NOT lang:en": every article but those).
  // Throws Error{kBadQuery} for a query that has text but nothing searchable after analysis
  // ("!!!"), is not valid UTF-8, nests parentheses deeper than kMaxQueryDepth, has two operators in
  // a row or an operator with nothing on one side, a malformed date range, a NEAR/N or ADJ/N with N
  // outside 1..kMaxProximity, a NEAR/ADJ operand that is not a single word (a phrase, hyphenated
  // word, wildcard, filter, group, +/- word), NEAR and ADJ mixed in one chain, or that QueryParser
  // rejects (Xapian 1.4 would silently reparse such a query with its operators read as words:
  // that is detected and refused, never run); Error{kLimit} for one over kMaxQueryBytes or with
  // more than kMaxWildcards wildcards.
  BuiltQuery build(const std::string& text);

  // true: bare words and phrases also match boilerplate (schema::terms::boilerplate,
  // boilerplate_stem): each word's stems are joined by their XBZ forms in its OP_SYNONYM, and each
  // word of a phrase or NEAR/ADJ becomes (word OR XBword), so a phrase may run from article text
  // into boilerplate. Wildcards and title: never match boilerplate. Default false. (Done here
  // rather than with QueryParser::add_prefix("", "XB") beside add_prefix("", ""): Xapian 1.4
  // accepts several prefixes for one field, but makes a phrase an OR of one phrase per prefix,
  // which could not run from article text into boilerplate, and bypasses the stem expansion.)
  void set_include_boilerplate(bool include) { m_include_boilerplate = include; }

  // How juxtaposed words combine, and the ranking settings of that mode (search/ranking.hpp).
  // Default: kAuto with Ranking's defaults.
  void set_default_op(DefaultOp op, const Ranking& ranking);

  // Lexes and analyses text into the string handed to QueryParser (exposed for tests).
  std::string rewrite(const std::string& text);

 private:
  // rewrite()'s phases. The lexer walks m_mapped (the text through the Tokenizer's character
  // mapping); each lex_ function appends what it read at an index to out and returns the index
  // after it.
  std::size_t lex_chunk(std::string& out, std::size_t i);  // a run of text up to a space
  // A filter field's value, [value_begin, value_end) of m_mapped, or the quoted value after it.
  std::size_t lex_field(std::string& out, const std::string& name, std::size_t value_begin,
                        std::size_t value_end);
  // The value a filter field is rewritten to (original: the value as written, for id:).
  std::string field_value(const std::string& name, const std::string& value,
                          std::string_view original);
  // The Tokenizer's terms of a run of text, or of a quoted phrase.
  void append_text(std::string& out, std::string_view chunk);
  void append_phrase(std::string& out, std::string_view content);
  // The canonical ids the value of entity filter field names, comma-separated, or kNoEntity.
  std::string resolve_entity(const std::string& field, std::string_view value);

  // The parsed query with each word expanded (analysis::Analyzer::expand).
  Xapian::Query expand(const Xapian::Query& q, BuiltQuery& out);
  Xapian::Query expand_word(const Xapian::Query& leaf, BuiltQuery& out);

  Xapian::Database m_db;
  std::vector<std::string> m_stem_languages;
  analysis::Analyzer m_analyzer;
  analysis::Expansion m_expansion;
  std::string m_mapped, m_text;          // rewrite()'s text, mapped and as given
  std::set<std::string> m_names;         // terms of words typed as names (aliases.hpp)
  std::vector<std::uint32_t> m_offsets;  // by byte of m_mapped: its offset in m_text
  bool m_include_boilerplate = false;
  DefaultOp m_default_op = DefaultOp::kAuto;
  bool m_operators_as_words = false;  // rewrite(): AND OR NOT XOR are words (shouted_sentence())
  Ranking m_ranking;
  std::unique_ptr<Xapian::Stopper> m_stopper;  // the database's languages' stop words, or none
};

// Parses a date bound as used by date: ranges, --since and --until: YYYY, YYYY-MM or YYYY-MM-DD.
// Returns "YYYYMMDD" (the first day of the period when end is false, the last when true), or an
// empty string when text is not a valid date.
std::string parse_date_bound(std::string_view text, bool end);

}  // namespace sitrep::search
