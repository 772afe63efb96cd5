#include "sitrep/search/aliases.hpp"

#include <algorithm>
#include <string_view>

#include "../entities/builtin.hpp"
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "sitrep/entities/entities.hpp"
#include "sitrep/schema/entity_type.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/store/metadata.hpp"

namespace sitrep::search {

bool reads_as_name(std::string_view word) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(word.data());
  const auto n = static_cast<std::int32_t>(word.size());
  std::int32_t i = 0;
  UChar32 first = -1;
  // The first letter (a leading apostrophe or digit is not the word's shape).
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_isalpha(c)) {
      first = c;
      break;
    }
  }
  if (first < 0) return false;
  if (!u_hasBinaryProperty(first, UCHAR_CASED)) return true;  // a script without case
  if (!u_isupper(first) && !u_istitle(first)) return false;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_islower(c)) return true;
  }
  return false;
}

namespace {

// Adds to words the Tokenizer terms of a spelling of entity id that name it on their own: every
// word of a one-word spelling, and of a longer one only the words that are themselves an alias of
// id (the surname "zelensky" of "Vladimir Zelensky", not "vladimir", which would light up
// Vladimir Putin in a snippet).
void add_words(const Xapian::Database& db, analysis::Tokenizer& tokenizer, const std::string& id,
               std::string_view text, std::set<std::string>& words,
               std::vector<analysis::Token>& tokens) {
  tokens.clear();
  tokenizer.tokenize(text, tokens);
  for (const analysis::Token& t : tokens) {
    if (tokens.size() == 1) {
      words.insert(t.term);
      continue;
    }
    const std::vector<std::string> ids =
        store::alias_ids(db, entities::alias_key(tokenizer, t.term));
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) words.insert(t.term);
  }
}

// The words that name entity id in each of its spellings (add_words): its display name in db's
// lexicon and, for an entity of the built-in dictionaries, its name and aliases there (the lexicon
// has no list of an entity's aliases short of reading all of them).
void spelling_words(const Xapian::Database& db, analysis::Tokenizer& tokenizer,
                    const std::string& id, std::set<std::string>& words) {
  std::vector<analysis::Token> tokens;
  if (const auto e = store::lexicon_entry(db, id))
    add_words(db, tokenizer, id, e->name, words, tokens);
  for (std::size_t i = 0; i < entities::detail::builtin_dictionary_count(); ++i) {
    const std::string_view text = entities::detail::builtin_dictionary_text(i);
    for (std::size_t at = 0; at < text.size();) {
      std::size_t end = text.find('\n', at);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(at, end - at);
      at = end + 1;
      if (line.size() <= id.size() || !line.starts_with(id) || line[id.size()] != '\t') continue;
      // id TAB type TAB name TAB alias|alias...
      std::size_t field = 0, from = 0;
      for (std::size_t k = 0; k <= line.size(); ++k) {
        if (k < line.size() && line[k] != '\t' && !(field == 3 && line[k] == '|')) continue;
        if (field >= 2) add_words(db, tokenizer, id, line.substr(from, k - from), words, tokens);
        if (k < line.size() && line[k] == '\t') ++field;
        from = k + 1;
      }
    }
  }
}

}  // namespace

std::vector<std::string> alias_entity_terms(const Xapian::Database& db, const std::string& term,
                                            analysis::Tokenizer& tokenizer,
                                            std::set<std::string>& words) {
  // Not under its Latin form, as entity filters also look names up: the lexicon holds the
  // names' spellings in each script, and transliterating every capitalised word of a query
  // (ICU Any-Latin) would cost a query in another script more than its search.
  std::vector<std::string> ids = store::alias_ids(db, term);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::string> out;
  if (ids.size() > kMaxAliasEntities) return out;
  for (const std::string& id : ids) {
    for (const schema::EntityType type : {schema::EntityType::kPerson, schema::EntityType::kPlace,
                                          schema::EntityType::kOrg, schema::EntityType::kOther}) {
      std::string t = schema::terms::entity(type, id);
      if (db.term_exists(t)) out.push_back(std::move(t));
    }
  }
  if (!out.empty()) {
    for (const std::string& id : ids) spelling_words(db, tokenizer, id, words);
  }
  return out;
}

}  // namespace sitrep::search
