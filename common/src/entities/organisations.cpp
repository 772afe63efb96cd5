// Organisations the capitalisation of a run does not find: quoted names after a word for a kind of
// organisation, acronyms, and Russian and Ukrainian names whose later words are lower case. Also
// the emission of gazetteer mentions and of organisations, which remember the shorter forms
// ("the Air Force") that stand for them later in the article.

#include <cctype>
#include <string>
#include <utility>

#include "recognizer_impl.hpp"

#include "sitrep/entities/entities.hpp"

namespace sitrep::entities {

using detail::Shape;
using detail::word_flags;

void Recognizer::Impl::emit_gazetteer(std::uint32_t index, std::size_t begin, std::size_t end) {
  const EntityInfo& info = gaz.entities[index].info;
  out->push_back(Mention{info.id, info.type, info.name, begin, end, false});
  memory.mark_named(index);
  if (info.type == EntityType::kOrg) remember_org_suffixes(out->back());
}

// "the Ukrainian Air Force ... the Air Force said": the last words (two or more) of an
// organisation's name named in the article stand for it later.
void Recognizer::Impl::remember_org_suffixes(const Mention& m) {
  if (m.token_end - m.token_begin < 3) return;
  for (std::size_t b = m.token_begin + 1; b + 2 <= m.token_end; ++b) {
    if (shape(b) == Shape::kLower) continue;
    memory.org_suffixes.try_emplace(passage.key_of(b, m.token_end), m);
  }
}

// Emits tokens [begin, end) as an organisation: the gazetteer's when the whole span is one of
// its organisations (or, for Cyrillic, its Latin form is), else a discovered one.
void Recognizer::Impl::emit_org(std::size_t begin, std::size_t end) {
  std::size_t alias_end = 0;
  if (const auto index = matcher.at(begin, &alias_end);
      index && alias_end == end && gaz.entities[*index].info.type == EntityType::kOrg) {
    emit_gazetteer(*index, begin, end);
    return;
  }
  if (detail::is_cyrillic(tok(begin).term)) {
    if (const detail::Node* n = gaz.trie.find(latin_key(passage.key_of(begin, end)))) {
      if (const auto index = matcher.resolve_alias(*n);
          index && gaz.entities[*index].info.type == EntityType::kOrg) {
        emit_gazetteer(*index, begin, end);
        return;
      }
    }
  }
  emit_discovered(discovered_id(passage.match_key_of(begin, end)), passage.name_of(begin, end),
                  EntityType::kOrg, begin, end);
}

// A quoted name after a word that names a kind of organisation: газета «Ведомости», телеканал
// «Суспільне», ЧВК «Вагнер», the newspaper "Haaretz". Returns the end of the name (after the
// closing quote's token), 0 when the rule does not apply.
std::size_t Recognizer::Impl::quoted_org(std::size_t i) {
  const std::string_view g = gap(i);
  if (!detail::ends_with_opening_quote(g)) return 0;
  const std::string_view prev = tok(i - 1).term;
  const bool cue = detail::is_cyrillic(prev)
                       ? detail::is_cyrillic_org_cue(detail::match_form(prev))
                       : (word_flags(prev) & detail::kOrgCue) && shape(i - 1) == Shape::kLower;
  if (!cue) return 0;
  // Only white space before the quote: "газета «X»", not "газета, «X»".
  const std::size_t quote_bytes = g.back() == '"' ? 1 : (g.ends_with("\xC2\xAB") ? 2 : 3);
  const std::string_view space = g.substr(0, g.size() - quote_bytes);
  if (space.empty() || !detail::run_gap(space, false)) return 0;
  const Shape first = shape(i);
  if (first != Shape::kCapital && first != Shape::kAllUpper && first != Shape::kUncased) return 0;
  for (std::size_t k = i; k < passage.size() && k < i + 6; ++k) {
    if (k > i && (!detail::run_gap(gap(k), tok(k).glued) || detail::breaks_name(gap(k), false))) {
      return 0;
    }
    if (detail::starts_with_closing_quote(after(k))) {
      emit_org(i, k + 1);
      return k + 1;
    }
  }
  return 0;
}

// An all-capitals word of 2 to 6 letters that no gazetteer name starts: an acronym defined in
// the article ("the Syrian Observatory for Human Rights (SOHR) said ... SOHR added"), or one
// that says something ("SOHR said"), is an organisation.
bool Recognizer::Impl::acronym(std::size_t i) {
  const std::string_view term = tok(i).term;
  const std::size_t letters = detail::letter_count(term);
  if (letters < 2 || letters > 6) return false;
  if (const auto it = memory.acronyms.find(term); it != memory.acronyms.end()) {
    Mention m = it->second;
    m.token_begin = i;
    m.token_end = i + 1;
    if (!m.discovered) {
      if (const auto e = gaz.by_id.find(m.id); e != gaz.by_id.end()) memory.mark_named(e->second);
    }
    out->push_back(std::move(m));
    return true;
  }
  const std::string_view g = i == 0 ? std::string_view() : gap(i);
  const bool bracketed = (g == " (" || g == "(") && detail::starts_with(after(i), ")") &&
                         out->size() > first_mention && out->back().token_end == i;
  if (bracketed) return bracketed_acronym(i);
  if (passage.speaker_after(i + 1) && !detail::is_cyrillic(term)) {
    Mention m{discovered_id(term), EntityType::kOrg, std::string(original(i)), i, i + 1, true};
    m.type = memory.remember_type(m.id, EntityType::kOrg);
    memory.acronyms.emplace(std::string(term), m);
    out->push_back(std::move(m));
    return true;
  }
  return false;
}

// An acronym in brackets right after a name: it stands for the name when that is an
// organisation, or a discovered name whose capitalised words' initials it spells (which makes
// the name an organisation).
bool Recognizer::Impl::bracketed_acronym(std::size_t i) {
  Mention& named_before = out->back();
  bool org = named_before.type == EntityType::kOrg;
  if (!org && named_before.discovered && named_before.type == EntityType::kOther) {
    // The acronym's letters are the initials of the name's capitalised words, in order.
    std::size_t next = 0;
    const std::string acr(original(i));
    for (std::size_t k = named_before.token_begin; k < named_before.token_end; ++k) {
      if (next < acr.size() && shape(k) != Shape::kLower &&
          static_cast<unsigned char>(acr[next]) < 0x80 &&
          std::toupper(static_cast<unsigned char>(original(k)[0])) == acr[next]) {
        ++next;
      }
    }
    org = next == acr.size() && acr.size() >= 2 &&
          static_cast<unsigned char>(original(named_before.token_begin)[0]) == acr[0];
    if (org) {
      named_before.type = EntityType::kOrg;
      memory.discovered_types[named_before.id] = EntityType::kOrg;
    }
  }
  if (!org) return false;
  Mention m = named_before;
  m.token_begin = i;
  m.token_end = i + 1;
  memory.acronyms.emplace(std::string(tok(i).term), m);
  out->push_back(std::move(m));
  return true;
}

// Is token i an acronym in brackets right after an organisation's name (of another id than the
// gazetteer's for the acronym)?
bool Recognizer::Impl::defined_acronym(std::size_t i) {
  if (i == 0 || out->size() <= first_mention || out->back().token_end != i ||
      out->back().type != EntityType::kOrg) {
    return false;
  }
  const std::string_view g = gap(i);
  if ((g != " (" && g != "(") || !detail::starts_with(after(i), ")")) return false;
  std::size_t end = 0;
  const auto index = matcher.at(i, &end);
  return !index || end != i + 1 || gaz.entities[*index].info.id != out->back().id;
}

// A Russian or Ukrainian organisation's name, where only the first word is capitalised:
// "Министерство обороны России", "Служба безпеки України", "Державна прикордонна служба
// України", "Міністерство у справах ветеранів". Returns its end, 0 when there is none at i.
std::size_t Recognizer::Impl::cyrillic_org(std::size_t i) {
  const std::size_t end = cyrillic_org_end(i);
  if (end != 0) emit_org(i, end);
  return end;
}

bool Recognizer::Impl::military_head(std::string_view form) {
  static constexpr std::string_view kMilitary[] = {
      "силы",      "сили",    "войска",  "війська", "армия", "армія",
      "флот",      "бригада", "дивизия", "дивізія", "полк",  "батальон",
      "батальйон", "корпус",  "гвардия", "гвардія", "штаб"};
  for (std::string_view w : kMilitary) {
    if (detail::match_form(w) == form) return true;
  }
  return false;
}

std::size_t Recognizer::Impl::cyrillic_org_end(std::size_t i) {
  const std::optional<std::size_t> head = cyrillic_org_head(i);
  if (!head) return 0;
  std::size_t complements = 0;
  const std::size_t k = cyrillic_org_complements(*head, complements);
  if (complements == 0 && *head == i) return 0;  // "Министерство заявило"
  const bool bare = complements == 0;
  const std::size_t end = cyrillic_org_close(k);
  // At a sentence start the capital says nothing, so an adjective and a head noun alone are as
  // likely a description ("Аварийные бригады выехали") as a name: it takes a complement or a
  // closing place or acronym there.
  if (bare && end == k && passage.sentence_start(i)) return 0;
  return end;
}

// The head noun of a name starting at token i: the first word (Министерство), or one after up to
// three adjectives (Державна прикордонна служба). nullopt when there is none.
std::optional<std::size_t> Recognizer::Impl::cyrillic_org_head(std::size_t i) {
  const std::size_t n = passage.size();
  const std::string_view first = detail::match_form(tok(i).term);
  if (detail::is_cyrillic_demonym_stem(first)) return std::nullopt;
  // A military noun first is a description ("Війська РФ атакували", "Силы противовоздушной
  // обороны сбили"); after an adjective it is a name ("Сухопутні війська", "Третя штурмова
  // бригада").
  if (detail::is_cyrillic_org_head(first)) {
    if (military_head(first)) return std::nullopt;
    return i;
  }
  if (!detail::cyrillic_adjective(tok(i).term)) return std::nullopt;
  for (std::size_t k = i + 1; k < n && k <= i + 3; ++k) {
    if (!detail::run_gap(gap(k), tok(k).glued) || shape(k) != Shape::kLower ||
        !detail::is_cyrillic(tok(k).term)) {
      return std::nullopt;
    }
    if (detail::is_cyrillic_org_head(detail::match_form(tok(k).term))) return k;
    if (!detail::cyrillic_adjective(tok(k).term)) return std::nullopt;
  }
  return std::nullopt;
}

// The words after the head that complete the name (genitives: обороны, безпеки, иностранных
// дел; "по делам", "з питань", "у справах" + a genitive): returns the end of the last one and
// counts them in complements.
std::size_t Recognizer::Impl::cyrillic_org_complements(std::size_t head, std::size_t& complements) {
  const std::size_t n = passage.size();
  std::size_t k = head + 1;
  while (k < n && complements < 4) {
    if (!detail::run_gap(gap(k), tok(k).glued) || shape(k) != Shape::kLower) break;
    const std::string_view term = tok(k).term;
    if (!detail::is_cyrillic(term)) break;
    const std::uint16_t f = word_flags(term);
    if ((term == "по" || term == "з" || term == "із" || term == "у") && k + 1 < n &&
        detail::run_gap(gap(k + 1), false) && shape(k + 1) == Shape::kLower) {
      const std::string_view next = detail::match_form(tok(k + 1).term);
      if (next == "дел" || next == "чрезвычайн" || next == "вопрос" || next == "питан" ||
          next == "надзвичайн" || next == "справ") {
        k += 2;
        ++complements;
        continue;
      }
      break;
    }
    if (f & (detail::kStop | detail::kSpeech | detail::kCalendar | detail::kPlaceCue |
             detail::kTitle)) {
      break;
    }
    if (detail::cyrillic_verb_or_adverb(term) ||
        detail::is_cyrillic_org_head(detail::match_form(term))) {
      break;
    }
    ++complements;
    ++k;
  }
  return k;
}

// A place or an organisation's acronym closing the name at token k: России, України, ЗСУ, ООН.
// Returns the end of the name: after it, or k when there is none.
std::size_t Recognizer::Impl::cyrillic_org_close(std::size_t k) {
  if (k >= passage.size() || !detail::run_gap(gap(k), false) ||
      (shape(k) != Shape::kCapital && shape(k) != Shape::kAllUpper)) {
    return k;
  }
  std::size_t alias_end = 0;
  if (const auto index = matcher.at(k, &alias_end)) {
    const EntityType t = gaz.entities[*index].info.type;
    if (t == EntityType::kPlace || t == EntityType::kOrg) return alias_end;
  } else if (shape(k) == Shape::kAllUpper && detail::is_cyrillic(tok(k).term) &&
             detail::letter_count(tok(k).term) <= 6) {
    return k + 1;  // МВД ДНР
  }
  return k;
}

}  // namespace sitrep::entities
