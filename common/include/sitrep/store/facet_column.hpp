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
//   u32 offsets[doc_limit + 1]  by docid (0 unused): doc d's record is records[offsets[d] ..
//                               offsets[d + 1]), empty when d has no facet data
//   records                     per document: u32 day, u32 source, u16 language (numbers in the
//                               tables below; all ones: none), u16 n, then n entity numbers of
//                               ref_width bytes, ascending; padded to 4 bytes
//   Entity[n_entities]          by key (so by type: person, place, organisation), keys unique
//   u32 days[n_days]            yyyymmdd, ascending
//   Text sources[n_sources], Text languages[n_languages]
//   blob                        the bytes of ids, names, sources and languages
//   u64 checksum                XXH3-64 (sitrep::hash64) of every byte before it
// Only person, place and organisation entities are in it (the facets that exist).
// The checksum (format 3, issue 11.8) is verified when the column is opened: a damaged column is
// ignored, as an absent one is, and the facets are counted from the slot. The whole file is
// hashed once per open (the first faceted search of a Searcher or revision): for the 1.1 MB column
// of a 20k-document archive, XXH3 takes 0.25 ms from memory and 0.9-2 ms through the fresh
// mapping (it faults in the pages a broad query's counting pass reads anyway), about 1% of a
// one-shot faceted search (measured on a loaded 2-core machine). Per-block checksums verified
// as blocks are read would spare narrow queries on very large archives that cost.

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <xapian.h>

namespace sitrep::store {

class FacetColumn {
 public:
  static constexpr std::uint32_t kNone = 0xffffffff;  // no day / source / language

  // A document's facet data: day, source and language numbers (kNone: none) and its entity
  // numbers, n of them, each ref_width() bytes at refs.
  struct Record {
    std::uint32_t day = kNone, source = kNone, language = kNone;
    std::uint32_t n = 0;
    const unsigned char* refs = nullptr;
  };
  struct Entity {
    std::uint64_t key;  // entity_key(type, id)
    std::string_view id, name;
  };
  struct Text;  // the file's records (facet_column.cpp)
  struct EntityRecord;

  // What open() found.
  enum class State {
    kPresent,   // the column of this revision, whole
    kAbsent,    // none for this revision (or a big-endian host, where none is ever used)
    kOutdated,  // one in a format or schema version this sitrep does not read
    kDamaged,   // one that fails its checksum or its structure
  };
  // The column of db's current revision in dir (the directory db was opened from); nullptr when
  // there is none, or it is not for exactly this revision, or it is outdated or damaged (then the
  // caller reads slot kFacets), and what it found in *state when state is given. Never throws for
  // a bad file. Reads the whole file once (checksum).
  static std::unique_ptr<FacetColumn> open(const std::string& dir, const Xapian::Database& db,
                                           State* state = nullptr);

  ~FacetColumn();
  FacetColumn(const FacetColumn&) = delete;
  FacetColumn& operator=(const FacetColumn&) = delete;

  // Documents with a record: docids below limit().
  Xapian::docid limit() const { return m_limit; }
  // did's record into out; false when did has no facet data (or is beyond limit()).
  bool record(Xapian::docid did, Record& out) const {
    if (did >= m_limit) return false;
    const std::uint32_t b = m_offsets[did], e = m_offsets[did + 1];
    if (e <= b || e > m_records_n || e - b < 12) return false;
    const unsigned char* p = m_records + b;
    std::uint16_t language, n;
    std::memcpy(&out.day, p, 4);
    std::memcpy(&out.source, p + 4, 4);
    std::memcpy(&language, p + 8, 2);
    std::memcpy(&n, p + 10, 2);
    out.language = language == 0xffff ? kNone : language;
    out.n = std::uint32_t{n} * m_ref_width <= e - b - 12 ? n : 0;  // a damaged record: none
    out.refs = p + 12;
    return true;
  }
  // Asks the CPU to fetch did's record into its cache (a hint; no effect beyond limit()).
  void prefetch(Xapian::docid did) const {
    if (did < m_limit) __builtin_prefetch(m_records + m_offsets[did]);
  }
  // The same for the offset that prefetch(did) reads (fetch it a little earlier).
  void prefetch_offset(Xapian::docid did) const {
    if (did < m_limit) __builtin_prefetch(m_offsets + did);
  }
  // Bytes per entity number: 2 when there are at most 65535 entities, else 4.
  unsigned ref_width() const { return m_ref_width; }

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
  const std::uint32_t* m_offsets = nullptr;
  const unsigned char* m_records = nullptr;
  std::uint32_t m_records_n = 0;
  unsigned m_ref_width = 4;
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

// Builds the column of the current revision of the database in dir from its slot kFacets, entity
// terms and entity lexicon, writes it to dir atomically (a temporary file renamed into place) and
// removes the columns of other revisions. Call with the write lock held, after the commit.
// Throws Error{kIo} when the file cannot be written. Writes none (searches then count from the
// slot) on a big-endian host or beyond the format's numbers: 2^32 docids or record bytes, 2^32
// sources, 65535 languages or entities in one article. wide: 4-byte entity numbers even when 2
// would do (for tests of that layout, which real archives reach at 65536 entities).
void write_facet_column(const std::string& dir, bool wide = false);

// The column file name for a revision: "facets-<revision>.col".
std::string facet_column_name(std::uint64_t revision);

// "present", "absent", "outdated" or "damaged" (sitrep-index stats).
const char* facet_column_state_name(FacetColumn::State state);

}  // namespace sitrep::store
