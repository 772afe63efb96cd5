#include "sitrep/store/facet_column.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/store/metadata.hpp"
#include "sitrep/store/xapian_call.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/hash.hpp"

namespace sitrep::store {

using namespace schema;

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'S', 'R', 'F', 'A', 'C', 'E', 'T', '1'};
constexpr std::uint32_t kFormat = 3;  // 3: the checksum trailer (issue 11.8)
constexpr std::size_t kTrailer = 8;   // u64 checksum

// The file is read in place, so it is written in the host's order; only little-endian hosts
// (x86-64, arm64) write or read one, others always count from slot kFacets.
constexpr bool kLittle = std::endian::native == std::endian::little;

struct Header {
  char magic[8];
  std::uint32_t format;
  std::uint32_t schema_version;
  std::uint64_t revision;
  std::uint32_t doc_limit;
  std::uint32_t records_bytes;
  std::uint32_t n_entities;
  std::uint32_t n_days;
  std::uint32_t n_sources;
  std::uint32_t n_languages;
  std::uint32_t ref_width;
  std::uint32_t reserved;
  std::uint64_t off_offsets, off_records, off_entities, off_days, off_sources, off_languages,
      off_blob;
  std::uint64_t size;
};
static_assert(sizeof(Header) == 120);

}  // namespace

struct FacetColumn::Text {
  std::uint64_t off;
  std::uint64_t len;
};

struct FacetColumn::EntityRecord {
  std::uint64_t key;
  std::uint64_t off;     // id then name, in the blob
  std::uint32_t id_len;  // bytes
  std::uint32_t name_len;
};

std::string facet_column_name(std::uint64_t revision) {
  return "facets-" + std::to_string(revision) + ".col";
}

// ---- reading ----

const char* facet_column_state_name(FacetColumn::State state) {
  switch (state) {
    case FacetColumn::State::kPresent:
      return "present";
    case FacetColumn::State::kAbsent:
      return "absent";
    case FacetColumn::State::kOutdated:
      return "outdated";
    case FacetColumn::State::kDamaged:
      return "damaged";
  }
  return "damaged";
}

