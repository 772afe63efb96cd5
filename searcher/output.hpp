#pragma once
// Writing search results: readable text for a person, JSON for programs
// (schemas/search-result.schema.json, errors schemas/search-error.schema.json).
//
// JSON contract: every string value in the JSON output is HTML-escaped text (& < > " ' written as
// &amp; &lt; &gt; &quot; &#39;), so a frontend can put any of them into HTML element content or a
// quoted attribute as is; the one exception is `snippet`, the same escaped text with the matched
// words wrapped in <mark>…</mark>, the only tags it can hold.

#include <ostream>
#include <string>

#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"

namespace sitrep::searcher {

// Version of the JSON output contract; bumped on incompatible changes. 2: every string is
// HTML-escaped (1 escaped only the snippet); the error object is in its own schema.
inline constexpr int kJsonSchemaVersion = 2;

void write_json(std::ostream& out, const search::SearchRequest& req, const search::SearchResult& r);
void write_json_error(std::ostream& out, ErrorKind kind, const std::string& message);
// colour: ANSI colours (else matches are shown [like this]); unicode: the timeline's bars are drawn
// with Unicode block elements (else with '#').
void write_text(std::ostream& out, const search::SearchRequest& req, const search::SearchResult& r,
                bool colour, bool unicode);

// sitrep-search --explain ID: the article and its suppressed boilerplate lines, as JSON (an object
// with the key "explain", schemas/search-result.schema.json) or as text for a person.
void write_explain_json(std::ostream& out, const search::Explanation& e);
void write_explain_text(std::ostream& out, const search::Explanation& e);

// s with &, <, >, " and ' replaced by HTML character references.
std::string html_escape(std::string_view s);

// Terminal safety (issue 11): s as it may be printed as text, so that text from an article, a
// query or an option can never act on a terminal (an ESC sequence setting the window title or
// clearing the screen, a bidi override reordering the line). Tab, line feed, carriage return,
// vertical tab and form feed become a space (text output lays out its own lines); every other C0
// control (U+0000-U+001F), DEL (U+007F), every C1 control (U+0080-U+009F), the bidi embeddings,
// overrides and isolates (U+202A-U+202E, U+2066-U+2069) and each invalid UTF-8 sequence become
// U+FFFD, the replacement character. Every other character is kept. The text output passes every
// field it prints through it; the JSON output escapes the same characters as \u sequences.
std::string printable(std::string_view s);

}  // namespace sitrep::searcher
