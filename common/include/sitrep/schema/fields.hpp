#pragma once
// The document schema: every term prefix, value slot and metadata key sitrep stores, defined once
// here and used by both the indexer and the searcher. schemas/fields.md documents the same table.
// Prefixes follow Xapian Omega's conventions (Q unique id, S title, L language, D/M/Y dates, Z
// stemmed forms, X... for our own).

#include <string_view>

#include <xapian.h>

namespace sitrep::schema {

// Bumped whenever the way documents are indexed changes incompatibly. Stored in the database's
// metadata under kMetaSchemaVersion; the searcher refuses a database with another version.
inline constexpr int kSchemaVersion = 5;

namespace prefix {
inline constexpr std::string_view kId = "Q";     // Q<id>: unique id, boolean
inline constexpr std::string_view kTitle = "S";  // S<term>: title words, positional
inline constexpr std::string_view kStem = "Z";  // Z<stem>: stemmed body+title words; ZS<stem> title
inline constexpr std::string_view kSource = "XS";       // XS<keyword(source)>: outlet, boolean
inline constexpr std::string_view kLanguage = "L";      // L<iso639-1>: language, boolean
inline constexpr std::string_view kYear = "Y";          // Y<yyyy>
inline constexpr std::string_view kMonth = "M";         // M<yyyymm>
inline constexpr std::string_view kDay = "D";           // D<yyyymmdd>
inline constexpr std::string_view kNoDate = "XNODATE";  // the one term on articles without a date
// XF<absolute path>: the file the record was read from (none for standard input), so that
// sitrep-index --prune can remove the documents of files that are gone.
inline constexpr std::string_view kFile = "XF";
// Entities, boolean, one term per distinct entity of the article: prefix + canonical id
// (schemas/entities/README.md). The type is the one the article gives the entity.
inline constexpr std::string_view kEntity = "XE";  // the start of each of the four below
inline constexpr std::string_view kPerson = "XEP";
inline constexpr std::string_view kPlace = "XEL";
inline constexpr std::string_view kOrg = "XEO";
inline constexpr std::string_view kOtherEntity = "XEX";  // a name whose type the text does not say
// Boilerplate (analysis/boilerplate.hpp): the words of a body's suppressed lines are indexed
// under these instead of as plain terms and Z stems, so only --include-boilerplate finds them.
inline constexpr std::string_view kBoilerplate = "XB";       // XB<term>: positional, wdf 1
inline constexpr std::string_view kBoilerplateStem = "XBZ";  // XBZ<stem>
// XBH<16 hex digits>: boolean, one per distinct line of the body that can recur (an article with
// a source; analysis::line_key of the source and the normalised line), so that its termfreq is
// the number of the source's articles carrying the line: what later runs judge recurrence by.
inline constexpr std::string_view kBoilerplateLine = "XBH";
}  // namespace prefix

namespace slot {
inline constexpr Xapian::valueno kDate = 0;      // "YYYYMMDD" (UTC) of published; for date ranges
inline constexpr Xapian::valueno kDateTime = 1;  // "YYYYMMDDhhmmss" (UTC); for sorting
inline constexpr Xapian::valueno kHasDate = 2;   // "1" dated, "0" undated; undated sort last
inline constexpr Xapian::valueno kContentHash = 3;  // XXH3-128 hex of the record's text fields
// Everything the facet counter reads, in one binary value so that counting reads one value per
// match: day, source, language and 64-bit entity keys (facet_slot.hpp).
inline constexpr Xapian::valueno kFacets = 6;
inline constexpr Xapian::valueno kFile = 7;  // the file the record was read from, if any
// The article's story (issue 6): 16 hex digits, hash64_hex() of the id of the story's first
// article; absent until the clustering pass has run. Collapse key of --collapse.
inline constexpr Xapian::valueno kStory = 8;
// The body's suppressed (boilerplate) lines: one line "BEGIN END REASON DETAIL" each, byte range
// in the body, reason R (recurs in the outlet, DETAIL "COUNT/ARTICLES"), P (pattern, DETAIL its
// name) or L (a list under a pattern header); absent when nothing is suppressed
// (analysis::encode_suppressed). Slots 10 and 11 are reserved for boilerplate too.
inline constexpr Xapian::valueno kBoilerplate = 9;
}  // namespace slot

// Within-document frequency added per occurrence: title words count kTitleWeight times.
inline constexpr Xapian::termcount kTitleWeight = 3;
// Position gap between title and body, so a phrase never spans them.
inline constexpr Xapian::termpos kTitleBodyGap = 100;

namespace meta {
inline constexpr std::string_view kSchemaVersion = "sitrep.schema_version";
inline constexpr std::string_view kLanguages = "sitrep.languages";     // space-separated codes seen
inline constexpr std::string_view kLastUpdate = "sitrep.last_update";  // ISO 8601 UTC
// Entity lexicon, written by the indexer for every entity it has stored, read by the searcher:
//   sitrep.alias:<key>  -> space-separated canonical ids that <key> names. <key> is an alias
//                          normalised by entities::alias_key() (terms joined by one space).
//   sitrep.entity:<id>  -> type letter (P, L, O, X) followed by the display name.
inline constexpr std::string_view kAliasPrefix = "sitrep.alias:";
inline constexpr std::string_view kEntityPrefix = "sitrep.entity:";
}  // namespace meta

// Query-language field names (sitrep-search), mapped to the prefixes above.
namespace field {
inline constexpr std::string_view kTitle = "title";
inline constexpr std::string_view kSource = "source";
inline constexpr std::string_view kLanguage = "lang";
inline constexpr std::string_view kId = "id";
inline constexpr std::string_view kDate = "date";
inline constexpr std::string_view kPerson = "person";
inline constexpr std::string_view kPlace = "place";
inline constexpr std::string_view kOrg = "org";
inline constexpr std::string_view kEntity = "entity";  // any type
}  // namespace field

}  // namespace sitrep::schema
