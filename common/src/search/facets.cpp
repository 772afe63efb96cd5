#include "sitrep/search/facets.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>

#include <xxhash.h>

#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/store/metadata.hpp"
#include "sitrep/util/error.hpp"

namespace sitrep::search {

namespace {

constexpr Facet kAllFacets[] = {Facet::kPerson,   Facet::kPlace, Facet::kOrg,   Facet::kSource,
                                Facet::kLanguage, Facet::kYear,  Facet::kMonth, Facet::kDay};

// Matches a FacetSpy with a column collects before counting them (FacetSpy::flush).
constexpr std::size_t kBatch = 1024;

// A timeline longer than this is refused rather than written out (a day timeline over 270 years).
constexpr std::size_t kMaxTimelinePeriods = 100000;

// "YYYYMMDD" -> yyyymmdd as a number; 0 when s is not 8 digits.
std::uint32_t day_key(std::string_view s) {
  if (s.size() != 8) return 0;
  std::uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return v;
}

std::optional<std::chrono::year_month_day> to_ymd(std::uint32_t key) {
  const std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(key / 10000)),
                                        std::chrono::month(key / 100 % 100),
                                        std::chrono::day(key % 100)};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::string format_day(const std::chrono::year_month_day& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::string format_month(const std::chrono::year_month& m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(m.year()),
                static_cast<unsigned>(m.month()));
  return buf;
}

// The Monday of the ISO week of d.
std::chrono::sys_days week_start(std::chrono::sys_days d) {
  const unsigned iso = std::chrono::weekday(d).iso_encoding();  // 1 = Monday .. 7 = Sunday
  return d - std::chrono::days(iso - 1);
}

std::string format_week(std::chrono::sys_days d) {
  // The ISO year is the year of the week's Thursday; week 1 holds the year's first Thursday.
  const std::chrono::sys_days thursday = week_start(d) + std::chrono::days(3);
  const std::chrono::year y = std::chrono::year_month_day(thursday).year();
  const std::chrono::sys_days jan1{y / std::chrono::January / 1};
  const int week = static_cast<int>((thursday - jan1).count() / 7 + 1);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-W%02d", static_cast<int>(y), week);
  return buf;
}

std::string period_of_key(std::uint32_t key, Interval interval) {
  const auto ymd = to_ymd(key);
  if (!ymd) return {};
  switch (interval) {
    case Interval::kDay:
      return format_day(*ymd);
    case Interval::kWeek:
      return format_week(std::chrono::sys_days(*ymd));
    case Interval::kMonth:
      return format_month(ymd->year() / ymd->month());
  }
  return {};
}

using Ranked = std::vector<std::pair<std::string_view, Xapian::doccount>>;

// The top `limit` of ranked by count (descending), then value (ascending): deterministic.
void top(Ranked& ranked, std::size_t limit) {
  auto better = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  const std::size_t n = std::min(limit, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                    better);
  ranked.resize(n);
}

}  // namespace

std::string_view facet_name(Facet f) {
  switch (f) {
    case Facet::kPerson:
      return schema::field::kPerson;
    case Facet::kPlace:
      return schema::field::kPlace;
    case Facet::kOrg:
      return schema::field::kOrg;
    case Facet::kSource:
      return schema::field::kSource;
    case Facet::kLanguage:
      return schema::field::kLanguage;
    case Facet::kYear:
      return "year";
    case Facet::kMonth:
      return "month";
    case Facet::kDay:
      return "day";
  }
  return {};
}

std::optional<Facet> parse_facet(std::string_view name) {
  for (Facet f : kAllFacets) {
    if (facet_name(f) == name) return f;
  }
  return std::nullopt;
}

const std::vector<Facet>& default_facets() {
  static const std::vector<Facet> facets{Facet::kPerson, Facet::kPlace,    Facet::kOrg,
                                         Facet::kSource, Facet::kLanguage, Facet::kYear};
  return facets;
}

