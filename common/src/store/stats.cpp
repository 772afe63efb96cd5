#include "sitrep/store/stats.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/store/layout.hpp"
#include "sitrep/store/metadata.hpp"
#include "sitrep/store/xapian_call.hpp"

namespace fs = std::filesystem;

namespace sitrep::store {

namespace {

// (value, documents) for every term with the prefix, most documents first.
TermCounts term_counts(const Xapian::Database& db, std::string_view prefix) {
  TermCounts out;
  const std::string p(prefix);
  for (auto t = db.allterms_begin(p); t != db.allterms_end(p); ++t) {
    out.emplace_back((*t).substr(p.size()), t.get_termfreq());
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::uintmax_t directory_bytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

std::string ymd_iso(const std::string& ymd) {
  if (ymd.size() != 8) return {};
  return ymd.substr(0, 4) + "-" + ymd.substr(4, 2) + "-" + ymd.substr(6, 2);
}

void count(const Xapian::Database& db, DatabaseStats& s) {
  FacetColumn::open(s.path, db, &s.facet_column);
  s.documents = db.get_doccount();
  s.schema_version = schema_version(db);
  s.last_update = db.get_metadata(std::string(schema::meta::kLastUpdate));
  s.size_bytes = directory_bytes(s.path);
  s.languages = term_counts(db, schema::terms::kAnyLanguage);
  s.sources = term_counts(db, schema::terms::kAnySource);
  s.undated = db.get_termfreq(schema::terms::no_date());
  s.first_date = ymd_iso(db.get_value_lower_bound(schema::slot::kDate));
  s.last_date = ymd_iso(db.get_value_upper_bound(schema::slot::kDate));
}

}  // namespace

DatabaseStats database_stats(const std::string& path) {
  DatabaseStats s;
  s.path = resolve_database(path);
  // Tables first: Xapian opens a database that lost a lazily opened table (issue 11.7).
  s.damaged = find_table_problems(s.path);
  std::optional<Xapian::Database> db;
  try {
    db.emplace(open_database(s.path, path));
  } catch (const Error&) {
    if (s.damaged.empty()) throw;
    return s;  // too damaged to open: the tables tell why
  }
  s.opened = true;
  xapian_call({"cannot read", path}, [&] { count(*db, s); });
  return s;
}

}  // namespace sitrep::store
