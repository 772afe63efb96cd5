#include "duplicates.hpp"

namespace sitrep::indexer {

LastOccurrence::Place LastOccurrence::place(std::size_t source, const Origin& origin) {
  if (!m_have_last_file || m_files[m_last_file] != origin.file) {
    auto [it, added] =
        m_file_index.try_emplace(origin.file, static_cast<std::uint32_t>(m_files.size()));
    if (added) m_files.push_back(origin.file);
    m_last_file = it->second;
    m_have_last_file = true;
  }
  return Place{static_cast<std::uint32_t>(source), m_last_file, origin.line};
}

std::string LastOccurrence::describe(const Place& p) const {
  std::string s = m_files[p.file];
  if (p.line > 0) s += ":" + std::to_string(p.line);
  return s;
}

void LastOccurrence::note(const std::string& id, std::size_t source, const Origin& origin) {
  m_ids[id].last = place(source, origin);
}

bool LastOccurrence::winner(const std::string& id, std::size_t source, const Origin& origin,
                            std::string& later) {
  auto it = m_ids.find(id);
  if (it == m_ids.end()) return true;
  Entry& e = it->second;
  if (place(source, origin) == e.last) {
    e.indexed = true;
    return true;
  }
  e.had_earlier = true;
  ++m_skipped;
  later = describe(e.last);
  return false;
}

std::vector<std::string> LastOccurrence::lost() const {
  std::vector<std::string> out;
  for (const auto& [id, e] : m_ids) {
    if (e.had_earlier && !e.indexed) out.push_back("id " + id + " at " + describe(e.last));
  }
  return out;
}

}  // namespace sitrep::indexer