std::vector<Facet> parse_facet_list(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  if (trim(text).empty()) return default_facets();
  std::vector<Facet> out;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view name = trim(text.substr(0, comma));
    if (name == "default") {
      for (Facet d : default_facets()) {
        if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
      }
      if (comma == std::string_view::npos) break;
      text.remove_prefix(comma + 1);
      continue;
    }
    const auto f = parse_facet(name);
    if (!f) {
      std::string known;
      for (Facet k : kAllFacets) {
        if (!known.empty()) known += ',';
        known += facet_name(k);
      }
      throw Error(
          ErrorKind::kUsage,
          "facets: unknown facet \"" + std::string(name) + "\" (known: " + known + " or default)",
          "facets");
    }
    if (std::find(out.begin(), out.end(), *f) == out.end()) out.push_back(*f);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::string_view interval_name(Interval i) {
  switch (i) {
    case Interval::kDay:
      return "day";
    case Interval::kWeek:
      return "week";
    case Interval::kMonth:
      return "month";
  }
  return {};
}

std::optional<Interval> parse_interval(std::string_view name) {
  for (Interval i : {Interval::kDay, Interval::kWeek, Interval::kMonth}) {
    if (interval_name(i) == name) return i;
  }
  return std::nullopt;
}

std::string period_of(std::string_view yyyymmdd, Interval interval) {
  const std::uint32_t key = day_key(yyyymmdd);
  return key == 0 ? std::string() : period_of_key(key, interval);
}

FacetSpy::FacetSpy(const Xapian::Database& db, std::vector<Facet> facets, bool dates,
                   const store::FacetColumn* column)
    : m_db(db), m_facets(std::move(facets)), m_column(column) {
  m_dates = dates;
  m_stream.slot = schema::slot::kFacets;
  for (Facet f : m_facets) {
    switch (f) {
      case Facet::kPerson:
      case Facet::kPlace:
      case Facet::kOrg:
        m_entities = true;
        break;
      case Facet::kSource:
        m_source = true;
        break;
      case Facet::kLanguage:
        m_language = true;
        break;
      default:
        m_dates = true;
    }
  }
  if (m_column) {
    if (m_entities) {
      m_col_entities.assign(m_column->entity_count(), {});
    }
    if (m_source) m_col_sources.assign(m_column->source_count(), 0);
    if (m_language) m_col_languages.assign(m_column->language_count(), 0);
    if (m_dates) m_col_days.assign(m_column->day_count(), 0);
    m_pending.reserve(kBatch);
  }
}

void ValueCounts::bump(std::string_view value) {
  if (m_slots.empty()) m_slots.resize(64);
  const std::uint64_t h = XXH3_64bits(value.data(), value.size());
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
    Slot& s = m_slots[i];
    if (s.count == 0) {
      s.hash = h;
      s.offset = static_cast<std::uint32_t>(m_arena.size());
      s.length = static_cast<std::uint32_t>(value.size());
      s.count = 1;
      m_arena.append(value);
      if (++m_size * 2 > m_slots.size()) grow();  // load factor at most 1/2
      return;
    }
    if (s.hash == h && s.length == value.size() &&
        std::string_view(m_arena).substr(s.offset, s.length) == value) {
      ++s.count;
      return;
    }
  }
}

void ValueCounts::grow() {
  std::vector<Slot> old(m_slots.size() * 2);
  old.swap(m_slots);
  const std::size_t mask = m_slots.size() - 1;
  for (const Slot& s : old) {
    if (s.count == 0) continue;
    std::size_t i = static_cast<std::size_t>(s.hash) & mask;
    while (m_slots[i].count != 0) i = (i + 1) & mask;
    m_slots[i] = s;
  }
}

void KeyCounts::grow() {
  std::vector<Slot> old(m_slots.size() * 2);
  old.swap(m_slots);
  m_mask = m_slots.size() - 1;
  for (const Slot& s : old) {
    if (s.count == 0) continue;
    std::size_t i = static_cast<std::size_t>(s.key) & m_mask;
    while (m_slots[i].count != 0) i = (i + 1) & m_mask;
    m_slots[i] = s;
  }
}

bool FacetSpy::read(Stream& s, Xapian::docid did, std::string& out) {
  if (!s.open || did <= s.last) {
    s.it = m_db.valuestream_begin(s.slot);
    s.open = true;
  }
  s.last = did;
  if (s.it == m_db.valuestream_end(s.slot)) return false;
  if (s.it.get_docid() < did) {
    s.it.skip_to(did);
    if (s.it == m_db.valuestream_end(s.slot)) return false;
  }
  if (s.it.get_docid() != did) return false;
  out = *s.it;
  return !out.empty();
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  ++m_seen;
  if (m_deadline && (m_seen & 255) == 0 && std::chrono::steady_clock::now() > *m_deadline) {
    throw Error(ErrorKind::kTimeout,
                "counting facets did not finish within the time limit (timeout_ms); narrow "
                "the query or raise the limit",
                setting::kTimeoutMs.name);
  }
  if (m_column) {
    m_pending.push_back(doc.get_docid());
    if (m_pending.size() >= kBatch) flush();
  } else {
    count_slot(doc.get_docid());
  }
}

