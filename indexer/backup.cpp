#include "backup.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <system_error>

#include <CLI/CLI.hpp>
#include <xapian.h>

#include "sitrep/store/facet_column.hpp"
#include "sitrep/store/layout.hpp"
#include "sitrep/store/xapian_call.hpp"
#include "sitrep/util/error.hpp"

namespace fs = std::filesystem;

namespace sitrep::indexer {

namespace {

std::string without_trailing_slashes(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

Error refuse_existing(const std::string& what) {
  return Error(ErrorKind::kUsage, what +
                                      " exists: sitrep-index backup never overwrites; remove it "
                                      "or give a new DEST");
}

}  // namespace

void add_backup_command(CLI::App& app, BackupCommand& cmd) {
  cmd.app = app.add_subcommand(
      "backup",
      "Write a consistent, compacted copy of a database to DEST, a new path: DEST -> "
      "DEST.d/gen-000001, searched, updated and rebuilt like any database sitrep-index makes");
  cmd.app->add_option("--db", cmd.db, "Database to copy")->required();
  cmd.app
      ->add_option("--wait", cmd.wait,
                   "Wait up to SECONDS for a running sitrep-index to finish (default 0)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd.app->add_option("dest", cmd.dest, "DEST, the path of the copy (must not exist)")->required();
}

int BackupCommand::run(std::ostream& out) const {
  const auto start = std::chrono::steady_clock::now();
  const std::string dest_path = without_trailing_slashes(dest);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(dest_path, ec))) throw refuse_existing(dest_path);
  // The copy is made under DEST's own name, so its link is DEST.d/... like any database's.
  const std::string to = store::managed_path(dest_path);
  const fs::path to_dir = store::state_dir(to);
  if (fs::exists(fs::symlink_status(to_dir, ec))) throw refuse_existing(to_dir.string());

  // The writers' lock of the database itself (an alias of it takes the same), so that no run
  // commits or switches generations while the copy is read.
  store::resolve_database(db);  // no database, no lock file made for it
  const std::string from = store::managed_path(db);
  store::WriteLock lock(from, wait);
  const std::string live = store::resolve_database(from);

  // Claim DEST.d: mkdir fails when another backup got there first.
  if (!fs::create_directory(to_dir, ec)) {
    if (!ec) throw refuse_existing(to_dir.string());
    if (ec == std::errc::permission_denied) {
      throw Error(ErrorKind::kPermission, "permission denied: cannot create " + to_dir.string());
    }
    throw Error(ErrorKind::kIo, "cannot create " + to_dir.string() + ": " + ec.message());
  }
  int status = 0;
  Xapian::doccount docs = 0;
  try {
    store::WriteLock dest_lock(to, 0);
    const fs::path gen = store::next_generation(to);
    {
      Xapian::Database src(live);
      docs = src.get_doccount();
      // Same document ids as the original: a copy, not a renumbered one.
      src.compact(gen.string(), Xapian::DBCOMPACT_NO_RENUMBER);
    }
    try {
      store::write_facet_column(gen.string());
    } catch (const Error& e) {
      std::cerr << "sitrep-index: warning: " << e.what()
                << "; the copy is complete, and faceted searches count from the documents "
                   "(slower) until a run writes the column\n";
      status = 1;
    }
    store::switch_generation(to, gen);
  } catch (...) {
    fs::remove(to, ec);
    fs::remove_all(to_dir, ec);
    const std::string doing = "backup of " + db + " to";
    const std::string hint = " (nothing was left at " + dest_path + ")";
    store::rethrow_translated({doing, dest_path, hint});
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char line[64];
  std::snprintf(line, sizeof line, " in %.2f s", secs);
  out << "sitrep-index: backed up " << db << " (" << docs << " documents) to " << dest_path << line
      << '\n';
  return status;
}

}  // namespace sitrep::indexer
