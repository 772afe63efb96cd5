#include "sitrep/search/facets.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>

#include <unicode/locid.h>
#include <unicode/unistr.h>
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

// The first month of m's quarter.
std::chrono::year_month quarter_start(const std::chrono::year_month& m) {
  const unsigned first = (static_cast<unsigned>(m.month()) - 1) / 3 * 3 + 1;
  return m.year() / std::chrono::month(first);
}

std::string format_quarter(const std::chrono::year_month& m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-Q%u", static_cast<int>(m.year()),
                (static_cast<unsigned>(m.month()) - 1) / 3 % 4 + 1);
  return buf;
}

std::string format_year(int y) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", y);
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
    case Interval::kQuarter:
      return format_quarter(ymd->year() / ymd->month());
    case Interval::kYear:
      return format_year(static_cast<int>(ymd->year()));
    case Interval::kAuto:
      break;
  }
  return {};
}

// yyyymmdd of a day.
std::uint32_t key_of(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd(d);
  return static_cast<std::uint32_t>(static_cast<int>(ymd.year())) * 10000 +
         static_cast<unsigned>(ymd.month()) * 100 + static_cast<unsigned>(ymd.day());
}

// A value of a facet and its counts; `count` is the one it is ranked by.
struct Ranked {
  std::string_view value;
  Xapian::doccount count, articles, stories;
};

// The top `limit` of ranked by count (descending), then value (ascending): deterministic.
void top(std::vector<Ranked>& ranked, std::size_t limit) {
  auto better = [](const Ranked& a, const Ranked& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  };
  const std::size_t n = std::min(limit, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n), ranked.end(),
                    better);
  ranked.resize(n);
}

// The English name of a language code ("ru": "Russian"), from ICU; the code itself when ICU has
// no name for it.
std::string language_display_name(std::string_view code) {
  if (code.empty()) return {};
  icu::UnicodeString name;
  icu::Locale(std::string(code).c_str()).getDisplayLanguage(icu::Locale::getEnglish(), name);
  std::string out;
  name.toUTF8String(out);
  return out.empty() ? std::string(code) : out;
}

// Mixes two 64-bit numbers into a hash (splitmix64's finaliser on each).
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
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
    case Interval::kQuarter:
      return "quarter";
    case Interval::kYear:
      return "year";
    case Interval::kAuto:
      return "auto";
  }
  return {};
}

std::optional<Interval> parse_interval(std::string_view name) {
  for (Interval i : {Interval::kDay, Interval::kWeek, Interval::kMonth, Interval::kQuarter,
                     Interval::kYear, Interval::kAuto}) {
    if (interval_name(i) == name) return i;
  }
  return std::nullopt;
}

std::string period_of(std::string_view yyyymmdd, Interval interval) {
  const std::uint32_t key = day_key(yyyymmdd);
  return key == 0 ? std::string() : period_of_key(key, interval);
}

FacetSpy::FacetSpy(const Xapian::Database& db, std::vector<Facet> facets, bool dates,
                   const store::FacetColumn* column, bool stories)
    : m_db(db), m_facets(std::move(facets)), m_column(column), m_stories(stories) {
  m_dates = dates;
  m_stream.slot = schema::slot::kFacets;
  m_story_stream.slot = schema::slot::kStory;
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
  m_counting = m_entities || m_source || m_language || m_dates;
  if (m_column && m_counting) {
    if (m_entities) {
      m_col_entities.assign(m_column->entity_count(), {});
    }
    if (m_source) m_col_sources.assign(m_column->source_count(), 0);
    if (m_language) m_col_languages.assign(m_column->language_count(), 0);
    if (m_dates) m_col_days.assign(m_column->day_count(), 0);
    if (m_stories && m_source) m_col_source_stories.assign(m_column->source_count(), 0);
    if (m_stories && m_language) m_col_language_stories.assign(m_column->language_count(), 0);
    m_pending.reserve(kBatch);
    if (m_stories) m_pending_stories.reserve(kBatch);
  }
}