namespace {

// Adds one to the count of each entity number of a record (Ref: its width), remembering the first
// document of each; sets any[t] for each type t present. The numbers are ascending, and each
// type's are one run: [0, place) people, [place, org) places, [org, ...) organisations.
template <class Ref, class Counts>
void count_refs(const unsigned char* p, std::uint32_t n, Counts& counts, Xapian::docid did,
                std::uint32_t place, std::uint32_t org, bool (&any)[3]) {
  const std::size_t size = counts.size();
  std::uint32_t lo = 0, hi = 0;  // the first and last number counted
  bool counted = false, places = false;
  for (std::uint32_t i = 0; i < n; ++i) {
    Ref e;
    std::memcpy(&e, p + i * sizeof(Ref), sizeof(Ref));
    if (e >= size) continue;  // a damaged record: numbers beyond the table are not counted
    auto& c = counts[e];
    if (c.count++ == 0) c.first = did;
    if (!counted) lo = e, counted = true;
    hi = e;
    places |= static_cast<std::uint32_t>(e - place) < org - place;
  }
  if (!counted) return;
  any[0] |= lo < place;
  any[1] |= places;
  any[2] |= hi >= org;
}

}  // namespace

void FacetSpy::flush() const {
  // Prefetching this far ahead covers a miss to memory at the counting rate of a record.
  constexpr std::size_t kAhead = 8;
  const std::size_t n = m_pending.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 2 * kAhead < n) m_column->prefetch_offset(m_pending[i + 2 * kAhead]);
    if (i + kAhead < n) m_column->prefetch(m_pending[i + kAhead]);
    count_column(m_pending[i]);
  }
  m_pending.clear();
}

void FacetSpy::count_column(Xapian::docid did) const {
  store::FacetColumn::Record r;
  if (!m_column->record(did, r)) r = {};  // no facet data
  if (m_entities) {
    bool any[3] = {false, false, false};
    const std::uint32_t place = m_column->type_begin(1), org = m_column->type_begin(2);
    if (m_column->ref_width() == 2) {
      count_refs<std::uint16_t>(r.refs, r.n, m_col_entities, did, place, org, any);
    } else {
      count_refs<std::uint32_t>(r.refs, r.n, m_col_entities, did, place, org, any);
    }
    for (int k = 0; k < 3; ++k) m_no_entity[k] += any[k] ? 0 : 1;
  }
  if (m_source) {
    if (r.source < m_col_sources.size()) {
      ++m_col_sources[r.source];
    } else {
      ++m_no_source;
    }
  }
  if (m_language) {
    if (r.language < m_col_languages.size()) {
      ++m_col_languages[r.language];
    } else {
      ++m_no_language;
    }
  }
  if (m_dates) {
    if (r.day < m_col_days.size()) {
      ++m_col_days[r.day];
    } else {
      ++m_undated;
    }
  }
}

void FacetSpy::count_slot(Xapian::docid did) {
  // One value read per match: every facet lives in slot kFacets (facet_slot.hpp).
  bool any[3] = {false, false, false};
  bool has_source = false, has_language = false;
  std::uint32_t key = 0;
  if (read(m_stream, did, m_value)) {
    if (const auto f = schema::decode_facets(m_value)) {
      if (m_entities) {
        const std::size_t n = f->entity_count();
        for (std::size_t i = 0; i < n; ++i) {
          const std::uint64_t k = f->entity(i);
          const auto type =
              static_cast<std::size_t>(schema::entity_type_code(schema::entity_key_type(k)));
          if (type < 3) {  // other names are not counted
            m_entity_counts[type].bump(k, did);
            any[type] = true;
          }
        }
      }
      if (m_source && !f->source.empty()) m_sources.bump(f->source), has_source = true;
      if (m_language && !f->language.empty()) m_languages.bump(f->language), has_language = true;
      key = f->day;
    }
  }
  if (m_entities) {
    for (int k = 0; k < 3; ++k) m_no_entity[k] += any[k] ? 0 : 1;
  }
  if (m_source && !has_source) ++m_no_source;
  if (m_language && !has_language) ++m_no_language;
  if (m_dates) {
    if (key == 0) {
      ++m_undated;
    } else if (key == m_last_day) {
      ++*m_last_day_count;
    } else {
      m_last_day = key;
      m_last_day_count = &++m_days[key];  // unordered_map nodes stay put
    }
  }
}

