#pragma once
// The numeric settings of an indexing run: default and accepted range, defined here once.
// WriterOptions takes its defaults from them and sitrep-index its --help and range checks.

#include <cstddef>

#include "sitrep/util/setting.hpp"

namespace sitrep::index::setting {

inline constexpr Setting<unsigned> kThreads{"threads", 0, 0, 256};  // 0: one per core
inline constexpr Setting<std::size_t> kCommitEvery{"commit_every", 10000, 1, 100000000};
inline constexpr Setting<double> kWaitSeconds{"wait", 0, 0, 86400};  // for another writer's lock
inline constexpr Setting<int> kStoryWindow{"story_window", 3, 0, 3650};  // days either side

}  // namespace sitrep::index::setting
