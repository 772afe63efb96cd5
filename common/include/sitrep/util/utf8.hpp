#pragma once
// Small UTF-8 helpers with no dependency on ICU.

#include <cstddef>
#include <string>
#include <string_view>

namespace sitrep::utf8 {

// Byte offset of the first invalid UTF-8 sequence in s (overlongs, surrogates and code points past
// U+10FFFF are invalid), or std::string_view::npos when s is valid.
std::size_t first_invalid(std::string_view s) noexcept;

inline bool valid(std::string_view s) noexcept {
  return first_invalid(s) == std::string_view::npos;
}

// Copy of s with each invalid sequence replaced by U+FFFD.
std::string repair(std::string_view s);

// Longest prefix of s that is at most max_bytes long and does not cut a UTF-8 sequence.
std::string_view truncate(std::string_view s, std::size_t max_bytes) noexcept;

}  // namespace sitrep::utf8
