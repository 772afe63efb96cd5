#pragma once
// Writes articles into a sitrep database, analysing them on several threads.
//
// Two modes, chosen when the writer opens the database (layout.hpp describes the files):
//  - Bulk (the database is new or empty, or a rebuild was asked for): each worker thread analyses
//    its share of the articles and writes its own shard in PATH.d/build-resume, committing it
//    every WriterOptions::commit_every documents; finish() merges the shards with
//    Xapian::Database::compact into a new generation and switches PATH to it in one rename. Until
//    then searchers see the previous generation (or, for a new database, none). A killed or
//    stopped bulk run leaves its committed shards: the next bulk run of the same database (a
//    first build run again, or --rebuild again) resumes from them, keeping each document whose
//    id, content hash and file match a record of its input (counted as unchanged and resumed)
//    and dropping the rest, so it analyses only what was not done. A rebuild never reads the
//    live generation, so it also recovers a damaged or missing one. Xapian's write path dominates
//    indexing time, so this is what uses more than one core.
//  - Update (the database holds documents): workers analyse, skipping records whose content hash
//    and file are unchanged without analysing them; one writer thread replaces documents by id in
//    the live database and commits every WriterOptions::commit_every changed documents, so a kill
//    loses at most the batch in progress and a rerun finishes the job.
// Then finish() assigns story clusters (sitrep/cluster/stories.hpp) unless WriterOptions::stories
// is off.
// Articles with the same id are always routed to the same worker, so the last one wins.
// One writer at a time: a second one waits up to WriterOptions::wait_seconds for the lock, which
// belongs to the database the path resolves to (an alias of it takes the same lock).
// A run that fails leaves nothing it created: a new database whose run fails before its first
// switch leaves no PATH and no PATH.d (unless a resumable build is in it).

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sitrep/entities/entities.hpp"
#include "sitrep/index/limits.hpp"
#include "sitrep/schema/article.hpp"

namespace sitrep::index {

struct IndexCounts {
  std::size_t added = 0;      // new ids
  std::size_t updated = 0;    // ids already present (in the database or earlier in the input)
  std::size_t unchanged = 0;  // ids present with the same content from the same file: skipped
  std::size_t resumed = 0;    // of unchanged: documents kept from a killed bulk build's shards
  std::size_t removed = 0;    // deleted by remove_ids() or prune()
  std::vector<std::string> not_found;  // ids given to remove_ids() that were not there
  std::size_t stories_assigned = 0;    // documents given a story (sitrep/cluster/stories.hpp)
  std::size_t stories_new = 0;         // of which started a new story
  // Why the facet column (schema/facet_column.hpp) could not be written; empty when it was. The
  // documents are committed either way.
  std::string facet_column_error;
  // Directories given to prune() whose every indexed file is gone (an unmounted share, a moved
  // export): nothing of theirs was removed, as prune(..., force = false) asks.
  std::vector<std::string> prune_refused;
};

struct WriterOptions {
  // Defaults and ranges: index/limits.hpp.
  unsigned threads = setting::kThreads.fallback;  // analysis workers; 0 = one per core
  // Update mode: commit after this many changed documents.
  std::size_t commit_every = setting::kCommitEvery.fallback;
  double wait_seconds = setting::kWaitSeconds.fallback;  // how long to wait for another's lock
  bool rebuild = false;  // build a new database from the input and switch to it
  // Recognise entities with this gazetteer (it must outlive the writer); nullptr: no entities.
  const entities::Gazetteer* gazetteer = nullptr;
  // Story clusters (sitrep/cluster/stories.hpp), assigned by finish() to every document without
  // one: bulk mode on the new generation before the switch, update mode after the last batch,
  // committing every commit_every assignments.
  bool stories = true;
  bool recluster = false;                             // assign every document's story again
  int story_window = setting::kStoryWindow.fallback;  // days either side
  std::function<bool()> stop{};  // stops the story pass early when it returns true
  // Detect boilerplate (analysis/boilerplate.hpp): by recurrence, with counts from prescan() and
  // (update mode) the database, and by pattern. false: every line is indexed as text.
  bool boilerplate = true;
};

// Not thread-safe: call the member functions from one thread.
class IndexWriter {
 public:
  // Takes the write lock of the database path names (managed_path()), cleans up what a killed
  // run left, and opens the database (a new one is created by finish()). Throws, before creating
  // anything, Error{kUsage} when path is a file or a directory that is not a Xapian database, or
  // for a rebuild of a database sitrep does not manage; Error{kBusy} when another writer holds
  // the lock after wait_seconds; Error{kSchema} when the database was built with another schema
  // version (and no rebuild was asked for); Error{kIo} when the link points at a missing
  // generation or the database cannot be opened (damaged: --rebuild recovers both);
  // Error{kPermission} when this user may not read or lock it.
  IndexWriter(const std::string& path, const WriterOptions& options);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Queues one article for indexing. file: the absolute path of the file it was read from, so
  // that prune() can remove it when the file is gone (empty for standard input). May block while
  // the workers catch up. Rethrows (as Error) a failure of a worker thread.
  void add(schema::Article article, const std::string& file = {});

  // The boilerplate prescan: counts a's lines (analysis::LineCounter) unless, in update mode, its
  // id is already in the database (its lines are counted there). Call for every record of the
  // input before the first add(): recurrence is then judged by these counts plus the database's.
  // Without a prescan (standard input) only the database's counts and the patterns apply.
  void prescan(const schema::Article& a);

  // Documents to delete by id, and directories whose vanished files' documents to delete; both
  // are done by finish() after every added article is written.
  void remove_ids(std::vector<std::string> ids);
  // Without force, a directory none of whose indexed files is left is not pruned at all (it is
  // listed in IndexCounts::prune_refused instead): a prune never empties a source by itself.
  void prune(std::vector<std::string> directories, bool force = false);
  // finish() then writes a compacted copy and switches to it (update mode; bulk output is
  // already compact).
  void compact();

  // Waits for the workers, writes the removals, commits (bulk mode: merges and switches) and
  // returns the counts. Throws Error{kIo} when writing failed; a generation it was writing and
  // (bulk mode) the build's shards are then removed. Call once.
  IndexCounts finish();

  // Stops the workers and writes nothing more: the live database stays as it was (update mode
  // keeps the batches already committed; a bulk build keeps its shards for the next bulk run to
  // resume from, unless writing them failed). Instead of finish().
  void abandon();

  bool bulk_mode() const;
  // True when no database was at the path: this run creates it. A front end that finds the run
  // failed (nothing could be read) calls abandon() instead of finish(), and nothing is left.
  bool creates_database() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace sitrep::index
