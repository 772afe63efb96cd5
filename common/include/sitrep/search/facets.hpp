#pragma once
// Facet counts and timelines over the whole match set.
//
// Xapian 1.4's ValueCountMatchSpy counts one value per slot per document; an article names many
// people, places and organisations, so FacetSpy is a MatchSpy of its own. Per match it reads one
// value, slot kFacets (schema/facet_slot.hpp: day, source, language and 64-bit entity keys), and
// counts entity keys in hash tables keyed by the key itself, sources and languages by string.
// The slot is read through a value stream advanced with skip_to() as the matcher hands over
// documents in ascending docid order: Document::get_value() would look up the value's chunk
// afresh for every document. Only for the entity keys shown does it read a termlist: that of the
// first matching document with the key, whose entity terms give the id.
// Given the database's facet column (schema/facet_column.hpp), it reads a match's record and entity
// numbers from that instead, and counts in arrays indexed by those numbers; ids and display names
// come from the column too. Both ways give the same results.
// A MatchSpy sees only the documents the matcher examines, so the caller must pass the database's
// document count as check_at_least to Enquire::get_mset() for counts over every match.
//
// Undated articles (no kDate value) are counted apart, as `undated`; no date is ever made up.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "sitrep/schema/entity_type.hpp"
#include "sitrep/search/limits.hpp"
#include "sitrep/store/facet_column.hpp"

