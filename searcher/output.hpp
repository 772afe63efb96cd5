#pragma once
// Writing search results: readable text for a person, JSON for programs
// (schemas/search-result.schema.json).

#include <ostream>
#include <string>

#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"

namespace sitrep::searcher {

// Version of the JSON output contract; bumped on incompatible changes (schemas/CHANGES.md).
inline constexpr int kJsonSchemaVersion = 1;

void write_json(std::ostream& out, const search::SearchRequest& req, const search::SearchResult& r);
void write_json_error(std::ostream& out, ErrorKind kind, const std::string& message);
// colour: ANSI colours (else matches are shown [like this]); unicode: the timeline's bars are drawn
// with Unicode block elements (else with '#').
void write_text(std::ostream& out, const search::SearchRequest& req, const search::SearchResult& r,
                bool colour, bool unicode);

// s with &, <, >, " and ' replaced by HTML character references.
std::string html_escape(std::string_view s);

}  // namespace sitrep::searcher
