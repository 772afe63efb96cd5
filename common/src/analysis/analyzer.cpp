#include "sitrep/analysis/analyzer.hpp"

#include <algorithm>

#include "sitrep/schema/terms.hpp"

namespace sitrep::analysis {

namespace terms = schema::terms;

namespace {

// Sets buffer to prefix + value, keeping its capacity.
inline const std::string& assign(std::string& buffer, std::string_view prefix,
                                 std::string_view value) {
  buffer.assign(prefix);
  buffer += value;
  return buffer;
}

}  // namespace

std::vector<Token>& Analyzer::tokenize(std::string_view text) {
  m_tokens.clear();
  m_tokenizer.tokenize(text, m_tokens);
  return m_tokens;
}

void Analyzer::index(Xapian::Document& doc, const std::vector<Token>& tokens, Field field,
                     const std::string& lang, Xapian::termpos& pos,
                     const std::vector<char>& boilerplate) {
  const bool title = field == Field::kTitle;
  const Xapian::termcount inc = title ? schema::kTitleWeight : 1;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    const std::string& word = tokens[k].term;
    ++pos;
    const std::string& stem = m_stemmers.stem(lang, word);
    if (!boilerplate.empty() && boilerplate[k]) {
      doc.add_posting(assign(m_boilerplate, terms::kBoilerplatePrefix, word), pos, inc);
      doc.add_term(assign(m_boilerplate_stem, terms::kBoilerplateStemPrefix, stem), inc);
      continue;
    }
    doc.add_posting(word, pos, inc);
    // The stem at the word's position too, so a phrase can match any case form of its words;
    // a word that is its own stem has its position already (phrase_stems matches it there).
    if (stem == word) {
      doc.add_term(assign(m_stem, terms::kStemPrefix, stem), inc);
    } else {
      doc.add_posting(assign(m_stem, terms::kStemPrefix, stem), pos, inc);
    }
    if (title) {
      doc.add_posting(assign(m_title, terms::kTitlePrefix, word), pos);
      assign(m_title_stem, terms::kStemPrefix, terms::kTitlePrefix);  // ZS<stem>
      m_title_stem += stem;
      doc.add_term(m_title_stem);
    }
  }
}

void Analyzer::expand(const std::string& word, Field field,
                      const std::vector<std::string>& languages, bool include_boilerplate,
                      Expansion& out) {
  auto stem_term = [field](std::string_view stem) {
    return field == Field::kTitle ? terms::title_stem(stem) : terms::stem(stem);
  };
  out.stems.clear();
  out.terms.clear();
  out.stems.insert(stem_term(word));
  const Script script = script_of(word);
  for (const std::string& lang : languages) {
    if (script_of_language(lang) == script)
      out.stems.insert(stem_term(m_stemmers.stem(lang, word)));
  }
  out.terms = out.stems;
  // Title words never match boilerplate (a title has none).
  if (!include_boilerplate || field == Field::kTitle) return;
  for (const std::string& z : out.stems) {
    out.terms.insert(
        terms::boilerplate_stem(std::string_view(z).substr(terms::kStemPrefix.size())));
  }
}

std::vector<std::string> Analyzer::phrase_terms(const std::string& word,
                                                bool include_boilerplate) const {
  if (!include_boilerplate) return {word};
  return {word, terms::boilerplate(word)};
}

std::vector<std::string> Analyzer::phrase_stems(const std::string& word,
                                                const std::vector<std::string>& languages) {
  expand(word, Field::kBody, languages, false, m_phrase_expansion);
  std::vector<std::string> out;
  for (const std::string& z : m_phrase_expansion.stems) {
    out.push_back(z);
    // A word that is its own stem is indexed with its position under its unprefixed term only.
    // A Ukrainian stem is tagged, never a word.
    const std::string_view stem = std::string_view(z).substr(terms::kStemPrefix.size());
    if (!stem.starts_with(kUkrainianStemTag)) out.emplace_back(stem);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const std::string& Analyzer::stem_term(const std::string& lang, const std::string& word) {
  return assign(m_stem, terms::kStemPrefix, m_stemmers.stem(lang, word));
}

}  // namespace sitrep::analysis
