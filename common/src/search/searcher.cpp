#include "sitrep/search/searcher.hpp"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <set>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "sitrep/analysis/boilerplate.hpp"
#include "sitrep/schema/article.hpp"
#include "sitrep/schema/facet_slot.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/search/query_builder.hpp"
#include "sitrep/search/suggest.hpp"
#include "sitrep/store/facet_column.hpp"
#include "sitrep/store/integrity.hpp"
#include "sitrep/store/layout.hpp"
#include "sitrep/store/metadata.hpp"
#include "sitrep/store/xapian_call.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/utf8.hpp"

namespace sitrep::search {

namespace {

[[noreturn]] void throw_timeout() {
  throw Error(ErrorKind::kTimeout,
              "the search did not finish within its time limit (timeout_ms); narrow the query "
              "or raise the limit",
              setting::kTimeoutMs.name);
}

void check_deadline(const std::optional<std::chrono::steady_clock::time_point>& deadline) {
  if (deadline && std::chrono::steady_clock::now() > *deadline) throw_timeout();
}

// Accepts every document; the matcher calls it for each candidate that could make the page, so
// it is where the ranked pass notices its deadline. The exception it throws unwinds through
// Enquire::get_mset() (the 1.4 matcher catches nothing) to Searcher::search(). Enquire's own
// set_time_limit() only lowers check_at_least in 1.4, it never stops a match.
class DeadlineDecider : public Xapian::MatchDecider {
 public:
  explicit DeadlineDecider(std::chrono::steady_clock::time_point deadline) : m_deadline(deadline) {}
  bool operator()(const Xapian::Document&) const override {
    if ((++m_calls & 63) == 0 && std::chrono::steady_clock::now() > m_deadline) throw_timeout();
    return true;
  }

 private:
  std::chrono::steady_clock::time_point m_deadline;
  mutable unsigned m_calls = 0;
};

// True when q is terms joined by OR or SYNONYM (a word, its stem, alternatives, a wildcard): the
// queries where most of a ranked pass over every match is BM25, skipped by a BoolWeight pass.
// Phrases (checking positions costs the same in both), AND (the ranked pass skips within the
// rarer term's postings either way) and date filters (their values would be read twice) are not.
bool disjunctive(const Xapian::Query& q) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_WILDCARD:
    case Xapian::Query::OP_SCALE_WEIGHT:
      break;
    default:
      return false;
  }
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
    if (!disjunctive(q.get_subquery(i))) return false;
  }
  return true;
}

// The articles of one story.
Xapian::Query story_query(const std::string& story) {
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::slot::kStory, story, story);
}

// With collapse: for each story of the page, the other matching articles and their outlets. A
// MatchSpy on one unweighted pass over every match, for the whole page at once (a search per hit
// would read the story slot of the whole database once per hit).
class StoryCounter : public Xapian::MatchSpy {
 public:
  struct Story {
    Xapian::docid shown = 0;  // the hit shown for the story
    std::size_t others = 0;
    std::set<std::string> outlets;
  };
  using Stories = std::unordered_map<std::string, Story>;

  // From then on, operator() throws Error{kTimeout} once deadline has passed (if set). spy: a
  // FacetSpy counting stories that the Enquire calls first (its current_story() is then the
  // document's story), or nullptr (the story is read from the document).
  StoryCounter(Stories& stories, std::optional<std::chrono::steady_clock::time_point> deadline,
               const FacetSpy* spy)
      : m_stories(stories), m_deadline(deadline), m_spy(spy) {}

  void operator()(const Xapian::Document& doc, double) override {
    if (m_deadline && (++m_calls & 255) == 0 && std::chrono::steady_clock::now() > *m_deadline)
      throw_timeout();
    if (m_spy) {
      count(doc, m_spy->current_story());
    } else {
      count(doc, doc.get_value(schema::slot::kStory));
    }
  }
  std::string name() const override { return "sitrep::StoryCounter"; }

 private:
  void count(const Xapian::Document& doc, std::string_view story) {
    if (story.empty()) return;
    m_key.assign(story);
    const auto it = m_stories.find(m_key);
    if (it == m_stories.end() || doc.get_docid() == it->second.shown) return;
    ++it->second.others;
    const std::string facets = doc.get_value(schema::slot::kFacets);  // decoded in place
    const auto f = schema::decode_facets(facets);
    if (f && !f->source.empty()) it->second.outlets.emplace(f->source);
  }

