#pragma once
// sitrep-index stats: what a database holds, for people and monitoring.

#include <ostream>
#include <string>

namespace sitrep::indexer {

// Writes the report for the database at path (text, or JSON when json is set) and returns the
// exit status: 0, or 66 when there is no database, 74 when it cannot be read.
int print_stats(const std::string& path, bool json, std::ostream& out);

}  // namespace sitrep::indexer
