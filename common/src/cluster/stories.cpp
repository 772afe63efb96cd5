#include "sitrep/cluster/stories.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/util/hash.hpp"

namespace sitrep::cluster {

namespace {

constexpr int kUndated = INT32_MIN;
constexpr unsigned kUndatedCandidates = 20;  // best matches of an undated article's query
constexpr std::size_t kMaxEntities = 24;     // entity terms in a signature
constexpr double kNoTerm = -1;               // m_log_df of a term in at most one document

// Days since 1970-01-01 of "YYYYMMDD" (H. Hinnant's days_from_civil); kUndated when malformed.
int day_number(std::string_view ymd) {
  if (ymd.size() != 8) return kUndated;
  int v[3] = {0, 0, 0};
  const std::size_t len[3] = {4, 2, 2};
  std::size_t at = 0;
  for (int k = 0; k < 3; ++k) {
    for (std::size_t i = 0; i < len[k]; ++i, ++at) {
      const char c = ymd[at];
      if (c < '0' || c > '9') return kUndated;
      v[k] = v[k] * 10 + (c - '0');
    }
  }
  int y = v[0];
  const unsigned m = static_cast<unsigned>(v[1]), d = static_cast<unsigned>(v[2]);
  if (m < 1 || m > 12 || d < 1 || d > 31) return kUndated;
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

using Signature = std::vector<std::pair<std::uint32_t, float>>;  // (term, weight), by term

struct Item {
  Xapian::docid did = 0;
  int day = kUndated;
  std::string when;  // slot::kDateTime, for the processing order
  std::string id;
  Signature sig;
  int story = -1;
  bool fresh = false;  // to be assigned by this pass
};

// The dot product of two signatures, and the number of terms they share.
std::pair<double, unsigned> dot(const Signature& a, const Signature& b) {
  double s = 0;
  unsigned shared = 0;
  auto i = a.begin(), j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (i->first < j->first) {
      ++i;
    } else if (j->first < i->first) {
      ++j;
    } else {
      s += static_cast<double>(i->second) * j->second;
      ++shared;
      ++i;
      ++j;
    }
  }
  return {s, shared};
}

class Clusterer {
 public:
  Clusterer(const Xapian::Database& db, const StoryOptions& o)
      : m_db(db), m_opt(o), m_n(static_cast<double>(db.get_doccount())) {}

  StoryCounts run(Xapian::WritableDatabase& out);

  double similarity(Xapian::docid a, Xapian::docid b) {
    const std::size_t i = load(a, kUndated, {}, false), j = load(b, kUndated, {}, false);
    return dot(m_items[i].sig, m_items[j].sig).first;
  }

 private:
  // Interned term: its id, and ln of its document frequency.
  std::uint32_t intern(const std::string& term) {
    auto [it, fresh] = m_term_ids.try_emplace(term, static_cast<std::uint32_t>(m_log_df.size()));
    if (fresh) {
      const double df = m_db.get_termfreq(term);
      // ln df; terms in at most one document can match nothing: left out.
      m_log_df.push_back(df >= 2 ? std::log(df) : kNoTerm);
      m_names.push_back(term);
    }
    return it->second;
  }

  // Reads did's termlist into a new item: its id and signature.
  std::size_t load(Xapian::docid did, int day, std::string when, bool fresh);
  int story_for(const Item& it);
  int story_for_undated(std::size_t index);
  // A story's similarity from the best and the mean cosine with its articles in the window.
  double story_similarity(double max, double mean) const {
    return (1 - m_opt.mean_weight) * max + m_opt.mean_weight * mean;
  }
  bool stopped() const { return m_opt.stop && m_opt.stop(); }
  // run()'s phases, in order.
  void read_values();
  bool find_fresh();
  bool load_signatures();
  void order_items();
  bool sweep(StoryCounts& counts);
  void write_stories(Xapian::WritableDatabase& out, StoryCounts& counts);
  // Whether a new document falls within the window of day.
  bool near_fresh(int day) const;