  Stories& m_stories;
  std::optional<std::chrono::steady_clock::time_point> m_deadline;
  const FacetSpy* m_spy;
  std::string m_key;  // reused buffer
  unsigned m_calls = 0;
};

}  // namespace

bool valid_story_id(std::string_view s) {
  if (s.size() != 16) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void check_story_id(std::string_view s) {
  if (valid_story_id(s)) return;
  throw Error(ErrorKind::kUsage,
              "story: \"" + std::string(utf8::truncate(s, 40)) + (s.size() > 40 ? "..." : "") +
                  "\" is not a story id (16 hex digits, as in a hit's story)",
              "story");
}

struct Searcher::Impl {
  std::string path;
  Xapian::Database db;
  std::string resolved;  // the generation directory db was opened from
  // The facet column of db's revision, opened at the first search that counts facets.
  std::unique_ptr<store::FacetColumn> column;
  bool column_checked = false;
  bool use_column = true;

  const store::FacetColumn* facet_column() {
    if (!use_column) return nullptr;
    if (!column_checked) {
      column = store::FacetColumn::open(resolved, db);
      column_checked = true;
    }
    return column.get();
  }
  void forget_column() {
    column.reset();
    column_checked = false;
  }

  void open() {
    forget_column();
    // PATH may be a link that sitrep-index switches to a new generation at any moment: resolve
    // it once so every file comes from one generation. A generation removed between resolving
    // and opening (a rebuild just finished) is retried with the new link.
    for (int attempt = 0;; ++attempt) {
      resolved = store::resolve_database(path);
      try {
        db = store::open_database(resolved, path);
        store::check_tables(resolved);  // Xapian reads a missing table as empty (issue 11.7)
        break;
      } catch (const Error&) {
        if (attempt < 3 && store::resolve_database(path) != resolved) continue;  // switched
        throw;
      }
    }
    store::xapian_call({"reading", path}, [&] { store::check_schema(db, path); });
  }

  // Brings db to the latest revision of the generation path names now: opens the generation a
  // rebuild or compaction switched the link to, else reopens at the latest commit.
  void catch_up() {
    if (store::resolve_database(path) != resolved) {
      open();
      return;
    }
    bool reopened = false;
    if (!store::xapian_ok([&] { reopened = db.reopen(); })) {
      open();
      return;
    }
    if (reopened) {
      forget_column();  // a new revision: its own column, if any
      store::check_tables(resolved);
    }
  }

  // Returns read(), which reads db, retried (store::retrying) while a writer's commits overtake
  // it: db is brought to the latest revision and read() runs again, after a short pause from the
  // second retry on, for as long as the deadline allows (without one, 10 times). Errors name
  // doing and the path.
  template <class Read>
  auto retrying(const std::optional<std::chrono::steady_clock::time_point>& deadline,
                const char* doing, Read&& read) -> decltype(read()) {
    static const std::string too_many = "a wildcard matches more than " +
                                        std::to_string(kMaxWildcardExpansion) +
                                        " words; make it longer";
    store::RetryPolicy policy;
    policy.deadline = deadline;
    return store::retrying({doing, path, {}, too_many}, policy, read, [this] { catch_up(); });
  }

  // What a search reads from the database: the result without its snippets, and what they are to
  // be made from (one source per hit). Everything is read here, in one go, so that the time a
  // writer's commits can overtake the read is as short as possible; the snippets (tokenising and
  // stemming) are made afterwards, outside it.
  struct Read {
    SearchResult result;
    std::vector<SnippetSource> sources;
    std::unique_ptr<SnippetMaker> snippets;
  };

  // The query of a request: the query text parsed, filtered by story and dates.
  Xapian::Query build_query(const SearchRequest& req, BuiltQuery& built) {
    if (!req.story.empty()) {
      check_story_id(req.story);
      built.query = story_query(req.story);
      if (!req.query.empty()) {
        QueryBuilder builder(db, store::indexed_languages(db));
        builder.set_include_boilerplate(req.include_boilerplate);
        builder.set_default_op(req.default_op, req.ranking);
        BuiltQuery q = builder.build(req.query);
        built.rewritten = q.rewritten;
        built.ranked_or = q.ranked_or;
        built.any_word = q.any_word;
        built.words = q.words;
        built.terms = std::move(q.terms);
        built.stems = std::move(q.stems);
        built.query = Xapian::Query(Xapian::Query::OP_FILTER, q.query, built.query);
      }
    } else {
      QueryBuilder builder(db, store::indexed_languages(db));
      builder.set_include_boilerplate(req.include_boilerplate);
      builder.set_default_op(req.default_op, req.ranking);
      built = builder.build(req.query);
    }
    check_deadline(req.deadline);
    Xapian::Query query = built.query;
    if (!req.since.empty() || !req.until.empty()) {
      // --since/--until take the same bounds as date: ranges; a bad one is a usage error.
      auto bound = [](const std::string& text, bool end, const char* option) {
        if (text.empty()) return std::string();
        std::string ymd = parse_date_bound(text, end);
        if (ymd.empty()) {
          throw Error(ErrorKind::kUsage,
                      std::string(option) + ": invalid date \"" + text +
                          "\" (use YYYY-MM-DD, YYYY-MM or YYYY)",
                      option);
        }
        return ymd;
      };
      const std::string lo = bound(req.since, false, "since");
      const std::string hi = bound(req.until, true, "until");
      Xapian::Query range =
          lo.empty()   ? Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::slot::kDate, hi)
          : hi.empty() ? Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::slot::kDate, lo)
                       : Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::slot::kDate, lo, hi);
      query = Xapian::Query(Xapian::Query::OP_FILTER, query, range);
    }
    return query;
  }

  // Whether every match is counted (articles, and stories with collapse): with facets, a timeline,
  // --story (its value range reads the story slot of every document anyway) or exact_total.
  static bool full_count(const SearchRequest& req) {
    return !req.facets.empty() || req.timeline || !req.story.empty() || req.exact_total;
  }

  // The ranked pass: the page of matches, and with full_count() every match counted by spy
  // (emplaced here: facets, timeline, matches and with collapse stories). Without it the ranked
  // pass stops as soon as the page is certain. With it, two ways:
  //  - In the ranked pass itself, with check_at_least = the document count, so that the matcher
  //    examines every match before it stops: for queries that are not disjunctive(), where a
  //    second pass costs about as much as the first.
  //  - Separately (*separate set), for disjunctive() queries and whenever collapsing: the ranked
  //    pass stops early as without counts, and a second, unweighted pass (BoolWeight, docid
  //    order; all_matches()) hands the spy every match. Skipping BM25 (and the document lengths
  //    it reads) makes that pass a third to a fifth of a weighted one over every match
  //    (bench_search). Collapsed, that pass also counts the page's stories (StoryCounter), so
  //    it is one pass for both; and the spy must see every match, which the collapsing matcher
  //    does not promise.
  // With feedback (a query of juxtaposed words, Ranking::feedback_min_words or more) in relevance
  // order, the query is re-weighted by pseudo-relevance feedback first (search/ranking.hpp:
  // with_feedback; the same matches).
  Xapian::MSet match(const SearchRequest& req, const Xapian::Query& query, bool feedback,
                     std::optional<FacetSpy>& spy, bool& separate) {
    Xapian::Enquire enquire(db);
    const Ranking& r = req.ranking;
    enquire.set_weighting_scheme(*make_weight(r));
    enquire.set_query(query);
    if (feedback && req.sort == SortOrder::kRelevance && r.feedback_docs > 0 &&
        r.feedback_terms > 0 && r.feedback_weight > 0) {
      const Xapian::MSet top = enquire.get_mset(0, r.feedback_docs);
      check_deadline(req.deadline);
      enquire.set_query(with_feedback(db, enquire, top, query, r));
    }
    if (req.collapse) enquire.set_collapse_key(schema::slot::kStory);
    Xapian::MultiValueKeyMaker keys;
    if (req.sort != SortOrder::kRelevance) {
      keys.add_value(schema::slot::kHasDate, /*reverse=*/true);  // undated articles last
      keys.add_value(schema::slot::kDateTime, req.sort == SortOrder::kNewest);
      enquire.set_sort_by_key_then_relevance(&keys, false);
    }
    std::optional<DeadlineDecider> decider;
    if (req.deadline) decider.emplace(*req.deadline);
    Xapian::doccount check_at_least = 0;
    separate = false;
    if (full_count(req)) {
      const bool faceted = !req.facets.empty() || req.timeline;
      spy.emplace(db, req.facets, req.timeline.has_value(), faceted ? facet_column() : nullptr,
                  req.collapse);
      if (req.deadline) spy->set_deadline(*req.deadline);
      separate = req.collapse || disjunctive(query);
      if (!separate) {
        enquire.add_matchspy(&*spy);
        check_at_least = db.get_doccount();
      }
    }
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(req.offset),
                                         static_cast<Xapian::doccount>(req.limit), check_at_least,
                                         nullptr, decider ? &*decider : nullptr);
    check_deadline(req.deadline);
    return mset;
  }

  // One unweighted pass over every match (docid order) for the given spies.
  void all_matches(const SearchRequest& req, const Xapian::Query& query,
                   std::initializer_list<Xapian::MatchSpy*> spies) {
    std::optional<DeadlineDecider> decider;
    if (req.deadline) decider.emplace(*req.deadline);
    Xapian::Enquire all(db);
    all.set_query(query);
    all.set_weighting_scheme(Xapian::BoolWeight());
    all.set_docid_order(Xapian::Enquire::ASCENDING);
    for (Xapian::MatchSpy* s : spies) {
      if (s) all.add_matchspy(s);
    }
    all.get_mset(0, 0, db.get_doccount(), nullptr, decider ? &*decider : nullptr);
    check_deadline(req.deadline);
  }

  // The counts of a result (articles, stories, facets, timeline) and the old single total.
  void count(const SearchRequest& req, const Xapian::MSet& mset, const std::optional<FacetSpy>& spy,
             SearchResult& result) {
    result.doc_count = db.get_doccount();
    result.collapsed = req.collapse;
    auto exact = [](std::size_t n) { return Count{n, n, n, true}; };
    // A count within bounds: the estimate clamped to them, exact when they agree.
    auto bounded = [](std::size_t estimate, std::size_t lower, std::size_t upper) {
      upper = std::max(upper, lower);
      estimate = std::clamp(estimate, lower, upper);
      return Count{estimate, lower, upper, lower == upper};
    };
    if (spy) {
      // Every match was counted.
      result.articles = exact(spy->seen());
      if (req.collapse) result.stories = exact(spy->stories());
      if (!req.facets.empty()) result.facets = spy->results(req.facet_limit);
      if (req.timeline) result.timeline = spy->timeline(*req.timeline, req.timeline_max);
    } else {
      // Xapian's bounds on the matches (uncollapsed: articles), true bounds; its estimate.
      result.articles = bounded(mset.get_uncollapsed_matches_estimated(),
                                mset.get_uncollapsed_matches_lower_bound(),
                                mset.get_uncollapsed_matches_upper_bound());
      if (req.collapse) {
        // Xapian's collapsed bounds are true bounds (the distinct keys seen; the articles' upper
        // bound less the duplicates ignored), its estimate only an estimate, even when every match
        // was examined (issue 13: 1600 between 1143 and 1895, once reported as exact). There are
        // no more stories than articles, and at least one when there is an article.
        const Count& a = result.articles;
        std::size_t lower = mset.get_matches_lower_bound();
        std::size_t upper = std::min<std::size_t>(mset.get_matches_upper_bound(), a.upper_bound);
        if (a.lower_bound > 0) lower = std::max<std::size_t>(lower, 1);
        lower = std::min(lower, upper);
        // True bounds that agree are a count (a short last page: Xapian then has the whole list).
        Count stories =
            bounded(std::min<std::size_t>(mset.get_matches_estimated(), a.estimate), lower, upper);
        result.stories = stories;
      }
    }
    // The old single total: the paged unit (stories with collapse).
    const Count& total = req.collapse ? *result.stories : result.articles;
    result.estimate = total.estimate;
    result.lower_bound = total.lower_bound;
    result.upper_bound = total.upper_bound;
    result.exact = total.exact;
  }

  // "Did you mean" (suggest.hpp): the query corrected, when it found fewer than kSuggestBelow
  // articles and the correction finds more (counted up to what decides it); else empty.
  std::string suggestion(const SearchRequest& req, std::size_t found) {
    if (req.query.empty() || found >= kSuggestBelow) return {};
    analysis::Tokenizer tokenizer;
    SearchRequest corrected = req;
    corrected.query = corrected_query(db, tokenizer, req.query);
    if (corrected.query.empty() || corrected.query == req.query) return {};
    BuiltQuery built;
    Xapian::Query query;
    try {
      query = build_query(corrected, built);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kBadQuery && e.kind() != ErrorKind::kLimit) throw;
      return {};
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const auto enough = static_cast<Xapian::doccount>(kSuggestFactor * kSuggestBelow);
    const Xapian::MSet m = enquire.get_mset(0, 0, enough);
    check_deadline(req.deadline);
    if (!worth_suggesting(found, m.get_matches_lower_bound())) return {};
    return corrected.query;
  }

  // One hit of the page, and its snippet's source into out.
  Hit make_hit(const SearchRequest& req, const Xapian::MSetIterator& it, Read& out,
               std::unordered_map<std::string, std::string>& names) {
    Hit hit;
    hit.score = it.get_weight();
    const Xapian::Document doc = it.get_document();
    hit.article = schema::deserialise_article(doc.get_data());
    // The snippet's source: a bounded window of the body, without its boilerplate lines
    // unless they are searched too; the title when nothing else is left. The body itself is
    // not kept (an article may be tens of megabytes).
    std::vector<analysis::SuppressedLine> suppressed;
    if (!req.include_boilerplate) {
      suppressed = analysis::decode_suppressed(doc.get_value(schema::slot::kBoilerplate));
    }
    SnippetSource source = out.snippets->source(hit.article.body, suppressed);
    if (source.text.empty()) source = out.snippets->source(hit.article.title);
    out.sources.push_back(std::move(source));
    std::string().swap(hit.article.body);
    // The entities: the hit's entity terms (prefix + type letter + id, fields.hpp).
    schema::terms::for_each_entity_term(
        doc.termlist_begin(), doc.termlist_end(),
        [&](schema::EntityType type, std::string_view id) {
          auto n = names.find(std::string(id));
          if (n == names.end())
            n = names.emplace(std::string(id), entity_display_name(db, id)).first;
          hit.entities.push_back({type, n->first, n->second});
        });
    // People, places, organisations, other names; each by id (the terms' order).
    std::stable_sort(hit.entities.begin(), hit.entities.end(), [](const auto& a, const auto& b) {
      return schema::entity_type_code(a.type) < schema::entity_type_code(b.type);
    });
    hit.story = doc.get_value(schema::slot::kStory);
    return hit;
  }

  Read read(const SearchRequest& req) {
    BuiltQuery built;
    const Xapian::Query query = build_query(req, built);
    std::optional<FacetSpy> spy;
    bool separate = false;
    const bool feedback =
        built.ranked_or && built.any_word && built.words >= req.ranking.feedback_min_words;
    const Xapian::MSet mset = match(req, query, feedback, spy, separate);
    // With collapse: the page's stories, whose other matching articles and outlets are counted
    // by a StoryCounter in a pass over every match.
    StoryCounter::Stories stories;
    if (req.collapse) {
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        check_deadline(req.deadline);
        std::string story = it.get_collapse_key();  // slot kStory
        if (!story.empty()) stories[std::move(story)].shown = *it;
      }
    }
    // That pass and the spy's are one: collapsed, a pass over every match for the page's stories
    // counts every match and story too (exactly, at the cost of reading the story slot).
    if (!stories.empty() && !spy) {
      spy.emplace(db, std::vector<Facet>{}, false, nullptr, true);
      if (req.deadline) spy->set_deadline(*req.deadline);
      separate = true;
    }
    std::optional<StoryCounter> counter;
    if (!stories.empty()) counter.emplace(stories, req.deadline, spy ? &*spy : nullptr);
    if (separate) all_matches(req, query, {&*spy, counter ? &*counter : nullptr});
    Read out;
    SearchResult& result = out.result;
    result.rewritten = built.rewritten;
    result.any_word = built.any_word;
    result.parsed = query.get_description();
    count(req, mset, spy, result);
    result.suggestion = suggestion(req, result.articles.estimate);
    out.snippets = std::make_unique<SnippetMaker>(built.terms, built.stems);
    std::unordered_map<std::string, std::string> names;  // entity id -> display name
    std::size_t rank = req.offset;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      check_deadline(req.deadline);
      Hit hit = make_hit(req, it, out, names);
      hit.rank = ++rank;
      if (const auto s = stories.find(hit.story); s != stories.end()) {
        hit.others = s->second.others;
        hit.other_outlets.assign(s->second.outlets.begin(), s->second.outlets.end());
      }
      result.hits.push_back(std::move(hit));
    }
    return out;
  }
};

