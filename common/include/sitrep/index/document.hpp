#pragma once
// Article -> Xapian::Document: the indexing half of the shared analysis pipeline.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "sitrep/analysis/analyzer.hpp"
#include "sitrep/analysis/boilerplate.hpp"
#include "sitrep/entities/entities.hpp"
#include "sitrep/schema/article.hpp"
#include "sitrep/store/metadata.hpp"

namespace sitrep::index {

using store::Lexicon;
using store::LexiconEntry;

// Not thread-safe (owns an Analyzer and a Recognizer): use one per thread.
class DocumentBuilder {
 public:
  // gazetteer: recognise entities with it (it must outlive the builder); nullptr: no entities.
  explicit DocumentBuilder(const entities::Gazetteer* gazetteer = nullptr);

  // Builds the document for a: the terms of its title and body (analysis::Analyzer), entity terms,
  // boolean filter terms, date and facet values, and the stored record (JSON) as document data.
  // Detects the language when a.language is empty; the language used is returned through
  // language_out. Entities seen for the first time by this builder go into its lexicon.
  // Boilerplate lines of the body (analysis/boilerplate.hpp) are indexed under the XB prefixes
  // instead of as plain terms and Z stems, their entities are left out, and slot::kBoilerplate
  // records them; every line that can recur gets its schema::terms::boilerplate_line term.
  Xapian::Document build(const schema::Article& a, std::string& language_out);

  // The line counts recurrence is judged by (see BoilerplateDetector::set_counts); by default
  // none, so only the patterns apply. The pointers must outlive the builds.
  void set_boilerplate_counts(const analysis::LineCounts* counts,
                              const analysis::StoredCounts* stored, bool counts_include_article);

  // false: no boilerplate detection at all (every line indexed as text, no line terms).
  void set_boilerplate_enabled(bool enabled) { m_boilerplate_enabled = enabled; }

  // The suppressed lines of the last build()'s body.
  const std::vector<analysis::SuppressedLine>& suppressed() const { return m_suppressed; }

  // The entities met since the last call (or since construction), emptied.
  Lexicon take_lexicon();

 private:
  void index_text(Xapian::Document& doc, std::string_view text, const std::string& lang,
                  Xapian::termpos& pos, bool title,
                  const std::vector<analysis::SuppressedLine>* suppressed = nullptr);
  void add_entities(Xapian::Document& doc, std::string& slot_value);
  analysis::Analyzer m_analyzer;
  std::vector<char> m_in_boilerplate;  // by token of the text being indexed
  std::unique_ptr<entities::Recognizer> m_recognizer;
  std::vector<entities::Mention> m_mentions;
  std::map<std::string, schema::EntityType> m_seen;  // ids already in the lexicon, with their type
  Lexicon m_lexicon;
  analysis::BoilerplateDetector m_boilerplate;
  std::vector<analysis::SuppressedLine> m_suppressed;
  std::vector<std::uint64_t> m_line_keys;
  bool m_boilerplate_enabled = true;
};

}  // namespace sitrep::index
