// The GazetteerMatcher of gazetteer_match.hpp.

#include "gazetteer_match.hpp"

namespace sitrep::entities::detail {

bool GazetteerMatcher::case_ok(std::size_t begin, std::size_t end, CaseRule rule,
                               std::uint32_t capitals) {
  switch (rule) {
    case CaseRule::kAny:
      return true;
    case CaseRule::kUpper:
      for (std::size_t k = begin; k < end; ++k) {
        if (m_passage.shape(k) != Shape::kAllUpper) return false;
      }
      return true;
    case CaseRule::kCapitalised: {
      bool capital = false;
      for (std::size_t k = begin; k < end; ++k) {
        const Shape s = m_passage.shape(k);
        const bool is_capital = s == Shape::kCapital || s == Shape::kAllUpper;
        const std::size_t p = k - begin;
        if (p < 32 && (capitals >> p & 1) && !is_capital) return false;
        capital = capital || is_capital;
      }
      return capital;
    }
  }
  return false;
}

std::int64_t GazetteerMatcher::arabic_clitic_term(std::string_view term) {
  static constexpr std::string_view kWa = "\u0648", kFa = "\u0641", kBi = "\u0628", kKa = "\u0643",
                                    kLi = "\u0644", kAl = "\u0627\u0644";
  if (term.size() < 8 || static_cast<unsigned char>(term[0]) < 0xD8 ||
      static_cast<unsigned char>(term[0]) > 0xDB) {
    return -1;
  }
  const Trie& trie = m_trie;
  if (term.starts_with(kWa) || term.starts_with(kFa)) {
    term.remove_prefix(2);
    if (const std::int64_t id = trie.term_id(term); id >= 0) return id;
  }
  if ((term.starts_with(kBi) || term.starts_with(kKa) || term.starts_with(kLi)) &&
      term.substr(2).starts_with(kAl)) {
    return trie.term_id(term.substr(2));  // بالخرطوم -> الخرطوم
  }
  if (term.starts_with(kLi) && term.substr(2).starts_with(kLi)) {
    m_clitic_buffer.assign(kAl);  // للأمم -> الأمم
    m_clitic_buffer.append(term.substr(4));
    return trie.term_id(m_clitic_buffer);
  }
  // لحماس, لحزب الله, بدمشق: ب and ل before a word without the article, when at least three
  // letters stay and they are a gazetteer word.
  if ((term.starts_with(kBi) || term.starts_with(kLi)) && term.size() >= 8) {
    return trie.term_id(term.substr(2));
  }
  return -1;
}

GazetteerMatcher::Candidates GazetteerMatcher::candidates(std::size_t i) {
  Candidates c;
  const Trie& trie = m_trie;
  const Passage& p = m_passage;
  std::int64_t term = trie.term_id(p.tok(i).term);
  if (term < 0) term = arabic_clitic_term(p.tok(i).term);
  if (term < 0) return c;
  std::uint32_t node = trie.child(0, static_cast<std::uint32_t>(term));
  std::size_t j = i;
  while (node != kNoNode) {
    ++j;
    const Node& n = trie.nodes[node];
    if (!n.entities.empty() && case_ok(i, j, n.rule, n.capitals)) c.alias = {j, node};
    if (!n.surname_of.empty() && case_ok(i, j, n.surname_rule, n.capitals)) {
      c.surname = {j, node};
    }
    if (j >= p.size()) break;
    if (breaks_name(p.gap(j), p.tok(j - 1).term.size() <= 3)) break;
    term = trie.term_id(p.tok(j).term);
    if (term < 0) break;
    node = trie.child(node, static_cast<std::uint32_t>(term));
  }
  return c;
}

std::optional<std::uint32_t> GazetteerMatcher::latest_named(
    const std::vector<std::uint32_t>& candidates) const {
  std::optional<std::uint32_t> best;
  std::uint64_t best_seen = 0;
  for (const std::uint32_t e : candidates) {
    const auto it = m_named.find(e);
    if (it != m_named.end() && it->second > best_seen) {
      best = e;
      best_seen = it->second;
    }
  }
  return best;
}

bool GazetteerMatcher::starts(std::size_t i) {
  const Candidates c = candidates(i);
  if (c.surname.end > c.alias.end && resolve_surname(m_trie.nodes[c.surname.node])) {
    return true;
  }
  return c.alias.end != 0 && resolve_alias(m_trie.nodes[c.alias.node]).has_value();
}

std::optional<std::uint32_t> GazetteerMatcher::at(std::size_t i, std::size_t* end) {
  const Candidates c = candidates(i);
  if (c.alias.end == 0) return std::nullopt;
  *end = c.alias.end;
  return resolve_alias(m_trie.nodes[c.alias.node]);
}

}  // namespace sitrep::entities::detail
