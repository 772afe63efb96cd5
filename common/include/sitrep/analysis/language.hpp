#pragma once
// Language detection. Detection uses CLD2 (Debian's libcld2): a maintained, fast,
// n-gram based detector covering 80+ languages including Ukrainian, Russian and Arabic, which tells
// Ukrainian from Russian reliably on article-length text.

#include <string>
#include <string_view>

#include "sitrep/schema/language_code.hpp"

namespace sitrep::analysis {

// Language codes are canonicalised by schema::canonical_language (schema/language_code.hpp).
using schema::canonical_language;

// The language of an article's text, as an ISO 639-1 code, or "und" when CLD2 is not confident
// (too little text, or a mix). Uses the title and at most the first 16 KiB of the body.
// Thread-safe.
std::string detect_language(std::string_view title, std::string_view body);

}  // namespace sitrep::analysis
