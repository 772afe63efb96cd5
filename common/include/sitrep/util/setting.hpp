#pragma once
// A numeric setting of a request, defined once in the library: its neutral name, default and
// accepted range. The library checks values against it (check_setting) and the front ends
// generate their help text from it (describe_range) and phrase its errors in their own vocabulary
// (an option "--limit", a JSON key "limit": util/error.hpp, phrase()).

#include <cstddef>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

#include "sitrep/util/error.hpp"

namespace sitrep {

template <class T>
struct Setting {
  const char* name;  // neutral, as the --serve keys: "limit", "facet_limit", "timeout_ms"
  T fallback;        // the default
  T min, max;        // accepted, both included
};

namespace detail {
template <class T>
std::string setting_number(T v) {
  std::ostringstream out;
  out << v;
  return out.str();
}
}  // namespace detail

// "0 to 1000, default 10": for help text.
template <class T>
std::string describe_range(const Setting<T>& s) {
  return detail::setting_number(s.min) + " to " + detail::setting_number(s.max) + ", default " +
         detail::setting_number(s.fallback);
}

// Throws Error{kUsage} for a value below s.min and Error{kLimit} for one above s.max (a
// well-formed request over a documented maximum), naming the setting: "limit must be between 0
// and 1000 (got 5000)".
template <class T, class V>
void check_setting(const Setting<T>& s, V value) {
  bool below, above;
  if constexpr (std::is_integral_v<T> && std::is_integral_v<V>) {
    below = std::cmp_less(value, s.min);  // a size_t against a signed minimum, without surprise
    above = std::cmp_greater(value, s.max);
  } else {
    below = value < s.min;
    above = value > s.max;
  }
  if (!below && !above) return;
  throw Error(below ? ErrorKind::kUsage : ErrorKind::kLimit,
              std::string(s.name) + " must be between " + detail::setting_number(s.min) + " and " +
                  detail::setting_number(s.max) + " (got " + detail::setting_number(value) + ")",
              s.name);
}

}  // namespace sitrep