std::unique_ptr<FacetColumn> FacetColumn::open(const std::string& dir, const Xapian::Database& db,
                                               State* state) {
  State ignored;
  State& found = state ? *state : ignored;
  found = State::kAbsent;
  if constexpr (!kLittle) return nullptr;
  std::uint64_t revision = 0;
  Xapian::docid last = 0;
  if (!xapian_ok([&] {
        revision = db.get_revision();
        last = db.get_lastdocid();
      })) {
    return nullptr;
  }
  const std::string path = (fs::path(dir) / facet_column_name(revision)).string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  found = State::kDamaged;  // until it has passed every check below
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(sizeof(Header) + kTrailer)) {
    ::close(fd);
    return nullptr;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return nullptr;
  std::unique_ptr<FacetColumn> c(new FacetColumn);
  c->m_map = map;
  c->m_size = size;

  Header h;
  std::memcpy(&h, map, sizeof h);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) == 0 &&
      (h.format != kFormat || h.schema_version != static_cast<std::uint32_t>(kSchemaVersion))) {
    found = State::kOutdated;  // written by another sitrep: the next run writes this one's
    return nullptr;
  }
  // Every byte but the trailer is covered by the checksum in the trailer.
  const char* base = static_cast<const char*>(map);
  std::uint64_t checksum = 0;
  std::memcpy(&checksum, base + size - kTrailer, kTrailer);
  if (checksum != hash64(std::string_view(base, size - kTrailer))) return nullptr;
  // Each section must lie inside the file, in order, aligned for its records.
  auto section = [&](std::uint64_t off, std::uint64_t count, std::uint64_t record,
                     std::uint64_t next) {
    return off % 8 == 0 && off >= sizeof(Header) && off <= size && count <= (size - off) / record &&
           off + count * record <= next;
  };
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.format != kFormat ||
      h.schema_version != static_cast<std::uint32_t>(kSchemaVersion) || h.revision != revision ||
      h.size != size || h.doc_limit != last + 1 || (h.ref_width != 2 && h.ref_width != 4) ||
      !section(h.off_offsets, std::uint64_t{h.doc_limit} + 1, 4, h.off_records) ||
      !section(h.off_records, h.records_bytes, 1, h.off_entities) ||
      !section(h.off_entities, h.n_entities, sizeof(EntityRecord), h.off_days) ||
      !section(h.off_days, h.n_days, 4, h.off_sources) ||
      !section(h.off_sources, h.n_sources, sizeof(Text), h.off_languages) ||
      !section(h.off_languages, h.n_languages, sizeof(Text), h.off_blob) ||
      h.off_blob > size - kTrailer) {
    return nullptr;  // the destructor unmaps
  }
  c->m_limit = h.doc_limit;
  c->m_offsets = reinterpret_cast<const std::uint32_t*>(base + h.off_offsets);
  c->m_records = reinterpret_cast<const unsigned char*>(base + h.off_records);
  c->m_records_n = h.records_bytes;
  c->m_ref_width = h.ref_width;
  c->m_entities = reinterpret_cast<const EntityRecord*>(base + h.off_entities);
  c->m_entities_n = h.n_entities;
  c->m_days = reinterpret_cast<const std::uint32_t*>(base + h.off_days);
  c->m_days_n = h.n_days;
  c->m_sources = reinterpret_cast<const Text*>(base + h.off_sources);
  c->m_sources_n = h.n_sources;
  c->m_languages = reinterpret_cast<const Text*>(base + h.off_languages);
  c->m_languages_n = h.n_languages;
  c->m_blob = base + h.off_blob;
  c->m_blob_n = size - kTrailer - h.off_blob;
  // Entities are sorted by key, so each type is one run: find the runs' starts.
  // (Only types 0 to 2 are written, so type_begin(3) is the entity count.)
  for (int t = 0; t < 4; ++t) {
    const std::uint64_t first_key = static_cast<std::uint64_t>(t) << 62;
    const EntityRecord* e =
        std::partition_point(c->m_entities, c->m_entities + c->m_entities_n,
                             [first_key](const EntityRecord& r) { return r.key < first_key; });
    c->m_type_begin[t] = static_cast<std::uint32_t>(e - c->m_entities);
  }
  found = State::kPresent;
  return c;
}

FacetColumn::~FacetColumn() {
  if (m_map) ::munmap(m_map, m_size);
}

std::string_view FacetColumn::blob(std::uint64_t off, std::uint64_t len) const {
  if (off > m_blob_n || len > m_blob_n - off) return {};
  return {m_blob + off, static_cast<std::size_t>(len)};
}

FacetColumn::Entity FacetColumn::entity(std::uint32_t i) const {
  const EntityRecord& r = m_entities[i];
  return {r.key, blob(r.off, r.id_len), blob(r.off + r.id_len, r.name_len)};
}

std::string_view FacetColumn::text(const Text* table, std::uint32_t i) const {
  return blob(table[i].off, table[i].len);
}

// ---- writing ----

namespace {

template <class T>
void append_pod(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void align8(std::string& out) { out.resize((out.size() + 7) / 8 * 8, '\0'); }

// Numbers distinct strings in first-seen order.
struct StringTable {
  std::unordered_map<std::string, std::uint32_t> index;
  std::vector<const std::string*> order;
  std::uint32_t number(std::string_view s) {
    auto [it, added] = index.try_emplace(std::string(s), static_cast<std::uint32_t>(order.size()));
    if (added) order.push_back(&it->first);
    return it->second;
  }
};

}  // namespace

namespace {

// The entities of the column: one per entity term of a counted type, named from the lexicon.
struct Entities {
  struct Ent {
    std::uint64_t key;
    std::string id, name;
  };
  std::vector<Ent> list;
  std::unordered_map<std::uint64_t, std::uint32_t> by_key;  // key -> index in list

