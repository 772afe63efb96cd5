#pragma once
// Whether a database directory still holds every Xapian table its revision has (issue 11.7).
//
// Xapian 1.4's glass backend opens the position, docdata, termlist, spelling and synonym tables
// lazily when reading: a file that is missing, or that cannot be opened for any reason, reads as
// an empty table. A database that lost position.glass then answers phrase queries as AND queries,
// one that lost docdata.glass shows every hit untitled, both with exit 0. The version file
// (iamglass) records each table's number of entries and root block: a table with entries must be
// a readable regular file that reaches its root block. An empty database may lack some files
// (glass creates them at the first entry), and that is not damage.
//
// Cost: about 11 system calls (open, read, close of iamglass; stat + faccessat per table with
// entries), no table data read: 40-65 µs on a loaded sandbox where one stat(2) takes 4-10 µs and
// Xapian's own open 60-300 µs, so every one-shot search can afford it.

#include <string>
#include <vector>

#include "sitrep/util/error.hpp"

namespace sitrep::store {

// One damaged table of a database directory.
struct TableProblem {
  std::string file;     // "position.glass", or "iamglass" (the version file)
  std::string problem;  // "missing", "unreadable (Permission denied)", "truncated: ...", ...
  ErrorKind kind;       // kPermission when the file exists but may not be read, kIo otherwise
};

// The damaged tables of the glass database in dir (the directory resolve_database() returns);
// empty when every table its revision has is there. A directory without iamglass but with
// iamchert (a chert database made by other tools) is not checked: chert has no lazy tables.
// Never throws for a damaged database; not thread-safe only in the sense that it reads files
// another process may be writing (a newer revision only ever adds tables).
std::vector<TableProblem> find_table_problems(const std::string& dir);

// The message for a problem: "database table DIR/position.glass is missing: the database is
// damaged; rebuild it with sitrep-index --rebuild".
std::string describe(const std::string& dir, const TableProblem& problem);

// Throws Error{problem.kind, describe(dir, problem)} for the first problem find_table_problems
// finds (kIo, or kPermission for a table that may not be read). Call after opening the
// Xapian::Database from dir: a table there now was there when Xapian opened it.
void check_tables(const std::string& dir);

}  // namespace sitrep::store
