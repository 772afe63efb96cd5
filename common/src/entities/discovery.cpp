// Names outside the gazetteer: a run of capitalised words (collected in recognizer.cpp) becomes
// zero or more discovered names, typed by the words around them (schemas/entities/README.md).

#include <string>
#include <utility>

#include "recognizer_impl.hpp"

#include "sitrep/entities/entities.hpp"

namespace sitrep::entities {

using detail::kNoNode;
using detail::Shape;
using detail::word_flags;

void Recognizer::Impl::emit_discovered(const std::string& id, std::string name, EntityType type,
                                       std::size_t begin, std::size_t end) {
  type = memory.remember_type(id, type);
  out->push_back(Mention{id, type, std::move(name), begin, end, true});
}

void Recognizer::Impl::process_run(std::size_t begin, std::size_t end) {
  if (dateline_agency(begin, end)) {
    emit_discovered(discovered_id(passage.match_key_of(begin, end)), passage.name_of(begin, end),
                    EntityType::kOrg, begin, end);
    return;
  }
  std::optional<EntityType> context = passage.context_before(begin);
  // An organisation's name keeps its first word at a sentence start ("Norwegian Refugee
  // Council said"), unless that is a function word ("However, ...").
  const bool keep_first =
      org_run(begin, end) && !(word_flags(tok(begin).term) & (detail::kStop | detail::kCalendar));
  if (!keep_first && passage.sentence_start(begin)) {
    // A capital at a sentence start says nothing, unless the word is a title, a common first
    // name, or a surname named in full earlier in the article.
    const std::uint16_t f = word_flags(tok(begin).term);
    if (!(f & (detail::kTitle | detail::kGivenName)) &&
        !memory.surnames.contains(detail::match_form(tok(begin).term))) {
      ++begin;
      context.reset();
    }
  }
  if (begin >= end) return;
  // An organisation: Ministry, Council, Forces... anywhere in a run of two words or more.
  if (org_run(begin, end)) {
    process_org_run(begin, end);
    return;
  }
  process_run_names(begin, end, context);
}

void Recognizer::Impl::process_org_run(std::size_t begin, std::size_t end) {
  // Two organisations joined by "and": "the Committee to Protect Journalists and the Council
  // on Foreign Relations" (not "Ministry of Agriculture and Food").
  for (std::size_t k = begin + 1; k + 1 < end; ++k) {
    if (tok(k).term != "and" || shape(k) != Shape::kLower) continue;
    std::size_t right = k + 1;
    if (tok(right).term == "the" && shape(right) == Shape::kLower) ++right;
    if (has_org_word(begin, k) && has_org_word(right, end)) {
      // The left part is an organisation's name of its own when it is one.
      if (org_run(begin, k)) process_run_org(begin, k);
      process_run(right, end);
      return;
    }
  }
  // A title after the last organisation word starts a person's name: "Army General Valery
  // Gerasimov", "Kyiv School of Economics President Tymofiy Mylovanov".
  std::size_t last_org = begin;
  for (std::size_t k = begin; k < end; ++k) {
    if (word_flags(tok(k).term) & detail::kOrgWord) last_org = k;
  }
  for (std::size_t k = last_org + 1; k < end; ++k) {
    if (person_title(tok(k).term) && names_person(k + 1, end)) {
      if (k - begin >= 2) process_run_org(begin, k);
      std::size_t rest = k + 1;
      while (rest < end && person_title(tok(rest).term)) ++rest;
      if (rest < end) emit_name(rest, end, EntityType::kPerson);
      return;
    }
  }
  process_run_org(begin, end);
}

// Can tokens [begin, end) after a title be a person's name: one to four words without the
// links of an organisation's name ("High Commissioner for Human Rights")?
bool Recognizer::Impl::names_person(std::size_t begin, std::size_t end) {
  if (begin >= end || end - begin > 5) return false;
  for (std::size_t k = begin; k < end; ++k) {
    const std::string_view t = tok(k).term;
    if (shape(k) == Shape::kLower && (t == "of" || t == "for" || t == "and" || t == "the" ||
                                      t == "to" || t == "on" || t == "against")) {
      return false;
    }
    if (word_flags(t) & detail::kOrgWord) return false;
  }
  return true;
}

// A title that starts a person's name inside a capitalised run (not one that is part of an
// organisation's name: "Ministry of Foreign Affairs", "Prosecutor General's Office").
bool Recognizer::Impl::person_title(std::string_view term) {
  if (!(word_flags(term) & detail::kTitle)) return false;
  static constexpr std::string_view kAdjectival[] = {
      "foreign", "defence", "defense", "interior", "finance",  "special", "opposition",
      "deputy",  "vice",    "prime",   "crown",    "national", "justice", "foreign"};
  for (std::string_view a : kAdjectival) {
    if (term == a) return false;
  }
  return true;
}

void Recognizer::Impl::process_run_org(std::size_t begin, std::size_t end) {
  // "Kyiv School of Economics", "Sudan Doctors Network": a place just before an
  // organisation's name is part of it; not "U.S." or "UK" written before it as a modifier
  // (U.S. Central Command), nor a possessive (Ukraine's State Emergency Service).
  if (!out->empty() && out->size() > first_mention && !out->back().discovered &&
      out->back().type == EntityType::kPlace && out->back().token_end == begin &&
      detail::run_gap(gap(begin), false) && shape(begin - 1) != Shape::kAllUpper &&
      !original(begin - 1).ends_with("'s") && !original(begin - 1).ends_with("\xE2\x80\x99s")) {
    begin = out->back().token_begin;
    out->pop_back();
  }
  std::size_t b = begin;
  std::size_t e = end;
  while (b < e && (word_flags(tok(b).term) & (detail::kStop | detail::kConnector))) ++b;
  while (e > b && (word_flags(tok(e - 1).term) & detail::kConnector)) --e;
  if (e - b < 2) return;
  const std::string key = passage.key_of(b, e);
  if (const auto it = memory.org_suffixes.find(key); it != memory.org_suffixes.end()) {
    Mention same = it->second;
    same.token_begin = b;
    same.token_end = e;
    out->push_back(std::move(same));
  } else {
    emit_discovered(discovered_id(key), passage.name_of(b, e), EntityType::kOrg, b, e);
    remember_org_suffixes(out->back());
  }
}

void Recognizer::Impl::process_run_names(std::size_t begin, std::size_t end,
                                         std::optional<EntityType> context) {
  // Titles, weekdays, months and other non-names split the run into names.
  std::size_t start = begin;
  for (std::size_t k = begin; k < end; ++k) {
    const std::uint16_t f = word_flags(tok(k).term);
    if (f & detail::kTitle) {
      emit_name(start, k, context);
      context = EntityType::kPerson;
      start = k + 1;
    } else if ((f & (detail::kStop | detail::kCalendar | detail::kDemonym)) &&
               (!(f & detail::kConnector) || tok(k).term == "and" || tok(k).term == "for")) {
      emit_name(start, k, context);
      context.reset();
      start = k + 1;
    }
  }
  emit_name(start, end, context);
}

void Recognizer::Impl::emit_name(std::size_t begin, std::size_t end,
                                 std::optional<EntityType> context) {
  // Lower-case particles at the edges are not part of the name ("Secretary of State": the
  // title does not reach "State"); a capitalised one is (Al-Nuhud).
  const std::size_t first = begin;
  while (begin < end && (word_flags(tok(begin).term) & detail::kConnector) &&
         shape(begin) == Shape::kLower) {
    ++begin;
  }
  if (begin != first) context.reset();
  while (end > begin && (word_flags(tok(end - 1).term) & detail::kConnector) &&
         shape(end - 1) == Shape::kLower) {
    --end;
  }
  if (begin == end) return;
  if (end - begin == 1) {
    emit_one_word_name(begin, end, context);
    return;
  }
  const std::string key = passage.key_of(begin, end);
  // A Cyrillic spelling of a gazetteer name the dictionary does not list.
  if (static_cast<unsigned char>(key[0]) >= 0x80) {
    if (const detail::Node* n = gaz.trie.find(latin_key(key))) {
      if (const auto index = matcher.resolve_alias(*n)) {
        emit_gazetteer(*index, begin, end);
        return;
      }
    }
  }
  EntityType type = context.value_or(EntityType::kOther);
  if (!context && (word_flags(tok(begin).term) & detail::kGeoNoun)) {
    type = EntityType::kPlace;  // Gulf of Finland, Strait of Kerch
  } else if (!context &&
             ((word_flags(tok(begin).term) & detail::kGivenName) || passage.speaker_after(end))) {
    type = EntityType::kPerson;
  }
  const std::string id = discovered_id(passage.match_key_of(begin, end));
  std::string name = passage.name_of(begin, end);
  if (type == EntityType::kPerson || type == EntityType::kOther) {
    memory.surnames[std::string(detail::match_form(tok(end - 1).term))] =
        detail::Discovered{id, name};
  }
  emit_discovered(id, std::move(name), type, begin, end);
}

void Recognizer::Impl::emit_one_word_name(std::size_t begin, std::size_t end,
                                          std::optional<EntityType> context) {
  const std::string_view term = detail::match_form(tok(begin).term);
  if (const auto it = memory.surnames.find(term); it != memory.surnames.end()) {
    // "Dmitriev" after "Kirill Dmitriev": the same person.
    const detail::Discovered d = it->second;
    emit_discovered(d.id, d.name, context.value_or(EntityType::kOther), begin, end);
    return;
  }
  if (!context) return;  // a lone capitalised word says too little
  const EntityType ctx = *context;
  if (ctx == EntityType::kPerson) {
    // "Foreign Minister Shaibani": the surname of exactly one gazetteer person.
    const std::int64_t id = gaz.trie.term_id(term);
    const std::uint32_t node = id < 0 ? kNoNode : gaz.trie.child(0, static_cast<std::uint32_t>(id));
    if (node != kNoNode && gaz.trie.nodes[node].surname_of.size() == 1) {
      emit_gazetteer(gaz.trie.nodes[node].surname_of.front(), begin, end);
      return;
    }
  }
  // Only in Latin script: Russian and Ukrainian put the word after a title or preposition
  // in an oblique case (посол Венгрии, в Будапеште), which is not the name.
  if (static_cast<unsigned char>(tok(begin).term[0]) >= 0x80) return;
  const std::string discovered = discovered_id(term);
  emit_discovered(discovered, passage.name_of(begin, end), ctx, begin, end);
  if (ctx == EntityType::kPerson || ctx == EntityType::kOrg) {
    memory.surnames[std::string(term)] =
        detail::Discovered{discovered, passage.name_of(begin, end)};
  }
}

// Is tokens [begin, end) the head of a longer name that may contain a place: a geographical
// feature (Gulf, Sea, Strait) first, or an organisation word anywhere?
bool Recognizer::Impl::names_container(std::size_t begin, std::size_t end) const {
  if (begin < end && (word_flags(tok(begin).term) & detail::kGeoNoun)) return true;
  return has_org_word(begin, end);
}

// "GENEVA, Nov 23 (Meridian) -": the name in brackets after the date of a dateline is the news
// agency. Tokens [begin, end) are the run.
bool Recognizer::Impl::dateline_agency(std::size_t begin, std::size_t end) {
  if (begin < 2 || begin > 12) return false;
  const std::string_view before = gap(begin);
  if (before != " (" && before != "(") return false;
  const std::string_view prev = tok(begin - 1).term;
  if (!(prev[0] >= '0' && prev[0] <= '9') && !(word_flags(prev) & detail::kCalendar)) {
    return false;
  }
  std::string_view rest = after(end - 1);
  if (!detail::starts_with(rest, ")")) return false;
  rest.remove_prefix(1);
  while (!rest.empty() && detail::is_space_byte(rest.front())) rest.remove_prefix(1);
  return detail::starts_with(rest, "-") || detail::starts_with(rest, "\xE2\x80\x93") ||
         detail::starts_with(rest, "\xE2\x80\x94");
}

bool Recognizer::Impl::has_org_word(std::size_t begin, std::size_t end) const {
  for (std::size_t k = begin; k < end; ++k) {
    if (word_flags(tok(k).term) & detail::kOrgWord) return true;
  }
  return false;
}

// Is the run [begin, end) an organisation's name: two words or more, one an organisation word?
bool Recognizer::Impl::org_run(std::size_t begin, std::size_t end) const {
  return end - begin >= 2 && has_org_word(begin, end);
}

}  // namespace sitrep::entities