  // The number of key; a key without a term (cannot happen for documents sitrep wrote) is
  // counted, unnamed, and so never shown, as the slot reader does with an id it cannot find.
  std::uint32_t number(std::uint64_t key) {
    auto [it, added] = by_key.try_emplace(key, static_cast<std::uint32_t>(list.size()));
    if (added) list.push_back({key, {}, {}});
    return it->second;
  }
};

Entities read_entities(const Xapian::Database& db) {
  Entities out;
  const Lexicon lexicon = read_lexicon(db, /*with_keys=*/false);
  const std::string pfx(terms::kAnyEntity);
  for (auto t = db.allterms_begin(pfx); t != db.allterms_end(pfx); ++t) {
    const std::string term = *t;
    if (term.size() <= pfx.size() + 1) continue;
    const std::optional<EntityType> type = entity_type_from_letter(term[pfx.size()]);
    if (!type || *type == EntityType::kOther) continue;  // other names are not counted
    std::string id = term.substr(pfx.size() + 1);
    const std::uint64_t key = entity_key(*type, id);
    if (out.by_key.count(key)) continue;  // two ids sharing 62 hash bits: counted as one anyway
    auto e = lexicon.find(id);
    std::string name = e == lexicon.end() || e->second.name.empty() ? id : e->second.name;
    out.by_key.emplace(key, static_cast<std::uint32_t>(out.list.size()));
    out.list.push_back({key, std::move(id), std::move(name)});
  }
  return out;
}

// The documents' facet data, from slot kFacets in docid order.
struct Documents {
  struct Doc {
    std::uint32_t refs = 0;  // the first of its entity numbers in refs
    std::uint32_t source = FacetColumn::kNone, language = FacetColumn::kNone;
    bool has_value = false;
  };
  Xapian::docid last = 0;
  std::vector<Doc> docs;  // by docid, to last + 1: doc d's entities are refs[docs[d].refs,
                          // docs[d + 1].refs)
  std::vector<std::uint32_t> refs;
  std::vector<std::uint32_t> day;  // by docid: yyyymmdd (0: undated), then the day's number
  StringTable sources, languages;
};

// One document's value into d (the next record of out).
void add_document(const std::string& value, Xapian::docid did, Entities& entities, Documents& out) {
  Documents::Doc& d = out.docs[did];
  d.refs = static_cast<std::uint32_t>(out.refs.size());
  const auto f = decode_facets(value);
  if (!f) return;  // counted as a document without facet data, as the slot reader does
  d.has_value = true;
  out.day[did] = f->day;
  if (!f->source.empty()) d.source = out.sources.number(f->source);
  if (!f->language.empty()) d.language = out.languages.number(f->language);
  const std::size_t begin = out.refs.size();
  for (std::size_t i = 0; i < f->entity_count(); ++i) {
    const std::uint64_t key = f->entity(i);
    if (entity_key_type(key) != EntityType::kOther) out.refs.push_back(entities.number(key));
  }
  const auto first = out.refs.begin() + static_cast<std::ptrdiff_t>(begin);
  std::sort(first, out.refs.end());
  out.refs.erase(std::unique(first, out.refs.end()), out.refs.end());
}

Documents read_documents(const Xapian::Database& db, Xapian::docid last, Entities& entities) {
  Documents out;
  out.last = last;
  out.docs.resize(std::size_t{last} + 2);
  out.day.assign(std::size_t{last} + 1, 0);
  Xapian::docid next = 1;  // the first docid whose record is not filled in yet
  auto close_until = [&](Xapian::docid did) {
    for (; next < did; ++next) out.docs[next].refs = static_cast<std::uint32_t>(out.refs.size());
  };
  for (auto v = db.valuestream_begin(slot::kFacets); v != db.valuestream_end(slot::kFacets); ++v) {
    const Xapian::docid did = v.get_docid();
    if (did > last) break;
    close_until(did);
    ++next;
    add_document(*v, did, entities, out);
  }
  close_until(last + 2);
  return out;
}

// False when the records cannot hold the numbers (never seen in practice): no column then.
bool fits(const Documents& d) {
  if (d.sources.order.size() >= FacetColumn::kNone || d.languages.order.size() >= 0xffff) {
    return false;
  }
  for (Xapian::docid i = 1; i <= d.last; ++i) {
    if (d.docs[i + 1].refs - d.docs[i].refs > 0xffff) return false;
  }
  return true;
}

// Entities by key: returns the entities' indexes in key order, and renumbers d.refs to match,
// kept ascending within each document.
std::vector<std::uint32_t> order_entities(const Entities& entities, Documents& d) {
  const std::vector<Entities::Ent>& ents = entities.list;
  std::vector<std::uint32_t> order(ents.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return ents[a].key < ents[b].key; });
  std::vector<std::uint32_t> renumber(ents.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) renumber[order[i]] = i;
  for (std::uint32_t& r : d.refs) r = renumber[r];
  for (Xapian::docid i = 1; i <= d.last; ++i) {
    std::sort(d.refs.begin() + d.docs[i].refs, d.refs.begin() + d.docs[i + 1].refs);
  }
  return order;
}

// The distinct days, ascending; d.day becomes each document's day number (kNone: undated).
std::vector<std::uint32_t> number_days(Documents& d) {
  std::vector<std::uint32_t> days;
  for (Xapian::docid i = 1; i <= d.last; ++i) {
    if (d.day[i] != 0) days.push_back(d.day[i]);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  for (Xapian::docid i = 1; i <= d.last; ++i) {
    d.day[i] = d.day[i] == 0
                   ? FacetColumn::kNone
                   : static_cast<std::uint32_t>(
                         std::lower_bound(days.begin(), days.end(), d.day[i]) - days.begin());
  }
  return days;
}

// The records section into records and their offsets (by docid, to last + 1); false when it is
// too big for 32-bit offsets.
bool encode_records(const Documents& d, unsigned ref_width, std::string& records,
                    std::vector<std::uint32_t>& offsets) {
  offsets.assign(std::size_t{d.last} + 2, 0);
  for (Xapian::docid i = 1; i <= d.last; ++i) {
    offsets[i] = static_cast<std::uint32_t>(records.size());
    if (!d.docs[i].has_value) continue;
    const std::uint32_t b = d.docs[i].refs, e = d.docs[i + 1].refs;
    append_pod(records, d.day[i]);
    append_pod(records, d.docs[i].source);
    append_pod(records, static_cast<std::uint16_t>(d.docs[i].language));
    append_pod(records, static_cast<std::uint16_t>(e - b));
    for (std::uint32_t r = b; r < e; ++r) {
      if (ref_width == 2) {
        append_pod(records, static_cast<std::uint16_t>(d.refs[r]));
      } else {
        append_pod(records, d.refs[r]);
      }
    }
    records.resize((records.size() + 3) / 4 * 4, '\0');
    if (records.size() >= 0xffffffffu) return false;
  }
  offsets[d.last + 1] = static_cast<std::uint32_t>(records.size());
  return true;
}

// The header's counts; the section offsets are filled in as they are written.
Header column_header(std::uint64_t revision, const Entities& entities, const Documents& d,
                     const std::vector<std::uint32_t>& days, bool wide) {
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.format = kFormat;
  h.schema_version = static_cast<std::uint32_t>(kSchemaVersion);
  h.revision = revision;
  h.doc_limit = d.last + 1;
  h.n_entities = static_cast<std::uint32_t>(entities.list.size());
  h.n_days = static_cast<std::uint32_t>(days.size());
  h.n_sources = static_cast<std::uint32_t>(d.sources.order.size());
  h.n_languages = static_cast<std::uint32_t>(d.languages.order.size());
  h.ref_width = entities.list.size() <= 0xffff && !wide ? 2 : 4;
  return h;
}

// The whole file for revision (layout in facet_column.hpp), checksum included; empty when it
// cannot be written (records beyond 32-bit offsets).
std::string encode_file(std::uint64_t revision, const Entities& entities,
                        const std::vector<std::uint32_t>& order, const Documents& d,
                        const std::vector<std::uint32_t>& days, bool wide) {
  Header h = column_header(revision, entities, d, days, wide);
  std::string records;
  std::vector<std::uint32_t> offsets;
  if (!encode_records(d, h.ref_width, records, offsets)) return {};
  h.records_bytes = static_cast<std::uint32_t>(records.size());

  std::string out(sizeof(Header), '\0');
  std::string blob;
  h.off_offsets = out.size();
  out.append(reinterpret_cast<const char*>(offsets.data()), offsets.size() * 4);
  align8(out);
  h.off_records = out.size();
  out += records;
  align8(out);
  h.off_entities = out.size();
  for (std::uint32_t i : order) {
    const Entities::Ent& e = entities.list[i];
    FacetColumn::EntityRecord r{e.key, blob.size(), static_cast<std::uint32_t>(e.id.size()),
                                static_cast<std::uint32_t>(e.name.size())};
    blob += e.id;
    blob += e.name;
    append_pod(out, r);
  }
  h.off_days = out.size();
  out.append(reinterpret_cast<const char*>(days.data()), days.size() * 4);
  align8(out);
  auto texts = [&](const StringTable& t) {
    for (const std::string* s : t.order) {
      append_pod(out, FacetColumn::Text{blob.size(), s->size()});
      blob += *s;
    }
  };
  h.off_sources = out.size();
  texts(d.sources);
  h.off_languages = out.size();
  texts(d.languages);
  h.off_blob = out.size();
  out += blob;
  h.size = out.size() + kTrailer;
  std::memcpy(out.data(), &h, sizeof h);
  append_pod(out, hash64(out));
  return out;
}

// Removes the columns of other revisions than name's from dir: first, so that a failed write
// leaves none (no searcher opens them any more; one that mapped one keeps it).
void remove_other_columns(const std::string& dir, const std::string& name) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string other = entry.path().filename().string();
    if (other != name && other.starts_with("facets-") && other.ends_with(".col")) {
      std::error_code ignored;
      fs::remove(entry.path(), ignored);
    }
  }
}

