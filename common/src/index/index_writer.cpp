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
#include <sstream>
#include <thread>
#include <unordered_set>
#include <vector>

#include <unistd.h>
#include <xapian.h>

#include "sitrep/schema/document.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/hash.hpp"

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

struct Analysed {
  std::string id_term;
  Xapian::Document doc;
};

std::string utc_now_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string join_languages(const std::set<std::string>& langs) {
  std::string out;
  for (const auto& l : langs) out += (out.empty() ? "" : " ") + l;
  return out;
}

std::set<std::string> split_languages(const std::string& s) {
  std::set<std::string> out;
  std::istringstream in(s);
  for (std::string l; in >> l;) out.insert(l);
  return out;
}

}  // namespace

struct IndexWriter::Impl {
  struct Worker {
    BatchQueue<schema::Article> queue;
    std::thread thread;
    std::vector<schema::Article> pending;
    std::unique_ptr<Xapian::WritableDatabase> shard;  // bulk mode
    std::unordered_set<std::string> shard_ids;        // ids written to the shard so far
    std::unique_ptr<Xapian::Database> snapshot;       // update mode: to skip unchanged records
    std::set<std::string> languages;
    IndexCounts counts;
  };

  std::string path;
  bool bulk = false;
  bool finished = false;
  Xapian::WritableDatabase live;
  fs::path build_dir;
  std::vector<std::unique_ptr<Worker>> workers;
  BatchQueue<Analysed> write_queue;  // update mode
  std::thread writer;
  IndexCounts writer_counts;
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr error;

  void fail(std::exception_ptr e) {
    {
      std::lock_guard lock(error_mutex);
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
      std::lock_guard lock(error_mutex);
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

  void run_worker(Worker& w) {
    schema::DocumentBuilder builder;
    std::vector<Analysed> out;
    try {
      for (;;) {
        std::vector<schema::Article> batch = w.queue.pop();
        if (failed) break;
        if (batch.empty()) {
          // End of input: flush this shard now, in parallel with the other workers.
          if (w.shard) w.shard->commit();
          break;
        }
        out.clear();
        for (schema::Article& a : batch) {
          std::string id_term(schema::prefix::kId);
          id_term += a.id;
          if (w.snapshot) {
            Xapian::PostingIterator p = w.snapshot->postlist_begin(id_term);
            if (p != w.snapshot->postlist_end(id_term) &&
                w.snapshot->get_document(*p).get_value(schema::slot::kContentHash) ==
                    schema::content_hash(a)) {
              ++w.counts.unchanged;
              continue;
            }
          }
          std::string lang;
          Xapian::Document doc = builder.build(a, lang);
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
            out.push_back({std::move(id_term), std::move(doc)});
          }
        }
        if (!w.shard && !out.empty()) write_queue.push(std::move(out));
        out = {};
      }
    } catch (...) {
      fail(std::current_exception());
    }
  }

  void run_writer() {
    std::size_t ends = 0;
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
        }
      }
    } catch (...) {
      fail(std::current_exception());
    }
  }
};

IndexWriter::IndexWriter(const std::string& path, const WriterOptions& options)
    : m_impl(std::make_unique<Impl>()) {
  Impl& m = *m_impl;
  m.path = path;
  try {
    m.live = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
  } catch (const Xapian::DatabaseLockError& e) {
    throw Error(ErrorKind::kBusy, "database " + path +
                                      " is busy: another sitrep-index is writing to it (" +
                                      e.get_msg() + ")");
  } catch (const Xapian::Error& e) {
    throw Error(ErrorKind::kIo, "cannot open database " + path + ": " + e.get_description());
  }
  const std::string version = m.live.get_metadata(std::string(schema::meta::kSchemaVersion));
  const bool empty = m.live.get_doccount() == 0;
  if (!empty && version != std::to_string(schema::kSchemaVersion)) {
    throw Error(ErrorKind::kSchema,
                "database " + path + " has schema version " +
                    (version.empty() ? std::string("(none: not a sitrep database)") : version) +
                    " but this sitrep-index writes version " +
                    std::to_string(schema::kSchemaVersion) + "; rebuild it into a new path");
  }
  m.bulk = empty;
  unsigned n = options.threads ? options.threads : std::thread::hardware_concurrency();
  if (n == 0) n = 1;
  if (m.bulk) {
    m.build_dir = path + ".build-" + std::to_string(::getpid());
    std::error_code ec;
    fs::remove_all(m.build_dir, ec);
    fs::create_directories(m.build_dir, ec);
    if (ec)
      throw Error(ErrorKind::kIo, "cannot create " + m.build_dir.string() + ": " + ec.message());
  }
  for (unsigned i = 0; i < n; ++i) {
    auto w = std::make_unique<Impl::Worker>();
    if (m.bulk) {
      w->shard = std::make_unique<Xapian::WritableDatabase>(
          (m.build_dir / ("shard-" + std::to_string(i))).string(),
          Xapian::DB_CREATE | Xapian::DB_NO_SYNC);
    } else {
      w->snapshot = std::make_unique<Xapian::Database>(path);
    }
    m.workers.push_back(std::move(w));
  }
  for (auto& w : m.workers) {
    Impl::Worker* wp = w.get();
    w->thread = std::thread([&m, wp] { m.run_worker(*wp); });
  }
  if (!m.bulk) m.writer = std::thread([&m] { m.run_writer(); });
}

