#include "sitrep/schema/document.hpp"

#include <nlohmann/json.hpp>

#include "sitrep/analysis/language.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/util/utf8.hpp"

namespace sitrep::schema {

namespace {

std::string with_prefix(std::string_view prefix, std::string_view value) {
  std::string t(prefix);
  t += value;
  return t;
}

}  // namespace

void DocumentBuilder::index_text(Xapian::Document& doc, std::string_view text,
                                 const std::string& lang, Xapian::termpos& pos, bool title) {
  m_tokens.clear();
  m_tokenizer.tokenize(text, m_tokens);
  const Xapian::termcount inc = title ? kTitleWeight : 1;
  std::string z(prefix::kStem);
  std::string s(prefix::kTitle);
  std::string zs(prefix::kStem);
  zs += prefix::kTitle;
  for (const analysis::Token& tok : m_tokens) {
    ++pos;
    doc.add_posting(tok.term, pos, inc);
    const std::string& stem = m_stemmers.stem(lang, tok.term);
    z.resize(prefix::kStem.size());
    z += stem;
    doc.add_term(z, inc);
    if (title) {
      s.resize(prefix::kTitle.size());
      s += tok.term;
      doc.add_posting(s, pos);
      zs.resize(prefix::kStem.size() + prefix::kTitle.size());
      zs += stem;
      doc.add_term(zs);
    }
  }
}

Xapian::Document DocumentBuilder::build(const Article& a, std::string& language_out) {
  std::string lang = a.language;
  if (lang.empty()) lang = analysis::detect_language(a.title, a.body);
  if (lang.empty()) lang = "und";
  language_out = lang;

  Xapian::Document doc;
  Xapian::termpos pos = 0;
  index_text(doc, a.title, lang, pos, /*title=*/true);
  pos += kTitleBodyGap;
  index_text(doc, a.body, lang, pos, /*title=*/false);

  doc.add_boolean_term(with_prefix(prefix::kId, a.id));
  doc.add_boolean_term(with_prefix(prefix::kLanguage, lang));
  const std::string source = analysis::keyword(a.source);
  if (!source.empty()) {
    doc.add_boolean_term(with_prefix(prefix::kSource, utf8::truncate(source, 200)));
  }
  if (a.published) {
    const std::string ymd = a.published->ymd();
    doc.add_boolean_term(with_prefix(prefix::kYear, ymd.substr(0, 4)));
    doc.add_boolean_term(with_prefix(prefix::kMonth, ymd.substr(0, 6)));
    doc.add_boolean_term(with_prefix(prefix::kDay, ymd));
    doc.add_value(slot::kDate, ymd);
    doc.add_value(slot::kDateTime, a.published->ymdhms());
    doc.add_value(slot::kHasDate, "1");
  } else {
    doc.add_boolean_term(std::string(prefix::kNoDate));
    doc.add_value(slot::kHasDate, "0");
  }
  doc.add_value(slot::kContentHash, content_hash(a));
  doc.set_data(serialise_article(a, lang));
  return doc;
}

}  // namespace sitrep::schema