// Writes bytes to dir/name through a temporary file renamed into place.
void write_atomically(const std::string& dir, const std::string& name, const std::string& bytes) {
  const fs::path final_path = fs::path(dir) / name;
  const fs::path tmp = fs::path(dir) / (".facets-" + std::to_string(::getpid()) + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(ErrorKind::kIo, "cannot write " + tmp.string() + ": " + std::strerror(errno));
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw Error(ErrorKind::kIo, "cannot write " + tmp.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(ErrorKind::kIo, "cannot write " + final_path.string() + ": " + ec.message());
  }
}

// The column's bytes for db's current revision; empty when there is to be none.
std::string build_column(const std::string& dir, const Xapian::Database& db, bool wide) {
  if (FacetColumn::open(dir, db)) return {};  // already written (a run that changed nothing)
  const Xapian::docid last = db.get_lastdocid();
  if (last >= 0xfffffff0u) return {};  // no room for the sentinel record: no column
  Entities entities = read_entities(db);
  Documents docs = read_documents(db, last, entities);
  if (!fits(docs)) return {};  // counting reads the slot
  const std::vector<std::uint32_t> order = order_entities(entities, docs);
  const std::vector<std::uint32_t> days = number_days(docs);
  return encode_file(db.get_revision(), entities, order, docs, days, wide);
}

}  // namespace

void write_facet_column(const std::string& dir, bool wide) {
  if constexpr (!kLittle) return;
  std::uint64_t revision = 0;
  const std::string bytes = xapian_call({"cannot write the facet column of", dir}, [&] {
    Xapian::Database db(dir);
    revision = db.get_revision();
    return build_column(dir, db, wide);
  });
  if (bytes.empty()) return;
  const std::string name = facet_column_name(revision);
  remove_other_columns(dir, name);
  write_atomically(dir, name, bytes);
}

}  // namespace sitrep::store