template <class Fn>
void FacetSpy::for_each_day(Fn&& fn) const {
  if (m_column) {
    for (std::uint32_t i = 0; i < m_col_days.size(); ++i) {
      if (m_col_days[i] != 0) fn(m_column->day(i), m_col_days[i]);
    }
  } else {
    for (const auto& [key, n] : m_days) fn(key, n);
  }
}

std::vector<FacetResult> FacetSpy::results(std::size_t limit) const {
  if (m_column) flush();
  std::vector<FacetResult> out;
  for (Facet f : m_facets) {
    FacetResult r;
    r.facet = f;
    Ranked ranked;
    std::map<std::string, Xapian::doccount> periods;  // keeps the strings ranked points into
    const ValueCounts* counts = nullptr;
    switch (f) {
      case Facet::kPerson:
      case Facet::kPlace:
      case Facet::kOrg: {
        const auto type = static_cast<std::size_t>(
            schema::entity_type_code(f == Facet::kPerson  ? schema::EntityType::kPerson
                                     : f == Facet::kPlace ? schema::EntityType::kPlace
                                                          : schema::EntityType::kOrg));
        r.missing = m_no_entity[type];
        if (m_column) {
          r.values = top_column_entities(static_cast<int>(type), limit, r.distinct);
        } else {
          r.distinct = m_entity_counts[type].size();
          r.values = top_entities(m_entity_counts[type], limit);
        }
        out.push_back(std::move(r));
        continue;
      }
      case Facet::kSource:
        counts = &m_sources, r.missing = m_no_source;
        break;
      case Facet::kLanguage:
        counts = &m_languages, r.missing = m_no_language;
        break;
      case Facet::kYear:
      case Facet::kMonth:
      case Facet::kDay: {
        const std::size_t len = f == Facet::kYear ? 4 : f == Facet::kMonth ? 7 : 10;
        for_each_day([&](std::uint32_t key, Xapian::doccount n) {
          const auto ymd = to_ymd(key);
          if (ymd) periods[format_day(*ymd).substr(0, len)] += n;
        });
        for (const auto& [p, n] : periods) ranked.emplace_back(p, n);
        r.missing = m_undated;
        break;
      }
    }
    if (m_column && (f == Facet::kSource || f == Facet::kLanguage)) {
      const bool source = f == Facet::kSource;
      const std::vector<Xapian::doccount>& c = source ? m_col_sources : m_col_languages;
      for (std::uint32_t i = 0; i < c.size(); ++i) {
        if (c[i] != 0)
          ranked.emplace_back(source ? m_column->source(i) : m_column->language(i), c[i]);
      }
    } else if (counts) {
      ranked.reserve(counts->size());
      counts->for_each([&](std::string_view v, Xapian::doccount n) { ranked.emplace_back(v, n); });
    }
    r.distinct = ranked.size();
    top(ranked, limit);
    for (const auto& [v, n] : ranked)
      r.values.push_back({std::string(v), std::string(v), n, n, 0, {}});
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<FacetValue> FacetSpy::top_entities(const KeyCounts& counts, std::size_t limit) const {
  struct Entry {
    std::uint64_t key;
    Xapian::doccount count;
    Xapian::docid first;
  };
  std::vector<Entry> entries;
  entries.reserve(counts.size());
  counts.for_each([&](std::uint64_t key, Xapian::doccount n, Xapian::docid first) {
    entries.push_back({key, n, first});
  });
  // By count, then by the first matching article that names the entity (index order), then key:
  // deterministic without reading any id but the ones shown.
  const std::size_t n = std::min(limit, entries.size());
  std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(n),
                    entries.end(), [](const Entry& a, const Entry& b) {
                      if (a.count != b.count) return a.count > b.count;
                      if (a.first != b.first) return a.first < b.first;
                      return a.key < b.key;
                    });
  entries.resize(n);

  // The ids: from the entity terms of each first document, each termlist read once.
  std::map<Xapian::docid, std::vector<std::size_t>> by_doc;
  for (std::size_t i = 0; i < entries.size(); ++i) by_doc[entries[i].first].push_back(i);
  std::vector<std::string> ids(entries.size());
  for (const auto& doc : by_doc) {
    // Not a structured binding: clang (the fuzz build) cannot capture one in the lambda below.
    const Xapian::docid did = doc.first;
    const std::vector<std::size_t>& wanted = doc.second;
    std::size_t found = 0;
    schema::terms::for_each_entity_term(m_db.termlist_begin(did), m_db.termlist_end(did),
                                        [&](schema::EntityType type, std::string_view id) {
                                          if (found == wanted.size()) return;
                                          const std::uint64_t key = schema::entity_key(type, id);
                                          for (std::size_t i : wanted) {
                                            if (entries[i].key == key && ids[i].empty())
                                              ids[i] = id, ++found;
                                          }
                                        });
  }
  std::vector<FacetValue> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    // An id not found (the database changed under us) is left out rather than shown as a hash.
    if (ids[i].empty()) continue;
    out.push_back(
        {ids[i], entity_display_name(m_db, ids[i]), entries[i].count, entries[i].count, 0, {}});
  }
  return out;
}

