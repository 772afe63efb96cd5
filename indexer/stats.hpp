#pragma once
// sitrep-index stats: what a database holds, for people and monitoring.

#include <ostream>
#include <string>

namespace sitrep::indexer {

// Writes the report for the database at path (text, or JSON when json is set) and returns the
// exit status: 0, or 66 when there is no database, 74 when it cannot be read or a table it needs
// is missing or damaged (issue 11.7: reported, then each damaged table on stderr), 77 when such a
// table may not be read. A damaged facet column is reported ("facet_column_state": "damaged")
// with 0: searches ignore it and count from the documents, with the same results.
int print_stats(const std::string& path, bool json, std::ostream& out);

}  // namespace sitrep::indexer
