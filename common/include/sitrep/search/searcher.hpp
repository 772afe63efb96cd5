#pragma once
// Runs a query against a sitrep database and returns ranked hits with snippets.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sitrep/analysis/boilerplate.hpp"
#include "sitrep/schema/article.hpp"
#include "sitrep/schema/entity_type.hpp"
#include "sitrep/search/facets.hpp"
#include "sitrep/search/limits.hpp"
#include "sitrep/search/ranking.hpp"
#include "sitrep/search/snippet.hpp"

namespace sitrep::search {

enum class SortOrder { kRelevance, kNewest, kOldest };

struct SearchRequest {
  std::string query;
  SortOrder sort = SortOrder::kRelevance;
  // Defaults and ranges of the numbers: search/limits.hpp.
  std::size_t offset = setting::kOffset.fallback;
  std::size_t limit = setting::kLimit.fallback;
  std::string since;  // YYYY, YYYY-MM or YYYY-MM-DD; empty = unbounded
  std::string until;
  // Facets to count over every match (empty: none) and how many values of each to return.
  std::vector<Facet> facets;
  std::size_t facet_limit = kDefaultFacetLimit;
  std::optional<Interval> timeline;  // matches per period, when set
  // One hit per story (slot kStory), the best ranked; each hit then counts the other matching
  // articles of its story and names their outlets. Unclustered articles are never collapsed.
  bool collapse = false;
  // Only the articles of this story (16 hex digits), further narrowed by the query if there is
  // one. The query may then be empty.
  std::string story;
  // The search throws Error{kTimeout} when it is still running at this time (unset: no limit).
  // Checked while matching, counting facets and stories, reading hits and making snippets. Also
  // how long a search retries while a writer's commits keep overtaking its read.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Also match boilerplate lines (QueryBuilder::set_include_boilerplate); snippets then come from
  // the whole body. By default boilerplate neither matches nor shows in snippets.
  bool include_boilerplate = false;
  // Count every match exactly (articles, and stories with collapse), as facets do, without
  // counting facets: SearchResult::articles (and stories) are then exact.
  bool exact_total = false;
  // With a timeline: at most this many periods (0: no limit; else kMinTimelineMax to
  // kMaxTimelineMax, Error{kUsage} below, Error{kLimit} above, naming "timeline_max"). The
  // interval is widened (day, week, month, quarter, year, then spans of years) until the periods
  // fit (facets.hpp: Timeline). timeline = Interval::kAuto asks for the finest interval within
  // timeline_max (kAutoTimelinePeriods when 0).
  std::size_t timeline_max = 0;
  // How juxtaposed words combine (search/ranking.hpp: kAuto ranks any word, every word first;
  // kAnd needs every word; kOr any word) and the ranking settings (BM25, stop words, feedback).
  DefaultOp default_op = DefaultOp::kAuto;
  Ranking ranking;
};

// A number of matches: exact when every match was counted (lower == upper == estimate, and only
// then), else Xapian's estimate within true bounds.
struct Count {
  std::size_t estimate = 0, lower_bound = 0, upper_bound = 0;
  bool exact = false;
};

// An entity the article names, with the type the article gives it.
struct HitEntity {
  schema::EntityType type = schema::EntityType::kOther;
  std::string id;    // canonical id
  std::string name;  // display name from the database's lexicon
};

struct Hit {
  std::size_t rank = 0;  // 1-based, over the whole result list
  double score = 0;      // relevance weight (0 for pure filter queries)
  // id, url, source, title, language, published (UTC); not the body, which may be tens of
  // megabytes: the snippet is what is shown of it.
  schema::Article article;
  Snippet snippet;                  // from a bounded window of the body (snippet.hpp)
  std::vector<HitEntity> entities;  // people, places, organisations, other names; each by id
  std::string story;                // the story id (slot kStory); empty before clustering
  // With collapse: the other matching articles of the story and their distinct outlets (sorted).
  std::size_t others = 0;
  std::vector<std::string> other_outlets;
};

struct SearchResult {
  std::vector<Hit> hits;
  // Matching articles, and with collapse matching stories (an unclustered article is a story of
  // its own). The hits page over stories when collapsed, else over articles. Both are exact when
  // every match was counted: with facets, a timeline, --story, exact_total, and with collapse
  // whenever the page shows a clustered story (its others are counted in a pass over every
  // match, which counts the rest too). Otherwise Xapian's estimate within its true bounds
  // (stories: its collapsed bounds, no more than the articles' upper bound), exact only when the
  // bounds agree.
  Count articles;
  std::optional<Count> stories;
  // Issue 13: the three numbers and `exact` below are the old single total, a copy of the paged
  // unit's Count (stories with collapse, else articles); they go once nothing reads them.
  std::size_t estimate = 0, lower_bound = 0, upper_bound = 0;
  std::string rewritten;  // the text given to Xapian's QueryParser
  std::string parsed;     // Xapian::Query::get_description() of the final query
  // The default mode (SearchRequest::default_op auto or or) matched the articles with any of the
  // query's words, not only those with every one (BuiltQuery::any_word).
  bool any_word = false;
  // "Did you mean": the query text corrected (search/suggest.hpp), when the query found fewer
  // than kSuggestBelow articles and the correction finds more; empty otherwise. Never applied.
  std::string suggestion;
  std::size_t doc_count = 0;
  bool exact = false;
  // With collapse the hits, the old total, facets and timelines count stories (an unclustered
  // article is one of its own); each facet value and period also has its articles.
  bool collapsed = false;
  std::vector<FacetResult> facets;  // in the order requested
  std::optional<Timeline> timeline;
};

// What sitrep-search --explain and --get show: a stored article (body included), the lines of its
// body suppressed as boilerplate (schema::slot::kBoilerplate), in body order, and for --get its
// entities and story.
struct Explanation {
  schema::Article article;
  std::vector<analysis::SuppressedLine> suppressed;
  std::size_t lines = 0;            // non-blank lines of the body
  std::vector<HitEntity> entities;  // as in a Hit
  std::string story;                // empty before clustering
  std::size_t story_size = 0;       // articles in the story (0 without one)
};

// Limits enforced on requests (search/limits.hpp).
inline constexpr std::size_t kMaxLimit = setting::kLimit.max;
inline constexpr std::size_t kMaxOffset = setting::kOffset.max;

// Whether s is a story id as stored (16 lowercase hex digits).
bool valid_story_id(std::string_view s);
// Throws Error{kUsage} about setting "story" (s quoted up to 40 bytes) unless valid_story_id(s).
void check_story_id(std::string_view s);

// Opens the database at path read-only and checks its schema version.
// Throws Error{kNotFound} when path holds no database, Error{kSchema} for another schema version,
// Error{kIo} for other failures.
class Searcher {
 public:
  explicit Searcher(const std::string& path);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Throws Error{kNoSuchArticle} for a request.story of no article (without a query or dates to
  // narrow it: then it is an empty result), Error{kBadQuery} for a bad query, Error{kLimit} for a
  // request over a maximum (limit, offset, facet_limit, timeline_max, wildcard expansion, query
  // size), Error{kUsage} for bad options (a number below its minimum, a bad since/until,
  // story...: the Error names the setting), Error{kTimeout}
  // past request.deadline, Error{kBusy} when the database kept changing during the read: every read
  // was overtaken by a writer's commits and it was reopened and retried until request.deadline
  // (without one, 10 attempts). The database is read in one go (matches, hits' documents, story
  // counts, facets), the snippets made afterwards, so that a read is as short as it can be.
  SearchResult search(const SearchRequest& request);

  // The article with this id and its suppressed lines. Throws Error{kNoSuchArticle} when no
  // article has the id, and as search() does for the database.
  Explanation explain(const std::string& id);
  // The same with the article's entities, story and story size (sitrep-search --get).
  Explanation get(const std::string& id);

  // Brings an open Searcher up to date for a long-lived process: opens the generation the path
  // names now when a rebuild or compaction switched it, else moves to the latest commit. Throws
  // as the constructor does.
  void refresh();

  // Whether facets are counted from the database's facet column when it has one for the revision
  // open (schema/facet_column.hpp; the default) or always from value slot kFacets. The results
  // are the same; benchmarks and tests compare the two.
  void set_facet_column(bool use);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace sitrep::search