namespace sitrep::search {

enum class Facet { kPerson, kPlace, kOrg, kSource, kLanguage, kYear, kMonth, kDay };

// "person", "place", "org", "source", "lang", "year", "month", "day".
std::string_view facet_name(Facet f);
std::optional<Facet> parse_facet(std::string_view name);
// The facets of `--facets` given without a value.
const std::vector<Facet>& default_facets();
// Parses a comma-separated list ("person,place,year"); spaces around names are ignored, repeated
// names count once, the order given is kept; "default" stands for default_facets(), and so does
// empty text. Throws Error{kUsage} naming an unknown facet.
std::vector<Facet> parse_facet_list(std::string_view text);

// Timeline intervals, finest first. kAuto asks for the finest interval whose periods fit the
// timeline's maximum (SearchRequest::timeline_max, 60 when that is 0): it is only ever requested,
// never used (Timeline::requested may be kAuto, Timeline::interval never is).
enum class Interval { kDay, kWeek, kMonth, kQuarter, kYear, kAuto };
// "day", "week", "month", "quarter", "year", "auto".
std::string_view interval_name(Interval i);
std::optional<Interval> parse_interval(std::string_view name);

// The period a day ("YYYYMMDD") falls in: "2025-11-14", ISO week "2025-W46", "2025-11",
// "2025-Q4", "2025"; empty for a malformed day or kAuto.
std::string period_of(std::string_view yyyymmdd, Interval interval);

// The default maximum number of periods of a kAuto timeline.
inline constexpr std::size_t kAutoTimelinePeriods = 60;
// The bounds of SearchRequest::timeline_max (0: no maximum).
inline constexpr std::size_t kMinTimelineMax = 2, kMaxTimelineMax = 1000;
// Without a maximum (and not kAuto), a timeline of more periods than this is refused with
// Error{kUsage} (a day timeline over 270 years) rather than written out.
inline constexpr std::size_t kMaxTimelinePeriods = 100000;

// Bounds for the facet limit (search/limits.hpp: setting::kFacetLimit).
inline constexpr std::size_t kDefaultFacetLimit = setting::kFacetLimit.fallback;
inline constexpr std::size_t kMaxFacetLimit = setting::kFacetLimit.max;

struct FacetValue {
  std::string value;  // entity id, source as written, language code, or period ("2025-11")
  std::string name;   // entities: display name (the id when the lexicon has none); lang: the
                      // language's English name; else = value
  Xapian::doccount count = 0;     // in the facet's unit: stories when collapsed, else articles
  Xapian::doccount articles = 0;  // matching articles with the value
  Xapian::doccount stories = 0;   // with collapse: distinct stories among them (else 0)
  std::string filter;             // the query text selecting this value (facet_filter)
};

// The query text that selects the matches with this value of facet f, to be ANDed to a query:
// person:ID, place:ID, org:ID, source:"...", lang:CODE, date:PERIOD. Quotes and backslashes in the
// value are escaped with a backslash (docs/design/contract-v3.md).
std::string facet_filter(Facet f, std::string_view value);
// The same for an entity a hit names: person:ID, place:ID, org:ID, or entity:ID for other names.
std::string entity_filter(schema::EntityType t, std::string_view id);

struct FacetResult {
  Facet facet = Facet::kPerson;
  // At most the limit, by count (descending, in the facet's unit), then value; entity ties by
  // their first matching article (index order).
  std::vector<FacetValue> values;
  std::size_t distinct = 0;  // number of distinct values among the matches
  // Matches without any value for this facet (undated for dates), in the facet's unit: articles,
  // or with stories the distinct stories that have such a matching article.
  Xapian::doccount missing = 0;
  bool stories = false;  // counted in stories (collapse): FacetValue::count is stories
};

struct TimelinePoint {
  std::string period;  // label: "2025-11-14", "2025-W46", "2025-11", "2025-Q4", "2025", "1980-1984"
  std::string start, end;         // first and last day, YYYY-MM-DD
  Xapian::doccount count = 0;     // in the timeline's unit
  Xapian::doccount articles = 0;  // matching articles dated in the period
  Xapian::doccount stories = 0;   // with collapse: distinct stories with such an article
};

// Timeline periods: the interval asked for, widened (day, week, month, quarter, year) while there
// are more periods than the maximum; when years still exceed it, consecutive years are grouped
// into spans of k years aligned on multiples of k ("1980-1984": interval kYear, k the smallest
// that fits). Without a maximum (0, and not kAuto), more than kMaxTimelinePeriods periods is
// Error{kUsage}. Articles: the periods' articles + undated == the matching articles.
struct Timeline {
  Interval interval = Interval::kMonth;   // the interval used (widened under timeline_max)
  Interval requested = Interval::kMonth;  // the interval asked for (may be kAuto)
  bool stories = false;                   // counted in stories (collapse)
  std::vector<TimelinePoint> periods;     // every period from the first to the last dated match
  Xapian::doccount undated = 0;           // matching articles without a published date
  // With stories: the distinct stories that have an undated matching article (else 0).
  Xapian::doccount undated_stories = 0;
};

// The display name of an entity: store::entity_name(), its name in the lexicon, or the id itself
// when the database has no entry for it.
std::string entity_display_name(const Xapian::Database& db, std::string_view id);

// Counts per distinct string: open addressing over XXH3 hashes, the strings stored once in an
// arena, so counting a value already seen hashes it and compares bytes, nothing more.
class ValueCounts {
 public:
  // One more for value; returns its number (unique among the values of this ValueCounts) and its
  // story counter (for the caller to count), valid until the next bump().
  struct Bumped {
    std::uint32_t id;
    Xapian::doccount& stories;
  };
  Bumped bump(std::string_view value);
  std::size_t size() const { return m_size; }
  // Calls fn(std::string_view value, Xapian::doccount count, Xapian::doccount stories) for each
  // value, in no set order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const Slot& s : m_slots) {
      if (s.count != 0)
        fn(std::string_view(m_arena).substr(s.offset, s.length), s.count, s.stories);
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t offset = 0, length = 0;
    Xapian::doccount count = 0;  // 0: empty slot
    Xapian::doccount stories = 0;
  };
  void grow();
  std::vector<Slot> m_slots;
  std::string m_arena;
  std::size_t m_size = 0;
};

// Counts per 64-bit entity key (schema/facet_slot.hpp), remembering the first document that had
// each: open addressing on the key itself, which is already a hash.
class KeyCounts {
 public:
  // One more for key; returns its story counter (for the caller to count), valid until the next
  // bump().
  Xapian::doccount& bump(std::uint64_t key, Xapian::docid did) {
    std::size_t i = static_cast<std::size_t>(key) & m_mask;
    for (;; i = (i + 1) & m_mask) {
      Slot& s = m_slots[i];
      if (s.key == key && s.count != 0) {
        ++s.count;
        return s.stories;
      }
      if (s.count == 0) break;
    }
    if ((m_size + 1) * 2 > m_slots.size()) {  // load factor at most 1/2
      grow();
      for (i = static_cast<std::size_t>(key) & m_mask; m_slots[i].count != 0;) i = (i + 1) & m_mask;
    }
    ++m_size;
    m_slots[i] = {key, 1, 0, did};
    return m_slots[i].stories;
  }
  std::size_t size() const { return m_size; }
  // Calls fn(std::uint64_t key, Xapian::doccount count, Xapian::doccount stories,
  // Xapian::docid first) for each key.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const Slot& s : m_slots) {
      if (s.count != 0) fn(s.key, s.count, s.stories, s.first);
    }
  }

 private:
  struct Slot {
    std::uint64_t key = 0;
    Xapian::doccount count = 0;  // 0: empty slot
    Xapian::doccount stories = 0;
    Xapian::docid first = 0;
  };
  void grow();
  std::vector<Slot> m_slots = std::vector<Slot>(256);
  std::size_t m_mask = 255;
  std::size_t m_size = 0;
};