ValueCounts::Bumped ValueCounts::bump(std::string_view value) {
  if (m_slots.empty()) m_slots.resize(64);
  const std::uint64_t h = XXH3_64bits(value.data(), value.size());
  std::size_t mask = m_slots.size() - 1;
  std::size_t i = static_cast<std::size_t>(h) & mask;
  for (;; i = (i + 1) & mask) {
    Slot& s = m_slots[i];
    if (s.count == 0) break;
    if (s.hash == h && s.length == value.size() &&
        std::string_view(m_arena).substr(s.offset, s.length) == value) {
      ++s.count;
      return {s.offset, s.stories};
    }
  }
  if ((m_size + 1) * 2 > m_slots.size()) {  // load factor at most 1/2
    grow();
    mask = m_slots.size() - 1;
    for (i = static_cast<std::size_t>(h) & mask; m_slots[i].count != 0;) i = (i + 1) & mask;
  }
  Slot& s = m_slots[i];
  s.hash = h;
  s.offset = static_cast<std::uint32_t>(m_arena.size());
  s.length = static_cast<std::uint32_t>(value.size());
  s.count = 1;
  s.stories = 0;
  m_arena.append(value);
  ++m_size;
  return {s.offset, s.stories};
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

bool PairSet::insert(std::uint64_t a, std::uint64_t b) {
  if ((m_size + 1) * 2 > m_slots.size()) grow();  // load factor at most 1/2
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(mix(a) ^ mix(b + 0x9e3779b97f4a7c15ULL)) & mask;;
       i = (i + 1) & mask) {
    Slot& s = m_slots[i];
    if (!s.used) {
      s = {a, b, true};
      ++m_size;
      return true;
    }
    if (s.a == a && s.b == b) return false;
  }
}

