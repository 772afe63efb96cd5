#include "sitrep/index/document.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "sitrep/analysis/language.hpp"
#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/util/utf8.hpp"

namespace sitrep::index {

using namespace schema;

DocumentBuilder::DocumentBuilder(const entities::Gazetteer* gazetteer) {
  if (gazetteer) m_recognizer = std::make_unique<entities::Recognizer>(*gazetteer);
}

Lexicon DocumentBuilder::take_lexicon() { return std::exchange(m_lexicon, {}); }

void DocumentBuilder::add_entities(Xapian::Document& doc, std::string& slot_value) {
  // One entry per id; a typed mention wins over an untyped one.
  std::map<std::string_view, const entities::Mention*> by_id;
  for (const entities::Mention& m : m_mentions) {
    auto [it, inserted] = by_id.try_emplace(m.id, &m);
    if (!inserted && it->second->type == EntityType::kOther) it->second = &m;
  }
  std::string term;
  for (const auto& [id, m] : by_id) {
    const EntityType type = m->type;
    term = entity_prefix(type);
    term += id;
    doc.add_boolean_term(term);
    append_entity(slot_value, type, id);
    auto [seen, fresh] = m_seen.try_emplace(m->id, type);
    if (fresh || (seen->second == EntityType::kOther && type != EntityType::kOther)) {
      seen->second = type;
      store::merge_entry(m_lexicon, m->id, {type, m->name, m_recognizer->search_keys(*m)});
    }
  }
}

void DocumentBuilder::set_boilerplate_counts(const analysis::LineCounts* counts,
                                             const analysis::StoredCounts* stored,
                                             bool counts_include_article) {
  m_boilerplate.set_counts(counts, stored, counts_include_article);
}

void DocumentBuilder::index_text(Xapian::Document& doc, std::string_view text,
                                 const std::string& lang, Xapian::termpos& pos, bool title,
                                 const std::vector<analysis::SuppressedLine>* suppressed) {
  const std::vector<analysis::Token>& tokens = m_analyzer.tokenize(text);
  const std::size_t first_mention = m_mentions.size();
  if (m_recognizer) m_recognizer->recognize(text, tokens, m_mentions);
  // Whether token k lies in a suppressed line (the lines are in text order, so one cursor).
  m_in_boilerplate.clear();
  if (suppressed && !suppressed->empty()) {
    m_in_boilerplate.resize(tokens.size());
    std::size_t line = 0;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      while (line < suppressed->size() && (*suppressed)[line].end <= tokens[k].begin) ++line;
      m_in_boilerplate[k] =
          line < suppressed->size() && (*suppressed)[line].begin <= tokens[k].begin;
    }
    // Entities named only in boilerplate ("Photo: Reuters") are not the article's.
    m_mentions.erase(std::remove_if(m_mentions.begin() + static_cast<std::ptrdiff_t>(first_mention),
                                    m_mentions.end(),
                                    [&](const entities::Mention& m) {
                                      return m.token_begin < m_in_boilerplate.size() &&
                                             m_in_boilerplate[m.token_begin];
                                    }),
                     m_mentions.end());
  }
  m_analyzer.index(doc, tokens, title ? analysis::Field::kTitle : analysis::Field::kBody, lang, pos,
                   m_in_boilerplate);
}

Xapian::Document DocumentBuilder::build(const Article& a, std::string& language_out) {
  std::string lang = a.language;
  if (lang.empty()) lang = analysis::detect_language(a.title, a.body);
  if (lang.empty()) lang = "und";
  language_out = lang;

  Xapian::Document doc;
  Xapian::termpos pos = 0;
  m_mentions.clear();
  if (m_recognizer) m_recognizer->begin_article();
  index_text(doc, a.title, lang, pos, /*title=*/true);
  pos += kTitleBodyGap;
  const std::string source = analysis::keyword(a.source);
  m_suppressed.clear();
  m_line_keys.clear();
  if (m_boilerplate_enabled) m_boilerplate.detect(source, a.body, m_suppressed, &m_line_keys);
  index_text(doc, a.body, lang, pos, /*title=*/false, &m_suppressed);
  if (!m_suppressed.empty()) {
    doc.add_value(slot::kBoilerplate, analysis::encode_suppressed(m_suppressed));
  }
  for (const std::uint64_t key : m_line_keys) doc.add_boolean_term(terms::boilerplate_line(key));
  // facet_slot.hpp: day, source, language, then the entities' keys.
  std::uint32_t day = 0;  // a year outside 1..9999 (a time zone moved 0001-01-01 back) has none
  if (a.published && a.published->year >= 1 && a.published->year <= 9999) {
    day = static_cast<std::uint32_t>(a.published->year * 10000 + a.published->month * 100 +
                                     a.published->day);
  }
  std::string facets = encode_facet_head(day, utf8::truncate(a.source, kMaxFacetString),
                                         utf8::truncate(lang, kMaxFacetString));
  if (m_recognizer) add_entities(doc, facets);
  doc.add_value(slot::kFacets, facets);

  doc.add_boolean_term(terms::id(a.id));
  doc.add_boolean_term(terms::language(lang));
  if (!source.empty()) doc.add_boolean_term(terms::source(source));
  if (a.published) {
    const std::string ymd = a.published->ymd();
    doc.add_boolean_term(terms::year(ymd));
    doc.add_boolean_term(terms::month(ymd));
    doc.add_boolean_term(terms::day(ymd));
    doc.add_value(slot::kDate, ymd);
    doc.add_value(slot::kDateTime, a.published->ymdhms());
    doc.add_value(slot::kHasDate, "1");
  } else {
    doc.add_boolean_term(terms::no_date());
    doc.add_value(slot::kHasDate, "0");
  }
  doc.add_value(slot::kContentHash, content_hash(a));
  doc.set_data(serialise_article(a, lang));
  return doc;
}

}  // namespace sitrep::index
