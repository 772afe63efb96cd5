#include "sitrep/search/searcher.hpp"

#include <algorithm>
#include <cstdio>
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

  // From then on, operator() throws Error{kTimeout} once deadline has passed (if set).
  StoryCounter(Stories& stories, std::optional<std::chrono::steady_clock::time_point> deadline)
      : m_stories(stories), m_deadline(deadline) {}

  void operator()(const Xapian::Document& doc, double) override {
    if (m_deadline && (++m_calls & 255) == 0 && std::chrono::steady_clock::now() > *m_deadline)
      throw_timeout();
    const std::string story = doc.get_value(schema::slot::kStory);
    if (story.empty()) return;
    const auto it = m_stories.find(story);
    if (it == m_stories.end() || doc.get_docid() == it->second.shown) return;
    ++it->second.others;
    const std::string facets = doc.get_value(schema::slot::kFacets);  // decoded in place
    const auto f = schema::decode_facets(facets);
    if (f && !f->source.empty()) it->second.outlets.emplace(f->source);
  }
  std::string name() const override { return "sitrep::StoryCounter"; }

 private:
  Stories& m_stories;
  std::optional<std::chrono::steady_clock::time_point> m_deadline;
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
        BuiltQuery q = builder.build(req.query);
        built.rewritten = q.rewritten;
        built.terms = std::move(q.terms);
        built.stems = std::move(q.stems);
        built.query = Xapian::Query(Xapian::Query::OP_FILTER, q.query, built.query);
      }
    } else {
      QueryBuilder builder(db, store::indexed_languages(db));
      builder.set_include_boilerplate(req.include_boilerplate);
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

  // The ranked pass: the page of matches, and with facets or a timeline every match counted by
  // spy (emplaced here). Facets and timelines count every match, handed to the spy by the
  // matcher. Without them the ranked pass stops as soon as the page is certain. With them, two
  // ways:
  //  - Separately, for disjunctive() queries: the ranked pass stops early as without facets,
  //    and a second, unweighted pass (BoolWeight, docid order) hands the spy every match.
  //    Skipping BM25 (and the document lengths it reads) makes that pass a third to a fifth of
  //    a weighted one over every match (bench_search).
  //  - In the ranked pass itself, with check_at_least = the document count, so that the matcher
  //    examines every match before it stops: for other queries, where a second pass costs
  //    about as much as the first, and when collapsing, whose total is then exact.
  Xapian::MSet match(const SearchRequest& req, const Xapian::Query& query,
                     std::optional<FacetSpy>& spy) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    if (req.collapse) enquire.set_collapse_key(schema::slot::kStory);
    Xapian::MultiValueKeyMaker keys;
    if (req.sort != SortOrder::kRelevance) {
      keys.add_value(schema::slot::kHasDate, /*reverse=*/true);  // undated articles last
      keys.add_value(schema::slot::kDateTime, req.sort == SortOrder::kNewest);
      enquire.set_sort_by_key_then_relevance(&keys, false);
    }
    std::optional<DeadlineDecider> decider;
    if (req.deadline) decider.emplace(*req.deadline);
    // --story reads the story slot of every document anyway (a value range): count exactly.
    Xapian::doccount check_at_least = req.story.empty() ? 0 : db.get_doccount();
    bool separate = false;
    if (!req.facets.empty() || req.timeline) {
      spy.emplace(db, req.facets, req.timeline.has_value(), facet_column());
      if (req.deadline) spy->set_deadline(*req.deadline);
      separate = !req.collapse && disjunctive(query);
      if (!separate) {
        enquire.add_matchspy(&*spy);
        check_at_least = db.get_doccount();
      }
    }
    Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(req.offset),
                                         static_cast<Xapian::doccount>(req.limit), check_at_least,
                                         nullptr, decider ? &*decider : nullptr);
    check_deadline(req.deadline);
    if (separate) {
      Xapian::Enquire all(db);
      all.set_query(query);
      all.set_weighting_scheme(Xapian::BoolWeight());
      all.set_docid_order(Xapian::Enquire::ASCENDING);
      all.add_matchspy(&*spy);
      all.get_mset(0, 0, db.get_doccount(), nullptr, decider ? &*decider : nullptr);
      check_deadline(req.deadline);
    }
    return mset;
  }

  // The totals and counts of a result (estimate, bounds, facets, timeline).
  void count(const SearchRequest& req, const Xapian::MSet& mset, const std::optional<FacetSpy>& spy,
             SearchResult& result) {
    result.estimate = mset.get_matches_estimated();
    result.lower_bound = mset.get_matches_lower_bound();
    result.upper_bound = mset.get_matches_upper_bound();
    // Bounds that agree are an exact count (a small match set, or --story's full count).
    result.exact = result.lower_bound == result.upper_bound;
    result.doc_count = db.get_doccount();
    result.collapsed = req.collapse;
    if (spy) {
      // The spy saw every match; Xapian's bounds agree then, but the spy's count is the one the
      // facet and timeline counts add up to. Collapsed, the total counts stories: Xapian's count
      // is exact too, since every match was examined.
      result.exact = true;
      if (!req.collapse) result.estimate = result.lower_bound = result.upper_bound = spy->seen();
      result.facets = spy->results(req.facet_limit);
      if (req.timeline) result.timeline = spy->timeline(*req.timeline);
    }
    // Placeholder until issue 13's counting: the old total, as articles or stories.
    const Count total{result.estimate, result.lower_bound, result.upper_bound, result.exact};
    if (req.collapse) {
      result.stories = total;
      result.articles = spy ? Count{spy->seen(), spy->seen(), spy->seen(), true} : total;
    } else {
      result.articles = total;
    }
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

  // With collapse: the other matching articles of the page's stories and their outlets, in one
  // unweighted pass over every match.
  void count_stories(const SearchRequest& req, const Xapian::Query& query,
                     StoryCounter::Stories& stories, std::vector<Hit>& hits) {
    StoryCounter counter(stories, req.deadline);
    Xapian::Enquire all(db);
    all.set_query(query);
    all.set_weighting_scheme(Xapian::BoolWeight());
    all.set_docid_order(Xapian::Enquire::ASCENDING);
    all.add_matchspy(&counter);
    all.get_mset(0, 0, db.get_doccount());
    for (Hit& hit : hits) {
      auto s = stories.find(hit.story);
      if (s == stories.end()) continue;
      hit.others = s->second.others;
      hit.other_outlets.assign(s->second.outlets.begin(), s->second.outlets.end());
    }
  }

  Read read(const SearchRequest& req) {
    BuiltQuery built;
    const Xapian::Query query = build_query(req, built);
    std::optional<FacetSpy> spy;
    const Xapian::MSet mset = match(req, query, spy);
    Read out;
    SearchResult& result = out.result;
    result.rewritten = built.rewritten;
    result.parsed = query.get_description();
    count(req, mset, spy, result);
    out.snippets = std::make_unique<SnippetMaker>(built.terms, built.stems);
    std::unordered_map<std::string, std::string> names;  // entity id -> display name
    StoryCounter::Stories stories;                       // with collapse: the page's stories
    std::size_t rank = req.offset;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      check_deadline(req.deadline);
      Hit hit = make_hit(req, it, out, names);
      hit.rank = ++rank;
      if (req.collapse && !hit.story.empty()) stories[hit.story].shown = *it;
      result.hits.push_back(std::move(hit));
    }
    if (!stories.empty()) count_stories(req, query, stories, result.hits);
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
      doc.termlist_begin(), doc.termlist_end(), [&](schema::EntityType type, std::string_view id) {
        e.entities.push_back({type, std::string(id), entity_display_name(db, id)});
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
  Impl::Read read =
      m_impl->retrying(request.deadline, "searching", [&] { return m_impl->read(request); });
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
