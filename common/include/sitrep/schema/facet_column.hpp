#pragma once
// The facet column: a copy of value slot kFacets (facet_slot.hpp) for one revision of a database,
// laid out by docid in a file beside the database's tables, so that counting facets over every
// match reads a fixed-size record and a few 4-byte entity numbers per match from memory (mmap)
// instead of a value from Xapian's values table (pread and copy of its blocks per match).
//
//   <database directory>/facets-<revision>.col
//
// Written by sitrep-index after its last commit of a run (IndexWriter::finish(), and for every
// new generation before the switch); read by the searcher's facet counter. It is a cache: the
// searcher uses it only when its revision is the one the searcher opened, and counts from slot
// kFacets otherwise (a database updated by a run still going on or killed, or made by a sitrep
// without it), with the same results. Writing a new column removes the older ones; a searcher
// that mapped one keeps reading it until it closes.
//
// The file, little-endian, every section aligned to 8 bytes:
//   Header
//   Doc[doc_limit + 1]          by docid (0 unused); refs of doc d: refs[d.refs .. (d+1).refs)
//   u32 refs[n_refs]            entity numbers, ascending within a document
//   Entity[n_entities]          by key (so by type: person, place, organisation), keys unique
//   u32 days[n_days]            yyyymmdd, ascending
//   Text sources[n_sources], Text languages[n_languages]
//   blob                        the bytes of ids, names, sources and languages
// Only person, place and organisation entities are in it (the facets that exist).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <xapian.h>

namespace sitrep::schema {

class FacetColumn {
 public:
  static constexpr std::uint32_t kNone = 0xffffffff;  // no day / source / language

  struct Doc {
    std::uint32_t refs;      // first entity number's index in refs
    std::uint32_t day;       // index in days, or kNone (undated, or no facet value)
    std::uint32_t source;    // index in sources, or kNone
    std::uint32_t language;  // index in languages, or kNone
  };
  struct Entity {
    std::uint64_t key;  // entity_key(type, id)
    std::string_view id, name;
  };
  struct Text;  // the file's records (facet_column.cpp)
  struct EntityRecord;

  // The column of db's current revision in dir (the directory db was opened from); nullptr when
  // there is none, or it is not for exactly this revision, or it is malformed (then the caller
  // reads slot kFacets). Never throws for a bad file.
  static std::unique_ptr<FacetColumn> open(const std::string& dir, const Xapian::Database& db);

  ~FacetColumn();
  FacetColumn(const FacetColumn&) = delete;
  FacetColumn& operator=(const FacetColumn&) = delete;

  // Documents with a record: docids below limit().
  Xapian::docid limit() const { return m_limit; }
  // did's record; nullptr beyond limit().
  const Doc* doc(Xapian::docid did) const { return did < m_limit ? m_docs + did : nullptr; }
  // did's entity numbers (below entity_count()); empty beyond limit().
  std::span<const std::uint32_t> refs(Xapian::docid did) const {
    if (did >= m_limit) return {};
    const std::uint32_t b = m_docs[did].refs, e = m_docs[did + 1].refs;
    if (b > e || e > m_refs_n) return {};  // a damaged record counts no entity
    return {m_refs + b, e - b};
  }

  std::uint32_t entity_count() const { return m_entities_n; }
  // Entity numbers of type code t (0 person, 1 place, 2 organisation) are [type_begin(t),
  // type_begin(t + 1)); type_begin(3) == entity_count().
  std::uint32_t type_begin(int t) const { return m_type_begin[t]; }
  Entity entity(std::uint32_t i) const;

  std::uint32_t day_count() const { return m_days_n; }
  std::uint32_t day(std::uint32_t i) const { return m_days[i]; }
  std::uint32_t source_count() const { return m_sources_n; }
  std::string_view source(std::uint32_t i) const { return text(m_sources, i); }
  std::uint32_t language_count() const { return m_languages_n; }
  std::string_view language(std::uint32_t i) const { return text(m_languages, i); }

 private:
  FacetColumn() = default;
  std::string_view text(const Text* table, std::uint32_t i) const;
  std::string_view blob(std::uint64_t off, std::uint64_t len) const;

  void* m_map = nullptr;
  std::size_t m_size = 0;
  Xapian::docid m_limit = 0;
  const Doc* m_docs = nullptr;
  const std::uint32_t* m_refs = nullptr;
  std::uint32_t m_refs_n = 0;
  const EntityRecord* m_entities = nullptr;
  std::uint32_t m_entities_n = 0;
  std::uint32_t m_type_begin[4] = {0, 0, 0, 0};
  const std::uint32_t* m_days = nullptr;
  std::uint32_t m_days_n = 0;
  const Text* m_sources = nullptr;
  std::uint32_t m_sources_n = 0;
  const Text* m_languages = nullptr;
  std::uint32_t m_languages_n = 0;
  const char* m_blob = nullptr;
  std::uint64_t m_blob_n = 0;
};

struct FacetColumnStats {
  std::string path;  // the file written
  std::uint64_t revision = 0;
  std::size_t documents = 0, entities = 0, bytes = 0;
};

// Builds the column of the current revision of the database in dir from its slot kFacets, entity
// terms and entity lexicon, writes it to dir atomically (a temporary file renamed into place) and
// removes the columns of other revisions. Call with the write lock held, after the commit.
// Throws Error{kIo} when the file cannot be written.
FacetColumnStats write_facet_column(const std::string& dir);

// The column file name for a revision: "facets-<revision>.col".
std::string facet_column_name(std::uint64_t revision);

}  // namespace sitrep::schema
