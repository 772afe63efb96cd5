#include "sitrep/util/version.hpp"

#include <algorithm>

#include <unicode/uversion.h>
#include <xapian.h>

#ifndef SITREP_VERSION
#error "SITREP_VERSION must be defined by the build (common/CMakeLists.txt)"
#endif

namespace sitrep {

std::string_view version() { return SITREP_VERSION; }

std::string version_text(std::string_view program, int schema_version) {
  UVersionInfo icu{};
  u_getVersion(icu);
  char icu_text[U_MAX_VERSION_STRING_LENGTH] = {};
  u_versionToString(icu, icu_text);
  std::string out(program);
  out += " (sitrep) ";
  out += version();
  out += "\ndatabase schema version " + std::to_string(schema_version);
  out += "\nXapian " + std::string(Xapian::version_string());
  out += "\nICU " + std::string(icu_text);
  out += '\n';
  return out;
}

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// two adjacent bytes each cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

}  // namespace

std::string closest_match(std::string_view given, const std::vector<std::string>& candidates) {
  if (given.empty() || given.size() > 64) return {};
  std::string best;
  std::size_t best_distance = 3;  // at most 2 edits
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(given, c);
    if (d < best_distance && 2 * d < given.size()) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace sitrep
