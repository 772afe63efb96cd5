#include "sitrep/store/spelling.hpp"

#include <string>
#include <unordered_map>
#include <vector>

#include "sitrep/schema/terms.hpp"

namespace sitrep::store {

namespace {

// Whether a plain word term belongs in the spelling table: long enough, a letter, no digit.
bool spellable(const std::string& term) {
  std::size_t chars = 0;
  bool letter = false;
  for (const char ch : term) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= '0' && c <= '9') return false;
    if ((c & 0xC0) != 0x80) ++chars;  // a code point's first byte
    if (c >= 0x80 || (c >= 'a' && c <= 'z')) letter = true;
  }
  return letter && chars >= kMinSpellingChars;
}

}  // namespace

SpellingCounts sync_spelling(Xapian::WritableDatabase& db) {
  std::unordered_map<std::string, Xapian::termcount> have;
  for (auto s = db.spellings_begin(); s != db.spellings_end(); ++s) have[*s] = s.get_termfreq();
  std::vector<std::pair<std::string, Xapian::doccount>> want;
  for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
    const std::string term = *t;
    if (schema::terms::is_prefixed(term)) {
      // Prefixed terms (A-Z) sort together: skip past them.
      t.skip_to("[");
      if (t == db.allterms_end()) break;
      const std::string next = *t;
      if (schema::terms::is_prefixed(next)) continue;
      if (t.get_termfreq() >= kMinSpellingDocs && spellable(next))
        want.emplace_back(next, t.get_termfreq());
      continue;
    }
    if (t.get_termfreq() >= kMinSpellingDocs && spellable(term))
      want.emplace_back(term, t.get_termfreq());
  }
  SpellingCounts counts;
  counts.words = want.size();
  for (const auto& [word, freq] : want) {
    const auto it = have.find(word);
    const Xapian::termcount old = it == have.end() ? 0 : it->second;
    if (it != have.end()) have.erase(it);
    if (freq > old) {
      db.add_spelling(word, freq - old);
    } else if (freq < old) {
      db.remove_spelling(word, old - freq);
    } else {
      continue;
    }
    ++counts.changed;
  }
  for (const auto& [word, freq] : have) {
    db.remove_spelling(word, freq);
    ++counts.changed;
  }
  return counts;
}

}  // namespace sitrep::store
