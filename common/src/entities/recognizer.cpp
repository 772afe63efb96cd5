// The recogniser: gazetteer matches over the token stream, bare surnames resolved within the
// article, and names outside the gazetteer found by capitalisation (schemas/entities/README.md
// describes the rules for users; recognizer_impl.hpp lists where each rule is implemented).
//
// One left-to-right pass over the tokens. At each token the gazetteer trie is walked for the
// longest alias (case rule checked on the original text); failing that, a run of capitalised
// words is collected and turned into zero or more discovered names. Everything about the original
// text (capitals, punctuation between tokens) is read through the tokens' byte offsets, and only
// for tokens that start a possible name, so the common case (a lower-case word no alias starts
// with) costs one hash lookup.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "recognizer_impl.hpp"

#include "sitrep/entities/entities.hpp"

namespace sitrep::entities {

using detail::Shape;
using detail::word_flags;

void Recognizer::Impl::recognize() {
  const std::size_t n = passage.size();
  const bool title_case = passage.title_case();
  first_mention = out->size();
  std::size_t i = 0;
  while (i < n) {
    if (i > 0) {
      if (const std::size_t end = quoted_org(i)) {
        i = end;
        continue;
      }
    }
    // "Reporters Without Borders (RSF)": an acronym defined in brackets names the organisation
    // before it, whatever the gazetteer says the letters are.
    if (shape(i) == Shape::kAllUpper && !title_case && defined_acronym(i) && acronym(i)) {
      ++i;
      continue;
    }
    const detail::GazetteerMatcher::Candidates c = matcher.candidates(i);
    if (c.surname.end > c.alias.end) {
      if (const auto index = matcher.resolve_surname(gaz.trie.nodes[c.surname.node])) {
        emit_gazetteer(*index, i, c.surname.end);
        i = c.surname.end;
        continue;
      }
    }
    if (c.alias.end != 0) {
      if (const auto index = matcher.resolve_alias(gaz.trie.nodes[c.alias.node])) {
        emit_gazetteer(*index, i, c.alias.end);
      }
      i = c.alias.end;
      continue;
    }
    if (shape(i) == Shape::kAllUpper && !title_case && acronym(i)) {
      ++i;
      continue;
    }
    if (shape(i) == Shape::kCapital && detail::is_cyrillic(tok(i).term)) {
      if (const std::size_t end = cyrillic_org(i)) {
        i = end;
        continue;
      }
    }
    if (title_case || shape(i) != Shape::kCapital) {
      ++i;
      continue;
    }
    const std::size_t j = run_end(i);
    process_run(i, j);
    i = j;
  }
  retype_discovered();
}

std::size_t Recognizer::Impl::run_end(std::size_t i) {
  // A run of capitalised words, joined by white space, hyphens and lower-case connectors
  // (Bank of England, Rostov-on-Don), up to where a gazetteer name starts.
  const std::size_t n = passage.size();
  std::size_t j = i + 1;
  while (j < n) {
    if (!detail::run_gap(gap(j), tok(j).glued)) break;
    const Shape s = shape(j);
    if (s == Shape::kCapital) {
      if (matcher.starts(j)) break;
      // "Представитель Министерства обороны ...": an organisation's name starts here.
      if (detail::is_cyrillic(tok(j).term) && cyrillic_org_end(j) != 0) break;
      ++j;
      continue;
    }
    // "Committee to Protect Journalists", "Council on Foreign Relations": in an
    // organisation's name, "to", "on" and "against" join its words too.
    const bool org_link =
        s == Shape::kLower &&
        (tok(j).term == "to" || tok(j).term == "on" || tok(j).term == "against") && j + 1 < n &&
        shape(j + 1) == Shape::kCapital &&
        !(word_flags(tok(j + 1).term) & (detail::kCalendar | detail::kStop | detail::kDemonym)) &&
        names_container(i, j);
    if (s == Shape::kLower && ((word_flags(tok(j).term) & detail::kConnector) || org_link)) {
      // "Institute for the Study of War": a connector, optionally "the", then a capital.
      std::size_t next = j + 1;
      if (next + 1 < n && tok(next).term == "the" && shape(next) == Shape::kLower &&
          detail::run_gap(gap(next), false)) {
        ++next;
      }
      if (next < n && detail::run_gap(gap(next), tok(next).glued) &&
          (shape(next) == Shape::kCapital ||
           (shape(next) == Shape::kAllUpper && tok(j).term == "of"))) {
        if (!matcher.starts(next)) {
          j = next + 1;
          continue;
        }
        // "Gulf of Finland", "Kyiv School of Economics": a gazetteer name inside a longer
        // name, when the run is a geographical feature or an organisation.
        if (tok(j).term == "of" && names_container(i, j)) {
          const detail::GazetteerMatcher::Candidates inner = matcher.candidates(next);
          if (inner.alias.end != 0) {
            j = inner.alias.end;
            continue;
          }
        }
      }
    }
    break;
  }
  return j;
}

void Recognizer::Impl::retype_discovered() {
  for (std::size_t k = first_mention; k < out->size(); ++k) {
    Mention& m = (*out)[k];
    if (m.discovered) {
      if (const auto it = memory.discovered_types.find(m.id); it != memory.discovered_types.end()) {
        m.type = it->second;
      }
    }
  }
}

Recognizer::Recognizer(const Gazetteer& gazetteer)
    : m_impl(std::make_unique<Impl>(*gazetteer.m_impl)) {}
Recognizer::~Recognizer() = default;
Recognizer::Recognizer(Recognizer&&) noexcept = default;

void Recognizer::begin_article() { m_impl->memory.clear(); }

void Recognizer::recognize(std::string_view text, const std::vector<analysis::Token>& tokens,
                           std::vector<Mention>& out) {
  m_impl->passage.reset(text, tokens);
  m_impl->out = &out;
  m_impl->recognize();
  m_impl->out = nullptr;
}
std::vector<std::string> Recognizer::search_keys(const Mention& m) const {
  if (!m.discovered) {
    const auto it = m_impl->gaz.by_id.find(m.id);
    if (it != m_impl->gaz.by_id.end())
      return detail::search_keys_of(m_impl->gaz.entities[it->second]);
  }
  if (!m_impl->tokenizer) m_impl->tokenizer.emplace();
  std::vector<std::string> keys;
  const std::string key = alias_key(*m_impl->tokenizer, m.name);
  if (key.empty()) return keys;
  keys.push_back(key);
  keys.push_back(latin_key(key));
  if (m.type == EntityType::kPerson) {
    const std::size_t space = key.rfind(' ');
    if (space != std::string::npos) {
      const std::string surname = key.substr(space + 1);
      keys.push_back(surname);
      keys.push_back(latin_key(surname));
    }
  }
  std::erase_if(keys, [](const std::string& k) { return k.empty(); });
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace sitrep::entities
