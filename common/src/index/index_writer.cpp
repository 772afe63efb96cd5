#include "sitrep/index/index_writer.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

#include <unistd.h>
#include <xapian.h>

#include "sitrep/analysis/language.hpp"
#include "sitrep/cluster/stories.hpp"
#include "sitrep/index/layout.hpp"
#include "sitrep/schema/document.hpp"
#include "sitrep/schema/facet_column.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/hash.hpp"
#include "sitrep/util/utf8.hpp"

namespace fs = std::filesystem;

namespace sitrep::index {

namespace {

constexpr std::size_t kBatch = 32;     // articles handed to a worker at once
constexpr std::size_t kMaxQueued = 8;  // batches queued per worker before add() blocks

// A bounded blocking queue of batches; an empty batch marks the end.
template <class T>
class BatchQueue {
 public:
  void push(std::vector<T> batch) {
    std::unique_lock lock(m_mutex);
    m_not_full.wait(lock, [&] { return m_items.size() < kMaxQueued || m_abort; });
    m_items.push_back(std::move(batch));
    m_not_empty.notify_one();
  }
  std::vector<T> pop() {
    std::unique_lock lock(m_mutex);
    m_not_empty.wait(lock, [&] { return !m_items.empty(); });
    std::vector<T> batch = std::move(m_items.front());
    m_items.pop_front();
    m_not_full.notify_one();
    return batch;
  }
  // Lets producers through when the consumer died.
  void abort() {
    std::lock_guard lock(m_mutex);
    m_abort = true;
    m_not_full.notify_all();
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_not_full, m_not_empty;
  std::deque<std::vector<T>> m_items;
  bool m_abort = false;
};

struct Queued {
  schema::Article article;
  std::string file;
};

struct Analysed {
  std::string id_term;
  Xapian::Document doc;
  std::string language;
  // Entities first met in this document's batch; on the batch's first document, so they are
  // committed with (or before) every document that names them.
  schema::Lexicon lexicon;
};

std::string with_prefix(std::string_view prefix, std::string_view value) {
  std::string t(prefix);
  t += value;
  return t;
}

// Xapian's limit on a term is 245 bytes; a longer file term is left out (that file's documents
// cannot be pruned, which the indexer reports).
constexpr std::size_t kMaxFileTermBytes = 240;

std::string strip_trailing_slashes(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

struct IndexWriter::Impl {
  struct Worker {
    BatchQueue<Queued> queue;
    std::thread thread;
    std::vector<Queued> pending;
    std::unique_ptr<Xapian::WritableDatabase> shard;  // bulk mode
    fs::path shard_path;
    std::unordered_set<std::string> shard_ids;   // ids written to the shard so far
    std::unique_ptr<Xapian::Database> snapshot;  // update mode: to skip unchanged records
    std::set<std::string> languages;
    schema::Lexicon lexicon;  // bulk mode: entities met, handed over when the worker ends
    IndexCounts counts;
  };

  std::string path;
  WriterOptions options;
  std::unique_ptr<WriteLock> lock;
  bool bulk = false;
  bool finished = false;
  bool want_compact = false;
  std::vector<std::string> remove_ids, prune_dirs;
  bool prune_force = false;  // TODO(issue 11, database branch): refuse to empty a directory
  Xapian::WritableDatabase live;  // update mode
  fs::path build_dir;             // bulk mode
  std::vector<std::unique_ptr<Worker>> workers;
  BatchQueue<Analysed> write_queue;  // update mode
  std::thread writer;
  IndexCounts writer_counts;
  std::set<std::string> writer_languages;
  schema::Lexicon writer_lexicon;  // update mode: entities not yet committed
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr error;
  // Boilerplate: the prescan's counter, then (from the first add()) its counts, read-only.
  analysis::LineCounter line_counter;
  bool prescanned = false;
  bool started = false;
  std::unique_ptr<Xapian::Database> prescan_db;  // update mode: ids already indexed
  std::shared_ptr<const analysis::LineCounts> line_counts;

  void fail(std::exception_ptr e) {
    {
      std::lock_guard lock_guard(error_mutex);
      if (!error) error = e;
    }
    failed = true;
    for (auto& w : workers) w->queue.abort();
    write_queue.abort();
  }

  void rethrow_if_failed() {
    if (!failed) return;
    std::exception_ptr e;
    {
      std::lock_guard lock_guard(error_mutex);
      e = error;
    }
    try {
      std::rethrow_exception(e);
    } catch (const Error&) {
      throw;
    } catch (const Xapian::Error& x) {
      throw Error(ErrorKind::kIo, "writing " + path + ": " + x.get_description());
    } catch (const std::exception& x) {
      throw Error(ErrorKind::kInternal, std::string("indexing thread: ") + x.what());
    }
  }

  // True when snapshot holds id_term's document with a's content from the same file.
  static bool unchanged(Xapian::Database& snapshot, const std::string& id_term,
                        const schema::Article& a, const std::string& file) {
    for (int attempt = 0;; ++attempt) {
      try {
        Xapian::PostingIterator p = snapshot.postlist_begin(id_term);
        if (p == snapshot.postlist_end(id_term)) return false;
        const Xapian::Document old = snapshot.get_document(*p);
        return old.get_value(schema::slot::kContentHash) == schema::content_hash(a) &&
               old.get_value(schema::slot::kFile) == file;
      } catch (const Xapian::DatabaseModifiedError&) {
        // The writer thread has committed batches since: look at the latest revision.
        if (attempt >= 3) throw;
        snapshot.reopen();
      }
    }
  }

  // Termfreq in a snapshot, reopened when the writer thread's commits outdated it.
  static Xapian::doccount termfreq(Xapian::Database& snapshot, const std::string& term) {
    for (int attempt = 0;; ++attempt) {
      try {
        return snapshot.get_termfreq(term);
      } catch (const Xapian::DatabaseModifiedError&) {
        if (attempt >= 3) throw;
        snapshot.reopen();
      }
    }
  }

  void run_worker(Worker& w) {
    schema::DocumentBuilder builder(options.gazetteer);
    builder.set_boilerplate_enabled(options.boilerplate);
    // Update mode: what the database already counts (every document has a term per line).
    analysis::StoredCounts stored;
    if (w.snapshot) {
      stored.line = [&w](std::uint64_t key) -> std::uint64_t {
        return termfreq(*w.snapshot, schema::boilerplate_line_term(key));
      };
      stored.articles = [&w](std::string_view source) -> std::uint64_t {
        return termfreq(*w.snapshot,
                        with_prefix(schema::prefix::kSource, utf8::truncate(source, 200)));
      };
    }
    bool configured = false;
    std::vector<Analysed> out;
    try {
      for (;;) {
        std::vector<Queued> batch = w.queue.pop();
        if (failed) break;
        if (!configured) {
          // The first batch comes after the first add(), which fixed line_counts.
          configured = true;
          builder.set_boilerplate_counts(line_counts.get(), w.snapshot ? &stored : nullptr,
                                         prescanned);
        }
        if (batch.empty()) {
          // End of input: flush this shard now, in parallel with the other workers.
          if (w.shard) w.shard->commit();
          break;
        }
        out.clear();
        for (Queued& q : batch) {
          schema::Article& a = q.article;
          std::string id_term = with_prefix(schema::prefix::kId, a.id);
          if (w.snapshot && unchanged(*w.snapshot, id_term, a, q.file)) {
            ++w.counts.unchanged;
            continue;
          }
          std::string lang;
          Xapian::Document doc = builder.build(a, lang);
          if (!q.file.empty()) {
            doc.add_value(schema::slot::kFile, q.file);
            std::string file_term = with_prefix(schema::prefix::kFile, q.file);
            if (file_term.size() <= kMaxFileTermBytes) doc.add_boolean_term(file_term);
          }
          w.languages.insert(lang);
          if (w.shard) {
            // A fresh shard: add_document unless the id came earlier in the input, which saves
            // replace_document's look-up of the unique term for almost every record.
            if (!w.shard_ids.insert(a.id).second) {
              ++w.counts.updated;
              w.shard->replace_document(id_term, doc);
            } else {
              ++w.counts.added;
              w.shard->add_document(doc);
            }
          } else {
            out.push_back({std::move(id_term), std::move(doc), std::move(lang), {}});
          }
        }
        if (!w.shard && !out.empty()) {
          out.front().lexicon = builder.take_lexicon();
          write_queue.push(std::move(out));
        }
        out = {};
      }
      w.lexicon = builder.take_lexicon();
    } catch (...) {
      fail(std::current_exception());
    }
  }

  // Stamps the metadata that goes with every commit: schema version, languages, update time.
  void stamp(Xapian::WritableDatabase& db, const std::set<std::string>& new_languages) {
    db.set_metadata(std::string(schema::meta::kSchemaVersion),
                    std::to_string(schema::kSchemaVersion));
    schema::add_indexed_languages(db, new_languages);
    db.set_metadata(std::string(schema::meta::kLastUpdate), utc_now_iso());
  }

  void run_writer() {
    std::size_t ends = 0;
    std::size_t since_commit = 0;
    try {
      while (ends < workers.size()) {
        std::vector<Analysed> batch = write_queue.pop();
        if (batch.empty()) {
          ++ends;
          continue;
        }
        if (failed) continue;  // keep draining so workers never block
        for (Analysed& item : batch) {
          if (live.term_exists(item.id_term)) {
            ++writer_counts.updated;
          } else {
            ++writer_counts.added;
          }
          live.replace_document(item.id_term, item.doc);
          writer_languages.insert(std::move(item.language));
          schema::merge_lexicon(writer_lexicon, item.lexicon);
          if (++since_commit >= options.commit_every) {
            stamp(live, writer_languages);
            schema::write_lexicon(live, writer_lexicon);
            writer_lexicon.clear();
            live.commit();
            since_commit = 0;
          }
        }
      }
    } catch (...) {
      fail(std::current_exception());
    }
  }

  // Deletes the documents of remove_ids and of vanished files under prune_dirs from db.
  void apply_removals(Xapian::WritableDatabase& db, IndexCounts& counts) {
    for (const std::string& id : remove_ids) {
      const std::string term = with_prefix(schema::prefix::kId, id);
      if (db.term_exists(term)) {
        db.delete_document(term);
        ++counts.removed;
      } else {
        counts.not_found.push_back(id);
      }
    }
    for (const std::string& dir : prune_dirs) {
      const std::string prefix = with_prefix(schema::prefix::kFile, dir + "/");
      std::vector<std::string> gone;
      for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        const std::string file = (*t).substr(schema::prefix::kFile.size());
        std::error_code ec;
        if (!fs::exists(file, ec) && !ec) gone.push_back(*t);
      }
      for (const std::string& term : gone) {
        counts.removed += db.get_termfreq(term);
        db.delete_document(term);
      }
    }
  }

  // The story pass (sitrep/cluster/stories.hpp). commit_every: 0 in bulk mode (the caller commits
  // the new generation once), the batch size in update mode.
  void assign_stories(Xapian::WritableDatabase& db, IndexCounts& counts, std::size_t commit_every) {
    if (!options.stories) return;
    cluster::StoryOptions so;
    so.window_days = options.story_window;
    so.recluster = options.recluster;
    so.commit_every = commit_every;
    so.stop = options.stop;
    const cluster::StoryCounts sc = cluster::assign_stories(db, so);
    counts.stories_assigned = sc.assigned;
    counts.stories_new = sc.new_stories;
  }

  // Writes a compacted copy of db_path into a new generation and switches to it.
  // Writes the facet column of the database in dir (schema/facet_column.hpp). It is a cache: a
  // failure goes into counts for the caller to report, and the documents stay committed (a
  // bulk build is still switched in); searches count from slot kFacets until a run writes it.
  static void write_column(const std::string& dir, IndexCounts& counts) {
    try {
      schema::write_facet_column(dir);
    } catch (const Error& e) {
      counts.facet_column_error = e.what();
    }
  }

  void compact_and_switch(const std::string& db_path, IndexCounts& counts) {
    const fs::path gen = next_generation(path);
    {
      Xapian::Database src(db_path);
      src.compact(gen.string());
    }
    write_column(gen.string(), counts);
    switch_and_clean(gen);
  }

  void switch_and_clean(const fs::path& gen) {
    const fs::path old = switch_generation(path, gen);
    std::error_code ec;
    if (!old.empty() && fs::equivalent(old, gen, ec) == false) fs::remove_all(old, ec);
  }

  IndexCounts finish_update(IndexCounts total, const std::set<std::string>& languages) {
    apply_removals(live, total);
    schema::write_lexicon(live, writer_lexicon);
    if (total.added + total.updated + total.removed > 0 ||
        live.get_metadata(std::string(schema::meta::kSchemaVersion)).empty()) {
      stamp(live, languages);
    }
    live.commit();
    // After the last commit of the documents, in batches: a killed run leaves some documents
    // without a story, and the next run assigns them.
    assign_stories(live, total, options.commit_every);
    live.commit();
    const std::string live_path = resolve_database(path);
    live.close();
    if (want_compact) {
      compact_and_switch(live_path, total);
    } else {
      write_column(live_path, total);
    }
    return total;
  }

  IndexCounts finish_bulk(IndexCounts total, const std::set<std::string>& languages) {
    Xapian::Database all;
    schema::Lexicon lexicon;
    for (auto& w : workers) {
      schema::merge_lexicon(lexicon, w->lexicon);
      w->shard->close();
      all.add_database(Xapian::Database(w->shard_path.string()));
    }
    const fs::path gen = next_generation(path);
    all.compact(gen.string());
    all.close();
    {
      Xapian::WritableDatabase out(gen.string(), Xapian::DB_OPEN);
      apply_removals(out, total);
      assign_stories(out, total, 0);
      stamp(out, languages);
      schema::write_lexicon(out, lexicon);
      out.commit();
    }
    write_column(gen.string(), total);
    std::error_code ec;
    fs::remove_all(build_dir, ec);
    switch_and_clean(gen);
    return total;
  }
};

IndexWriter::IndexWriter(const std::string& path_in, const WriterOptions& options)
    : m_impl(std::make_unique<Impl>()) {
  Impl& m = *m_impl;
  m.path = strip_trailing_slashes(path_in);
  m.options = options;
  if (m.options.commit_every == 0) m.options.commit_every = 1;
  const std::string& path = m.path;
  m.lock = std::make_unique<WriteLock>(path, options.wait_seconds);
  const bool managed = is_managed(path);
  try {
    if (managed) {
      std::error_code ec;
      if (!fs::exists(fs::symlink_status(path, ec))) {
        // A new database: an empty generation at once, so the path opens from now on.
        const fs::path gen = next_generation(path);
        Xapian::WritableDatabase fresh(gen.string(), Xapian::DB_CREATE);
        fresh.set_metadata(std::string(schema::meta::kSchemaVersion),
                           std::to_string(schema::kSchemaVersion));
        fresh.commit();
        fresh.close();
        switch_generation(path, gen);
      }
      remove_stale(path);
    } else if (options.rebuild) {
      throw Error(ErrorKind::kUsage, path +
                                         " is a plain directory, not a database made by "
                                         "sitrep-index, so it cannot be rebuilt in place; index "
                                         "into a new path");
    }
    const std::string live_path = resolve_database(path);
    Xapian::Database current(live_path);
    const bool empty = current.get_doccount() == 0;
    const std::string version = current.get_metadata(std::string(schema::meta::kSchemaVersion));
    current.close();
    m.bulk = managed && (options.rebuild || empty);
    if (!m.bulk) {
      if (!empty && version != std::to_string(schema::kSchemaVersion)) {
        throw Error(ErrorKind::kSchema,
                    "database " + path + " has schema version " +
                        (version.empty() ? std::string("(none: not a sitrep database)") : version) +
                        " but this sitrep-index writes version " +
                        std::to_string(schema::kSchemaVersion) + "; rebuild it with --rebuild");
      }
      m.live = Xapian::WritableDatabase(live_path, Xapian::DB_OPEN);
    }
  } catch (const Xapian::DatabaseLockError& e) {
    throw Error(
        ErrorKind::kBusy,
        "database " + path + " is busy: another program is writing to it (" + e.get_msg() + ")");
  } catch (const Xapian::Error& e) {
    throw Error(ErrorKind::kIo, "cannot open database " + path + ": " + e.get_description());
  }

  unsigned n = options.threads ? options.threads : std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  if (m.bulk) {
    m.build_dir = state_dir(path) / ("build-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(m.build_dir, ec);
    fs::create_directories(m.build_dir, ec);
    if (ec)
      throw Error(ErrorKind::kIo, "cannot create " + m.build_dir.string() + ": " + ec.message());
  }
  try {
    for (unsigned i = 0; i < n; ++i) {
      auto w = std::make_unique<Impl::Worker>();
      if (m.bulk) {
        w->shard_path = m.build_dir / ("shard-" + std::to_string(i));
        w->shard = std::make_unique<Xapian::WritableDatabase>(
            w->shard_path.string(), Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
      } else {
        w->snapshot = std::make_unique<Xapian::Database>(resolve_database(path));
      }
      m.workers.push_back(std::move(w));
    }
  } catch (const Xapian::Error& e) {
    std::error_code ec;
    if (!m.build_dir.empty()) fs::remove_all(m.build_dir, ec);
    throw Error(ErrorKind::kIo, "cannot open database " + path + ": " + e.get_description());
  }
  for (auto& w : m.workers) {
    Impl::Worker* wp = w.get();
    w->thread = std::thread([&m, wp] { m.run_worker(*wp); });
  }
  if (!m.bulk) m.writer = std::thread([&m] { m.run_writer(); });
}

IndexWriter::~IndexWriter() { abandon(); }

void IndexWriter::abandon() {
  if (!m_impl->finished) {
    m_impl->finished = true;
    // Abandoned (an exception in the caller): stop the threads without committing the rest.
    m_impl->fail(std::make_exception_ptr(Error(ErrorKind::kInternal, "abandoned")));
    for (auto& w : m_impl->workers) {
      w->queue.push({});
      if (w->thread.joinable()) w->thread.join();
    }
    if (m_impl->writer.joinable()) {
      for (std::size_t i = 0; i < m_impl->workers.size(); ++i) m_impl->write_queue.push({});
      m_impl->writer.join();
    }
    std::error_code ec;
    if (!m_impl->build_dir.empty()) fs::remove_all(m_impl->build_dir, ec);
  }
}

bool IndexWriter::bulk_mode() const { return m_impl->bulk; }

void IndexWriter::add(schema::Article article, const std::string& file) {
  Impl& m = *m_impl;
  m.rethrow_if_failed();
  if (!m.started) {
    m.started = true;
    if (m.prescanned) {
      m.line_counts = std::make_shared<const analysis::LineCounts>(m.line_counter.finish());
    }
    m.prescan_db.reset();
  }
  const std::size_t shard = std::hash<std::string>{}(article.id) % m.workers.size();
  Impl::Worker& w = *m.workers[shard];
  w.pending.push_back({std::move(article), file});
  if (w.pending.size() >= kBatch) {
    w.queue.push(std::move(w.pending));
    w.pending = {};
  }
}

void IndexWriter::prescan(const schema::Article& a) {
  Impl& m = *m_impl;
  if (m.started || !m.options.boilerplate) return;
  m.prescanned = true;
  if (!m.bulk) {
    if (!m.prescan_db) m.prescan_db = std::make_unique<Xapian::Database>(resolve_database(m.path));
    if (m.prescan_db->term_exists(with_prefix(schema::prefix::kId, a.id))) return;
  }
  m.line_counter.add(a.id, analysis::keyword(a.source), a.body);
}

void IndexWriter::remove_ids(std::vector<std::string> ids) {
  for (std::string& id : ids) m_impl->remove_ids.push_back(std::move(id));
}

void IndexWriter::prune(std::vector<std::string> directories, bool force) {
  m_impl->prune_force = force;
  for (std::string& d : directories) {
    std::error_code ec;
    fs::path abs = fs::weakly_canonical(fs::absolute(d, ec), ec);
    m_impl->prune_dirs.push_back(strip_trailing_slashes(abs.string()));
  }
}

void IndexWriter::compact() { m_impl->want_compact = true; }

IndexCounts IndexWriter::finish() {
  Impl& m = *m_impl;
  m.finished = true;
  for (auto& w : m.workers) {
    if (!w->pending.empty()) w->queue.push(std::move(w->pending));
    w->queue.push({});
  }
  for (auto& w : m.workers) w->thread.join();
  if (!m.bulk) {
    for (std::size_t i = 0; i < m.workers.size(); ++i) m.write_queue.push({});
    m.writer.join();
  }
  std::error_code ec;
  try {
    m.rethrow_if_failed();
  } catch (...) {
    if (!m.build_dir.empty()) fs::remove_all(m.build_dir, ec);
    throw;
  }

  IndexCounts total = m.writer_counts;
  std::set<std::string> languages = m.writer_languages;
  for (auto& w : m.workers) {
    total.added += w->counts.added;
    total.updated += w->counts.updated;
    total.unchanged += w->counts.unchanged;
    languages.insert(w->languages.begin(), w->languages.end());
  }
  try {
    return m.bulk ? m.finish_bulk(std::move(total), languages)
                  : m.finish_update(std::move(total), languages);
  } catch (const Xapian::Error& e) {
    if (!m.build_dir.empty()) fs::remove_all(m.build_dir, ec);
    throw Error(ErrorKind::kIo, "writing " + m.path + ": " + e.get_description());
  } catch (const fs::filesystem_error& e) {
    if (!m.build_dir.empty()) fs::remove_all(m.build_dir, ec);
    throw Error(ErrorKind::kIo, std::string("writing ") + m.path + ": " + e.what());
  }
}

}  // namespace sitrep::index
