// libFuzzer target for the indexer's record parser: each input is one JSON Lines line (or .json
// file) given to schema::article_from_json_text; an article it accepts is turned into a
// Xapian::Document by index::DocumentBuilder with the builtin gazetteer's entities, and its
// stored form must read back as the same record. Input that is not a JSON record goes through the
// .txt reader (schema::article_from_text_file) and, when accepted, the same checks. A rejected
// record (error set) is an expected outcome; a crash, a sanitizer report, a leak, an exception or
// a broken invariant (checked below) is a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <xapian.h>

#include "sitrep/entities/entities.hpp"
#include "sitrep/index/document.hpp"
#include "sitrep/schema/article.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/util/utf8.hpp"

namespace {

using namespace sitrep;

constexpr std::size_t kMaxTermBytes = 245;

[[noreturn]] void finding(const char* what) {
  std::fprintf(stderr, "fuzz_record: %s\n", what);
  std::abort();
}

const entities::Gazetteer& gazetteer() {
  static const entities::Gazetteer g = [] {
    entities::Gazetteer x;
    x.load_builtin();
    return x;
  }();
  return g;
}

void check_article(const schema::Article& a) {
  if (a.id.empty()) finding("an accepted record without an id");
  if (a.title.empty() && a.body.empty()) finding("an accepted record without text");
  for (const std::string* s : {&a.id, &a.url, &a.source, &a.title, &a.body, &a.language})
    if (!utf8::valid(*s)) finding("an accepted record with invalid UTF-8");

  // A builder per input: its lexicon remembers the entities it has met, and a finding must not
  // depend on the inputs run before it.
  index::DocumentBuilder builder(&gazetteer());
  std::string language;
  const Xapian::Document doc = builder.build(a, language);
  if (language.empty()) finding("build() used no language");
  builder.take_lexicon();

  // The stored form reads back as the record (the searcher shows hits from it).
  const schema::Article back = schema::deserialise_article(doc.get_data());
  if (back.id != a.id || back.url != a.url || back.source != a.source || back.title != a.title ||
      back.body != a.body)
    finding("the stored record does not read back as the record");
  if (a.published.has_value() != back.published.has_value())
    finding("the stored record lost or gained a date");
  if (a.published && a.published->iso() != back.published->iso())
    finding("the stored record's date differs");
  if (back.language != language) finding("the stored language is not the one used");
  // The id term, so re-indexing replaces the document.
  const std::string id_term = std::string(schema::prefix::kId) + a.id;
  if (doc.termlist_count() == 0) finding("a document without terms");
  // The glass backend refuses a term longer than 245 bytes: the indexer's replace_document would
  // fail on it.
  for (Xapian::TermIterator it = doc.termlist_begin(); it != doc.termlist_end(); ++it)
    if ((*it).size() > kMaxTermBytes) finding("a term longer than Xapian accepts");
  Xapian::TermIterator t = doc.termlist_begin();
  t.skip_to(id_term);
  if (t == doc.termlist_end() || *t != id_term) finding("a document without its id term");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)gazetteer();  // loaded before the first input, so it counts as set-up, not as a leak
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  schema::ParsedRecord r = schema::article_from_json_text(text);
  if (!r.article) {
    if (r.error.empty()) finding("a record neither accepted nor rejected with an error");
    r = schema::article_from_text_file(text, "fuzz-input");
    if (!r.article) {
      if (r.error.empty()) finding("a text file neither accepted nor rejected with an error");
      return 0;
    }
  } else if (!r.error.empty()) {
    finding("a record both accepted and rejected");
  }
  check_article(*r.article);
  return 0;
}
