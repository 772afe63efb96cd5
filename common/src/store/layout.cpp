#include "sitrep/store/layout.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sitrep/util/error.hpp"

namespace fs = std::filesystem;

namespace sitrep::store {

namespace {

constexpr std::string_view kGenPrefix = "gen-";
constexpr std::string_view kOldPrefix = "old-";
constexpr int kMaxLinks = 40;  // as the kernel's limit on links in a path

// The generation number of a directory name "gen-NNNNNN", or -1.
long generation_number(const std::string& name) {
  if (name.compare(0, kGenPrefix.size(), kGenPrefix) != 0) return -1;
  const std::string digits = name.substr(kGenPrefix.size());
  if (digits.empty() || digits.size() > 9) return -1;
  for (char c : digits) {
    if (c < '0' || c > '9') return -1;
  }
  return std::stol(digits);
}

// True when target, read from the link at link, is "<link's name>.d/gen-NNNNNN": the link that
// sitrep-index made.
bool is_managed_target(const fs::path& link, const fs::path& target) {
  return target.is_relative() &&
         target.parent_path() == fs::path(link.filename().string() + ".d") &&
         generation_number(target.filename().string()) >= 0;
}

std::string without_trailing_slashes(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// p made absolute, with the links of its directory resolved (not those of its last component).
fs::path absolute_in_real_dir(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) abs = p;
  abs = fs::path(without_trailing_slashes(abs.string()));
  if (!abs.has_parent_path() || abs.filename().empty()) return abs;
  fs::path dir = fs::weakly_canonical(abs.parent_path(), ec);
  if (ec) dir = abs.parent_path();
  return dir / abs.filename();
}

Error permission_error(const std::string& what, const std::string& path) {
  return Error(ErrorKind::kPermission, "permission denied: cannot " + what + " " + path);
}

}  // namespace

std::string managed_path(const std::string& path) {
  fs::path p = absolute_in_real_dir(without_trailing_slashes(path));
  for (int hops = 0; hops < kMaxLinks; ++hops) {
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(p, ec);
    if (!fs::is_symlink(st)) {
      // The generation that a managed link points at names that database (PATH.d/gen-N -> PATH).
      const std::string dir_name = p.parent_path().filename().string();
      if (fs::is_directory(st) && generation_number(p.filename().string()) >= 0 &&
          dir_name.size() > 2 && dir_name.ends_with(".d")) {
        const fs::path link =
            p.parent_path().parent_path() / dir_name.substr(0, dir_name.size() - 2);
        const fs::path target = fs::read_symlink(link, ec);
        if (!ec && is_managed_target(link, target) && target.filename() == p.filename()) {
          return link.string();
        }
      }
      return p.string();
    }
    const fs::path target = fs::read_symlink(p, ec);
    if (ec || is_managed_target(p, target)) return p.string();
    p = absolute_in_real_dir(target.is_absolute() ? target : p.parent_path() / target);
  }
  throw Error(ErrorKind::kUsage, path + ": too many levels of symbolic links");
}

fs::path state_dir(const std::string& path) {
  fs::path p(path);
  if (p.has_filename()) return fs::path(path + ".d");
  return p.parent_path().string() + ".d";  // "db/" -> "db.d"
}

fs::path resume_dir(const std::string& path) { return state_dir(path) / "build-resume"; }

bool is_managed(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  return !fs::exists(st) || fs::is_symlink(st);
}

std::string resolve_database(const std::string& path) {
  for (int attempt = 0;; ++attempt) {
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) {
      if (ec == std::errc::permission_denied) throw permission_error("read database", path);
      throw Error(ErrorKind::kIo, "cannot read database " + path + ": " + ec.message());
    }
    if (!fs::exists(st)) throw Error(ErrorKind::kNotFound, "no sitrep database at " + path);
    const fs::path real = fs::canonical(path, ec);
    if (ec == std::errc::permission_denied) throw permission_error("read database", path);
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) {
      // A link to nothing. Find the link whose target is missing; if the link changed meanwhile
      // (a writer switched generations), look again.
      fs::path link(path), target;
      for (int hops = 0; hops < kMaxLinks; ++hops) {
        std::error_code lec;
        target = fs::read_symlink(link, lec);
        if (lec) break;
        const fs::path next = target.is_absolute() ? target : link.parent_path() / target;
        if (!fs::exists(fs::symlink_status(next, lec))) break;
        link = next;
      }
      if (attempt < 3) {
        std::error_code again;
        if (fs::exists(fs::canonical(path, again)) && !again) continue;
      }
      throw Error(ErrorKind::kIo, link.string() + " points at " + target.string() +
                                      ", which is missing: the database is damaged; rebuild it "
                                      "with --rebuild");
    }
    if (ec) throw Error(ErrorKind::kIo, "cannot read database " + path + ": " + ec.message());
    if (!fs::is_directory(real, ec)) {
      throw Error(ErrorKind::kNotFound, "no sitrep database at " + path + " (it is a file)");
    }
    if (::access(real.c_str(), R_OK | X_OK) != 0 && errno == EACCES) {
      throw permission_error("read database", path);
    }
    return real.string();
  }
}

