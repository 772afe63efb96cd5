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

std::string serialise_article(const Article& a, const std::string& language) {
  nlohmann::json j = nlohmann::json::object();
  j["id"] = a.id;
  if (!a.url.empty()) j["url"] = a.url;
  if (!a.source.empty()) j["source"] = a.source;
  j["title"] = a.title;
  if (a.published) j["published"] = a.published->iso();
  j["language"] = language;
  j["body"] = a.body;
  return j.dump();
}

Article deserialise_article(const std::string& data) {
  Article a;
  const nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
  if (!j.is_object()) return a;
  a.id = j.value("id", "");
  a.url = j.value("url", "");
  a.source = j.value("source", "");
  a.title = j.value("title", "");
  a.language = j.value("language", "");
  a.body = j.value("body", "");
  a.published_raw = j.value("published", "");
  if (!a.published_raw.empty()) a.published = parse_timestamp(a.published_raw);
  return a;
}

}  // namespace sitrep::schema
