#pragma once
// Language codes and detection. Detection uses CLD2 (Debian's libcld2): a maintained, fast,
// n-gram based detector covering 80+ languages including Ukrainian, Russian and Arabic, which tells
// Ukrainian from Russian reliably on article-length text.

#include <string>
#include <string_view>

namespace sitrep::analysis {

// The ISO 639-1 code for a language given as a code or tag ("en", "EN", "en-US", "eng", "rus",
// "ger", "iw", "English", "russian", "Русский", "uk_UA.UTF-8"); the ISO 639-2/3 code for a known
// language that has no 639-1 code ("haw"); "und" for "und"; empty when it is not recognised.
// Thread-safe.
std::string canonical_language(std::string_view given);

// The language of an article's text, as an ISO 639-1 code, or "und" when CLD2 is not confident
// (too little text, or a mix). Uses the title and at most the first 16 KiB of the body.
// Thread-safe.
std::string detect_language(std::string_view title, std::string_view body);

}  // namespace sitrep::analysis
