#include "run_stats.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace sitrep::indexer {

namespace {

nlohmann::json run_record(const RunStats& s) {
  nlohmann::json not_pruned = nlohmann::json::array();
  for (const NotPruned& n : s.not_pruned) {
    not_pruned.push_back({{"directory", n.directory}, {"reason", n.reason}});
  }
  nlohmann::json j = {
      {"started", s.started},
      {"finished", s.finished},
      {"exit_status", s.exit_status},
      {"read", s.read},
      {"added", s.counts.added},
      {"updated", s.counts.updated},
      {"unchanged", s.counts.unchanged},
      {"removed", s.counts.removed},
      {"rejected", s.rejected},
      {"warnings", s.warnings},
      {"duplicates", s.duplicates},
      {"incomplete_files", s.incomplete},
      {"missing_sources", s.missing},
      {"empty_sources", s.empty_sources},
      {"not_found", s.counts.not_found},
      {"not_pruned", std::move(not_pruned)},
      {"stories_assigned", s.counts.stories_assigned},
      {"stories_new", s.counts.stories_new},
      {"seconds", s.seconds},
      {"prescan_seconds", s.prescan_seconds},
      {"records_per_second", s.seconds > 0 ? static_cast<double>(s.read) / s.seconds : 0.0},
      {"interrupted", s.interrupted},
  };
  if (!s.mode.empty()) j["mode"] = s.mode;
  if (!s.error.empty()) j["error"] = s.error;
  return j;
}

// The previous file's content when it is ours (this schema version), else an empty object: a
// file of another format or a damaged one is not carried forward.
nlohmann::json previous(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("schema_version", 0) != kStatsSchemaVersion) {
    return nlohmann::json::object();
  }
  return j;
}

bool write_all(int fd, const std::string& data) {
  const char* p = data.data();
  std::size_t n = data.size();
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace

bool write_stats_json(const std::string& path, const std::string& db, const RunStats& s) {
  if (path.empty()) return true;
  const bool committed = s.exit_status == 0 || s.exit_status == 1;
  nlohmann::json j;
  if (committed) {
    j = run_record(s);
  } else {
    j = previous(path);
    j["last_failure"] = run_record(s);
  }
  j["$schema"] = kStatsSchemaId;
  j["schema_version"] = kStatsSchemaVersion;
  if (committed || !j.contains("db")) j["db"] = db;
  const std::string text = j.dump(2) + "\n";

  // Beside the target (rename(2) needs the same file system), named after this process so that
  // two runs never write one temporary file.
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  const char* step = "create";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0;
  if (ok) {
    step = "write";
    ok = write_all(fd, text);
    if (ok) {
      step = "flush";
      ok = ::fsync(fd) == 0;
    }
    const int saved = errno;
    if (::close(fd) != 0 && ok) {
      step = "close";
      ok = false;
    } else {
      errno = saved;
    }
  }
  if (ok) {
    step = "rename";
    ok = std::rename(tmp.c_str(), path.c_str()) == 0;
  }
  if (!ok) {
    const int err = errno;
    if (fd >= 0) ::unlink(tmp.c_str());
    std::cerr << "sitrep-index: warning: --stats-json: cannot " << step << ' ' << tmp << ": "
              << std::strerror(err) << "; " << path << " is left as it was\n";
    return false;
  }
  return true;
}

}  // namespace sitrep::indexer
