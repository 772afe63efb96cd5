#include "sitrep/util/hash.hpp"

#include <cstdio>

#include <xxhash.h>

namespace sitrep {

namespace {
void append_hex(std::string& out, unsigned long long v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", v);
  out.append(buf, 16);
}
}  // namespace

std::uint64_t hash64(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

std::string hash64_hex(std::string_view data) {
  std::string out;
  append_hex(out, XXH3_64bits(data.data(), data.size()));
  return out;
}

std::string hash128_hex(std::string_view data) {
  const XXH128_hash_t h = XXH3_128bits(data.data(), data.size());
  std::string out;
  append_hex(out, h.high64);
  append_hex(out, h.low64);
  return out;
}

}  // namespace sitrep
