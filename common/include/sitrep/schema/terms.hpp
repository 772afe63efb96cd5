#pragma once
// Term builders: every term sitrep stores or looks up is one of fields.hpp's prefixes followed by
// a value, and is built (and taken apart) here, nowhere else. Which terms a text becomes (words,
// stems, title copies, boilerplate) is analysis::Analyzer's business; it builds them with these.
//
// Conventions: prefixes are upper-case letters; a term without one (a plain word) starts with a
// lower-case letter, a mark or a digit, because the Tokenizer case-folds. So a term is prefixed
// exactly when its first byte is 'A'..'Z'.

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/schema/entity_type.hpp"
#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/util/utf8.hpp"

namespace sitrep::schema::terms {

// Longest source keyword kept in a source term (longer ones are cut at a character boundary).
inline constexpr std::size_t kMaxSourceBytes = 200;
// Longest file term stored: Xapian's limit on a term is 245 bytes; a longer file term is left out
// (that file's documents cannot be pruned, which the indexer reports).
inline constexpr std::size_t kMaxFileTermBytes = 240;

namespace detail {
inline std::string join(std::string_view prefix, std::string_view value) {
  std::string t;
  t.reserve(prefix.size() + value.size());
  t += prefix;
  t += value;
  return t;
}
}  // namespace detail

// True when term carries a prefix (see above).
inline bool is_prefixed(std::string_view term) {
  return !term.empty() && term[0] >= 'A' && term[0] <= 'Z';
}

// ---- Text: words and stems (written by analysis::Analyzer) ----
// A plain word is the term itself (no prefix), positional.
inline std::string title(std::string_view term) { return detail::join(prefix::kTitle, term); }
inline std::string stem(std::string_view stem) { return detail::join(prefix::kStem, stem); }
inline std::string title_stem(std::string_view stem) {
  std::string t(prefix::kStem);
  t += prefix::kTitle;
  t += stem;
  return t;
}
inline std::string boilerplate(std::string_view term) {
  return detail::join(prefix::kBoilerplate, term);
}
inline std::string boilerplate_stem(std::string_view stem) {
  return detail::join(prefix::kBoilerplateStem, stem);
}
// The prefixes above, for builders that reuse one buffer per kind of term (the hot path).
inline constexpr std::string_view kTitlePrefix = prefix::kTitle;
inline constexpr std::string_view kStemPrefix = prefix::kStem;
inline constexpr std::string_view kBoilerplatePrefix = prefix::kBoilerplate;
inline constexpr std::string_view kBoilerplateStemPrefix = prefix::kBoilerplateStem;

// The word of a title term (S<word>), or nothing when term is not one.
inline std::optional<std::string_view> title_word(std::string_view term) {
  if (!term.starts_with(prefix::kTitle)) return std::nullopt;
  const std::string_view rest = term.substr(prefix::kTitle.size());
  if (rest.empty() || is_prefixed(rest)) return std::nullopt;
  return rest;
}
// The stem of a body stem term (Z<stem>, not the title copy ZS<stem>), or nothing.
inline std::optional<std::string_view> body_stem(std::string_view term) {
  if (!term.starts_with(prefix::kStem)) return std::nullopt;
  const std::string_view rest = term.substr(prefix::kStem.size());
  if (rest.empty() || is_prefixed(rest)) return std::nullopt;
  return rest;
}

// ---- Record fields: boolean filter terms ----
inline std::string id(std::string_view id) { return detail::join(prefix::kId, id); }
// The id of an id term, or nothing.
inline std::optional<std::string_view> id_of(std::string_view term) {
  if (!term.starts_with(prefix::kId)) return std::nullopt;
  return term.substr(prefix::kId.size());
}
// source_keyword: analysis::keyword() of the record's source.
inline std::string source(std::string_view source_keyword) {
  return detail::join(prefix::kSource, utf8::truncate(source_keyword, kMaxSourceBytes));
}
inline constexpr std::string_view kAnySource = prefix::kSource;  // allterms prefix of all sources
inline std::string language(std::string_view code) { return detail::join(prefix::kLanguage, code); }
inline constexpr std::string_view kAnyLanguage = prefix::kLanguage;
// A language term (L<code>, nothing more after the prefix).
inline bool is_language(std::string_view term) {
  return term.size() > prefix::kLanguage.size() && term.starts_with(prefix::kLanguage) &&
         !is_prefixed(term.substr(prefix::kLanguage.size()));
}
// Dates, from "YYYYMMDD" (schema::Timestamp::ymd()).
inline std::string year(std::string_view ymd) {
  return detail::join(prefix::kYear, ymd.substr(0, 4));
}
inline std::string month(std::string_view ymd) {
  return detail::join(prefix::kMonth, ymd.substr(0, 6));
}
inline std::string day(std::string_view ymd) { return detail::join(prefix::kDay, ymd); }
inline std::string no_date() { return std::string(prefix::kNoDate); }
// The file a record was read from (an absolute path); see kMaxFileTermBytes.
inline std::string file(std::string_view path) { return detail::join(prefix::kFile, path); }
// The allterms prefix of the file terms of the files under dir.
inline std::string files_under(std::string_view dir) {
  std::string t = file(dir);
  t += '/';
  return t;
}
// The path of a file term.
inline std::string_view file_path(std::string_view term) {
  return term.starts_with(prefix::kFile) ? term.substr(prefix::kFile.size()) : std::string_view();
}

// ---- Entities ----
inline std::string entity(EntityType type, std::string_view id) {
  return detail::join(entity_prefix(type), id);
}
inline constexpr std::string_view kAnyEntity = prefix::kEntity;
// An entity term of any type.
inline bool is_entity(std::string_view term) {
  return term.size() > prefix::kEntity.size() && term.starts_with(prefix::kEntity) &&
         entity_type_from_letter(term[prefix::kEntity.size()]).has_value();
}

// Calls fn(EntityType type, std::string_view id) for each entity term (kAnyEntity + type
// letter + id) of the termlist [it, end), in term order: the ids behind a document's entity keys.
template <class Fn>
void for_each_entity_term(Xapian::TermIterator it, const Xapian::TermIterator& end, Fn&& fn) {
  const std::string_view prefix = kAnyEntity;
  for (it.skip_to(std::string(prefix)); it != end; ++it) {
    const std::string term = *it;
    if (term.compare(0, prefix.size(), prefix) != 0) break;
    if (term.size() <= prefix.size() + 1) continue;
    const std::optional<EntityType> type = entity_type_from_letter(term[prefix.size()]);
    if (!type) continue;
    fn(*type, std::string_view(term).substr(prefix.size() + 1));
  }
}

// ---- Boilerplate lines ----
// The term of a line key (analysis::line_key): prefix + 16 hex digits.
inline std::string boilerplate_line(std::uint64_t key) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(key));
  return detail::join(prefix::kBoilerplateLine, std::string_view(hex, 16));
}

// ---- Query-language fields ----
// The prefix a prefixed query field (title, source, lang, id) searches; empty for other names.
inline std::string_view prefix_of_field(std::string_view name) {
  if (name == field::kTitle) return prefix::kTitle;
  if (name == field::kSource) return prefix::kSource;
  if (name == field::kLanguage) return prefix::kLanguage;
  if (name == field::kId) return prefix::kId;
  return {};
}
// The entity types an entity field (person, place, org, entity) matches; empty for other names.
inline std::vector<EntityType> entity_types_of_field(std::string_view name) {
  if (name == field::kPerson) return {EntityType::kPerson};
  if (name == field::kPlace) return {EntityType::kPlace};
  if (name == field::kOrg) return {EntityType::kOrg};
  if (name == field::kEntity) {
    return {EntityType::kPerson, EntityType::kPlace, EntityType::kOrg, EntityType::kOther};
  }
  return {};
}

}  // namespace sitrep::schema::terms