void PairSet::grow() {
  std::vector<Slot> old(std::max<std::size_t>(64, m_slots.size() * 2));
  old.swap(m_slots);
  const std::size_t mask = m_slots.size() - 1;
  for (const Slot& s : old) {
    if (!s.used) continue;
    std::size_t i = static_cast<std::size_t>(mix(s.a) ^ mix(s.b + 0x9e3779b97f4a7c15ULL)) & mask;
    while (m_slots[i].used) i = (i + 1) & mask;
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

FacetSpy::Story FacetSpy::read_story(Xapian::docid did) {
  Story s;
  m_story_found = read(m_story_stream, did, m_story_value);
  if (!m_story_found) return s;  // unclustered: a story of its own
  s.clustered = true;
  // A story id is 16 hex digits (valid_story_id), a 64-bit number; any other value (never
  // written by the indexer) is told apart by its hash.
  bool hex = m_story_value.size() == 16;
  std::uint64_t key = 0;
  for (char c : m_story_value) {
    if (!hex) break;
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) hex = false;
    key = key << 4 | static_cast<std::uint64_t>(d < 0 ? 0 : d);
  }
  s.key = hex ? key : XXH3_64bits(m_story_value.data(), m_story_value.size());
  return s;
}

void FacetSpy::count_missing(int t, const Story& s) const {
  if (!s.clustered || m_missing_pairs.insert(static_cast<std::uint64_t>(t), s.key))
    ++m_missing_stories[t];
}

void FacetSpy::operator()(const Xapian::Document& doc, double) {
  ++m_seen;
  if (m_deadline && (m_seen & 255) == 0 && std::chrono::steady_clock::now() > *m_deadline) {
    throw Error(ErrorKind::kTimeout,
                "counting facets did not finish within the time limit (timeout_ms); narrow "
                "the query or raise the limit",
                setting::kTimeoutMs.name);
  }
  const Xapian::docid did = doc.get_docid();
  Story story;
  if (m_stories) {
    story = read_story(did);
    if (story.clustered) {
      m_story_keys.insert(0, story.key);
    } else {
      ++m_solo;
    }
  }
  if (!m_counting) return;
  if (m_column) {
    m_pending.push_back(did);
    if (m_stories) m_pending_stories.push_back(story);
    if (m_pending.size() >= kBatch) flush();
  } else {
    count_slot(did, story);
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

// Calls fn(number) for each entity number of a record below size.
template <class Ref, class Fn>
void for_each_ref(const unsigned char* p, std::uint32_t n, std::size_t size, Fn&& fn) {
  for (std::uint32_t i = 0; i < n; ++i) {
    Ref e;
    std::memcpy(&e, p + i * sizeof(Ref), sizeof(Ref));
    if (e < size) fn(static_cast<std::uint32_t>(e));
  }
}

}  // namespace

void FacetSpy::flush() const {
  // Prefetching this far ahead covers a miss to memory at the counting rate of a record.
  constexpr std::size_t kAhead = 8;
  const std::size_t n = m_pending.size();
  const Story none;
  for (std::size_t i = 0; i < n; ++i) {
    if (i + 2 * kAhead < n) m_column->prefetch_offset(m_pending[i + 2 * kAhead]);
    if (i + kAhead < n) m_column->prefetch(m_pending[i + kAhead]);
    count_column(m_pending[i], m_stories ? m_pending_stories[i] : none);
  }
  m_pending.clear();
  m_pending_stories.clear();
}

void FacetSpy::count_column(Xapian::docid did, const Story& story) const {
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
    for (int k = 0; k < 3; ++k) {
      if (any[k]) continue;
      ++m_no_entity[k];
      if (m_stories) count_missing(kMissingPerson + k, story);
    }
    if (m_stories) {
      auto bump = [&](std::uint32_t e) {
        count_story(m_entity_pairs, e, story, m_col_entities[e].stories);
      };
      if (m_column->ref_width() == 2) {
        for_each_ref<std::uint16_t>(r.refs, r.n, m_col_entities.size(), bump);
      } else {
        for_each_ref<std::uint32_t>(r.refs, r.n, m_col_entities.size(), bump);
      }
    }
  }
  if (m_source) {
    if (r.source < m_col_sources.size()) {
      ++m_col_sources[r.source];
      if (m_stories) count_story(m_source_pairs, r.source, story, m_col_source_stories[r.source]);
    } else {
      ++m_no_source;
      if (m_stories) count_missing(kMissingSource, story);
    }
  }
  if (m_language) {
    if (r.language < m_col_languages.size()) {
      ++m_col_languages[r.language];
      if (m_stories)
        count_story(m_language_pairs, r.language, story, m_col_language_stories[r.language]);
    } else {
      ++m_no_language;
      if (m_stories) count_missing(kMissingLanguage, story);
    }
  }
  if (m_dates) {
    if (r.day < m_col_days.size()) {
      ++m_col_days[r.day];
      if (m_stories) {
        const std::uint32_t key = m_column->day(r.day);
        if (story.clustered) {
          m_day_pairs.insert(key, story.key);
        } else {
          ++m_day_solo[key];
        }
      }
    } else {
      ++m_undated;
      if (m_stories) count_missing(kMissingDate, story);
    }
  }
}

void FacetSpy::count_slot(Xapian::docid did, const Story& story) {
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
            Xapian::doccount& stories = m_entity_counts[type].bump(k, did);
            if (m_stories) count_story(m_entity_pairs, k, story, stories);
            any[type] = true;
          }
        }
      }
      if (m_source && !f->source.empty()) {
        const ValueCounts::Bumped b = m_sources.bump(f->source);
        if (m_stories) count_story(m_source_pairs, b.id, story, b.stories);
        has_source = true;
      }
      if (m_language && !f->language.empty()) {
        const ValueCounts::Bumped b = m_languages.bump(f->language);
        if (m_stories) count_story(m_language_pairs, b.id, story, b.stories);
        has_language = true;
      }
      key = f->day;
    }
  }
  if (m_entities) {
    for (int k = 0; k < 3; ++k) {
      if (any[k]) continue;
      ++m_no_entity[k];
      if (m_stories) count_missing(kMissingPerson + k, story);
    }
  }
  if (m_source && !has_source) {
    ++m_no_source;
    if (m_stories) count_missing(kMissingSource, story);
  }
  if (m_language && !has_language) {
    ++m_no_language;
    if (m_stories) count_missing(kMissingLanguage, story);
  }
  if (m_dates) {
    // Not a calendar day (never written by the indexer): undated, no date is made up.
    if (key != 0 && key != m_last_day && !to_ymd(key)) key = 0;
    if (key == 0) {
      ++m_undated;
      if (m_stories) count_missing(kMissingDate, story);
      return;
    }
    if (key == m_last_day) {
      ++*m_last_day_count;
    } else {
      m_last_day = key;
      m_last_day_count = &++m_days[key];  // unordered_map nodes stay put
    }
    if (m_stories) {
      if (story.clustered) {
        m_day_pairs.insert(key, story.key);
      } else {
        ++m_day_solo[key];
      }
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

template <class Index>
void FacetSpy::count_periods(Index&& index, std::size_t n, std::vector<Xapian::doccount>& articles,
                             std::vector<Xapian::doccount>& stories) const {
  articles.assign(n, 0);
  stories.assign(n, 0);
  for_each_day([&](std::uint32_t key, Xapian::doccount c) {
    const std::size_t i = index(key);
    if (i < n) articles[i] += c;
  });
  if (!m_stories) return;
  for (const auto& [key, c] : m_day_solo) {
    const std::size_t i = index(key);
    if (i < n) stories[i] += c;
  }
  PairSet seen;  // (period, story)
  m_day_pairs.for_each([&](std::uint64_t key, std::uint64_t story) {
    const std::size_t i = index(static_cast<std::uint32_t>(key));
    if (i < n && seen.insert(i, story)) ++stories[i];
  });
}

std::vector<FacetResult> FacetSpy::results(std::size_t limit) const {
  if (m_column) flush();
  std::vector<FacetResult> out;
  for (Facet f : m_facets) {
    FacetResult r;
    r.facet = f;
    r.stories = m_stories;
    std::vector<Ranked> ranked;
    std::vector<std::string> labels;  // dates: the strings ranked points into
    switch (f) {
      case Facet::kPerson:
      case Facet::kPlace:
      case Facet::kOrg: {
        const auto type = static_cast<std::size_t>(
            schema::entity_type_code(f == Facet::kPerson  ? schema::EntityType::kPerson
                                     : f == Facet::kPlace ? schema::EntityType::kPlace
                                                          : schema::EntityType::kOrg));
        r.missing = m_stories ? m_missing_stories[kMissingPerson + type] : m_no_entity[type];
        if (m_column) {
          r.values = top_column_entities(static_cast<int>(type), limit, r.distinct);
        } else {
          r.distinct = m_entity_counts[type].size();
          r.values = top_entities(m_entity_counts[type], limit);
        }
        for (FacetValue& v : r.values) v.filter = facet_filter(f, v.value);
        out.push_back(std::move(r));
        continue;
      }
      case Facet::kSource:
      case Facet::kLanguage: {
        const bool source = f == Facet::kSource;
        r.missing = m_stories ? m_missing_stories[source ? kMissingSource : kMissingLanguage]
                    : source  ? m_no_source
                              : m_no_language;
        if (m_column) {
          const std::vector<Xapian::doccount>& c = source ? m_col_sources : m_col_languages;
          const std::vector<Xapian::doccount>& st =
              source ? m_col_source_stories : m_col_language_stories;
          for (std::uint32_t i = 0; i < c.size(); ++i) {
            if (c[i] == 0) continue;
            const Xapian::doccount stories = m_stories ? st[i] : 0;
            ranked.push_back({source ? m_column->source(i) : m_column->language(i),
                              m_stories ? stories : c[i], c[i], stories});
          }
        } else {
          const ValueCounts& counts = source ? m_sources : m_languages;
          ranked.reserve(counts.size());
          counts.for_each([&](std::string_view v, Xapian::doccount n, Xapian::doccount stories) {
            ranked.push_back({v, m_stories ? stories : n, n, m_stories ? stories : 0});
          });
        }
        break;
      }
      case Facet::kYear:
      case Facet::kMonth:
      case Facet::kDay: {
        const std::size_t len = f == Facet::kYear ? 4 : f == Facet::kMonth ? 7 : 10;
        // The label of each day counted, numbered in label order.
        std::unordered_map<std::uint32_t, std::size_t> day_label;
        std::map<std::string, std::size_t> numbers;
        for_each_day([&](std::uint32_t key, Xapian::doccount) {
          const auto ymd = to_ymd(key);
          if (ymd)
            day_label.emplace(key,
                              numbers.emplace(format_day(*ymd).substr(0, len), 0).first->second);
        });
        std::size_t k = 0;
        for (auto& [label, number] : numbers) {
          number = k++;
          labels.push_back(label);
        }
        for (auto& [key, number] : day_label)
          number = numbers[format_day(*to_ymd(key)).substr(0, len)];
        std::vector<Xapian::doccount> articles, stories;
        count_periods(
            [&](std::uint32_t key) {
              const auto it = day_label.find(key);
              return it == day_label.end() ? labels.size() : it->second;
            },
            labels.size(), articles, stories);
        for (std::size_t i = 0; i < labels.size(); ++i) {
          if (articles[i] == 0) continue;
          ranked.push_back({labels[i], m_stories ? stories[i] : articles[i], articles[i],
                            m_stories ? stories[i] : 0});
        }
        r.missing = m_stories ? m_missing_stories[kMissingDate] : m_undated;
        break;
      }
    }
    r.distinct = ranked.size();
    top(ranked, limit);
    for (const Ranked& v : ranked) {
      FacetValue value;
      value.value = std::string(v.value);
      value.name = f == Facet::kLanguage ? language_display_name(v.value) : value.value;
      value.count = v.count;
      value.articles = v.articles;
      value.stories = v.stories;
      value.filter = facet_filter(f, v.value);
      r.values.push_back(std::move(value));
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<FacetValue> FacetSpy::top_entities(const KeyCounts& counts, std::size_t limit) const {
  struct Entry {
    std::uint64_t key;
    Xapian::doccount count, articles, stories;
    Xapian::docid first;
  };
  std::vector<Entry> entries;
  entries.reserve(counts.size());
  counts.for_each(
      [&](std::uint64_t key, Xapian::doccount n, Xapian::doccount stories, Xapian::docid first) {
        entries.push_back({key, m_stories ? stories : n, n, m_stories ? stories : 0, first});
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
    out.push_back({ids[i],
                   entity_display_name(m_db, ids[i]),
                   entries[i].count,
                   entries[i].articles,
                   entries[i].stories,
                   {}});
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
  auto count = [&](const EntityCount& c) { return m_stories ? c.stories : c.count; };
  const std::size_t n = std::min(limit, counted.size());
  std::partial_sort(counted.begin(), counted.begin() + static_cast<std::ptrdiff_t>(n),
                    counted.end(), [&](std::uint32_t a, std::uint32_t b) {
                      const EntityCount &x = m_col_entities[a], &y = m_col_entities[b];
                      if (count(x) != count(y)) return count(x) > count(y);
                      if (x.first != y.first) return x.first < y.first;
                      return a < b;
                    });
  std::vector<FacetValue> out;
  for (std::size_t i = 0; i < n; ++i) {
    const store::FacetColumn::Entity e = m_column->entity(counted[i]);
    if (e.id.empty()) continue;  // a key without an id: left out, as top_entities() does
    const EntityCount& c = m_col_entities[counted[i]];
    out.push_back(
        {std::string(e.id), std::string(e.name), count(c), c.count, m_stories ? c.stories : 0, {}});
  }
  return out;
}

namespace {

// The number of periods of interval from day first to day last (k: years per period for kYear).
std::size_t span_of(Interval interval, std::chrono::sys_days first, std::chrono::sys_days last,
                    int k = 1) {
  using namespace std::chrono;
  const year_month_day a(first), b(last);
  const long months_apart = (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12L +
                            (static_cast<long>(static_cast<unsigned>(b.month())) -
                             static_cast<long>(static_cast<unsigned>(a.month())));
  switch (interval) {
    case Interval::kDay:
      return static_cast<std::size_t>((last - first).count()) + 1;
    case Interval::kWeek:
      return static_cast<std::size_t>((week_start(last) - week_start(first)).count() / 7) + 1;
    case Interval::kMonth:
      return static_cast<std::size_t>(months_apart) + 1;
    case Interval::kQuarter: {
      const long qa = static_cast<int>(a.year()) * 4L + (static_cast<unsigned>(a.month()) - 1) / 3;
      const long qb = static_cast<int>(b.year()) * 4L + (static_cast<unsigned>(b.month()) - 1) / 3;
      return static_cast<std::size_t>(qb - qa) + 1;
    }
    case Interval::kYear:
    case Interval::kAuto:
      break;
  }
  // Years grouped by k, aligned on multiples of k (years are positive: day_key).
  return static_cast<std::size_t>(static_cast<int>(b.year()) / k - static_cast<int>(a.year()) / k) +
         1;
}

}  // namespace

Timeline FacetSpy::timeline(Interval interval, std::size_t max_periods) const {
  if (m_column) flush();
  Timeline t;
  t.requested = interval;
  t.stories = m_stories;
  t.undated = m_undated;
  t.undated_stories = m_stories ? m_missing_stories[kMissingDate] : 0;
  std::uint32_t lo = 0, hi = 0;
  for_each_day([&](std::uint32_t key, Xapian::doccount n) {
    if (!to_ymd(key)) {
      t.undated += n;  // not a calendar day (never written by the indexer): no date to show
      return;
    }
    if (lo == 0 || key < lo) lo = key;
    if (key > hi) hi = key;
  });
  // The interval: the one asked for, widened while its periods are more than the maximum.
  std::size_t max = max_periods;
  Interval used = interval;
  if (interval == Interval::kAuto) {
    used = Interval::kDay;
    if (max == 0) max = kAutoTimelinePeriods;
  }
  t.interval = used;
  if (lo == 0) return t;
  using namespace std::chrono;
  const sys_days from{*to_ymd(lo)}, to{*to_ymd(hi)};
  int k = 1;  // years per period
  if (max != 0) {
    while (used != Interval::kYear && span_of(used, from, to) > max)
      used = static_cast<Interval>(static_cast<int>(used) + 1);
    if (used == Interval::kYear) {
      const std::size_t years = span_of(Interval::kYear, from, to);
      k = static_cast<int>((years + max - 1) / max);
      while (span_of(Interval::kYear, from, to, k) > max) ++k;
    }
  }
  t.interval = used;
  const std::size_t span = span_of(used, from, to, k);
  if (span > kMaxTimelinePeriods) {
    throw Error(ErrorKind::kUsage,
                "timeline " + std::string(interval_name(used)) + " would have " +
                    std::to_string(span) + " periods (" + format_day(*to_ymd(lo)) + " to " +
                    format_day(*to_ymd(hi)) +
                    "); use a longer interval, a maximum number of periods (timeline_max) or a "
                    "narrower date range",
                "timeline");
  }
  // The periods from the first to the last dated match, and the day each starts (yyyymmdd).
  t.periods.reserve(span);
  std::vector<std::uint32_t> starts;
  starts.reserve(span);
  auto add = [&](std::string label, sys_days a, sys_days b) {
    t.periods.push_back(
        {std::move(label), format_day(year_month_day(a)), format_day(year_month_day(b)), 0, 0, 0});
    starts.push_back(key_of(a));
  };
  switch (used) {
    case Interval::kDay:
      for (sys_days d = from; d <= to; d += days(1)) add(format_day(year_month_day(d)), d, d);
      break;
    case Interval::kWeek:
      for (sys_days d = week_start(from); d <= to; d += days(7))
        add(format_week(d), d, d + days(6));
      break;
    case Interval::kMonth:
    case Interval::kQuarter: {
      const bool quarter = used == Interval::kQuarter;
      year_month m = year_month_day(from).year() / year_month_day(from).month();
      if (quarter) m = quarter_start(m);
      const year_month end = year_month_day(to).year() / year_month_day(to).month();
      const months step(quarter ? 3 : 1);
      for (; m <= end; m += step) {
        const year_month final_month = m + months(step.count() - 1);
        add(quarter ? format_quarter(m) : format_month(m), sys_days(m / 1),
            sys_days(final_month / std::chrono::last));
      }
      break;
    }
    case Interval::kYear:
    case Interval::kAuto: {
      const int y0 = static_cast<int>(year_month_day(from).year()) / k;
      const int y1 = static_cast<int>(year_month_day(to).year()) / k;
      for (int g = y0; g <= y1; ++g) {
        const int a = g * k, b = g * k + k - 1;
        add(k == 1 ? format_year(a) : format_year(a) + "-" + format_year(b),
            sys_days(year(a) / January / 1), sys_days(year(b) / December / 31));
      }
      break;
    }
  }
  std::vector<Xapian::doccount> articles, stories;
  count_periods(
      [&](std::uint32_t key) -> std::size_t {
        if (key < starts.front() || key > hi || !to_ymd(key)) return starts.size();
        return static_cast<std::size_t>(std::upper_bound(starts.begin(), starts.end(), key) -
                                        starts.begin()) -
               1;
      },
      starts.size(), articles, stories);
  for (std::size_t i = 0; i < t.periods.size(); ++i) {
    TimelinePoint& p = t.periods[i];
    p.articles = articles[i];
    p.stories = m_stories ? stories[i] : 0;
    p.count = m_stories ? p.stories : p.articles;
  }
  return t;
}

std::string entity_display_name(const Xapian::Database& db, std::string_view id) {
  return store::entity_name(db, id);
}

}  // namespace sitrep::search
