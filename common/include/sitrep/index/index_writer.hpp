#pragma once
// Writes articles into a sitrep database, analysing them on several threads.
//
// Two modes, chosen when the writer opens the database:
//  - Bulk (the database is new or empty): each worker thread analyses its share of the articles and
//    writes its own temporary shard; finish() merges the shards with Xapian::Database::compact and
//    moves the result into place. Xapian's write path dominates indexing time, so this is what
//    makes use of more than one core.
//  - Update (the database already holds documents): workers analyse, one writer thread replaces
//    documents by id in the live database; a record whose content hash is unchanged is skipped.
// Articles with the same id are always routed to the same worker, so the last one wins.

#include <cstddef>
#include <memory>
#include <string>

#include "sitrep/schema/article.hpp"

namespace sitrep::index {

struct IndexCounts {
  std::size_t added = 0;      // new ids
  std::size_t updated = 0;    // ids already present (in the database or earlier in the input)
  std::size_t unchanged = 0;  // ids present with the same content: skipped
};

struct WriterOptions {
  unsigned threads = 0;  // analysis workers; 0 = one per core
};

// Not thread-safe: call add() and finish() from one thread.
class IndexWriter {
 public:
  // Opens or creates the database at path and takes its write lock.
  // Throws Error{kBusy} when another writer holds the lock, Error{kSchema} when the database was
  // built with another schema version, Error{kIo} on other Xapian errors.
  IndexWriter(const std::string& path, const WriterOptions& options);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Queues one article for indexing. May block while the workers catch up.
  // Rethrows (as Error) a failure of a worker thread.
  void add(schema::Article article);

  // Waits for the workers, commits (bulk mode: merges and moves the database into place) and
  // returns the counts. Throws Error{kIo} when writing failed. Call once.
  IndexCounts finish();

  bool bulk_mode() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace sitrep::index
