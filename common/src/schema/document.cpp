#include "sitrep/schema/document.hpp"

#include <algorithm>
#include <set>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "sitrep/analysis/language.hpp"
#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/util/utf8.hpp"

namespace sitrep::schema {

namespace {

std::string with_prefix(std::string_view prefix, std::string_view value) {
  std::string t(prefix);
  t += value;
  return t;
}

// Xapian refuses metadata keys longer than this (the B-tree's key limit, with some room).
constexpr std::size_t kMaxMetadataKey = 200;

}  // namespace

std::vector<std::string> indexed_languages(const Xapian::Database& db) {
  std::set<std::string> sorted;
  std::istringstream in(db.get_metadata(std::string(meta::kLanguages)));
  for (std::string l; in >> l;) sorted.insert(std::move(l));
  return {sorted.begin(), sorted.end()};
}

void add_indexed_languages(Xapian::WritableDatabase& db, const std::set<std::string>& languages) {
  const std::vector<std::string> have = indexed_languages(db);
  std::set<std::string> all(have.begin(), have.end());
  all.insert(languages.begin(), languages.end());
  std::string value;
  for (const std::string& l : all) value += (value.empty() ? "" : " ") + l;
  db.set_metadata(std::string(meta::kLanguages), value);
}

namespace {

// Adds one entry to a lexicon: see merge_lexicon().
void merge_entry(Lexicon& into, const std::string& id, const LexiconEntry& e) {
  auto [it, inserted] = into.try_emplace(id, e);
  if (inserted) return;
  LexiconEntry& have = it->second;
  if (have.type == 'X' && e.type != 'X') have.type = e.type;
  for (const std::string& k : e.keys) {
    if (std::find(have.keys.begin(), have.keys.end(), k) == have.keys.end()) {
      have.keys.push_back(k);
    }
  }
}

}  // namespace

void merge_lexicon(Lexicon& into, const Lexicon& from) {
  for (const auto& [id, e] : from) merge_entry(into, id, e);
}

void write_lexicon(Xapian::WritableDatabase& db, const Lexicon& lexicon) {
  std::map<std::string, std::set<std::string>> ids_by_key;
  for (const auto& [id, e] : lexicon) {
    const std::string entity_key = std::string(meta::kEntityPrefix) + id;
    if (entity_key.size() > kMaxMetadataKey) continue;
    const std::string stored = db.get_metadata(entity_key);
    // A stored type other than X wins: the first typed mention names the entity.
    if (stored.empty() || (stored[0] == 'X' && e.type != 'X')) {
      db.set_metadata(entity_key, std::string(1, e.type) + e.name);
    }
    for (const std::string& k : e.keys) ids_by_key[k].insert(id);
  }
  for (const auto& [key, ids] : ids_by_key) {
    const std::string alias_key = std::string(meta::kAliasPrefix) + key;
    if (key.empty() || alias_key.size() > kMaxMetadataKey) continue;
    const std::string stored = db.get_metadata(alias_key);
    std::set<std::string> all(ids);
    std::string_view rest = stored;
    while (!rest.empty()) {
      const std::size_t sp = rest.find(' ');
      if (sp != 0) all.emplace(rest.substr(0, sp));
      if (sp == std::string_view::npos) break;
      rest.remove_prefix(sp + 1);
    }
    std::string value;
    for (const std::string& id : all) value += (value.empty() ? "" : " ") + id;
    if (value != stored) db.set_metadata(alias_key, value);
  }
}

DocumentBuilder::DocumentBuilder(const entities::Gazetteer* gazetteer) {
  if (gazetteer) m_recognizer = std::make_unique<entities::Recognizer>(*gazetteer);
}

Lexicon DocumentBuilder::take_lexicon() { return std::exchange(m_lexicon, {}); }

void DocumentBuilder::add_entities(Xapian::Document& doc, std::string& slot_value) {
  // One entry per id; a typed mention wins over an untyped one.
  std::map<std::string_view, const entities::Mention*> by_id;
  for (const entities::Mention& m : m_mentions) {
    auto [it, inserted] = by_id.try_emplace(m.id, &m);
    if (!inserted && it->second->type == entities::EntityType::kOther) it->second = &m;
  }
  std::string term;
  for (const auto& [id, m] : by_id) {
    const char type = static_cast<char>(m->type);
    term = entity_prefix(type);
    term += id;
    doc.add_boolean_term(term);
    append_entity(slot_value, type, id);
    auto [seen, fresh] = m_seen.try_emplace(m->id, type);
    if (fresh || (seen->second == 'X' && type != 'X')) {
      seen->second = type;
      merge_entry(m_lexicon, m->id, {type, m->name, m_recognizer->search_keys(*m)});
    }
  }
}

void DocumentBuilder::index_text(Xapian::Document& doc, std::string_view text,
                                 const std::string& lang, Xapian::termpos& pos, bool title) {
  m_tokens.clear();
  m_tokenizer.tokenize(text, m_tokens);
  const Xapian::termcount inc = title ? kTitleWeight : 1;
  std::string z(prefix::kStem);
  std::string s(prefix::kTitle);
  std::string zs(prefix::kStem);
  zs += prefix::kTitle;
  if (m_recognizer) m_recognizer->recognize(text, m_tokens, m_mentions);
  for (const analysis::Token& tok : m_tokens) {
    ++pos;
    doc.add_posting(tok.term, pos, inc);
    const std::string& stem = m_stemmers.stem(lang, tok.term);
    z.resize(prefix::kStem.size());
    z += stem;
    doc.add_term(z, inc);
    if (title) {
      s.resize(prefix::kTitle.size());
      s += tok.term;
      doc.add_posting(s, pos);
      zs.resize(prefix::kStem.size() + prefix::kTitle.size());
      zs += stem;
      doc.add_term(zs);
    }
  }
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
  index_text(doc, a.body, lang, pos, /*title=*/false);
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

  doc.add_boolean_term(with_prefix(prefix::kId, a.id));
  doc.add_boolean_term(with_prefix(prefix::kLanguage, lang));
  const std::string source = analysis::keyword(a.source);
  if (!source.empty()) {
    doc.add_boolean_term(with_prefix(prefix::kSource, utf8::truncate(source, 200)));
  }
  if (a.published) {
    const std::string ymd = a.published->ymd();
    doc.add_boolean_term(with_prefix(prefix::kYear, ymd.substr(0, 4)));
    doc.add_boolean_term(with_prefix(prefix::kMonth, ymd.substr(0, 6)));
    doc.add_boolean_term(with_prefix(prefix::kDay, ymd));
    doc.add_value(slot::kDate, ymd);
    doc.add_value(slot::kDateTime, a.published->ymdhms());
    doc.add_value(slot::kHasDate, "1");
  } else {
    doc.add_boolean_term(std::string(prefix::kNoDate));
    doc.add_value(slot::kHasDate, "0");
  }
  doc.add_value(slot::kContentHash, content_hash(a));
  doc.set_data(serialise_article(a, lang));
  return doc;
}

}  // namespace sitrep::schema
