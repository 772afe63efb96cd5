#pragma once
// How a sitrep database sits on disk, so that a full rebuild can be switched in at once:
//
//   PATH             a symbolic link to PATH.d/gen-NNNNNN (relative), the live generation
//   PATH.d/gen-*     Xapian databases: the live one, and one being built by --rebuild/--compact
//   PATH.d/build-*   scratch shards of a build in progress
//   PATH.d/lock      the writers' lock (flock): one sitrep-index at a time
//
// Replacing the link with rename(2) is atomic, so a searcher opens either the old generation or
// the new one, never a half-built or missing database. Searchers resolve the link once
// (resolve_database) and open every file of one generation. A plain directory at PATH (a database
// made by other tools) is still read and updated in place, but cannot be rebuilt or compacted.

#include <filesystem>
#include <string>

namespace sitrep::index {

// The directory holding the database that path names now: the generation the link points at, or
// path itself when it is a plain directory. Throws Error{kNotFound} when there is none.
std::string resolve_database(const std::string& path);

// PATH.d
std::filesystem::path state_dir(const std::string& path);

// True when path is a link made by sitrep-index (or does not exist yet).
bool is_managed(const std::string& path);

// Holds PATH.d/lock for the lifetime of the object.
class WriteLock {
 public:
  // Waits up to wait_seconds (0: not at all) for the lock. Throws Error{kBusy} when another
  // writer still holds it, Error{kIo} when the lock file cannot be made.
  WriteLock(const std::string& path, double wait_seconds);
  ~WriteLock();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  int m_fd = -1;
};

// The functions below need the WriteLock held.

// A fresh, empty directory path for the next generation (PATH.d/gen-<current+1>).
std::filesystem::path next_generation(const std::string& path);

// Points PATH at gen atomically (a new link renamed over the old one). Returns the generation it
// pointed at before (empty when none). Throws Error{kIo}.
std::filesystem::path switch_generation(const std::string& path, const std::filesystem::path& gen);

// Removes everything in PATH.d but the lock and the live generation: what a killed run left.
void remove_stale(const std::string& path);

}  // namespace sitrep::index
