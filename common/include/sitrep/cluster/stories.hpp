#pragma once
// Story clusters (issue 6): groups the articles that report one event, across outlets, so that a
// search can show one hit per story. Runs over a database after its documents are written and
// gives every document without one a story id in value slot schema::slot::kStory.
//
// Algorithm, its rationale and limits: docs/design/stories.md (the one description).
// Deterministic: the same database gives the same assignment, whatever order its documents were
// added in. Defaults tuned on the dev split of tests/data/stories/labels.tsv with boilerplate
// suppression (eval/tune_stories.cpp; figures in eval/README.md).

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
