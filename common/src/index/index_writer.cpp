#include "sitrep/index/index_writer.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

#include <unistd.h>
#include <xapian.h>

#include "sitrep/analysis/language.hpp"
#include "sitrep/cluster/stories.hpp"
#include "sitrep/index/document.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/schema/timestamp.hpp"
#include "sitrep/store/facet_column.hpp"
#include "sitrep/store/integrity.hpp"
#include "sitrep/store/layout.hpp"
#include "sitrep/store/metadata.hpp"
#include "sitrep/store/spelling.hpp"
#include "sitrep/store/xapian_call.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/hash.hpp"
#include "sitrep/util/utf8.hpp"

namespace fs = std::filesystem;

namespace sitrep::index {

using namespace store;

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
  store::Lexicon lexicon;
};

std::string strip_trailing_slashes(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// True when doc was made from a's content read from file.
bool same_content(const Xapian::Document& doc, const schema::Article& a, const std::string& file) {
  return doc.get_value(schema::slot::kContentHash) == schema::content_hash(a) &&
         doc.get_value(schema::slot::kFile) == file;
}

// The marker file of PATH.d/build-resume: which sitrep wrote the shards, for which kind of build.
constexpr const char* kResumeMarker = "build";

std::string resume_marker_text(bool rebuild) {
  return "sitrep build-resume\nschema " + std::to_string(schema::kSchemaVersion) + "\nmode " +
         (rebuild ? "rebuild" : "first") + "\n";
}

// True when the marker in dir says its shards were written with this schema version.
bool resume_marker_valid(const fs::path& dir) {
  std::ifstream in(dir / kResumeMarker);
  std::string magic, word, version;
  std::getline(in, magic);
  in >> word >> version;
  return in && magic == "sitrep build-resume" && word == "schema" &&
         version == std::to_string(schema::kSchemaVersion);
}

// The run number of a shard directory "sRUN-I", or 0.
unsigned long shard_run(const std::string& name) {
  if (name.size() < 2 || name[0] != 's') return 0;
  return std::strtoul(name.c_str() + 1, nullptr, 10);
}

// Refuses a --db that names something other than a database, before anything is created.
void check_target(const std::string& display, const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (ec == std::errc::permission_denied) {
    throw Error(ErrorKind::kPermission, "permission denied: cannot read " + display);
  }
  if (!fs::exists(st) || fs::is_symlink(st)) return;
  if (!fs::is_directory(st)) {
    throw Error(ErrorKind::kUsage, display + " is a file, not a sitrep database");
  }
  for (const char* stamp : {"iamglass", "iamchert", "iamhoney"}) {
    if (fs::exists(fs::path(path) / stamp, ec)) return;
  }
  const bool empty = fs::is_empty(path, ec) && !ec;
  throw Error(ErrorKind::kUsage,
              display + " is a directory that is not a sitrep database" +
                  (empty ? std::string(" (an empty one: remove it, and sitrep-index creates the "
                                       "database there)")
                         : std::string()));
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
    std::size_t since_commit = 0;                // documents written since the shard's commit
    std::unique_ptr<Xapian::Database> done;      // bulk mode: the shards of a killed build
    std::unique_ptr<Xapian::Database> snapshot;  // update mode: to skip unchanged records
    std::set<std::string> languages;
    IndexCounts counts;
  };

  std::string path;     // managed_path() of the --db given: the lock, the link, PATH.d
  std::string display;  // the --db given, for messages
  WriterOptions options;
  std::unique_ptr<WriteLock> lock;
  bool bulk = false;
  bool finished = false;
  bool want_compact = false;
  std::vector<std::string> remove_ids, prune_dirs;
  bool prune_force = false;            // prune even a directory whose every indexed file is gone
  Xapian::WritableDatabase live;       // update mode
  fs::path build_dir;                  // bulk mode: PATH.d/build-resume
  bool fresh = false;                  // no database was at path: this run creates it
  std::vector<fs::path> created_dirs;  // directories the lock created, innermost first
  // Bulk mode: the shards a killed build left in build_dir, and by their combined docid (as
  // Xapian numbers documents of several databases) whether this run's input still has that
  // document unchanged (1): the others are deleted before the merge.
  std::vector<fs::path> done_paths;
  std::vector<unsigned char> keep;
  std::vector<std::unique_ptr<Worker>> workers;
  BatchQueue<Analysed> write_queue;  // update mode
  std::thread writer;
  IndexCounts writer_counts;
  std::set<std::string> writer_languages;
  store::Lexicon writer_lexicon;  // update mode: entities not yet committed
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
      store::xapian_call({"writing", display}, [&] { std::rethrow_exception(e); });
    } catch (const Error&) {
      throw;
    } catch (const std::exception& x) {
      throw Error(ErrorKind::kInternal, std::string("indexing thread: ") + x.what());
    }
  }

  // Reads of a worker's snapshot are retried when the writer thread has committed batches since
  // (DatabaseModifiedError): reopened at the latest revision, at most 3 times, without a pause.
  static store::RetryPolicy snapshot_retry() {
    store::RetryPolicy policy;
    policy.attempts = 4;
    policy.pause = false;
    return policy;
  }

  // True when snapshot holds id_term's document with a's content from the same file.
  bool unchanged(Xapian::Database& snapshot, const std::string& id_term, const schema::Article& a,
                 const std::string& file) {
    return store::retrying(
        {"reading", display}, snapshot_retry(),
        [&] {
          Xapian::PostingIterator p = snapshot.postlist_begin(id_term);
          if (p == snapshot.postlist_end(id_term)) return false;
          return same_content(snapshot.get_document(*p), a, file);
        },
        [&] { snapshot.reopen(); });
  }

  // Termfreq in a snapshot, reopened when the writer thread's commits outdated it.
  Xapian::doccount termfreq(Xapian::Database& snapshot, const std::string& term) {
    return store::retrying(
        {"reading", display}, snapshot_retry(), [&] { return snapshot.get_termfreq(term); },
        [&] { snapshot.reopen(); });
  }

  // Bulk mode, resuming: true when the killed build's shards hold id_term's document with a's
  // content from the same file; it is then kept. Every other document of that id there is
  // dropped (the input has changed it, or names it twice: the last record wins).
  bool resumed(Worker& w, const std::string& id_term, const schema::Article& a,
               const std::string& file) {
    bool found = false;
    for (auto p = w.done->postlist_begin(id_term); p != w.done->postlist_end(id_term); ++p) {
      const Xapian::docid d = *p;
      if (d >= keep.size()) continue;
      const bool same = !found && same_content(w.done->get_document(d), a, file);
      keep[d] = same ? 1 : 0;  // one worker handles every record of an id: no other writes d
      found = found || same;
    }
    return found;
  }

  void run_worker(Worker& w) {
    index::DocumentBuilder builder(options.gazetteer);
    builder.set_boilerplate_enabled(options.boilerplate);
    // Update mode: what the database already counts (every document has a term per line).
    analysis::StoredCounts stored;
    if (w.snapshot) {
      stored.line = [this, &w](std::uint64_t key) -> std::uint64_t {
        return termfreq(*w.snapshot, schema::terms::boilerplate_line(key));
      };
      stored.articles = [this, &w](std::string_view source) -> std::uint64_t {
        return termfreq(*w.snapshot, schema::terms::source(source));
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
          std::string id_term = schema::terms::id(a.id);
          if (w.snapshot && unchanged(*w.snapshot, id_term, a, q.file)) {
            ++w.counts.unchanged;
            continue;
          }
          if (w.done && resumed(w, id_term, a, q.file)) {
            // An earlier record of this id in this run's shard gives way to this one.
            if (w.shard_ids.erase(a.id) > 0) w.shard->delete_document(id_term);
            ++w.counts.unchanged;
            ++w.counts.resumed;
            continue;
          }
          std::string lang;
          Xapian::Document doc = builder.build(a, lang);
          if (!q.file.empty()) {
            doc.add_value(schema::slot::kFile, q.file);
            std::string file_term = schema::terms::file(q.file);
            if (file_term.size() <= schema::terms::kMaxFileTermBytes) {
              doc.add_boolean_term(file_term);
            }
          }
          const bool new_language = w.languages.insert(lang).second;
          if (w.shard) {
            // The shard carries the entities and languages of its documents in its metadata,
            // written with them, so that every commit (ours, Xapian's own, a killed run's last)
            // holds what the merge needs.
            const store::Lexicon met = builder.take_lexicon();
            if (!met.empty()) store::write_lexicon(*w.shard, met);
            if (new_language) store::add_indexed_languages(*w.shard, {lang});
            // A fresh shard: add_document unless the id came earlier in the input, which saves
            // replace_document's look-up of the unique term for almost every record.
            if (!w.shard_ids.insert(a.id).second) {
              ++w.counts.updated;
              w.shard->replace_document(id_term, doc);
            } else {
              ++w.counts.added;
              w.shard->add_document(doc);
            }
            // Committed shards are what a killed build resumes from.
            if (++w.since_commit >= options.commit_every) {
              w.shard->commit();
              w.since_commit = 0;
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
    } catch (...) {
      fail(std::current_exception());
    }
  }

  // Stamps the metadata that goes with every commit: schema version, languages, update time.
  void stamp(Xapian::WritableDatabase& db, const std::set<std::string>& new_languages) {
    store::set_schema_version(db);
    store::add_indexed_languages(db, new_languages);
    db.set_metadata(std::string(schema::meta::kLastUpdate), schema::utc_now_iso());
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
          store::merge_lexicon(writer_lexicon, item.lexicon);
          if (++since_commit >= options.commit_every) {
            stamp(live, writer_languages);
            store::write_lexicon(live, writer_lexicon);
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
      const std::string term = schema::terms::id(id);
      if (db.term_exists(term)) {
        db.delete_document(term);
        ++counts.removed;
      } else {
        counts.not_found.push_back(id);
      }
    }
    for (const std::string& dir : prune_dirs) {
      const std::string prefix = schema::terms::files_under(dir);
      std::vector<std::string> gone;
      std::size_t files = 0;
      for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        ++files;
        const std::string file(schema::terms::file_path(*t));
        std::error_code ec;
        if (!fs::exists(file, ec) && !ec) gone.push_back(*t);
      }
      if (!prune_force && files > 0 && gone.size() == files) {
        // Every file gone at once is an unmounted share or a moved export far more often than
        // a source emptied on purpose: only --force empties it.
        counts.prune_refused.push_back(dir);
        continue;
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
      store::write_facet_column(dir);
    } catch (const Error& e) {
      counts.facet_column_error = e.what();
    }
  }

  void compact_and_switch(const std::string& db_path, IndexCounts& counts) {
    const fs::path gen = next_generation(path);
    try {
      {
        Xapian::Database src(db_path);
        src.compact(gen.string());
      }
      write_column(gen.string(), counts);
      switch_and_clean(gen);
    } catch (...) {
      remove_unless_live(gen);  // a partial copy must not fill the disk
      throw;
    }
  }

  // Removes gen (a generation this run wrote) unless PATH points at it.
  void remove_unless_live(const fs::path& gen) {
    std::error_code ec;
    const fs::path live = fs::read_symlink(path, ec);
    if (!ec && live.filename() == gen.filename()) return;
    remove_generation(gen);
  }

  void switch_and_clean(const fs::path& gen) {
    const fs::path old = switch_generation(path, gen);
    std::error_code ec;
    if (!old.empty() && fs::equivalent(old, gen, ec) == false) remove_generation(old);
  }

  IndexCounts finish_update(IndexCounts total, const std::set<std::string>& languages) {
    apply_removals(live, total);
    store::write_lexicon(live, writer_lexicon);
    // The spelling table follows the words (a database written before it had one gets it now).
    if (total.added + total.updated + total.removed > 0 ||
        live.spellings_begin() == live.spellings_end()) {
      store::sync_spelling(live);
    }
    if (total.added + total.updated + total.removed > 0 || store::schema_version(live).empty()) {
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

  // Bulk mode: drops from the killed build's shards the documents this run's input replaced or
  // no longer has, and commits them. Their numbering follows Xapian's for several databases.
  void prune_done_shards() {
    for (auto& w : workers) w->done.reset();
    const std::size_t n = done_paths.size();
    for (std::size_t k = 0; k < n; ++k) {
      Xapian::WritableDatabase shard(done_paths[k].string(), Xapian::DB_OPEN);
      std::vector<Xapian::docid> dropped;
      for (auto p = shard.postlist_begin(""); p != shard.postlist_end(""); ++p) {
        const std::size_t combined = (static_cast<std::size_t>(*p) - 1) * n + k + 1;
        if (combined >= keep.size() || !keep[combined]) dropped.push_back(*p);
      }
      for (Xapian::docid d : dropped) shard.delete_document(d);
      shard.commit();
    }
  }

  IndexCounts finish_bulk(IndexCounts total, std::set<std::string> languages) {
    fs::path gen;
    try {
      prune_done_shards();
      Xapian::Database all;
      store::Lexicon lexicon;
      std::vector<fs::path> shards = done_paths;
      for (auto& w : workers) {
        w->shard->close();
        shards.push_back(w->shard_path);
      }
      for (const fs::path& p : shards) {
        Xapian::Database shard(p.string());
        store::merge_lexicon(lexicon, store::read_lexicon(shard));
        for (std::string& l : store::indexed_languages(shard)) languages.insert(std::move(l));
        all.add_database(shard);
      }
      gen = next_generation(path);
      all.compact(gen.string());
      all.close();
      {
        Xapian::WritableDatabase out(gen.string(), Xapian::DB_OPEN);
        apply_removals(out, total);
        store::sync_spelling(out);
        assign_stories(out, total, 0);
        stamp(out, languages);
        store::write_lexicon(out, lexicon);
        out.commit();
      }
      write_column(gen.string(), total);
      switch_and_clean(gen);
    } catch (...) {
      // A failed merge (a full disk...) leaves nothing behind to fill the disk further.
      if (!gen.empty()) remove_unless_live(gen);
      for (auto& w : workers) w->shard.reset();
      std::error_code ec;
      fs::remove_all(build_dir, ec);
      throw;
    }
    std::error_code ec;
    fs::remove_all(build_dir, ec);
    return total;
  }

  // A run that created the database and leaves without one: removes PATH.d (when nothing
  // resumable is in it) and the directories the lock created, so a failed first run leaves
  // nothing behind. The lock is still held.
  void give_up_new() {
    std::error_code ec;
    if (!fresh || fs::exists(fs::symlink_status(path, ec))) return;
    const fs::path dir = state_dir(path);
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
      if (e.path().filename() != "lock") return;  // a resumable build, or something not ours
    }
    if (lock) lock->remove_file();
    for (const fs::path& d : created_dirs) {
      if (!fs::remove(d, ec)) break;  // not empty: not only ours
    }
  }

  // Bulk mode, after the workers stopped without finishing: keeps the shards in build_dir for
  // the next bulk run to resume from when they hold documents and nothing failed (a stopped or
  // abandoned build), removes them otherwise (a write error: the shards may be what filled the
  // disk).
  void keep_or_remove_build(bool write_failed) {
    std::error_code ec;
    bool keep_build = !write_failed;
    if (keep_build) {
      Xapian::doccount docs = 0;
      keep_build = store::xapian_ok([&] {
        for (auto& w : workers) {
          w->done.reset();
          if (w->shard) {
            w->shard->close();  // commits the documents written since the last commit
            docs += Xapian::Database(w->shard_path.string()).get_doccount();
          }
        }
        for (const fs::path& p : done_paths) docs += Xapian::Database(p.string()).get_doccount();
      });
      keep_build = keep_build && docs > 0;
    }
    if (!keep_build) {
      for (auto& w : workers) w->shard.reset();
      fs::remove_all(build_dir, ec);
    }
  }

  // Bulk mode: reads the marker and shards of a killed build in build_dir (done_paths, keep),
  // or clears build_dir when they cannot be resumed from; then writes the marker for this run.
  // Returns the run number for this run's shards.
  unsigned long open_resume() {
    std::error_code ec;
    unsigned long run = 0;
    if (fs::exists(build_dir, ec)) {
      bool usable = resume_marker_valid(build_dir);
      std::vector<fs::path> shards;
      if (usable) {
        for (const fs::directory_entry& e : fs::directory_iterator(build_dir, ec)) {
          const unsigned long r = shard_run(e.path().filename().string());
          if (r == 0) continue;
          run = std::max(run, r);
          shards.push_back(e.path());
        }
        std::sort(shards.begin(), shards.end());
        // Damaged shards (a crash of the machine, not of the process): start over.
        usable = store::xapian_ok([&] {
          Xapian::Database all;
          for (const fs::path& p : shards) all.add_database(Xapian::Database(p.string()));
          if (all.get_doccount() > 0)
            keep.assign(static_cast<std::size_t>(all.get_lastdocid()) + 1, 0);
          done_paths = std::move(shards);
        });
      }
      if (!usable || done_paths.empty()) {
        done_paths.clear();
        keep.clear();
        run = 0;
        fs::remove_all(build_dir, ec);
      }
    }
    fs::create_directories(build_dir, ec);
    if (ec)
      throw Error(ErrorKind::kIo, "cannot create " + build_dir.string() + ": " + ec.message());
    if (done_paths.empty()) {
      const fs::path marker = build_dir / kResumeMarker;
      std::ofstream out(marker);
      out << resume_marker_text(options.rebuild);
      out.close();
      if (!out) throw Error(ErrorKind::kIo, "cannot write " + marker.string());
    }
    return run + 1;
  }
};

IndexWriter::IndexWriter(const std::string& path_in, const WriterOptions& options)
    : m_impl(std::make_unique<Impl>()) {
  Impl& m = *m_impl;
  m.display = strip_trailing_slashes(path_in);
  // An alias (another link to the database) takes the database's own lock and switches its link.
  m.path = managed_path(m.display);
  m.options = options;
  if (m.options.commit_every == 0) m.options.commit_every = 1;
  const std::string& path = m.path;
  const std::string& shown = m.display;
  check_target(shown, path);
  {
    std::error_code ec;
    for (fs::path d = state_dir(path); !d.empty() && !fs::exists(fs::symlink_status(d, ec));
         d = d.parent_path()) {
      m.created_dirs.push_back(d);
      if (d == d.parent_path()) break;
    }
  }
  m.lock = std::make_unique<WriteLock>(path, options.wait_seconds, options.stop);
  {
    // Only now: a writer we waited for may have created the database meanwhile.
    std::error_code ec;
    m.fresh = !fs::exists(fs::symlink_status(path, ec));
  }
  const bool managed = is_managed(path);
  unsigned n = options.threads ? options.threads : std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  try {
    if (!managed && options.rebuild) {
      throw Error(ErrorKind::kUsage, shown +
                                         " is a plain directory, not a database made by "
                                         "sitrep-index, so it cannot be rebuilt in place; index "
                                         "into a new path");
    }
    // A rebuild reads nothing of the live generation, so it also recovers a damaged or missing
    // one; a new database has none.
    m.bulk = options.rebuild || m.fresh;
    if (!m.bulk) {
      const std::string live_path = resolve_database(shown);  // errors name the path given
      // An update into a damaged generation would let Xapian recreate a missing table holding
      // only the new documents, hiding the damage for good: refuse (--rebuild recovers).
      check_tables(live_path);
      Xapian::Database current(live_path);
      const bool empty = current.get_doccount() == 0;
      store::check_schema(current, shown);  // an empty database passes: this run stamps it
      current.close();
      m.bulk = managed && empty;
      if (!m.bulk) m.live = Xapian::WritableDatabase(live_path, Xapian::DB_OPEN);
    }
    if (managed) remove_stale(path, /*keep_resume=*/m.bulk);
    if (m.bulk) {
      m.build_dir = resume_dir(path);
      const unsigned long run = m.open_resume();
      for (unsigned i = 0; i < n; ++i) {
        auto w = std::make_unique<Impl::Worker>();
        w->shard_path = m.build_dir / ("s" + std::to_string(run) + "-" + std::to_string(i));
        // Not synced: a shard is scratch until the merge, which syncs the generation it writes.
        // A killed process leaves the committed shards intact for the next run.
        w->shard = std::make_unique<Xapian::WritableDatabase>(
            w->shard_path.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
        if (!m.done_paths.empty()) {
          w->done = std::make_unique<Xapian::Database>();
          for (const fs::path& p : m.done_paths)
            w->done->add_database(Xapian::Database(p.string()));
        }
        m.workers.push_back(std::move(w));
      }
    } else {
      for (unsigned i = 0; i < n; ++i) {
        auto w = std::make_unique<Impl::Worker>();
        w->snapshot = std::make_unique<Xapian::Database>(resolve_database(path));
        m.workers.push_back(std::move(w));
      }
    }
  } catch (...) {
    // Nothing of this run is worth keeping; a new database leaves nothing behind.
    m.workers.clear();
    std::error_code ec;
    if (!m.build_dir.empty() && m.done_paths.empty()) fs::remove_all(m.build_dir, ec);
    m.give_up_new();
    store::rethrow_translated(
        {"cannot open database", shown, " (if it is damaged, rebuild it with --rebuild)"});
  }
  for (auto& w : m.workers) {
    Impl::Worker* wp = w.get();
    w->thread = std::thread([&m, wp] { m.run_worker(*wp); });
  }
  if (!m.bulk) m.writer = std::thread([&m] { m.run_writer(); });
}

IndexWriter::~IndexWriter() { abandon(); }

void IndexWriter::abandon() {
  Impl& m = *m_impl;
  if (m.finished) return;
  m.finished = true;
  const bool write_failed = m.failed;  // a worker's error, not the caller's decision
  // Abandoned (an exception in the caller, a stop): stop the threads without committing the rest.
  m.fail(std::make_exception_ptr(Error(ErrorKind::kInternal, "abandoned")));
  for (auto& w : m.workers) {
    w->queue.push({});
    if (w->thread.joinable()) w->thread.join();
  }
  if (m.writer.joinable()) {
    for (std::size_t i = 0; i < m.workers.size(); ++i) m.write_queue.push({});
    m.writer.join();
  }
  if (m.bulk) m.keep_or_remove_build(write_failed);
  m.give_up_new();
}

bool IndexWriter::bulk_mode() const { return m_impl->bulk; }

bool IndexWriter::creates_database() const { return m_impl->fresh; }

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
    if (m.prescan_db->term_exists(schema::terms::id(a.id))) return;
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
    if (m.bulk) m.keep_or_remove_build(true);
    m.give_up_new();
    throw;
  }

  IndexCounts total = m.writer_counts;
  std::set<std::string> languages = m.writer_languages;
  for (auto& w : m.workers) {
    total.added += w->counts.added;
    total.updated += w->counts.updated;
    total.unchanged += w->counts.unchanged;
    total.resumed += w->counts.resumed;
    languages.insert(w->languages.begin(), w->languages.end());
  }
  try {
    return store::xapian_call({"writing", m.display}, [&] {
      return m.bulk ? m.finish_bulk(std::move(total), std::move(languages))
                    : m.finish_update(std::move(total), languages);
    });
  } catch (const fs::filesystem_error& e) {
    m.give_up_new();
    throw Error(ErrorKind::kIo, std::string("writing ") + m.display + ": " + e.what());
  } catch (...) {
    m.give_up_new();
    throw;
  }
}

}  // namespace sitrep::index
