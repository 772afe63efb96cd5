#pragma once
// The project's own multilingual test set (tests/data/multilingual/, README there), read by the
// multilingual analysis and phrase tests.
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace sitrep::test {

inline std::string multilingual_dir() {
  // SITREP_SAMPLE_ARCHIVE is <root>/data/sample/archive.jsonl.
  std::string root = SITREP_SAMPLE_ARCHIVE;
  root.resize(root.size() - std::string("data/sample/archive.jsonl").size());
  return root + "tests/data/multilingual/";
}

inline std::vector<nlohmann::json> read_jsonl(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

}  // namespace sitrep::test
