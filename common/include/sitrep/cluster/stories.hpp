#pragma once
// Story clusters (issue 6): groups the articles that report one event, across outlets, so that a
// search can show one hit per story. Runs over a database after its documents are written and
// gives every document without one a story id in value slot schema::slot::kStory.
//
// Algorithm (README "Story clusters"):
//  - Signature of an article: its top_terms most distinctive ordinary stemmed terms (Z<stem>;
//    not the title-only ZS<stem> copies, and not terms in only one document, which can match
//    nothing) weighted by (1 + ln wdf) * ln(N_lang / df) with df from the database and N_lang the
//    number of documents in the article's language (so that a language's function words, in
//    most of its documents, weigh nothing in a multilingual archive), plus its entity terms
//    (XEP/XEL/XEO/XEX) weighted entity_weight * ln(N / df). The vector is
//    L2-normalised, so a dot product is a cosine.
//  - Articles are processed in (date-time, id) order, undated ones last by id. A dated article is
//    compared with the articles already assigned a story that were published at most
//    window_days before or after it, through an in-memory inverted index over their signatures;
//    an undated one with the best matches of a Xapian query of its signature over the whole
//    database (it has no window). Its similarity to a story is the mean cosine with the story's
//    articles that share a signature term with it (mean_weight 1; 0 would be the best single
//    cosine, which chains look-alike events together); it joins the most similar story when that
//    reaches threshold and one of the story's articles shares min_shared_terms signature terms
//    with it, else it starts a new story whose id is hash64_hex(its id).
//  - Incremental: documents that already have a story keep it (unless recluster); only those in
//    the windows of the new ones are read (their signatures recomputed from their termlists), so
//    a daily update reads a few days of the archive, not all of it.
// Deterministic: the same database gives the same assignment, whatever order its documents were
// added in. Defaults tuned on the dev split of tests/data/stories/labels.tsv with boilerplate
// suppression (bench/tune_stories.cpp; README "Story clusters").

#include <cstddef>
#include <functional>
#include <string>

#include <xapian.h>

namespace sitrep::cluster {

struct StoryOptions {
  int window_days = 3;         // a dated article is compared with articles this many days around
  bool recluster = false;      // assign every document again, ignoring the stories it has
  double threshold = 0.30;     // cosine at or above which an article joins a story
  std::size_t top_terms = 40;  // stemmed terms in a signature
  // A story's similarity: (1 - mean_weight) * the best cosine with one of its articles in the
  // window + mean_weight * the mean cosine with those sharing a term with the article.
  double mean_weight = 1.0;
  // A story is a candidate only if one of its articles shares at least this many signature terms
  // with the article: two very short articles can reach a high cosine on two or three words.
  unsigned min_shared_terms = 6;
  double entity_weight = 1.0;    // an entity term's weight relative to a once-seen stemmed term
  std::size_t commit_every = 0;  // commit after this many assignments (0: the caller commits)
  std::function<bool()> stop{};  // when set and true, stop early (what is assigned is kept)
};

struct StoryCounts {
  std::size_t assigned = 0;     // documents given a story by this pass
  std::size_t new_stories = 0;  // of which started a new story
  std::size_t read = 0;         // documents whose termlist was read (assigned + context)
};

// Assigns stories in db (see above). Commits only every commit_every assignments; the caller
// commits the rest. Throws Xapian::Error on database errors.
StoryCounts assign_stories(Xapian::WritableDatabase& db, const StoryOptions& options);

// The cosine of two documents' signatures (for tests and tuning).
double article_similarity(const Xapian::Database& db, Xapian::docid a, Xapian::docid b,
                          const StoryOptions& options = {});

}  // namespace sitrep::cluster