Searcher::Searcher(const std::string& path) : m_impl(std::make_unique<Impl>()) {
  m_impl->path = path;
  m_impl->open();
}

Searcher::~Searcher() = default;

void Searcher::refresh() { m_impl->catch_up(); }

void Searcher::set_facet_column(bool use) {
  m_impl->use_column = use;
  m_impl->forget_column();
}

namespace {

// The stored article with this id, its suppressed lines and line count; with entities also its
// entities (as in a Hit), story and story size. Throws Error{kNoSuchArticle} for an id no article
// has (the empty id too), quoting at most 60 bytes of it with quotes, backslashes and control
// characters escaped (invalid UTF-8 repaired).
Explanation read_article(const Xapian::Database& db, const std::string& id, bool entities) {
  const std::string term = schema::terms::id(id);
  Xapian::PostingIterator p = db.postlist_begin(term);
  if (id.empty() || p == db.postlist_end(term)) {
    const std::string_view cut = utf8::truncate(id, 60);
    const std::string shown = utf8::repair(cut);
    std::string quoted;
    for (const char c : shown) {
      if (c == '"' || c == '\\') {
        quoted += '\\';
        quoted += c;
      } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
        quoted += hex;
      } else {
        quoted += c;
      }
    }
    throw Error(ErrorKind::kNoSuchArticle,
                "no article with id \"" + quoted + "\"" + (id.size() > cut.size() ? "..." : ""));
  }
  const Xapian::Document doc = db.get_document(*p);
  Explanation e;
  e.article = schema::deserialise_article(doc.get_data());
  e.suppressed = analysis::decode_suppressed(doc.get_value(schema::slot::kBoilerplate));
  // Ranges that do not fit the stored body (never written so) are dropped, not trusted.
  const std::size_t size = e.article.body.size();
  std::erase_if(e.suppressed, [size](const analysis::SuppressedLine& l) {
    return l.end > size || l.begin >= l.end;
  });
  std::vector<analysis::LineSpan> spans;
  analysis::split_lines(e.article.body, spans);
  e.lines = spans.size();
  if (!entities) return e;
  // As a hit's: people, places, organisations, other names; each by id, in term order.
  schema::terms::for_each_entity_term(
      doc.termlist_begin(), doc.termlist_end(),
      [&](schema::EntityType type, std::string_view entity) {
        e.entities.push_back({type, std::string(entity), entity_display_name(db, entity)});
      });
  std::stable_sort(e.entities.begin(), e.entities.end(), [](const auto& a, const auto& b) {
    return schema::entity_type_code(a.type) < schema::entity_type_code(b.type);
  });
  e.story = doc.get_value(schema::slot::kStory);
  if (!e.story.empty()) {
    Xapian::Enquire all(db);
    all.set_query(story_query(e.story));
    all.set_weighting_scheme(Xapian::BoolWeight());
    e.story_size = all.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
  }
  return e;
}

}  // namespace

