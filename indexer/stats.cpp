#include "stats.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/store/facet_column.hpp"
#include "sitrep/store/integrity.hpp"
#include "sitrep/store/layout.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"

namespace fs = std::filesystem;

namespace sitrep::indexer {

namespace {

// (value, documents) for every term with the prefix, most documents first.
std::vector<std::pair<std::string, Xapian::doccount>> term_counts(const Xapian::Database& db,
                                                                  std::string_view prefix) {
  std::vector<std::pair<std::string, Xapian::doccount>> out;
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

std::string column_text(store::FacetColumn::State state) {
  constexpr const char* kSlower =
      "facets are counted from the documents' values, slower; the next sitrep-index run writes it";
  switch (state) {
    case store::FacetColumn::State::kPresent:
      return "yes";
    case store::FacetColumn::State::kAbsent:
      return std::string("no (") + kSlower + ")";
    case store::FacetColumn::State::kOutdated:
      return std::string("outdated, written by another sitrep (") + kSlower + ")";
    case store::FacetColumn::State::kDamaged:
      return std::string("damaged, ignored (") + kSlower + " again)";
  }
  return {};
}

void print_tables(std::ostream& out, const std::vector<store::TableProblem>& problems) {
  out << "tables          ";
  if (problems.empty()) {
    out << "ok\n";
    return;
  }
  out << "DAMAGED:";
  for (const auto& p : problems) out << ' ' << p.file << ' ' << p.problem << ';';
  out << " rebuild with sitrep-index --rebuild\n";
}

}  // namespace

int print_stats(const std::string& path, bool json, std::ostream& out) {
  try {
    const std::string real = store::resolve_database(path);
    // Tables first: Xapian opens a database that lost a lazily opened table (issue 11.7).
    const std::vector<store::TableProblem> problems = store::find_table_problems(real);
    nlohmann::json damaged = nlohmann::json::array();
    for (const auto& p : problems) damaged.push_back({{"table", p.file}, {"problem", p.problem}});
    // The report's end: what is damaged, on stderr too (what cron mails), and the exit status.
    auto verdict = [&]() {
      if (problems.empty()) return 0;
      for (const auto& p : problems) {
        std::cerr << "sitrep-index: error: " << store::describe(real, p) << '\n';
      }
      return static_cast<int>(exit_code_for(problems.front().kind));
    };
    std::optional<Xapian::Database> opened;
    try {
      opened.emplace(real);
    } catch (const Xapian::Error&) {
      if (problems.empty()) throw;
      // Too damaged to open: report the tables only.
      if (json) {
        out << nlohmann::json{{"db", path},
                              {"path", real},
                              {"tables", "damaged"},
                              {"damaged_tables", damaged}}
                   .dump(2)
            << '\n';
      } else {
        out << "database        " << path << (real != path ? " -> " + real : "") << '\n';
        print_tables(out, problems);
      }
      return verdict();
    }
    const Xapian::Database& db = *opened;
    store::FacetColumn::State column = store::FacetColumn::State::kAbsent;
    store::FacetColumn::open(real, db, &column);
    const auto languages = term_counts(db, schema::terms::kAnyLanguage);
    // XS<keyword> terms: the per-source counts, by normalised source name.
    const auto sources = term_counts(db, schema::terms::kAnySource);
    const Xapian::doccount undated = db.get_termfreq(schema::terms::no_date());
    const std::string first = ymd_iso(db.get_value_lower_bound(schema::slot::kDate));
    const std::string last = ymd_iso(db.get_value_upper_bound(schema::slot::kDate));
    nlohmann::json j = {
        {"db", path},
        {"path", real},
        {"documents", db.get_doccount()},
        {"schema_version", db.get_metadata(std::string(schema::meta::kSchemaVersion))},
        {"last_update", db.get_metadata(std::string(schema::meta::kLastUpdate))},
        {"size_bytes", directory_bytes(real)},
        // Whether faceted searches count from a facet column (schema/facet_column.hpp) or, about
        // three times slower, from slot kFacets: false after a killed update run until the next,
        // and when the column is damaged (its checksum fails) or outdated: facet_column_state.
        {"facet_column", column == store::FacetColumn::State::kPresent},
        {"facet_column_state", store::facet_column_state_name(column)},
        {"tables", problems.empty() ? "ok" : "damaged"},
        {"damaged_tables", damaged},
        {"undated", undated},
        {"first_date", first},
        {"last_date", last},
        {"languages", nlohmann::json::object()},
        {"sources", nlohmann::json::object()},
    };
    for (const auto& [k, v] : languages) j["languages"][k] = v;
    for (const auto& [k, v] : sources) j["sources"][k] = v;
    if (json) {
      out << j.dump(2) << '\n';
      return verdict();
    }
    out << "database        " << path << (real != path ? " -> " + real : "") << '\n'
        << "documents       " << db.get_doccount() << '\n'
        << "schema version  " << j["schema_version"].get<std::string>() << '\n'
        << "last update     " << j["last_update"].get<std::string>() << '\n'
        << "size on disk    " << (directory_bytes(real) + 512 * 1024) / (1024 * 1024) << " MiB\n";
    print_tables(out, problems);
    out << "facet column    " << column_text(column) << '\n'
        << "dates           " << (first.empty() ? "-" : first + " .. " + last) << ", " << undated
        << " undated\n"
        << "languages      ";
    for (const auto& [k, v] : languages) out << ' ' << k << ' ' << v;
    out << "\nsources        ";
    for (const auto& [k, v] : sources) out << ' ' << k << ' ' << v;
    out << '\n';
    return verdict();
  } catch (const Error& e) {
    std::cerr << "sitrep-index: error: " << e.what() << '\n';
    return static_cast<int>(exit_code_for(e.kind()));
  } catch (const Xapian::Error& e) {
    std::cerr << "sitrep-index: error: cannot read " << path << ": " << e.get_description() << '\n';
    return static_cast<int>(ExitCode::kIoErr);
  }
}

}  // namespace sitrep::indexer
