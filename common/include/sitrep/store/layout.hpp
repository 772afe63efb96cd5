#pragma once
// How a sitrep database sits on disk, so that a full rebuild can be switched in at once:
//
//   PATH                  a symbolic link to PATH.d/gen-NNNNNN (relative), the live generation
//   PATH.d/gen-*          Xapian databases: the live one, and one being written by a build or
//                         --compact (not yet switched to)
//   PATH.d/old-gen-*      a generation switched away from, being removed
//   PATH.d/build-resume/  the shards of a first build or --rebuild in progress (or killed), and
//                         its marker file "build": the next bulk run resumes from them
//   PATH.d/build-*        other scratch directories of a build in progress
//   PATH.d/lock           the writers' lock (flock): one sitrep-index at a time
//
// Replacing the link with rename(2) is atomic, so a searcher opens either the old generation or
// the new one, never a half-built or missing database. Searchers resolve the link once
// (resolve_database) and open every file of one generation. An old generation is renamed to
// old-gen-* before its files are removed, so a searcher never opens one with some tables gone.
// A plain directory at PATH (a database made by other tools) is still read and updated in place,
// but cannot be rebuilt or compacted.
//
// Other links to PATH (an alias: ln -s PATH ALIAS) name the same database: writers resolve them
// to PATH (managed_path) and lock, build and switch there, never replacing the alias itself.
// Moving PATH and PATH.d together keeps the link valid; copying PATH alone copies a link to
// nothing (use `sitrep-index backup`).

#include <filesystem>
#include <functional>
#include <string>

namespace sitrep::store {

// The managed path that path names: path with its symbolic links followed until one whose target
// is "<its own name>.d/gen-*" (the link sitrep-index made), made absolute with its directory's
// links resolved. A path that is no such link (nothing there yet, a plain directory, a file) is
// returned absolute as it is, its directory resolved; a generation directory PATH.d/gen-* that
// PATH points at gives PATH. Throws Error{kUsage} for a loop of links.
std::string managed_path(const std::string& path);

// The directory holding the database that path names now: the generation the link points at, or
// path itself when it is a plain directory. Throws Error{kNotFound} when nothing is at path (or a
// file is), Error{kIo} when path is a link to a generation that is missing (a damaged database:
// --rebuild recovers it), Error{kPermission} when this user may not read it.
std::string resolve_database(const std::string& path);

// PATH.d
std::filesystem::path state_dir(const std::string& path);

// True when path is a link made by sitrep-index (or does not exist yet).
bool is_managed(const std::string& path);

// Holds PATH.d/lock for the lifetime of the object. path: a managed_path(), so that every alias
// of a database takes the same lock.
class WriteLock {
 public:
  // Creates PATH.d when missing, and waits up to wait_seconds (0: not at all) for the lock.
  // Throws Error{kBusy} when another writer still holds it, Error{kPermission} or Error{kIo} when
  // the lock file cannot be made.
  // stop (optional) is asked while waiting: when it returns true the wait ends at once with
  // Error{kBusy} (a SIGTERM during --wait ends the run without waiting it out).
  WriteLock(const std::string& path, double wait_seconds, const std::function<bool()>& stop = {});
  ~WriteLock();
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

  // Removes the lock file (and so lets a later writer recreate it) while still holding it: for a
  // run that removes PATH.d because it created nothing. Writers that waited on the removed file
  // notice and lock the new one.
  void remove_file();

 private:
  int m_fd = -1;
  std::string m_file;
};

// The functions below need the WriteLock held.

// A fresh, empty directory path for the next generation (PATH.d/gen-<current+1>).
std::filesystem::path next_generation(const std::string& path);

// Points PATH at gen atomically (a new link renamed over the old one). Returns the generation it
// pointed at before (empty when none). Throws Error{kIo}.
std::filesystem::path switch_generation(const std::string& path, const std::filesystem::path& gen);

// Removes a generation that is not live (or a partial one): renames it to old-gen-* in its
// directory first, so that no searcher opens it half-removed. Never throws; what cannot be
// removed is left for remove_stale().
void remove_generation(const std::filesystem::path& gen);

// Removes everything in PATH.d but the lock, the live generation and (keep_resume) build-resume:
// what a killed run left.
void remove_stale(const std::string& path, bool keep_resume = false);

// PATH.d/build-resume, the resumable build directory.
std::filesystem::path resume_dir(const std::string& path);

}  // namespace sitrep::store
