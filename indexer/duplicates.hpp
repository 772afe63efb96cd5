#pragma once
// Duplicate ids in the input (issue 11, case 6). The rule, the same in every mode (first build,
// update, --rebuild): the LAST occurrence of an id in input order is indexed, input order being
// the SOURCEs in command-line order, the files of a directory in sorted path order and the lines
// of a file in order. Earlier occurrences are skipped and each is reported once, naming both
// places. Indexing only the winner also makes an unchanged rerun change nothing: the same record
// from the same file is found unchanged (no re-analysis, no new story id), where indexing every
// occurrence flipped the document between them on every run.
//
// The first pass over the input (the boilerplate prescan, or an id-only pass) calls note() for
// every record; the indexing pass asks winner() for each.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sources.hpp"

namespace sitrep::indexer {

// Not thread-safe. Memory: one hash-map entry per distinct id (the id's bytes plus about 80
// bytes), so about 100 MB for a million records and 1 GB for ten million: fine next to what
// indexing them costs, and the price of deciding before the first record is written.
class LastOccurrence {
 public:
  // First pass: the record with this id was read at origin from the SOURCE numbered source.
  void note(const std::string& id, std::size_t source, const Origin& origin);

  // Indexing pass: true when the record at origin is the id's last occurrence (or an id the first
  // pass did not see: the input changed in between), so it is to be indexed. False for an earlier
  // occurrence, with later set to where the last one is ("b.jsonl:7").
  bool winner(const std::string& id, std::size_t source, const Origin& origin, std::string& later);

  // After the indexing pass: "id X at b.jsonl:7" for each id of which only earlier occurrences
  // were seen (the file changed between the passes), so the id was not indexed at all.
  std::vector<std::string> lost() const;

  // Earlier occurrences skipped so far.
  std::size_t skipped() const { return m_skipped; }

 private:
  struct Place {
    std::uint32_t source = 0;
    std::uint32_t file = 0;  // index into m_files
    std::uint64_t line = 0;
    bool operator==(const Place&) const = default;
  };
  struct Entry {
    Place last;
    bool had_earlier = false;  // an earlier occurrence was skipped
    bool indexed = false;      // the last occurrence came in the indexing pass
  };
  Place place(std::size_t source, const Origin& origin);
  std::string describe(const Place& p) const;

  std::unordered_map<std::string, Entry> m_ids;
  std::vector<std::string> m_files;
  std::unordered_map<std::string, std::uint32_t> m_file_index;
  std::uint32_t m_last_file = 0;  // cache: consecutive records come from the same file
  bool m_have_last_file = false;
  std::size_t m_skipped = 0;
};

}  // namespace sitrep::indexer
