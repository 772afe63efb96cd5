#pragma once
// sitrep-index backup --db DB DEST: a consistent copy of a database that a plain `cp -r DB` cannot
// make (DB is a relative link into DB.d; copying it alone copies a link to nothing, and a copy
// taken while a writer commits mixes revisions).

#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace sitrep::indexer {

struct BackupCommand {
  CLI::App* app = nullptr;  // the subcommand, once added
  std::string db;
  std::string dest;
  double wait = 0;

  // Takes DB's writers' lock (waiting up to wait seconds), writes a compacted copy of its live
  // generation as a new database DEST -> DEST.d/gen-000001 (the layout sitrep-index makes, so
  // that DEST can be searched, updated and rebuilt as it is) with its facet column, and prints
  // one line. Returns 0, or 1 when the facet column could not be written (the copy is complete;
  // searches count facets from the documents until a run writes it). Throws Error{kUsage} when
  // DEST (or DEST.d) exists: a backup never overwrites; Error{kNotFound}, Error{kBusy},
  // Error{kPermission} or Error{kIo} as sitrep-index does for DB. A failed copy leaves no DEST.
  int run(std::ostream& out) const;
};

// Adds the "backup" subcommand to app, parsing into cmd (which must outlive the parse).
void add_backup_command(CLI::App& app, BackupCommand& cmd);

}  // namespace sitrep::indexer