std::vector<FacetValue> FacetSpy::top_column_entities(int t, std::size_t limit,
                                                      std::size_t& distinct) const {
  std::vector<std::uint32_t> counted;
  for (std::uint32_t e = m_column->type_begin(t); e < m_column->type_begin(t + 1); ++e) {
    if (m_col_entities[e].count != 0) counted.push_back(e);
  }
  distinct = counted.size();
  // The order of top_entities(): count, then first matching article, then key (the column's
  // entity order).
  const std::size_t n = std::min(limit, counted.size());
  std::partial_sort(counted.begin(), counted.begin() + static_cast<std::ptrdiff_t>(n),
                    counted.end(), [&](std::uint32_t a, std::uint32_t b) {
                      const EntityCount &x = m_col_entities[a], &y = m_col_entities[b];
                      if (x.count != y.count) return x.count > y.count;
                      if (x.first != y.first) return x.first < y.first;
                      return a < b;
                    });
  std::vector<FacetValue> out;
  for (std::size_t i = 0; i < n; ++i) {
    const store::FacetColumn::Entity e = m_column->entity(counted[i]);
    if (e.id.empty()) continue;  // a key without an id: left out, as top_entities() does
    const Xapian::doccount c = m_col_entities[counted[i]].count;
    out.push_back({std::string(e.id), std::string(e.name), c, c, 0, {}});
  }
  return out;
}

Timeline FacetSpy::timeline(Interval interval) const {
  if (m_column) flush();
  Timeline t;
  t.interval = interval;
  t.undated = m_undated;
  std::uint32_t lo = 0, hi = 0;
  std::map<std::string, Xapian::doccount> counts;
  for_each_day([&](std::uint32_t key, Xapian::doccount n) {
    const std::string p = period_of_key(key, interval);
    if (p.empty()) {
      t.undated += n;  // not a calendar day (never written by the indexer): no date to show
      return;
    }
    counts[p] += n;
    if (lo == 0 || key < lo) lo = key;
    if (key > hi) hi = key;
  });
  if (counts.empty()) return t;
  using namespace std::chrono;
  const sys_days first{*to_ymd(lo)}, last{*to_ymd(hi)};
  std::size_t span = 0;
  switch (interval) {
    case Interval::kDay:
      span = static_cast<std::size_t>((last - first).count()) + 1;
      break;
    case Interval::kWeek:
      span = static_cast<std::size_t>((week_start(last) - week_start(first)).count() / 7) + 1;
      break;
    case Interval::kMonth: {
      const year_month a = year_month_day(first).year() / year_month_day(first).month();
      const year_month b = year_month_day(last).year() / year_month_day(last).month();
      span = static_cast<std::size_t>((b - a).count()) + 1;
      break;
    }
  }
  if (span > kMaxTimelinePeriods) {
    throw Error(ErrorKind::kUsage,
                "timeline " + std::string(interval_name(interval)) + " would have " +
                    std::to_string(span) + " periods (" + format_day(*to_ymd(lo)) + " to " +
                    format_day(*to_ymd(hi)) + "); use a longer interval or a narrower date range",
                "timeline");
  }
  t.periods.reserve(span);
  auto emit = [&](std::string period) {
    const auto it = counts.find(period);
    const Xapian::doccount n = it == counts.end() ? 0 : it->second;
    t.periods.push_back({std::move(period), {}, {}, n, n, 0});
  };
  switch (interval) {
    case Interval::kDay:
      for (sys_days d = first; d <= last; d += days(1)) emit(format_day(year_month_day(d)));
      break;
    case Interval::kWeek:
      for (sys_days d = week_start(first); d <= last; d += days(7)) emit(format_week(d));
      break;
    case Interval::kMonth: {
      year_month m = year_month_day(first).year() / year_month_day(first).month();
      const year_month end = year_month_day(last).year() / year_month_day(last).month();
      for (; m <= end; m += months(1)) emit(format_month(m));
      break;
    }
  }
  return t;
}

std::string entity_display_name(const Xapian::Database& db, std::string_view id) {
  return store::entity_name(db, id);
}

}  // namespace sitrep::search
