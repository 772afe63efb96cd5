#include "sitrep/index/layout.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "sitrep/util/error.hpp"

namespace fs = std::filesystem;

namespace sitrep::index {

namespace {

constexpr std::string_view kGenPrefix = "gen-";

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

}  // namespace

fs::path state_dir(const std::string& path) {
  fs::path p(path);
  if (p.has_filename()) return fs::path(path + ".d");
  return p.parent_path().string() + ".d";  // "db/" -> "db.d"
}

bool is_managed(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  return !fs::exists(st) || fs::is_symlink(st);
}

std::string resolve_database(const std::string& path) {
  std::error_code ec;
  const fs::path real = fs::canonical(path, ec);
  if (ec || !fs::is_directory(real, ec)) {
    throw Error(ErrorKind::kNotFound, "no sitrep database at " + path);
  }
  return real.string();
}

WriteLock::WriteLock(const std::string& path, double wait_seconds) {
  const fs::path dir = state_dir(path);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorKind::kIo, "cannot create " + dir.string() + ": " + ec.message());
  const std::string lock = (dir / "lock").string();
  m_fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (m_fd < 0) {
    throw Error(ErrorKind::kIo, "cannot open lock file " + lock + ": " + std::strerror(errno));
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_seconds);
  for (;;) {
    if (::flock(m_fd, LOCK_EX | LOCK_NB) == 0) return;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const int err = errno;
      ::close(m_fd);
      throw Error(ErrorKind::kIo, "cannot lock " + lock + ": " + std::strerror(err));
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
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

fs::path next_generation(const std::string& path) {
  const fs::path dir = state_dir(path);
  long highest = 0;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    highest = std::max(highest, generation_number(e.path().filename().string()));
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

void remove_stale(const std::string& path) {
  const fs::path dir = state_dir(path);
  std::error_code ec;
  fs::path live = fs::read_symlink(path, ec);
  const std::string live_name = ec ? std::string() : live.filename().string();
  std::vector<fs::path> stale;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name == "lock" || name == live_name) continue;
    if (name.rfind("gen-", 0) == 0 || name.rfind("build-", 0) == 0) stale.push_back(e.path());
  }
  for (const fs::path& p : stale) fs::remove_all(p, ec);
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

}  // namespace sitrep::index
