#pragma once
// Named entities: the gazetteer (schemas/entities/*.tsv plus the user's --entities files) and the
// recogniser that finds people, places and organisations in the shared Tokenizer's token stream.
//
// Canonical ids are lower-case ASCII slugs ([a-z0-9-]+): "volodymyr-zelensky", "kyiv", "nato".
// Gazetteer ids never start with "x-": that is reserved for names found in text but not in the
// gazetteer, whose id is "x-" + the slug of the Latin transliteration of the name
// ("Кирилл Дмитриев" and "Kirill Dmitriev" are both "x-kirill-dmitriev").

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sitrep/analysis/tokenizer.hpp"
#include "sitrep/schema/entity_type.hpp"

namespace sitrep::entities {

// The type, with its letter, name, term prefix and label: schema/entity_type.hpp.
using schema::EntityType;

// "person", "place", "org", "other".
inline std::string_view type_name(EntityType t) { return schema::entity_type_name(t); }
// Inverse of type_name(); also accepts "organisation", "organization" (as dictionaries may write
// the type). nullopt otherwise.
std::optional<EntityType> parse_type(std::string_view name);

struct EntityInfo {
  std::string id;
  EntityType type = EntityType::kOther;
  std::string name;  // preferred display name
};

// The lookup key of a name or alias: its Tokenizer terms joined by single spaces
// ("Volodymyr  Zelensky's" -> "volodymyr zelensky"). Empty when the name has no terms.
std::string alias_key(analysis::Tokenizer& tokenizer, std::string_view name);

// The Latin-script form of a key (ICU Any-Latin, then Latin-ASCII, lower case, spaces kept),
// e.g. "кирилл дмитриев" -> "kirill dmitriev". Returns the key itself when it is already ASCII.
// Thread-safe.
std::string latin_key(std::string_view key);

// The longest canonical id, in bytes: an id becomes a term and a facet value behind a prefix of up
// to 3 bytes, and Xapian refuses terms longer than 245 bytes.
inline constexpr std::size_t kMaxIdBytes = 100;

// The id of a name that is not in the gazetteer: "x-" + latin_key(key) with spaces as '-'. An id
// that would be longer than kMaxIdBytes keeps its first bytes and ends in '-' and a hash of the
// whole key, so it stays distinct.
std::string discovered_id(std::string_view key);

// Not thread-safe to modify; const member functions may be called from many threads at once.
class Gazetteer {
 public:
  Gazetteer();
  ~Gazetteer();
  Gazetteer(Gazetteer&&) noexcept;
  Gazetteer& operator=(Gazetteer&&) noexcept;

  // Loads the starter dictionaries of schemas/entities/, compiled into the program.
  void load_builtin();
  // Loads a dictionary file (format: schemas/entities/README.md). Throws Error{kConfig} when the
  // file cannot be read or has bad lines; the message names "FILE:LINE: problem" for every bad
  // line, and nothing of the file is loaded then. A later entry with an id already loaded adds
  // its aliases to that entity (and replaces its display name and type).
  void load_file(const std::string& path);
  // The same for text already in memory; origin names it in messages.
  void load_text(std::string_view tsv, std::string_view origin);

  std::size_t size() const;  // number of entities
  const EntityInfo* find(std::string_view id) const;
  // The alias keys under which the searcher should find the entity: its name, every alias, their
  // Latin forms, and for people the surname alone.
  std::vector<std::string> search_keys(std::string_view id) const;

 private:
  friend class Recognizer;
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

struct Mention {
  std::string id;
  EntityType type = EntityType::kOther;
  std::string name;  // display name: the gazetteer's, or the text's for a discovered name
  std::size_t token_begin = 0;  // [token_begin, token_end): indices into the tokens given
  std::size_t token_end = 0;
  bool discovered = false;  // found by the capitalisation rules, not in the gazetteer
};

// Finds entities in text. One per thread; the gazetteer must outlive it and not change.
class Recognizer {
 public:
  explicit Recognizer(const Gazetteer& gazetteer);
  ~Recognizer();
  Recognizer(Recognizer&&) noexcept;
  Recognizer(const Recognizer&) = delete;
  Recognizer& operator=(const Recognizer&) = delete;

  // Starts a new article: forgets the people named so far (a bare surname resolves only to a
  // person named in full earlier in the same article).
  void begin_article();
  // Appends to out the mentions in text, whose tokens (analysis::Tokenizer over exactly this
  // text) are given, in text order. Call for the title, then the body, of one article.
  void recognize(std::string_view text, const std::vector<analysis::Token>& tokens,
                 std::vector<Mention>& out);
  // The alias keys under which a mention's entity should be findable (Gazetteer::search_keys for
  // gazetteer entities; for discovered ones the name's key, its Latin form and, for people, the
  // surname).
  std::vector<std::string> search_keys(const Mention& m) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace sitrep::entities