// A set of pairs of 64-bit numbers (a value and a story): open addressing. What makes story counts
// exact: a story is counted for a value the first time the pair is inserted.
class PairSet {
 public:
  // Inserts (a, b); true when it was not in the set yet.
  bool insert(std::uint64_t a, std::uint64_t b);
  std::size_t size() const { return m_size; }
  // Calls fn(std::uint64_t a, std::uint64_t b) for each pair, in no set order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const Slot& s : m_slots) {
      if (s.used) fn(s.a, s.b);
    }
  }

 private:
  struct Slot {
    std::uint64_t a = 0, b = 0;
    bool used = false;
  };
  void grow();
  std::vector<Slot> m_slots;
  std::size_t m_size = 0;
};

class FacetSpy : public Xapian::MatchSpy {
 public:
  // Counts the given facets, and the days of every match when dates is true (for a timeline),
  // over matches of db (the database the Enquire runs on; kept open by the spy). column: db's
  // facet column (FacetColumn::open), which must outlive the spy; nullptr: read slot kFacets.
  // stories: also count stories (slot kStory; an article without one is a story of its own):
  // in all (stories()) and per facet value and period (FacetResult::stories, Timeline::stories).
  // With no facets and no dates it only counts matches (and stories): a counting pass.
  FacetSpy(const Xapian::Database& db, std::vector<Facet> facets, bool dates,
           const store::FacetColumn* column = nullptr, bool stories = false);

  // From now on, operator() throws Error{kTimeout} once this time has passed (checked every few
  // hundred documents), which ends Enquire::get_mset() with that error.
  void set_deadline(std::chrono::steady_clock::time_point deadline) { m_deadline = deadline; }

  void operator()(const Xapian::Document& doc, double wt) override;
  std::string name() const override { return "sitrep::FacetSpy"; }

  // Documents seen: the number of matches when check_at_least covered the database.
  Xapian::doccount seen() const { return m_seen; }
  // With stories: the story id (slot kStory) of the document seen last, empty for none; for a
  // MatchSpy added after this one to the same Enquire, which then need not read the slot again.
  std::string_view current_story() const {
    return m_story_found ? std::string_view(m_story_value) : std::string_view();
  }
  // With stories: the distinct stories among the documents seen (else 0).
  Xapian::doccount stories() const {
    return static_cast<Xapian::doccount>(m_story_keys.size()) + m_solo;
  }

  // The top `limit` values of each facet asked for, in the order asked; entity display names come
  // from db's lexicon (store::entity_name), fetched only for the values returned. With stories,
  // counted in stories (FacetValue::count = stories, FacetResult::stories).
  std::vector<FacetResult> results(std::size_t limit) const;
  // The timeline (requires dates = true at construction) by interval, widened to at most
  // max_periods periods when that is not 0 (kAuto: the finest that fits, max_periods 0 meaning
  // kAutoTimelinePeriods). See Timeline. With stories, counted in stories.
  Timeline timeline(Interval interval, std::size_t max_periods = 0) const;

 private:
  // The top `limit` entities of counts, with their ids and display names.
  std::vector<FacetValue> top_entities(const KeyCounts& counts, std::size_t limit) const;
  // The same from the column's counts, for entity type code t; distinct: the number counted.
  std::vector<FacetValue> top_column_entities(int t, std::size_t limit,
                                              std::size_t& distinct) const;
  // Calls fn(yyyymmdd, count) for each day counted (not in order).
  template <class Fn>
  void for_each_day(Fn&& fn) const;
  // Articles and stories per period, for days mapped to period numbers by index (a function of
  // yyyymmdd returning a number below n, or n for none).
  template <class Index>
  void count_periods(Index&& index, std::size_t n, std::vector<Xapian::doccount>& articles,
                     std::vector<Xapian::doccount>& stories) const;

