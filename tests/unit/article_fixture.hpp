#pragma once
// Articles for tests that build small databases by hand: one made up, or the sample archive.

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <xapian.h>

#include "sitrep/index/document.hpp"
#include "sitrep/schema/article.hpp"
#include "sitrep/schema/entity_type.hpp"
#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"

namespace sitrep::test {

// date: anything schema::parse_timestamp accepts, or "" for an undated article.
inline schema::Article make_article(const std::string& id, const std::string& title,
                                    const std::string& body, const std::string& lang,
                                    const std::string& source, const std::string& date) {
  schema::Article a;
  a.id = id;
  a.title = title;
  a.body = body;
  a.language = lang;
  a.source = source;
  if (!date.empty()) a.published = schema::parse_timestamp(date);
  return a;
}

// An entity given to a hand-built document, as the recogniser would name it.
struct Entity {
  schema::EntityType type;
  std::string id;
};

// Gives doc (made by DocumentBuilder) these entities as the indexer does: each one's key in slot
// kFacets (after the date, source and language already there) and its entity term.
inline void add_entities(Xapian::Document& doc, const std::vector<Entity>& entities) {
  std::string slot = doc.get_value(schema::slot::kFacets);
  for (const Entity& e : entities) {
    schema::append_entity(slot, e.type, e.id);
    doc.add_boolean_term(std::string(schema::entity_prefix(e.type)) + e.id);
  }
  doc.add_value(schema::slot::kFacets, slot);
}

// Every record of the bundled sample archive (SITREP_SAMPLE_ARCHIVE, set by tests/CMakeLists.txt).
inline std::vector<schema::Article> load_sample_archive() {
  std::ifstream in(SITREP_SAMPLE_ARCHIVE);
  REQUIRE_MESSAGE(in, "cannot read " SITREP_SAMPLE_ARCHIVE);
  std::vector<schema::Article> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto r = schema::article_from_json_text(line);
    REQUIRE_MESSAGE(r.article, r.error);
    out.push_back(*r.article);
  }
  return out;
}

// The article ids of every document of db that query matches.
inline std::set<std::string> matching_ids(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enq(db);
  enq.set_query(query);
  std::set<std::string> ids;
  const Xapian::MSet mset = enq.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it)
    ids.insert(schema::deserialise_article(it.get_document().get_data()).id);
  return ids;
}

}  // namespace sitrep::test
