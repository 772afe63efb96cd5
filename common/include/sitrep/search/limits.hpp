#pragma once
// The numeric settings of a search request: default and accepted range, defined here once. The
// library checks them (Searcher::search), sitrep-search generates its --help from them and
// checks its options and its --serve keys against them. A value below the minimum is
// Error{kUsage}, above the maximum Error{kLimit} (util/setting.hpp: check_setting).

#include "sitrep/util/setting.hpp"

namespace sitrep::search::setting {

inline constexpr Setting<long long> kLimit{"limit", 10, 0, 1000};              // hits per page
inline constexpr Setting<long long> kOffset{"offset", 0, 0, 100000};           // hits skipped
inline constexpr Setting<long long> kFacetLimit{"facet_limit", 10, 1, 1000};   // values per facet
inline constexpr Setting<long long> kTimeoutMs{"timeout_ms", 2000, 1, 60000};  // time limit, ms

}  // namespace sitrep::search::setting
