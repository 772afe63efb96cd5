#pragma once
// What a database holds, counted for `sitrep-index stats` (which prints it) and monitoring.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "sitrep/store/facet_column.hpp"
#include "sitrep/store/integrity.hpp"

namespace sitrep::store {

// (value, documents), most documents first.
using TermCounts = std::vector<std::pair<std::string, Xapian::doccount>>;

struct DatabaseStats {
  std::string path;                   // the directory read: the live generation
  std::vector<TableProblem> damaged;  // find_table_problems(path)
  // False when the database is too damaged to open: only path and damaged are filled in.
  bool opened = false;
  Xapian::doccount documents = 0;
  std::string schema_version;  // as stored; empty when none
  std::string last_update;     // as stored (ISO 8601 UTC); empty when none
  std::uintmax_t size_bytes = 0;
  FacetColumn::State facet_column = FacetColumn::State::kAbsent;
  Xapian::doccount undated = 0;
  std::string first_date, last_date;  // YYYY-MM-DD; empty when no document is dated
  TermCounts languages;               // by language code
  TermCounts sources;                 // by normalised source name (the XS terms)
};

// The statistics of the database at path (as the user named it). Throws Error{kNotFound} when
// there is none, Error{kIo}, Error{kPermission}... (store/xapian_call.hpp) when it cannot be read
// and no damaged table explains why; a database too damaged to open but with damaged tables
// found comes back with opened false.
DatabaseStats database_stats(const std::string& path);

}  // namespace sitrep::store