  const Xapian::Database& m_db;
  const StoryOptions& m_opt;
  const double m_n;
  std::unordered_map<std::string, std::uint32_t> m_term_ids;
  std::vector<double> m_log_df;                          // by term id
  std::unordered_map<std::string, double> m_log_lang_n;  // L<lang> term -> ln(its documents)
  std::vector<std::string> m_names;
  std::vector<Item> m_items;
  std::unordered_map<Xapian::docid, std::size_t> m_item_of;
  std::vector<std::string> m_story_ids;
  std::unordered_map<std::string, int> m_story_index;
  std::vector<std::string> m_old_story;       // by docid: the story it had before this pass
  std::vector<std::string> m_dates, m_whens;  // by docid: slot::kDate, slot::kDateTime
  std::vector<Xapian::docid> m_fresh;         // the documents to assign, in docid order
  std::vector<int> m_fresh_days;              // the days they fall on, sorted, unique
  std::vector<std::size_t> m_order;           // the new items, in the order they are assigned
  std::vector<std::size_t> m_old_items;       // the assigned items loaded, by day
  // Inverted index over the signatures of the dated items visible to the sweep: term -> items.
  std::vector<std::vector<std::pair<std::uint32_t, float>>> m_postings;
  std::vector<float> m_score;           // by item, scratch
  std::vector<std::uint16_t> m_shared;  // by item: signature terms shared, scratch
  std::vector<std::uint32_t> m_touched;
  struct StoryScore {
    float max = 0;
    double sum = 0;
    unsigned n = 0;
    unsigned shared = 0;  // the most signature terms shared with one of the story's articles
  };
  std::vector<StoryScore> m_story_score;  // by story, scratch
  std::vector<int> m_stories_touched;
  std::vector<std::pair<float, std::uint32_t>> m_cand;  // scratch of load()
};

std::size_t Clusterer::load(Xapian::docid did, int day, std::string when, bool fresh) {
  Item it;
  it.did = did;
  it.day = day;
  it.when = std::move(when);
  it.fresh = fresh;
  m_cand.clear();
  std::vector<std::pair<float, std::uint32_t>> ents;
  // A stemmed term's idf is relative to the documents of the article's language, ln(N_lang / df):
  // in a multilingual archive a function word of a language is in most of that language's
  // documents but a minority of all, and would look distinctive against N. Entity ids are the
  // same in every language: ln(N / df). The language term L<code> sorts before Q, X and Z.
  const double log_n = std::log(m_n);
  double log_lang_n = log_n;
  for (auto t = m_db.termlist_begin(did); t != m_db.termlist_end(did); ++t) {
    const std::string& term = *t;
    if (const auto id = schema::terms::id_of(term)) {
      if (it.id.empty()) it.id = *id;
      continue;
    }
    if (schema::terms::is_language(term)) {
      auto [l, fresh_lang] = m_log_lang_n.try_emplace(term, 0.0);
      if (fresh_lang) l->second = std::log(std::max<double>(1, m_db.get_termfreq(term)));
      log_lang_n = l->second;
      continue;
    }
    // The signature's terms: ordinary stems (not the title copies) and entities.
    const bool stem = schema::terms::body_stem(term).has_value();
    if (!stem && !schema::terms::is_entity(term)) continue;
    const std::uint32_t id = intern(term);
    if (m_log_df[id] == kNoTerm) continue;
    const double idf = (stem ? log_lang_n : log_n) - m_log_df[id];
    if (idf <= 0) continue;
    if (stem) {
      m_cand.emplace_back(static_cast<float>((1 + std::log(t.get_wdf())) * idf), id);
    } else {
      ents.emplace_back(static_cast<float>(m_opt.entity_weight * idf), id);
    }
  }
  // Highest weight first; equal weights by term, so the choice never depends on interning order.
  auto by_weight = [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return m_names[a.second] < m_names[b.second];
  };
  auto keep_top = [&](std::vector<std::pair<float, std::uint32_t>>& v, std::size_t k) {
    if (v.size() > k) {
      std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end(), by_weight);
      v.resize(k);
    }
    for (const auto& [w, id] : v) it.sig.emplace_back(id, w);
  };
  keep_top(m_cand, m_opt.top_terms);
  keep_top(ents, kMaxEntities);
  double norm = 0;
  for (const auto& [id, w] : it.sig) norm += static_cast<double>(w) * w;
  norm = std::sqrt(norm);
  for (auto& [id, w] : it.sig) w = static_cast<float>(w / norm);
  std::sort(it.sig.begin(), it.sig.end());
  const std::size_t index = m_items.size();
  m_item_of.emplace(did, index);
  m_items.push_back(std::move(it));
  return index;
}

// The story of the most similar article in the window, if similar enough; -1 for a new story.
int Clusterer::story_for(const Item& it) {
  const int lo = it.day - m_opt.window_days, hi = it.day + m_opt.window_days;
  for (const auto& [term, w] : it.sig) {
    if (term >= m_postings.size()) continue;
    auto& list = m_postings[term];
    for (std::size_t k = 0; k < list.size();) {
      const std::uint32_t j = list[k].first;
      const int day = m_items[j].day;
      if (day < lo) {
        // Out of the window for good: the sweep only moves forward in time.
        list[k] = list.back();
        list.pop_back();
        continue;
      }
      ++k;
      if (day > hi) continue;
      if (m_score[j] == 0) m_touched.push_back(j);
      m_score[j] += w * list[k - 1].second;
      ++m_shared[j];
    }
  }
  for (const std::uint32_t j : m_touched) {
    StoryScore& st = m_story_score[static_cast<std::size_t>(m_items[j].story)];
    if (st.n == 0) m_stories_touched.push_back(m_items[j].story);
    st.max = std::max(st.max, m_score[j]);
    st.sum += m_score[j];
    st.shared = std::max<unsigned>(st.shared, m_shared[j]);
    ++st.n;
    m_score[j] = 0;
    m_shared[j] = 0;
  }
  int best = -1;
  double best_score = 0;
  for (const int s : m_stories_touched) {
    StoryScore& st = m_story_score[static_cast<std::size_t>(s)];
    const double v =
        st.shared >= m_opt.min_shared_terms ? story_similarity(st.max, st.sum / st.n) : 0;
    if (v > best_score || (v == best_score && best >= 0 && s < best)) {
      best = s;
      best_score = v;
    }
    st = {};
  }
  m_touched.clear();
  m_stories_touched.clear();
  return best_score >= m_opt.threshold ? best : -1;
}

// An undated article has no window: the best matches of its signature as a Xapian query over
// the whole database are its candidates, among the articles that already have a story.
int Clusterer::story_for_undated(std::size_t index) {
  std::vector<Xapian::Query> terms;
  for (const auto& [term, w] : m_items[index].sig) terms.emplace_back(m_names[term]);
  if (terms.empty()) return -1;
  Xapian::Enquire enquire(m_db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  const Xapian::MSet mset = enquire.get_mset(0, kUndatedCandidates + 1);
  std::map<int, StoryScore> per_story;
  for (auto m = mset.begin(); m != mset.end(); ++m) {
    const Xapian::docid did = *m;
    if (did == m_items[index].did) continue;
    std::size_t j;
    if (auto f = m_item_of.find(did); f != m_item_of.end()) {
      j = f->second;
    } else {
      if (did >= m_old_story.size() || m_old_story[did].empty()) continue;  // not assigned yet
      const Xapian::Document doc = m_db.get_document(did);
      const std::string ymd = doc.get_value(schema::slot::kDate);
      j = load(did, day_number(ymd), doc.get_value(schema::slot::kDateTime), false);
      auto [st, fresh] = m_story_index.try_emplace(m_old_story[did], m_story_ids.size());
      if (fresh) m_story_ids.push_back(m_old_story[did]);
      m_items[j].story = st->second;
    }
    if (m_items[j].story < 0) continue;
    StoryScore& st = per_story[m_items[j].story];
    const auto [c, shared] = dot(m_items[index].sig, m_items[j].sig);
    st.max = std::max(st.max, static_cast<float>(c));
    st.sum += c;
    st.shared = std::max(st.shared, shared);
    ++st.n;
  }
  int best = -1;
  double best_score = 0;
  for (const auto& [s, st] : per_story) {
    const double v =
        st.shared >= m_opt.min_shared_terms ? story_similarity(st.max, st.sum / st.n) : 0;
    if (v > best_score) {  // map order: the lower story wins a tie
      best = s;
      best_score = v;
    }
  }
  return best_score >= m_opt.threshold ? best : -1;
}

StoryCounts Clusterer::run(Xapian::WritableDatabase& out) {
  StoryCounts counts;
  read_values();
  if (!find_fresh()) return counts;
  if (!load_signatures()) return counts;
  counts.read = m_items.size();
  order_items();
  if (!sweep(counts)) return counts;
  write_stories(out, counts);
  return counts;
}

// The dates, date-times and (unless reclustering) stories of every document, by docid.
void Clusterer::read_values() {
  const Xapian::docid last = m_db.get_lastdocid();
  m_dates.assign(last + 1, {});
  m_whens.assign(last + 1, {});
  m_old_story.assign(last + 1, {});
  auto read_slot = [&](Xapian::valueno slot, std::vector<std::string>& into) {
    for (auto v = m_db.valuestream_begin(slot); v != m_db.valuestream_end(slot); ++v) {
      into[v.get_docid()] = *v;
    }
  };
  read_slot(schema::slot::kDate, m_dates);
  read_slot(schema::slot::kDateTime, m_whens);
  if (!m_opt.recluster) read_slot(schema::slot::kStory, m_old_story);
}

// The documents to assign, and the days they fall on; false when there are none.
bool Clusterer::find_fresh() {
  for (auto p = m_db.postlist_begin(""); p != m_db.postlist_end(""); ++p) {
    if (!m_old_story[*p].empty()) continue;
    m_fresh.push_back(*p);
    const int day = day_number(m_dates[*p]);
    if (day != kUndated) m_fresh_days.push_back(day);
  }
  std::sort(m_fresh_days.begin(), m_fresh_days.end());
  m_fresh_days.erase(std::unique(m_fresh_days.begin(), m_fresh_days.end()), m_fresh_days.end());
  return !m_fresh.empty();
}

bool Clusterer::near_fresh(int day) const {
  auto f = std::lower_bound(m_fresh_days.begin(), m_fresh_days.end(), day - m_opt.window_days);
  return f != m_fresh_days.end() && *f <= day + m_opt.window_days;
}

// Signatures: the new documents, and the assigned ones in their windows (docid order, which
// reads the termlist table front to back). False when stopped.
bool Clusterer::load_signatures() {
  const Xapian::docid last = m_db.get_lastdocid();
  std::size_t fresh_at = 0;
  for (Xapian::docid did = 1; did <= last; ++did) {
    const bool is_fresh = fresh_at < m_fresh.size() && m_fresh[fresh_at] == did;
    if (is_fresh) ++fresh_at;
    const int day = day_number(m_dates[did]);
    if (!is_fresh && (m_old_story[did].empty() || day == kUndated || !near_fresh(day))) continue;
    if ((m_items.size() & 255) == 0 && stopped()) return false;
    const std::size_t j = load(did, day, std::move(m_whens[did]), is_fresh);
    if (!is_fresh) {
      auto [st, added] = m_story_index.try_emplace(m_old_story[did], m_story_ids.size());
      if (added) m_story_ids.push_back(m_old_story[did]);
      m_items[j].story = st->second;
      m_old_items.push_back(j);
    }
  }
  return true;
}

// The order: dated by (date-time, id), then undated by id; the assigned items by day.
void Clusterer::order_items() {
  for (std::size_t j = 0; j < m_items.size(); ++j) {
    if (m_items[j].fresh) m_order.push_back(j);
  }
  auto key = [&](std::size_t j) {
    const Item& it = m_items[j];
    return std::make_tuple(it.day == kUndated, std::string_view(it.when), std::string_view(it.id));
  };
  std::sort(m_order.begin(), m_order.end(),
            [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  std::sort(m_old_items.begin(), m_old_items.end(), [&](std::size_t a, std::size_t b) {
    return m_items[a].day < m_items[b].day || (m_items[a].day == m_items[b].day && a < b);
  });
}

// The sweep: each new item in order joins the best story in its window or starts one, and
// becomes visible to the items after it. False when stopped.
bool Clusterer::sweep(StoryCounts& counts) {
  m_postings.resize(m_log_df.size());
  m_score.assign(m_items.size(), 0);
  m_shared.assign(m_items.size(), 0);
  auto insert = [&](std::size_t j) {
    for (const auto& [term, w] : m_items[j].sig) {
      m_postings[term].emplace_back(static_cast<std::uint32_t>(j), w);
    }
  };
  std::size_t old_at = 0;
  for (const std::size_t j : m_order) {
    if (stopped()) return false;
    const int day = m_items[j].day;
    int s;
    if (day != kUndated) {
      while (old_at < m_old_items.size() &&
             m_items[m_old_items[old_at]].day <= day + m_opt.window_days) {
        insert(m_old_items[old_at++]);
      }
      m_story_score.resize(m_story_ids.size());
      s = story_for(m_items[j]);
    } else {
      s = story_for_undated(j);  // may load more items: no reference into m_items across it
    }
    if (s < 0) {
      s = static_cast<int>(m_story_ids.size());
      m_story_ids.push_back(hash64_hex(m_items[j].id));
      ++counts.new_stories;
    }
    m_items[j].story = s;
    if (day != kUndated) insert(j);
  }
  return true;
}

// Write the values. Only a value changes, and the document comes from get_document() on this
// same WritableDatabase just before: Xapian 1.4's glass backend then takes its "modification
// shortcut" (GlassWritableDatabase::replace_document checks modify_shortcut_docid and
// Document::Internal::terms_modified()/data_modified()/values_modified()) and rewrites only the
// document's values, not its termlist, postings, positions or data. So this costs a value
// update per document, which is the cheapest write the 1.4 API offers.
// --recluster is all or nothing: one transaction (no automatic flush inside it), so a killed
// or stopped run leaves the previous assignment whole.
void Clusterer::write_stories(Xapian::WritableDatabase& out, StoryCounts& counts) {
  const bool atomic = m_opt.recluster;
  if (atomic) out.begin_transaction(false);
  std::size_t since_commit = 0;
  for (const std::size_t j : m_order) {
    if (stopped()) {
      if (atomic) {
        out.cancel_transaction();
        counts.assigned = counts.new_stories = 0;
      }
      return;
    }
    const Item& it = m_items[j];
    Xapian::Document doc = out.get_document(it.did);
    doc.add_value(schema::slot::kStory, m_story_ids[static_cast<std::size_t>(it.story)]);
    out.replace_document(it.did, doc);
    ++counts.assigned;
    if (!atomic && m_opt.commit_every > 0 && ++since_commit >= m_opt.commit_every) {
      out.commit();
      since_commit = 0;
    }
  }
  if (atomic) out.commit_transaction();
}

}  // namespace

StoryCounts assign_stories(Xapian::WritableDatabase& db, const StoryOptions& options) {
  return Clusterer(db, options).run(db);
}

double article_similarity(const Xapian::Database& db, Xapian::docid a, Xapian::docid b,
                          const StoryOptions& options) {
  return Clusterer(db, options).similarity(a, b);
}

}  // namespace sitrep::cluster
