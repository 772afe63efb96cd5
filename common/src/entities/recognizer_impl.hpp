#pragma once
// The recogniser's state and rules, shared by its source files:
//   recognizer.cpp     the pass over the tokens: gazetteer matches first, then the organisation
//                      rules, then runs of capitalised words; the public Recognizer
//   discovery.cpp      a run of capitalised words -> the names in it and their types
//   organisations.cpp  organisations: quoted names, acronyms, Russian and Ukrainian names whose
//                      later words are lower case; emitting gazetteer and discovered mentions
// The text is read through a Passage (passage.hpp), the gazetteer through a GazetteerMatcher
// (gazetteer_match.hpp); the article so far is an ArticleMemory (article_memory.hpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "article_memory.hpp"
#include "gazetteer_impl.hpp"
#include "gazetteer_match.hpp"
#include "passage.hpp"
#include "text_shape.hpp"
#include "word_lists.hpp"

#include "sitrep/entities/entities.hpp"

namespace sitrep::entities {

struct Recognizer::Impl {
  explicit Impl(const Gazetteer::Impl& g) : gaz(g), matcher(g.trie, passage, memory.named) {}

  const Gazetteer::Impl& gaz;
  std::optional<analysis::Tokenizer> tokenizer;  // only for search_keys of discovered names
  detail::ArticleMemory memory;

  // Per call.
  detail::Passage passage;
  detail::GazetteerMatcher matcher;
  std::vector<Mention>* out = nullptr;
  std::size_t first_mention = 0;  // out->size() when this text started

  // ---- recognizer.cpp
  // Appends the mentions of the passage to *out.
  void recognize();
  // The end of the run of capitalised words that starts at token i (i < end).
  std::size_t run_end(std::size_t i);
  // A discovered name typed by a later mention (Mr Witkoff after Steve Witkoff) takes that type
  // in its earlier mentions of this text too.
  void retype_discovered();

  // ---- discovery.cpp
  void emit_discovered(const std::string& id, std::string name, EntityType type, std::size_t begin,
                       std::size_t end);
  // Tokens [begin, end) are a run of capitalised words (with connectors) that no gazetteer name
  // starts in. Emits the names in it.
  void process_run(std::size_t begin, std::size_t end);
  // A run with an organisation word: one organisation, two joined by "and", or an organisation
  // and the person its title names ("Army General Valery Gerasimov").
  void process_org_run(std::size_t begin, std::size_t end);
  void process_run_org(std::size_t begin, std::size_t end);
  void process_run_names(std::size_t begin, std::size_t end, std::optional<EntityType> context);
  // A name of one or more words [begin, end) from a run of capitalised words, with the type the
  // context gives it (nullopt: none).
  void emit_name(std::size_t begin, std::size_t end, std::optional<EntityType> context);
  void emit_one_word_name(std::size_t begin, std::size_t end, std::optional<EntityType> context);
  bool dateline_agency(std::size_t begin, std::size_t end);
  bool names_container(std::size_t begin, std::size_t end) const;
  bool org_run(std::size_t begin, std::size_t end) const;
  bool has_org_word(std::size_t begin, std::size_t end) const;
  bool names_person(std::size_t begin, std::size_t end);
  static bool person_title(std::string_view term);

  // ---- organisations.cpp
  void emit_gazetteer(std::uint32_t index, std::size_t begin, std::size_t end);
  void remember_org_suffixes(const Mention& m);
  void emit_org(std::size_t begin, std::size_t end);
  std::size_t quoted_org(std::size_t i);
  bool acronym(std::size_t i);
  bool bracketed_acronym(std::size_t i);
  bool defined_acronym(std::size_t i);
  std::size_t cyrillic_org(std::size_t i);
  std::size_t cyrillic_org_end(std::size_t i);
  std::optional<std::size_t> cyrillic_org_head(std::size_t i);
  std::size_t cyrillic_org_complements(std::size_t head, std::size_t& complements);
  std::size_t cyrillic_org_close(std::size_t k);
  static bool military_head(std::string_view form);

  // The passage, briefly.
  const analysis::Token& tok(std::size_t i) const { return passage.tok(i); }
  std::string_view original(std::size_t i) const { return passage.original(i); }
  std::string_view gap(std::size_t i) const { return passage.gap(i); }
  std::string_view after(std::size_t k) const { return passage.after(k); }
  detail::Shape shape(std::size_t i) { return passage.shape(i); }
};

}  // namespace sitrep::entities
