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
  try {
    revision = db.get_revision();
    last = db.get_lastdocid();
  } catch (const Xapian::Error&) {
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

void write_facet_column(const std::string& dir, bool wide) {
  if constexpr (!kLittle) return;
  try {
    Xapian::Database db(dir);
    const std::uint64_t revision = db.get_revision();
    if (FacetColumn::open(dir, db)) return;  // already written (a run that changed nothing)
    const Xapian::docid last = db.get_lastdocid();
    if (last >= 0xfffffff0u) return;  // no room for the sentinel record: no column

    // The entities: one per entity term of a counted type, named from the lexicon.
    struct Ent {
      std::uint64_t key;
      std::string id, name;
    };
    std::vector<Ent> ents;
    std::unordered_map<std::uint64_t, std::uint32_t> by_key;  // key -> index in ents
    {
      std::unordered_map<std::string, std::string> names;
      const std::string meta(meta::kEntityPrefix);
      for (auto k = db.metadata_keys_begin(meta); k != db.metadata_keys_end(meta); ++k) {
        const std::string value = db.get_metadata(*k);
        if (value.size() > 1) names.emplace((*k).substr(meta.size()), value.substr(1));
      }
      const std::string pfx(terms::kAnyEntity);
      for (auto t = db.allterms_begin(pfx); t != db.allterms_end(pfx); ++t) {
        const std::string term = *t;
        if (term.size() <= pfx.size() + 1) continue;
        const int code = entity_type_code(term[pfx.size()]);
        if (code < 0 || code > 2) continue;
        std::string id = term.substr(pfx.size() + 1);
        const std::uint64_t key = entity_key(term[pfx.size()], id);
        if (by_key.count(key)) continue;  // two ids sharing 62 hash bits: counted as one anyway
        auto n = names.find(id);
        std::string name = n == names.end() ? id : n->second;
        by_key.emplace(key, static_cast<std::uint32_t>(ents.size()));
        ents.push_back({key, std::move(id), std::move(name)});
      }
    }

    // The documents, from slot kFacets in docid order.
    struct Doc {
      std::uint32_t refs = 0;  // the first of its entity numbers in refs
      std::uint32_t source = FacetColumn::kNone, language = FacetColumn::kNone;
      bool has_value = false;
    };
    std::vector<Doc> docs(std::size_t{last} + 2);
    std::vector<std::uint32_t> refs;
    std::vector<std::uint32_t> raw_day(std::size_t{last} + 1, 0);
    StringTable sources, languages;
    Xapian::docid next = 1;  // the first docid whose record is not filled in yet
    auto close_until = [&](Xapian::docid did) {
      for (; next < did; ++next) docs[next].refs = static_cast<std::uint32_t>(refs.size());
    };
    for (auto v = db.valuestream_begin(slot::kFacets); v != db.valuestream_end(slot::kFacets);
         ++v) {
      const Xapian::docid did = v.get_docid();
      if (did > last) break;
      close_until(did);
      Doc& d = docs[did];
      d.refs = static_cast<std::uint32_t>(refs.size());
      ++next;
      const std::string value = *v;
      const auto f = decode_facets(value);
      if (!f) continue;  // counted as a document without facet data, as the slot reader does
      d.has_value = true;
      raw_day[did] = f->day;
      if (!f->source.empty()) d.source = sources.number(f->source);
      if (!f->language.empty()) d.language = languages.number(f->language);
      const std::size_t begin = refs.size();
      for (std::size_t i = 0; i < f->entity_count(); ++i) {
        const std::uint64_t key = f->entity(i);
        if ((key >> 62) > 2) continue;
        auto it = by_key.find(key);
        if (it == by_key.end()) {
          // A key without a term (cannot happen for documents sitrep wrote): counted, unnamed,
          // and so never shown, as the slot reader does with an id it cannot find.
          it = by_key.emplace(key, static_cast<std::uint32_t>(ents.size())).first;
          ents.push_back({key, {}, {}});
        }
        refs.push_back(it->second);
      }
      std::sort(refs.begin() + static_cast<std::ptrdiff_t>(begin), refs.end());
      refs.erase(std::unique(refs.begin() + static_cast<std::ptrdiff_t>(begin), refs.end()),
                 refs.end());
    }
    close_until(last + 2);
    // Numbers the records cannot hold (never seen in practice): no column; counting reads the slot.
    if (sources.order.size() >= FacetColumn::kNone || languages.order.size() >= 0xffff) return;
    for (Xapian::docid d = 1; d <= last; ++d) {
      if (docs[d + 1].refs - docs[d].refs > 0xffff) return;
    }

    // Entities by key; refs renumbered to match, and kept ascending within each document.
    std::vector<std::uint32_t> order(ents.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return ents[a].key < ents[b].key; });
    std::vector<std::uint32_t> renumber(ents.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) renumber[order[i]] = i;
    for (std::uint32_t& r : refs) r = renumber[r];
    for (Xapian::docid d = 1; d <= last; ++d) {
      std::sort(refs.begin() + docs[d].refs, refs.begin() + docs[d + 1].refs);
    }
    // Days: distinct, ascending.
    std::vector<std::uint32_t> days;
    for (Xapian::docid d = 1; d <= last; ++d) {
      if (raw_day[d] != 0) days.push_back(raw_day[d]);
    }
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    // raw_day becomes the day number (kNone: undated).
    for (Xapian::docid d = 1; d <= last; ++d) {
      if (raw_day[d] == 0) {
        raw_day[d] = FacetColumn::kNone;
        continue;
      }
      raw_day[d] = static_cast<std::uint32_t>(
          std::lower_bound(days.begin(), days.end(), raw_day[d]) - days.begin());
    }

    // The file.
    std::string blob;
    std::string out(sizeof(Header), '\0');
    Header h{};
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.format = kFormat;
    h.schema_version = static_cast<std::uint32_t>(kSchemaVersion);
    h.revision = revision;
    h.doc_limit = last + 1;
    h.n_entities = static_cast<std::uint32_t>(ents.size());
    h.n_days = static_cast<std::uint32_t>(days.size());
    h.n_sources = static_cast<std::uint32_t>(sources.order.size());
    h.n_languages = static_cast<std::uint32_t>(languages.order.size());
    h.ref_width = ents.size() <= 0xffff && !wide ? 2 : 4;
    // The records, and their offsets.
    std::string records;
    std::vector<std::uint32_t> offsets(std::size_t{last} + 2, 0);
    for (Xapian::docid d = 1; d <= last; ++d) {
      offsets[d] = static_cast<std::uint32_t>(records.size());
      if (!docs[d].has_value) continue;
      const std::uint32_t b = docs[d].refs, e = docs[d + 1].refs;
      const std::uint16_t n = static_cast<std::uint16_t>(e - b);
      const std::uint16_t language = static_cast<std::uint16_t>(docs[d].language);
      append_pod(records, raw_day[d]);
      append_pod(records, docs[d].source);
      append_pod(records, language);
      append_pod(records, n);
      for (std::uint32_t i = b; i < e; ++i) {
        if (h.ref_width == 2) {
          append_pod(records, static_cast<std::uint16_t>(refs[i]));
        } else {
          append_pod(records, refs[i]);
        }
      }
      records.resize((records.size() + 3) / 4 * 4, '\0');
      if (records.size() >= 0xffffffffu) return;  // too big for 32-bit offsets: no column
    }
    offsets[last + 1] = static_cast<std::uint32_t>(records.size());
    h.records_bytes = static_cast<std::uint32_t>(records.size());
    h.off_offsets = out.size();
    out.append(reinterpret_cast<const char*>(offsets.data()), offsets.size() * 4);
    align8(out);
    h.off_records = out.size();
    out += records;
    align8(out);
    h.off_entities = out.size();
    for (std::uint32_t i : order) {
      const Ent& e = ents[i];
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
    texts(sources);
    h.off_languages = out.size();
    texts(languages);
    h.off_blob = out.size();
    out += blob;
    h.size = out.size() + kTrailer;
    std::memcpy(out.data(), &h, sizeof h);
    append_pod(out, hash64(out));

    const fs::path final_path = fs::path(dir) / facet_column_name(revision);
    // Older revisions' columns first, so that a failed write leaves none: no searcher opens them
    // any more (one that mapped one keeps it).
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name != final_path.filename().string() && name.starts_with("facets-") &&
          name.ends_with(".col")) {
        std::error_code ignored;
        fs::remove(entry.path(), ignored);
      }
    }
    const fs::path tmp = fs::path(dir) / (".facets-" + std::to_string(::getpid()) + ".tmp");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw Error(ErrorKind::kIo, "cannot write " + tmp.string() + ": " + std::strerror(errno));
    }
    std::size_t done = 0;
    while (done < out.size()) {
      const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
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
    fs::rename(tmp, final_path, ec);
    if (ec) {
      fs::remove(tmp, ec);
      throw Error(ErrorKind::kIo, "cannot write " + final_path.string() + ": " + ec.message());
    }
  } catch (const Xapian::Error& e) {
    throw Error(ErrorKind::kIo,
                "cannot write the facet column of " + dir + ": " + e.get_description());
  }
}

}  // namespace sitrep::store
