#include "sitrep/search/suggest.hpp"

#include <algorithm>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "sitrep/entities/entities.hpp"
#include "sitrep/schema/entity_type.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/store/metadata.hpp"
#include "sitrep/store/spelling.hpp"

namespace sitrep::search {

namespace {

std::vector<UChar32> code_points(std::string_view s) {
  std::vector<UChar32> out;
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto n = static_cast<std::int32_t>(s.size());
  for (std::int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    out.push_back(c);
  }
  return out;
}

std::string to_utf8(const std::vector<UChar32>& cps) {
  std::string out;
  for (const UChar32 c : cps) {
    std::uint8_t buf[4];
    std::int32_t len = 0;
    U8_APPEND_UNSAFE(buf, len, c < 0 ? 0xFFFD : c);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
  }
  return out;
}

// Levenshtein distance over code points, or limit + 1 when it is more than limit.
std::size_t edit_distance(const std::vector<UChar32>& a, const std::vector<UChar32>& b,
                          std::size_t limit) {
  const std::size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (gap > limit) return limit + 1;
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[b.size()], limit + 1);
}

// word (lower case) written in the case shape of typed: all capitals, capitalised, or as it is.
std::string in_case_of(const std::string& word, std::string_view typed) {
  std::size_t upper = 0, lower = 0;
  bool first_upper = false, first = true;
  for (const UChar32 c : code_points(typed)) {
    if (!u_isalpha(c)) continue;
    if (u_isupper(c) || u_istitle(c)) {
      ++upper;
      if (first) first_upper = true;
    } else if (u_islower(c)) {
      ++lower;
    }
    first = false;
  }
  std::vector<UChar32> cps = code_points(word);
  if (cps.empty()) return word;
  if (upper > 1 && lower == 0) {
    for (UChar32& c : cps) c = u_toupper(c);
  } else if (first_upper) {
    cps[0] = u_totitle(cps[0]);
  }
  return to_utf8(cps);
}

// Each space-separated word of key written in the case shape of typed (alias keys are lower case).
std::string words_in_case_of(const std::string& key, std::string_view typed) {
  std::string out;
  for (std::size_t at = 0; at <= key.size();) {
    std::size_t end = key.find(' ', at);
    if (end == std::string::npos) end = key.size();
    if (!out.empty()) out += ' ';
    out += in_case_of(key.substr(at, end - at), typed);
    at = end + 1;
  }
  return out;
}

bool is_space(char c) { return c == ' ' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7f; }

bool is_operator(std::string_view w) {
  if (w == "AND" || w == "OR" || w == "NOT" || w == "XOR") return true;
  return w.starts_with("NEAR") || w.starts_with("ADJ");
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool looks_like_id(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

class Corrector {
 public:
  Corrector(const Xapian::Database& db, analysis::Tokenizer& tokenizer, const std::string& query)
      : m_db(db), m_tokenizer(tokenizer), m_query(query) {}

  std::string run() {
    const std::string& s = m_query;
    std::size_t i = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (is_space(c) || c == '(' || c == ')') {
        ++i;
      } else if (c == '"') {
        const std::size_t close = s.find('"', i + 1);
        const std::size_t end = close == std::string::npos ? s.size() : close;
        words(i + 1, end);
        i = close == std::string::npos ? end : close + 1;
      } else {
        std::size_t j = i;
        while (j < s.size() && !is_space(s[j]) && s[j] != '(' && s[j] != ')' && s[j] != '"') ++j;
        chunk(i, j);
        i = j;
      }
    }
    if (m_edits.empty()) return {};
    std::string out;
    std::size_t at = 0;
    for (const Edit& e : m_edits) {
      out.append(s, at, e.begin - at);
      out += e.text;
      at = e.end;
    }
    out.append(s, at);
    return out;
  }

 private:
  struct Edit {
    std::size_t begin, end;
    std::string text;
  };

  void chunk(std::size_t i, std::size_t j) {
    const std::string_view text = std::string_view(m_query).substr(i, j - i);
    if (is_operator(text) || text.back() == '*') return;
    const std::size_t colon = text.find(':');
    if (colon != std::string_view::npos) {
      const std::string name = ascii_lower(text.substr(0, colon));
      if (!schema::terms::entity_types_of_field(name).empty()) {
        entity_value(name, i + colon + 1, j);
        return;
      }
      if (name == schema::field::kTitle) {
        words(i + colon + 1, j);
        return;
      }
      if (name == schema::field::kSource || name == schema::field::kLanguage ||
          name == schema::field::kId || name == schema::field::kDate) {
        if (colon + 1 == text.size()) skip_quoted_value(j);
        return;
      }
    }
    words(i, j);
  }

  // A filter written name:"value": the quoted value is not text to correct.
  void skip_quoted_value(std::size_t j) {
    if (j < m_query.size() && m_query[j] == '"') {
      const std::size_t close = m_query.find('"', j + 1);
      m_skip_to = close == std::string::npos ? m_query.size() : close + 1;
    }
  }

  // Plain words in [b, e) of the query.
  void words(std::size_t b, std::size_t e) {
    if (b < m_skip_to) return;
    const std::string_view text = std::string_view(m_query).substr(b, e - b);
    m_tokens.clear();  // tokenize() appends
    m_tokenizer.tokenize(text, m_tokens);
    for (const analysis::Token& t : m_tokens) {
      const std::string fix = correction(t.term);
      if (fix.empty()) continue;
      m_edits.push_back(
          {b + t.begin, b + t.end, in_case_of(fix, text.substr(t.begin, t.end - t.begin))});
    }
  }

  std::string correction(const std::string& term) {
    const std::vector<UChar32> cps = code_points(term);
    if (cps.size() < store::kMinSpellingChars) return {};
    if (std::any_of(term.begin(), term.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return {};
    const Xapian::doccount df = m_db.get_termfreq(term);
    if (df > kRareWordDocs) return {};
    const unsigned distance = cps.size() <= 5 ? 1 : 2;
    const std::string fix = m_db.get_spelling_suggestion(term, distance);
    if (fix.empty() || fix == term) return {};
    const Xapian::doccount fix_df = m_db.get_termfreq(fix);
    if (fix_df <= df || fix_df < kSuggestFactor * df) return {};
    return fix;
  }

  // The value of entity field name: [b, e) of the query, or the quoted value at e when empty.
  void entity_value(const std::string& name, std::size_t b, std::size_t e) {
    std::string value;
    std::size_t vb = b, ve = e;
    if (b == e) {
      if (e >= m_query.size() || m_query[e] != '"') return;
      const std::size_t close = m_query.find('"', e + 1);
      ve = close == std::string::npos ? m_query.size() : close + 1;
      value = m_query.substr(e + 1, (close == std::string::npos ? m_query.size() : close) - e - 1);
      m_skip_to = ve;
      vb = e;
    } else {
      value = m_query.substr(b, e - b);
    }
    const std::vector<schema::EntityType> types = schema::terms::entity_types_of_field(name);
    const std::string id = ascii_lower(value);
    if (looks_like_id(id)) {
      if (store::lexicon_entry(m_db, id)) return;
      for (const schema::EntityType type : types) {
        if (m_db.term_exists(schema::terms::entity(type, id))) return;
      }
    }
    const std::string key = entities::alias_key(m_tokenizer, value);
    if (key.empty() || !store::alias_ids(m_db, key).empty()) return;
    const std::string latin = entities::latin_key(key);
    if (latin != key && !store::alias_ids(m_db, latin).empty()) return;
    const std::vector<UChar32> want = code_points(key);
    const std::size_t limit = std::min<std::size_t>(2, want.size() / 3);
    if (limit == 0) return;
    if (!m_lexicon) m_lexicon = store::read_lexicon(m_db, true);
    std::size_t best = limit + 1;
    Xapian::doccount best_df = 0;
    std::string best_text;
    bool best_is_name = false;
    for (const auto& [eid, entry] : *m_lexicon) {
      if (std::find(types.begin(), types.end(), entry.type) == types.end()) continue;
      std::string name_key;
      for (const std::string& k : entry.keys) {
        if (k.find('"') != std::string::npos) continue;
        const std::size_t d = edit_distance(want, code_points(k), best);
        if (d > best) continue;
        const Xapian::doccount df = m_db.get_termfreq(schema::terms::entity(entry.type, eid));
        if (df == 0) continue;
        if (name_key.empty()) name_key = entities::alias_key(m_tokenizer, entry.name);
        const bool is_name = k == name_key;
        // Ties: the entity in more articles; for one entity, its display name.
        if (d == best && (df < best_df || (df == best_df && (best_is_name || !is_name)))) continue;
        best = d;
        best_df = df;
        best_is_name = is_name;
        best_text = is_name ? entry.name : words_in_case_of(k, value);
      }
    }
    if (best_text.empty()) return;
    if (best_text.find(' ') != std::string::npos) best_text = "\"" + best_text + "\"";
    m_edits.push_back({vb, ve, best_text});
  }

  const Xapian::Database& m_db;
  analysis::Tokenizer& m_tokenizer;
  const std::string& m_query;
  std::vector<analysis::Token> m_tokens;
  std::vector<Edit> m_edits;
  std::size_t m_skip_to = 0;
  std::optional<store::Lexicon> m_lexicon;
};

}  // namespace

std::string corrected_query(const Xapian::Database& db, analysis::Tokenizer& tokenizer,
                            const std::string& query) {
  return Corrector(db, tokenizer, query).run();
}

}  // namespace sitrep::search
