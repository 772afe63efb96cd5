#pragma once
// Stable content hashes (xxHash XXH3 from Debian's libxxhash: fast, well tested, stable across
// platforms and releases, which is what stored ids and change detection need).

#include <cstdint>
#include <string>
#include <string_view>

namespace sitrep {

// XXH3-64 of data. Stable: stored in the facet slot.
std::uint64_t hash64(std::string_view data);

// 16 lowercase hex digits of XXH3-64 of data. Stable: used in stored ids.
std::string hash64_hex(std::string_view data);

// 32 lowercase hex digits of XXH3-128 of data.
std::string hash128_hex(std::string_view data);

}  // namespace sitrep