Explanation Searcher::explain(const std::string& id) {
  return m_impl->retrying(std::nullopt, "reading",
                          [&] { return read_article(m_impl->db, id, false); });
}

Explanation Searcher::get(const std::string& id) {
  return m_impl->retrying(std::nullopt, "reading",
                          [&] { return read_article(m_impl->db, id, true); });
}

SearchResult Searcher::search(const SearchRequest& request) {
  check_setting(setting::kLimit, request.limit);
  check_setting(setting::kOffset, request.offset);
  check_setting(setting::kFacetLimit, request.facet_limit);
  if (request.timeline_max != 0 &&
      (request.timeline_max < kMinTimelineMax || request.timeline_max > kMaxTimelineMax)) {
    throw Error(request.timeline_max < kMinTimelineMax ? ErrorKind::kUsage : ErrorKind::kLimit,
                "timeline_max must be between " + std::to_string(kMinTimelineMax) + " and " +
                    std::to_string(kMaxTimelineMax) + " (got " +
                    std::to_string(request.timeline_max) + ")",
                "timeline_max");
  }
  Impl::Read read =
      m_impl->retrying(request.deadline, "searching", [&] { return m_impl->read(request); });
  // --story alone (no query, no dates) of a story with no article: an unknown id, not an empty
  // result (the story's articles are counted exactly: full_count()).
  if (!request.story.empty() && request.query.empty() && request.since.empty() &&
      request.until.empty() && read.result.articles.exact && read.result.articles.estimate == 0) {
    throw Error(ErrorKind::kNoSuchArticle, "no story with id " + request.story, "story");
  }
  // The snippets, from what was read: no database access, so no commit can overtake them.
  std::vector<Hit>& hits = read.result.hits;
  for (std::size_t k = 0; k < hits.size(); ++k) {
    check_deadline(request.deadline);
    hits[k].snippet = read.snippets->make(read.sources[k], hits[k].article.language);
    std::string().swap(read.sources[k].text);
  }
  return std::move(read.result);
}

}  // namespace sitrep::search
