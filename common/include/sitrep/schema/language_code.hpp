#pragma once
// Language codes: what a record's "language" field may hold, and the code it is stored under.

#include <string>
#include <string_view>

namespace sitrep::schema {

// The ISO 639-1 code for a language given as a code or tag ("en", "EN", "en-US", "eng", "rus",
// "ger", "iw", "English", "russian", "Русский", "uk_UA.UTF-8"); the ISO 639-2/3 code for a known
// language that has no 639-1 code ("haw"); "und" for "und"; empty when it is not recognised.
// Thread-safe.
std::string canonical_language(std::string_view given);

}  // namespace sitrep::schema
