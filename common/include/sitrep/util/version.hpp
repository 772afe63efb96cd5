#pragma once
// What --version prints for both binaries, and the "did you mean" of a mistyped option.

#include <string>
#include <string_view>
#include <vector>

namespace sitrep {

// The sitrep release (the CMake project version).
std::string_view version();

// Lines for --version: "PROGRAM (sitrep) VERSION", then schema_version (of the databases this
// build reads and writes: schema::kSchemaVersion, passed in since util/ sits below schema/), the
// Xapian and ICU versions it runs with (the libraries loaded at run time, not the headers it was
// built with).
std::string version_text(std::string_view program, int schema_version);

// The candidate closest to given by edit distance (Damerau-Levenshtein over bytes), when it is
// close enough to be a likely typo (at most 2 edits, and fewer than half of given's length);
// empty otherwise. For "unknown option --limt: did you mean --limit?".
std::string closest_match(std::string_view given, const std::vector<std::string>& candidates);

}  // namespace sitrep
