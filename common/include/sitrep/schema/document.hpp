#pragma once
// Article -> Xapian::Document: the indexing half of the shared analysis pipeline.

#include <string>
#include <vector>

#include <xapian.h>

#include "sitrep/analysis/stemmer.hpp"
#include "sitrep/analysis/tokenizer.hpp"
#include "sitrep/schema/article.hpp"

namespace sitrep::schema {

// Not thread-safe (owns a Tokenizer and StemmerSet): use one per thread.
class DocumentBuilder {
 public:
  // Builds the document for a: terms (unstemmed positional, Z stems, title S/ZS), boolean filter
  // terms, date values, and the stored record (JSON) as document data. Detects the language when
  // a.language is empty; the language used is returned through language_out.
  Xapian::Document build(const Article& a, std::string& language_out);

 private:
  void index_text(Xapian::Document& doc, std::string_view text, const std::string& lang,
                  Xapian::termpos& pos, bool title);
  analysis::Tokenizer m_tokenizer;
  analysis::StemmerSet m_stemmers;
  std::vector<analysis::Token> m_tokens;
};

}  // namespace sitrep::schema
