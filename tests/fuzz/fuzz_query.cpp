// libFuzzer target for the query path: each input is a query (the text after `--` of
// sitrep-search), parsed and run by search::Searcher against a small database built once from the
// fixture articles below, with every facet, a timeline and snippets. A sitrep::Error is an expected
// outcome (a bad query); a crash, a sanitizer report, a leak, any other exception or a broken
// invariant of the result (checked below) is a finding.
//
// SITREP_FUZZ_STRICT=1 in the environment also treats a sitrep::Error other than a bad query, a
// usage error, a limit or a timeout (an I/O, internal, ... error from a read-only database that
// does not change) as a finding.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "sitrep/entities/entities.hpp"
#include "sitrep/index/document.hpp"
#include "sitrep/schema/article.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/search/facets.hpp"
#include "sitrep/search/searcher.hpp"
#include "sitrep/store/facet_column.hpp"
#include "sitrep/util/error.hpp"
#include "sitrep/util/utf8.hpp"

namespace {

namespace fs = std::filesystem;
using namespace sitrep;

struct Fixture {
  const char* id;
  const char* source;
  const char* published;  // "" = undated
  const char* language;   // "" = detected
  const char* title;
  const char* body;
};

// Written for this target: several languages and scripts, dated and undated, entity names the
// builtin gazetteer knows (people, places, organisations) and one it does not.
constexpr Fixture kFixtures[] = {
    {"fz-en-1", "Kyiv Ledger", "2025-11-14T09:30:00+02:00", "en",
     "Zelensky meets NATO envoys in Kyiv",
     "President Volodymyr Zelensky met NATO envoys in Kyiv on Friday to discuss air defence, "
     "the grain corridor and a possible prisoner exchange. U.S. officials said the 28-point plan "
     "was \"still being negotiated\"; Moscow's response is expected next week."},
    {"fz-en-2", "Wire Service", "2024-02-29", "en", "Drones hit Odesa port overnight",
     "Russian drones struck the port of Odesa overnight, regional officials said. Nobody was "
     "hurt. The attack came hours after Vladimir Putin spoke about the Black Sea."},
    {"fz-ru-1", "Вестник", "2025-12-01T18:00:00Z", "ru", "Ушаков: переговоры в Москве продолжатся",
     "Помощник президента Юрий Ушаков заявил, что переговоры в Москве продолжатся. Владимир "
     "Путин обсудил с советниками обмен пленными и гуманитарную паузу."},
    {"fz-uk-1", "Дніпровський вісник", "2025-11-20", "uk", "Зеленський у Харкові",
     "Президент Володимир Зеленський відвідав Харків і зустрівся з військовими. Обстріли "
     "Мар’їнки тривають, повідомили в Генштабі ЗСУ."},
    {"fz-ar-1", "الشرق اليومية", "2024-11-27T08:15:00Z", "ar", "دعوة إلى هدنة إنسانية في غزة",
     "دعا مبعوث الأمم المتحدة إلى هدنة إنسانية في شمال غزة مع اقتراب الشتاء، وقال إن المساعدات "
     "لا تصل إلى رفح."},
    {"fz-fr-1", "Le Courrier", "", "fr", "Cessez-le-feu : les négociations reprennent à Genève",
     "Les négociations sur un cessez-le-feu reprennent à Genève sous l'égide de l'ONU, selon "
     "des diplomates européens."},
    {"fz-de-1", "Tagesbote", "2023-06-06", "de", "Staudamm zerstört: Überschwemmungen in Cherson",
     "Nach der Zerstörung des Staudamms stehen Dörfer bei Cherson unter Wasser. Die Vereinten "
     "Nationen warnen vor einer Versorgungskrise."},
    {"fz-und-1", "Wire Service", "", "", "Kirill Dmitriev in Riyadh",
     "Kirill Dmitriev held talks in Riyadh with Steve Witkoff and Marco Rubio."},
};

// The scratch database, removed at exit (a crash leaves it behind in $TMPDIR: sitrep-fuzz-*).
std::string g_dir;

void remove_database() {
  std::error_code ec;
  if (!g_dir.empty()) fs::remove_all(g_dir, ec);
}

std::string build_database() {
  std::string tmpl = (fs::temp_directory_path() / "sitrep-fuzz-query-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::perror("fuzz_query: mkdtemp");
    std::abort();
  }
  g_dir = tmpl;
  std::atexit(remove_database);
  entities::Gazetteer gazetteer;
  gazetteer.load_builtin();
  index::DocumentBuilder builder(&gazetteer);
  Xapian::WritableDatabase db(g_dir + "/db", Xapian::DB_CREATE_OR_OVERWRITE);
  std::set<std::string> languages;
  for (const Fixture& f : kFixtures) {
    schema::Article a;
    a.id = f.id;
    a.source = f.source;
    a.url = std::string("https://example.org/") + f.id;
    a.title = f.title;
    a.body = f.body;
    a.language = f.language;
    a.published_raw = f.published;
    if (*f.published != '\0') a.published = schema::parse_timestamp(f.published);
    std::string used;
    db.replace_document(std::string(schema::prefix::kId) + a.id, builder.build(a, used));
    languages.insert(used);
  }
  store::write_lexicon(db, builder.take_lexicon());
  std::string joined;
  for (const std::string& l : languages) joined += (joined.empty() ? "" : " ") + l;
  db.set_metadata(std::string(schema::meta::kSchemaVersion),
                  std::to_string(schema::kSchemaVersion));
  db.set_metadata(std::string(schema::meta::kLanguages), joined);
  db.commit();
  db.close();
  // The facet column, as sitrep-index writes it: the searcher counts from it, and a second
  // searcher without it must count the same (check_same_facets).
  store::write_facet_column(g_dir + "/db");
  return g_dir + "/db";
}

[[noreturn]] void finding(const char* what, std::string_view query) {
  std::fprintf(stderr, "fuzz_query: %s (query %zu bytes)\n", what, query.size());
  std::abort();
}

void check_utf8(const std::string& s, const char* what, std::string_view query) {
  if (!utf8::valid(s)) finding(what, query);
}

void check(const search::SearchRequest& req, const search::SearchResult& r) {
  const std::string_view q = req.query;
  if (r.hits.size() > req.limit) finding("more hits than the limit", q);
  if (!r.exact) finding("facets were asked for but the total is not exact", q);
  if (r.estimate != r.lower_bound || r.estimate != r.upper_bound)
    finding("an exact total with bounds that differ", q);
  if (r.estimate > r.doc_count) finding("more matches than documents", q);
  if (r.hits.size() > r.estimate) finding("more hits than matches", q);
  for (const search::Hit& hit : r.hits) {
    for (const search::Snippet::Run& run : hit.snippet.runs)
      check_utf8(run.text, "snippet text is not valid UTF-8", q);
    for (const search::HitEntity& e : hit.entities) check_utf8(e.name, "entity name", q);
  }
  if (r.facets.size() != req.facets.size()) finding("a facet is missing from the result", q);
  for (const search::FacetResult& f : r.facets) {
    if (f.values.size() > req.facet_limit) finding("more facet values than the limit", q);
    for (const search::FacetValue& v : f.values) {
      if (v.count == 0 || v.count > r.estimate) finding("a facet count out of range", q);
      check_utf8(v.value, "facet value is not valid UTF-8", q);
    }
  }
  if (!r.timeline) finding("a timeline was asked for but is missing", q);
  // docs/query-language.md: timeline counts plus `undated` add up to the total.
  std::size_t sum = r.timeline->undated;
  for (const search::TimelinePoint& p : r.timeline->periods) sum += p.count;
  if (sum != r.estimate) finding("timeline counts do not add up to the total", q);
}

// The facet column and value slot kFacets give the same counts (schema/facet_column.hpp).
void check_same_facets(const search::SearchResult& a, const search::SearchResult& b,
                       std::string_view q) {
  if (a.estimate != b.estimate) finding("column and slot: different totals", q);
  if (a.facets.size() != b.facets.size()) finding("column and slot: different facets", q);
  for (std::size_t i = 0; i < a.facets.size(); ++i) {
    const search::FacetResult &x = a.facets[i], &y = b.facets[i];
    if (x.distinct != y.distinct || x.missing != y.missing || x.values.size() != y.values.size())
      finding("column and slot: different facet sizes", q);
    for (std::size_t j = 0; j < x.values.size(); ++j) {
      if (x.values[j].value != y.values[j].value || x.values[j].count != y.values[j].count ||
          x.values[j].name != y.values[j].name)
        finding("column and slot: different facet values", q);
    }
  }
  if (a.timeline->undated != b.timeline->undated ||
      a.timeline->periods.size() != b.timeline->periods.size())
    finding("column and slot: different timelines", q);
  for (std::size_t j = 0; j < a.timeline->periods.size(); ++j) {
    if (a.timeline->periods[j].count != b.timeline->periods[j].count)
      finding("column and slot: different timeline counts", q);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = build_database();
  static search::Searcher searcher(path);
  static search::Searcher* const slot_searcher = [] {
    auto* s = new search::Searcher(path);  // lives as long as the process, as searcher does
    s->set_facet_column(false);
    return s;
  }();
  static const bool strict = [] {
    const char* s = std::getenv("SITREP_FUZZ_STRICT");
    return s != nullptr && std::string_view(s) == "1";
  }();

  search::SearchRequest req;
  req.query.assign(reinterpret_cast<const char*>(data), size);
  // The input's length picks the sort order and the timeline's interval, so the query text stays
  // exactly what the seeds and the dictionary say.
  req.sort = static_cast<search::SortOrder>(size % 3);
  req.timeline = static_cast<search::Interval>((size / 3) % 3);
  req.limit = 5;
  req.offset = (size / 9) % 2;
  req.facets = {search::Facet::kPerson, search::Facet::kPlace,    search::Facet::kOrg,
                search::Facet::kSource, search::Facet::kLanguage, search::Facet::kYear,
                search::Facet::kMonth,  search::Facet::kDay};
  req.facet_limit = 3;
  try {
    const search::SearchResult r = searcher.search(req);
    check(req, r);
    check_same_facets(r, slot_searcher->search(req), req.query);
  } catch (const Error& e) {
    if (strict && e.kind() != ErrorKind::kBadQuery && e.kind() != ErrorKind::kUsage &&
        e.kind() != ErrorKind::kLimit && e.kind() != ErrorKind::kTimeout) {
      std::fprintf(stderr, "fuzz_query: unexpected error kind %d: %s\n", static_cast<int>(e.kind()),
                   e.what());
      std::abort();
    }
  }
  // Any other exception escapes: libFuzzer reports it as a crash (an uncaught exception).
  return 0;
}