  // A match's story: its key (the 16 hex digits as a number), or none (a story of its own).
  struct Story {
    std::uint64_t key = 0;
    bool clustered = false;
  };
  Story read_story(Xapian::docid did);
  // One more matching article of story s with a value (numbered `value` in pairs): counts s in
  // stories the first time the value meets it.
  static void count_story(PairSet& pairs, std::uint64_t value, const Story& s,
                          Xapian::doccount& stories) {
    if (!s.clustered || pairs.insert(value, s.key)) ++stories;
  }
  // The same for a match without a value of facet tag t (kMissing*).
  void count_missing(int t, const Story& s) const;

  void count_slot(Xapian::docid did, const Story& story);
  void count_column(Xapian::docid did, const Story& story) const;
  void flush() const;  // counts m_pending

  // A slot read in docid order; restarted if docids ever go backwards.
  struct Stream {
    Xapian::valueno slot = 0;
    Xapian::ValueIterator it;
    Xapian::docid last = 0;
    bool open = false;
  };
  // The value of s's slot for did into out; false when the document has none.
  bool read(Stream& s, Xapian::docid did, std::string& out);

  Xapian::Database m_db;
  Stream m_stream;      // slot kFacets
  std::string m_value;  // reused buffer

  std::optional<std::chrono::steady_clock::time_point> m_deadline;

  std::vector<Facet> m_facets;
  bool m_entities = false, m_source = false, m_language = false, m_dates = false;
  bool m_counting = false;       // anything to count but matches and stories
  KeyCounts m_entity_counts[3];  // person, place, organisation
  ValueCounts m_sources, m_languages;
  std::unordered_map<std::uint32_t, Xapian::doccount> m_days;  // yyyymmdd -> matches
  // With a column: counts by entity number (and the first matching document of each), by source,
  // language and day number.
  const store::FacetColumn* m_column = nullptr;
  struct EntityCount {
    Xapian::doccount count = 0;
    Xapian::docid first = 0;
    Xapian::doccount stories = 0;
  };
  // Matches are counted in batches (flush()), so that the records of the next few can be fetched
  // from memory while one is counted: one cache miss per match was most of the counting time.
  // With stories, m_pending_stories holds the story of each.
  mutable std::vector<Xapian::docid> m_pending;
  mutable std::vector<Story> m_pending_stories;
  mutable std::vector<EntityCount> m_col_entities;
  mutable std::vector<Xapian::doccount> m_col_sources, m_col_languages, m_col_days;
  mutable std::vector<Xapian::doccount> m_col_source_stories, m_col_language_stories;
  // The day counted last and its counter (archives are often indexed in date order).
  std::uint32_t m_last_day = 0;
  Xapian::doccount* m_last_day_count = nullptr;
  Xapian::doccount m_seen = 0;
  // mutable: with a column, the last matches are counted by the first results() or timeline().
  mutable Xapian::doccount m_undated = 0, m_no_entity[3] = {0, 0, 0}, m_no_source = 0,
                           m_no_language = 0;

  // Stories (when m_stories): the distinct story keys seen and the matches without one.
  bool m_stories = false;
  Stream m_story_stream;  // slot kStory
  std::string m_story_value;
  bool m_story_found = false;  // m_story_value is the last document's
  PairSet m_story_keys;        // (0, key)
  Xapian::doccount m_solo = 0;
  // Per value: (value number, story key) pairs seen, entity values by key (slot) or number
  // (column), sources and languages by number (ValueCounts id or column number), days by yyyymmdd.
  mutable PairSet m_entity_pairs, m_source_pairs, m_language_pairs, m_day_pairs;
  mutable std::unordered_map<std::uint32_t, Xapian::doccount> m_day_solo;  // yyyymmdd -> solo
  // Matches without a value: (facet tag, story key) pairs and the stories per tag.
  enum {
    kMissingPerson,
    kMissingPlace,
    kMissingOrg,
    kMissingSource,
    kMissingLanguage,
    kMissingDate,
    kMissingTags
  };
  mutable PairSet m_missing_pairs;
  mutable Xapian::doccount m_missing_stories[kMissingTags] = {};
};

}  // namespace sitrep::search
