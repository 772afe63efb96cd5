#pragma once
// Writing search results: readable text for a person (output_text.cpp), JSON for programs
// (output_json.cpp; schemas/search-result.schema.json, errors schemas/search-error.schema.json).
//
// JSON contract, version 3 (docs/json.md, docs/design/contract-v3.md): every string value is plain
// Unicode text, never HTML-escaped; the only HTML is in the fields whose name ends in `_html`
// (a hit's `snippet_html`: the escaped passage with <mark> tags). A snippet is also given as a list
// of fragments {text, highlight} for a page to render with its template engine's own escaping.

#include <ostream>
#include <string>
#include <string_view>

#include "sitrep/search/searcher.hpp"
#include "sitrep/util/error.hpp"

namespace sitrep::searcher {

// Version of the JSON output contract (top-level `contract_version`); it changes when a field is
// removed, renamed, retyped or given another meaning. 3: plain strings, snippet fragments, one
// facet value shape with filters, totals per unit, --get, serve ids (2: every string HTML-escaped).
inline constexpr int kContractVersion = 3;

void write_json(std::ostream& out, const search::SearchRequest& req, const search::SearchResult& r);
void write_json_error(std::ostream& out, ErrorKind kind, const std::string& message);
// colour: ANSI colours (else matches are shown [like this]); unicode: the timeline's bars are drawn
// with Unicode block elements (else with '#').
void write_text(std::ostream& out, const search::SearchRequest& req, const search::SearchResult& r,
                bool colour, bool unicode);
// --count: the exact number of matching articles on one line, and with collapse the number of
// stories on a second.
void write_count_text(std::ostream& out, const search::SearchResult& r);

// sitrep-search --explain ID: the article and its suppressed boilerplate lines, as JSON (an object
// with the key "explain", schemas/search-result.schema.json) or as text for a person.
void write_explain_json(std::ostream& out, const search::Explanation& e);
void write_explain_text(std::ostream& out, const search::Explanation& e);
// sitrep-search --get ID: one stored article, its metadata, entities, story and boilerplate lines,
// as JSON (an object with the key "article") or as text.
void write_article_json(std::ostream& out, const search::Explanation& e);
void write_article_text(std::ostream& out, const search::Explanation& e);

// The JSON object text out (one object and a newline) with the top-level key "id" set to id_json,
// a JSON value's text; out unchanged when id_json is empty.
std::string with_id(std::string out, const std::string& id_json);

// s with &, <, >, " and ' replaced by HTML character references (for the `_html` fields only).
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

// printable(), but line feeds kept (an article's body printed line by line by --get).
std::string printable_lines(std::string_view s);

// JSON text with DEL, the C1 controls and the bidi controls written as \u escapes (nlohmann escapes
// U+0000-U+001F), so that it is as safe to print on a terminal as the text output. They can only
// be inside strings, where an escape means the same character.
std::string terminal_safe_json(std::string_view json_text);

// "1,569": n with a comma between groups of three digits (text output).
std::string grouped(std::size_t n);

}  // namespace sitrep::searcher