WriteLock::WriteLock(const std::string& path, double wait_seconds,
                     const std::function<bool()>& stop) {
  const fs::path dir = state_dir(path);
  m_file = (dir / "lock").string();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_seconds);
  for (;;) {
    if (m_fd < 0) {
      std::error_code ec;
      fs::create_directories(dir, ec);
      if (ec == std::errc::permission_denied) throw permission_error("create", dir.string());
      if (ec) throw Error(ErrorKind::kIo, "cannot create " + dir.string() + ": " + ec.message());
      m_fd = ::open(m_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (m_fd < 0) {
        if (errno == EACCES || errno == EPERM) throw permission_error("create lock file", m_file);
        throw Error(ErrorKind::kIo,
                    "cannot open lock file " + m_file + ": " + std::strerror(errno));
      }
    }
    if (::flock(m_fd, LOCK_EX | LOCK_NB) == 0) {
      // The lock file may have been removed by the writer we waited for (a run that created the
      // database and gave up): then lock the file that is there now.
      struct stat held {
      }, now{};
      if (::fstat(m_fd, &held) == 0 && ::stat(m_file.c_str(), &now) == 0 &&
          held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
        return;
      }
      ::close(m_fd);
      m_fd = -1;
      continue;
    }
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int err = errno;
      ::close(m_fd);
      throw Error(ErrorKind::kIo, "cannot lock " + m_file + ": " + std::strerror(err));
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    if (stop && stop()) {
      ::close(m_fd);
      throw Error(ErrorKind::kBusy,
                  "stopped while waiting for another sitrep-index to finish with " + path);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::close(m_fd);
  char waited[32];
  std::snprintf(waited, sizeof waited, "%g", wait_seconds);
  throw Error(ErrorKind::kBusy, "database " + path +
                                    " is busy: another sitrep-index is writing to it (waited " +
                                    waited + " s; see --wait)");
}

WriteLock::~WriteLock() {
  if (m_fd >= 0) ::close(m_fd);  // closing releases the flock
}

void WriteLock::remove_file() { ::unlink(m_file.c_str()); }

fs::path next_generation(const std::string& path) {
  const fs::path dir = state_dir(path);
  long highest = 0;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.starts_with(kOldPrefix)) name.erase(0, kOldPrefix.size());
    highest = std::max(highest, generation_number(name));
  }
  // The live generation may be anywhere (a copied database): never reuse its number.
  const fs::path live = fs::read_symlink(path, ec);
  if (!ec) highest = std::max(highest, generation_number(live.filename().string()));
  char name[32];
  std::snprintf(name, sizeof name, "gen-%06ld", highest + 1);
  const fs::path gen = dir / name;
  fs::remove_all(gen, ec);
  return gen;
}

fs::path switch_generation(const std::string& path, const fs::path& gen) {
  std::error_code ec;
  fs::path old = fs::read_symlink(path, ec);
  if (ec) old.clear();
  const fs::path link(path);
  // The link is relative to its own directory, so moving PATH and PATH.d together keeps it valid.
  const fs::path target = fs::path(state_dir(path).filename()) / gen.filename();
  const fs::path tmp = link.string() + ".switch-" + std::to_string(::getpid());
  fs::remove(tmp, ec);
  fs::create_symlink(target, tmp, ec);
  if (ec) throw Error(ErrorKind::kIo, "cannot create link " + tmp.string() + ": " + ec.message());
  if (std::rename(tmp.c_str(), link.c_str()) != 0) {
    const int err = errno;
    fs::remove(tmp, ec);
    throw Error(ErrorKind::kIo,
                "cannot switch " + path + " to " + gen.string() + ": " + std::strerror(err));
  }
  if (!old.empty() && old.is_relative()) old = link.parent_path() / old;
  return old;
}

void remove_generation(const fs::path& gen) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(gen, ec))) return;
  const fs::path doomed = gen.parent_path() / (std::string(kOldPrefix) + gen.filename().string());
  fs::remove_all(doomed, ec);
  fs::rename(gen, doomed, ec);
  if (ec) return;  // still under its name: never half-removed; remove_stale() tries again
  fs::remove_all(doomed, ec);
}

void remove_stale(const std::string& path, bool keep_resume) {
  const fs::path dir = state_dir(path);
  std::error_code ec;
  fs::path live = fs::read_symlink(path, ec);
  const std::string live_name = ec ? std::string() : live.filename().string();
  const std::string resume_name = resume_dir(path).filename().string();
  std::vector<fs::path> stale;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name == "lock" || name == live_name || (keep_resume && name == resume_name)) continue;
    if (name.starts_with(kGenPrefix) || name.starts_with("build-") ||
        name.starts_with(kOldPrefix)) {
      stale.push_back(e.path());
    }
  }
  for (const fs::path& p : stale) {
    if (p.filename().string().starts_with(kGenPrefix)) {
      remove_generation(p);
    } else {
      fs::remove_all(p, ec);
    }
  }
  // A link left by a switch that was killed before its rename.
  for (const fs::directory_entry& e : fs::directory_iterator(
           fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path(),
           ec)) {
    const std::string name = e.path().filename().string();
    const std::string prefix = fs::path(path).filename().string() + ".switch-";
    if (name.rfind(prefix, 0) == 0 && fs::is_symlink(e.symlink_status(ec)))
      fs::remove(e.path(), ec);
  }
}

}  // namespace sitrep::store