IndexWriter::~IndexWriter() {
  if (!m_impl->finished) {
    // Abandoned (an exception in the caller): stop the threads without committing.
    m_impl->fail(std::make_exception_ptr(Error(ErrorKind::kInternal, "abandoned")));
    for (auto& w : m_impl->workers) {
      w->queue.push({});
      if (w->thread.joinable()) w->thread.join();
    }
    if (m_impl->writer.joinable()) m_impl->writer.join();
    std::error_code ec;
    if (!m_impl->build_dir.empty()) fs::remove_all(m_impl->build_dir, ec);
  }
}

bool IndexWriter::bulk_mode() const { return m_impl->bulk; }

void IndexWriter::add(schema::Article article) {
  Impl& m = *m_impl;
  m.rethrow_if_failed();
  const std::size_t shard = std::hash<std::string>{}(article.id) % m.workers.size();
  Impl::Worker& w = *m.workers[shard];
  w.pending.push_back(std::move(article));
  if (w.pending.size() >= kBatch) {
    w.queue.push(std::move(w.pending));
    w.pending = {};
  }
}

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
  std::set<std::string> languages =
      split_languages(m.live.get_metadata(std::string(schema::meta::kLanguages)));
  for (auto& w : m.workers) {
    total.added += w->counts.added;
    total.updated += w->counts.updated;
    total.unchanged += w->counts.unchanged;
    languages.insert(w->languages.begin(), w->languages.end());
  }
  const std::string version = std::to_string(schema::kSchemaVersion);
  const std::string langs = join_languages(languages);
  const std::string now = utc_now_iso();
  try {
    if (!m.bulk) {
      if (total.added + total.updated > 0 ||
          m.live.get_metadata(std::string(schema::meta::kSchemaVersion)).empty()) {
        m.live.set_metadata(std::string(schema::meta::kSchemaVersion), version);
        m.live.set_metadata(std::string(schema::meta::kLanguages), langs);
        m.live.set_metadata(std::string(schema::meta::kLastUpdate), now);
      }
      m.live.commit();
      return total;
    }
    // Bulk: stamp every shard alike, merge them, and move the merged database into place.
    Xapian::Database all;
    for (std::size_t i = 0; i < m.workers.size(); ++i) {
      Xapian::WritableDatabase& shard = *m.workers[i]->shard;
      shard.set_metadata(std::string(schema::meta::kSchemaVersion), version);
      shard.set_metadata(std::string(schema::meta::kLanguages), langs);
      shard.set_metadata(std::string(schema::meta::kLastUpdate), now);
      shard.commit();
      shard.close();
      all.add_database(Xapian::Database((m.build_dir / ("shard-" + std::to_string(i))).string()));
    }
    const fs::path merged = m.build_dir / "merged";
    all.compact(merged.string());
    all.close();
    m.live.close();
    const fs::path old = m.build_dir / "old";
    fs::rename(m.path, old);
    fs::rename(merged, m.path);
    fs::remove_all(m.build_dir, ec);
  } catch (const Xapian::Error& e) {
    fs::remove_all(m.build_dir, ec);
    throw Error(ErrorKind::kIo, "writing " + m.path + ": " + e.get_description());
  } catch (const fs::filesystem_error& e) {
    throw Error(ErrorKind::kIo, std::string("moving the new database into place: ") + e.what());
  }
  return total;
}

}  // namespace sitrep::index
