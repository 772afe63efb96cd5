#pragma once
// The gazetteer side of recognition: from a token, the walk down the gazetteer's term trie
// (gazetteer_impl.hpp) to the longest alias and the longest derived surname written as their case
// rules require, and which entity such a match stands for in this article.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gazetteer_impl.hpp"
#include "passage.hpp"

namespace sitrep::entities::detail {

class GazetteerMatcher {
 public:
  struct Match {
    std::size_t end = 0;  // 0: none
    std::uint32_t node = kNoNode;
  };
  struct Candidates {
    Match alias;    // longest alias match
    Match surname;  // longest derived-surname match
  };

  // named: the article's gazetteer entities by when they were last named (ArticleMemory).
  GazetteerMatcher(const Trie& trie, Passage& passage,
                   const std::unordered_map<std::uint32_t, std::uint64_t>& named)
      : m_trie(trie), m_passage(passage), m_named(named) {}

  // The longest matches starting at token i.
  Candidates candidates(std::size_t i);
  // The person of a derived-surname node named earlier in the article, latest first.
  std::optional<std::uint32_t> resolve_surname(const Node& n) const {
    return latest_named(n.surname_of);
  }
  // The entity of an alias node: the only one, or among several the one named earlier.
  std::optional<std::uint32_t> resolve_alias(const Node& n) const {
    if (n.entities.size() == 1) return n.entities.front();
    return latest_named(n.entities);  // none: ambiguous, and precision comes first
  }
  // Does a gazetteer name start at token i (one that would be emitted)?
  bool starts(std::size_t i);
  // The gazetteer entity an alias match at token i resolves to, if any; *end is set to the end
  // of the match when there is one.
  std::optional<std::uint32_t> at(std::size_t i, std::size_t* end);

 private:
  // Is tokens [begin, end) written as the rule and capital mask of an alias require? A word the
  // alias capitalises must not be lower case in the text ("Russia's Foreign Ministry" is not
  // "Russia's foreign ministry").
  bool case_ok(std::size_t begin, std::size_t end, CaseRule rule, std::uint32_t capitals);
  // Arabic writes the conjunctions و and ف and the prepositions ب, ك, ل as prefixes of the next
  // word (والرقة, بالخرطوم, للأمم): the term id of the word without them, or -1.
  std::int64_t arabic_clitic_term(std::string_view term);
  // Among candidates, the entity named most recently in the article, if any was.
  std::optional<std::uint32_t> latest_named(const std::vector<std::uint32_t>& candidates) const;

  const Trie& m_trie;
  Passage& m_passage;
  const std::unordered_map<std::uint32_t, std::uint64_t>& m_named;
  std::string m_clitic_buffer;
};

}  // namespace sitrep::entities::detail
