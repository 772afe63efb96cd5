#include "stats.hpp"

#include <iostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "sitrep/store/facet_column.hpp"
#include "sitrep/store/integrity.hpp"
#include "sitrep/store/stats.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/exit_code.hpp"

namespace sitrep::indexer {

namespace {

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
    const store::DatabaseStats s = store::database_stats(path);
    const std::string& real = s.path;
    const std::vector<store::TableProblem>& problems = s.damaged;
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
    if (!s.opened) {
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
    nlohmann::json j = {
        {"db", path},
        {"path", real},
        {"documents", s.documents},
        {"schema_version", s.schema_version},
        {"last_update", s.last_update},
        {"size_bytes", s.size_bytes},
        // Whether faceted searches count from a facet column (store/facet_column.hpp) or, about
        // three times slower, from slot kFacets: false after a killed update run until the next,
        // and when the column is damaged (its checksum fails) or outdated: facet_column_state.
        {"facet_column", s.facet_column == store::FacetColumn::State::kPresent},
        {"facet_column_state", store::facet_column_state_name(s.facet_column)},
        {"tables", problems.empty() ? "ok" : "damaged"},
        {"damaged_tables", damaged},
        {"undated", s.undated},
        {"first_date", s.first_date},
        {"last_date", s.last_date},
        {"languages", nlohmann::json::object()},
        {"sources", nlohmann::json::object()},
    };
    for (const auto& [k, v] : s.languages) j["languages"][k] = v;
    for (const auto& [k, v] : s.sources) j["sources"][k] = v;
    if (json) {
      out << j.dump(2) << '\n';
      return verdict();
    }
    out << "database        " << path << (real != path ? " -> " + real : "") << '\n'
        << "documents       " << s.documents << '\n'
        << "schema version  " << s.schema_version << '\n'
        << "last update     " << s.last_update << '\n'
        << "size on disk    " << (s.size_bytes + 512 * 1024) / (1024 * 1024) << " MiB\n";
    print_tables(out, problems);
    out << "facet column    " << column_text(s.facet_column) << '\n'
        << "dates           " << (s.first_date.empty() ? "-" : s.first_date + " .. " + s.last_date)
        << ", " << s.undated << " undated\n"
        << "languages      ";
    for (const auto& [k, v] : s.languages) out << ' ' << k << ' ' << v;
    out << "\nsources        ";
    for (const auto& [k, v] : s.sources) out << ' ' << k << ' ' << v;
    out << '\n';
    return verdict();
  } catch (const Error& e) {
    std::cerr << "sitrep-index: error: " << e.what() << '\n';
    return static_cast<int>(exit_code_for(e.kind()));
  }
}

}  // namespace sitrep::indexer
