// The query side against documents built by the indexing side: what is indexed is what is searched.
#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "article_fixture.hpp"
#include <doctest/doctest.h>

#include "sitrep/analysis/tokenizer.hpp"
#include "sitrep/index/document.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/search/facets.hpp"
#include "sitrep/search/query_builder.hpp"
#include "sitrep/util/error.hpp"

using namespace sitrep;

namespace {

struct Fixture {
  Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
  void add(const std::string& id, const std::string& title, const std::string& body,
           const std::string& lang, const std::string& source = "Wire",
           const std::string& date = "") {
    std::string used;
    db.replace_document(
        schema::terms::id(id),
        builder.build(test::make_article(id, title, body, lang, source, date), used));
  }
  std::set<std::string> search(const std::string& q) {
    search::QueryBuilder qb(db, {"en", "ru", "ar", "uk", "de"});
    // The boolean meaning of the query language: juxtaposed words are ANDed (--default-op and).
    qb.set_default_op(search::DefaultOp::kAnd, search::Ranking{});
    return test::matching_ids(db, qb.build(q).query);
  }
  index::DocumentBuilder builder;
};

using Ids = std::set<std::string>;

Fixture& corpus() {
  static Fixture f = [] {
    Fixture x;
    x.add("acr", "Envoy visit", "The U.S. and the U.N. sent envoys; Moscow’s reply came later.",
          "en", "Kyiv Ledger", "2025-12-01");
    x.add("num", "Plan", "A 28-point plan covering 1,300 km of front line was tabled.", "en",
          "Euro Gazette", "2025-11-20");
    x.add("hyph", "Format", "The first Ukraine\u2011Russia\u2011U.S. session in this format.", "en",
          "Wire", "2026-01-24T10:00:00Z");
    x.add("stem", "Negotiations resume", "Negotiators said the negotiations would resume.", "en",
          "Wire", "2024-03-05");
    x.add("ru", "Переговоры в Стамбуле", "Делегации провели переговоры в Стамбуле.", "ru",
          "Vestnik", "2022-03-15");
    x.add("uk", "Зеленський у Києві", "Президент Зеленський провів зустріч у Мар’їнці.", "uk",
          "Dnipro Herald");
    x.add("ar", "مفاوضات", "بدأت المفاوضات في أبوظبي بين الوفود.", "ar", "Al-Sharq Daily",
          "2026-01-25");
    return x;
  }();
  return f;
}

}  // namespace

TEST_CASE("search::QueryBuilder acronyms, possessives, numbers, compounds") {
  Fixture& f = corpus();
  CHECK(f.search("U.S.") == Ids{"acr", "hyph"});
  CHECK(f.search("u.s") == Ids{"acr", "hyph"});
  CHECK(f.search("US") == Ids{"acr", "hyph"});
  CHECK(f.search("U.N.") == Ids{"acr"});
  CHECK(f.search("Moscow's") == Ids{"acr"});
  CHECK(f.search("Moscow’s") == Ids{"acr"});
  CHECK(f.search("moscow") == Ids{"acr"});
  CHECK(f.search("1,300") == Ids{"num"});
  CHECK(f.search("1300") == Ids{"num"});
  CHECK(f.search("28-point") == Ids{"num"});
  CHECK(f.search("\"28 point plan\"") == Ids{"num"});
  CHECK(f.search("Ukraine-Russia-U.S.") == Ids{"hyph"});
  CHECK(f.search("Ukraine\u2011Russia\u2011U.S.") == Ids{"hyph"});
  CHECK(f.search("\"ukraine russia us session\"") == Ids{"hyph"});
  CHECK(f.search("russia") == Ids{"hyph"});
}

TEST_CASE("search::QueryBuilder stemming per language") {
  Fixture& f = corpus();
  CHECK(f.search("negotiation") == Ids{"stem"});
  CHECK(f.search("negotiated") == Ids{"stem"});
  CHECK(f.search("переговорах") == Ids{"ru"});
  CHECK(f.search("стамбул") == Ids{"ru"});
  CHECK(f.search("ЗЕЛЕНСЬКИЙ") == Ids{"uk"});  // Ukrainian: unstemmed, still found, any case
  CHECK(f.search("Мар'їнці") == Ids{"uk"});    // straight apostrophe finds the curly one
  CHECK(f.search("المفاوضات") == Ids{"ar"});
  // A phrase matches exact words in order only.
  CHECK(f.search("\"negotiations would resume\"") == Ids{"stem"});
  CHECK(f.search("\"resume would negotiations\"").empty());
}

TEST_CASE("search::QueryBuilder operators and fields") {
  Fixture& f = corpus();
  CHECK(f.search("envoys OR negotiators") == Ids{"acr", "stem"});
  CHECK(f.search("U.S. NOT envoys") == Ids{"hyph"});
  CHECK(f.search("U.S. -envoys") == Ids{"hyph"});
  // A query of exclusions only: everything else, not the excluded word (issue-2 review).
  CHECK(f.search("-envoys -negotiators") == Ids{"num", "hyph", "ru", "uk", "ar"});
  CHECK(f.search("-\"negotiations would resume\"").count("stem") == 0);
  CHECK(f.search("-\"negotiations would resume\"").size() == 6);
  // The same inside parentheses: a group of exclusions only is "everything but".
  CHECK(f.search("(-envoys -negotiators) date:2026") == Ids{"hyph", "ar"});
  CHECK(f.search("plan (-envoys)") == Ids{"num"});
  CHECK(f.search("(-envoys) OR negotiators").count("stem") == 1);
  CHECK(f.search("((-envoys)) date:..2022-12-31") == Ids{"ru"});
  CHECK(f.search("(envoys OR plan) AND km") == Ids{"num"});
  CHECK(f.search("title:negotiations") == Ids{"stem"});
  CHECK(f.search("title:negotiators") == Ids{"stem"});  // stem of the title word
  CHECK(f.search("title:\"negotiations resume\"") == Ids{"stem"});
  CHECK(f.search("title:envoys") == Ids{"acr"});  // title "Envoy visit", stemmed
  CHECK(f.search("title:sent").empty());          // "sent" is only in a body
  CHECK(f.search("source:\"Kyiv Ledger\"") == Ids{"acr"});
  CHECK(f.search("source:kyivledger") == Ids{"acr"});
  CHECK(f.search("U.S. -source:\"Kyiv Ledger\"") == Ids{"hyph"});  // '-' applies to the filter
  CHECK(f.search("U.S. NOT source:kyivledger") == Ids{"hyph"});
  CHECK(f.search("lang:uk") == Ids{"uk"});
  CHECK(f.search("lang:Russian") == Ids{"ru"});
  CHECK(f.search("id:num") == Ids{"num"});
  CHECK(f.search("plan date:2025-11-01..2025-11-30") == Ids{"num"});
  CHECK(f.search("date:2026") == Ids{"hyph", "ar"});
  CHECK(f.search("date:2025-12..") == Ids{"acr", "hyph", "ar"});
  CHECK(f.search("date:..2022-12-31") == Ids{"ru"});
  CHECK(f.search("negotiat*") == Ids{"stem"});
  CHECK(f.search("envoys NEAR/3 sent") == Ids{"acr"});
}

TEST_CASE("search::QueryBuilder reads quotes and dashes through the Tokenizer's mapping") {
  // Issue 12: what the Tokenizer maps to '"' delimits a phrase, what it maps to '-' excludes.
  Fixture& f = corpus();
  search::QueryBuilder qb(f.db, {"en"});
  const std::string ascii = qb.rewrite("\"would resume\"");
  CHECK(ascii == "\"would resume\" ");
  for (const char* q :
       {"\u201Fwould resume\u201F", "\uFF02would resume\uFF02", "\u2039would resume\u203A",
        "\u201Cwould resume\u201D", "\u201Ewould resume\u201C", "\u00ABwould resume\u00BB",
        "\u2033would resume\u2033"}) {
    CAPTURE(q);
    CHECK(qb.rewrite(q) == ascii);
  }
  CHECK(f.search("\u201Fwould resume\u201F") == Ids{"stem"});
  CHECK(f.search("\u201Fresume would\u201F").empty());  // a phrase, not two words
  CHECK(f.search("resume would") == Ids{"stem"});
  for (const char* minus : {"\u2212", "\u2013", "\u2010", "\uFE63", "\uFF0D"}) {
    CAPTURE(minus);
    CHECK(qb.rewrite(std::string("U.S. ") + minus + "envoys") == qb.rewrite("U.S. -envoys"));
    CHECK(f.search(std::string("U.S. ") + minus + "envoys") == Ids{"hyph"});
  }
  // Inside a word or standing alone a dash is no operator; after a field it takes a quoted value.
  CHECK(f.search("28\u2212point") == Ids{"num"});
  CHECK(f.search("plan \u2013 km") == Ids{"num"});
  CHECK(f.search("source:\u201FKyiv Ledger\u201F") == Ids{"acr"});
  CHECK(f.search("\u2212source:\uFF02Kyiv Ledger\uFF02 U.S.") == Ids{"hyph"});
  CHECK(f.search("title:\u2039negotiations resume\u203A") == Ids{"stem"});
}

TEST_CASE("search::QueryBuilder matches id: byte for byte, unmapped") {
  Fixture f;
  f.add("a\u2212b", "Title", "Body text", "en");
  f.add("a-b", "Title", "Body text", "en");
  CHECK(f.search("id:a\u2212b") == Ids{"a\u2212b"});
  CHECK(f.search("id:a-b") == Ids{"a-b"});
  CHECK(f.search("id:\u201Ca\u2212b\u201D") == Ids{"a\u2212b"});
}

TEST_CASE("analysis::map_characters is the Tokenizer's step 1, with offsets") {
  std::vector<std::uint32_t> offsets;
  CHECK(analysis::map_characters("\u201Fa\u00A0b\u201F \u2212c\u00ADd", &offsets) == "\"a b\" -cd");
  CHECK(offsets == std::vector<std::uint32_t>{0, 3, 4, 6, 7, 10, 11, 14, 17, 18});
  CHECK(analysis::map_characters("plain ASCII") == "plain ASCII");
}

TEST_CASE("search::QueryBuilder rejects bad queries with kBadQuery") {
  Fixture& f = corpus();
  for (const char* bad : {"!!! ,,, ...", "()", "date:2025-13-45", "date:2025-12-31..2025-01-01",
                          "date:..", "\xff\xfe", "source:"}) {
    CAPTURE(bad);
    try {
      f.search(bad);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kBadQuery);
    }
  }
}

namespace {

// The kind of error building q throws, or nullopt when it builds.
std::optional<ErrorKind> build_error(const std::string& q) {
  try {
    corpus().search(q);
    return std::nullopt;
  } catch (const Error& e) {
    return e.kind();
  }
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t k = 0; k < n; ++k) out += s;
  return out;
}

}  // namespace

TEST_CASE("search::QueryBuilder bounds the query before QueryParser") {
  // Length: the maximum is accepted, one byte more is a limit.
  const std::string max =
      repeat("envoys ", search::kMaxQueryBytes / 7) + std::string(search::kMaxQueryBytes % 7, ' ');
  REQUIRE(max.size() == search::kMaxQueryBytes);
  CHECK(build_error(max) == std::nullopt);
  CHECK(build_error(max + " ") == ErrorKind::kLimit);
  // Nesting: kMaxQueryDepth levels are fine, one more is a syntax error.
  const std::size_t d = search::kMaxQueryDepth;
  CHECK(corpus().search(repeat("(", d) + "envoys" + repeat(")", d)) == Ids{"acr"});
  CHECK(build_error(repeat("(", d + 1) + "envoys" + repeat(")", d + 1)) == ErrorKind::kBadQuery);
  CHECK(build_error(repeat("(", 2000)) == ErrorKind::kBadQuery);
  // Operator stacks and operators with nothing on one side.
  for (const char* bad : {"envoys AND OR plan", "NOT NOT envoys", "envoys AND", "AND envoys",
                          "(OR envoys)", "(envoys NEAR/3)", "envoys XOR XOR plan", "NOT"}) {
    CAPTURE(bad);
    CHECK(build_error(bad) == ErrorKind::kBadQuery);
  }
  // NOT after a binary operator is one operator: "a AND NOT b".
  CHECK(corpus().search("envoys OR plan AND NOT km") == Ids{"acr"});
  CHECK(corpus().search("envoys and or") == Ids{});  // lower case: words, not operators
  // Wildcards: kMaxWildcards are fine, one more is a limit.
  CHECK(build_error(repeat("e* ", search::kMaxWildcards)) == std::nullopt);
  CHECK(build_error(repeat("e* ", search::kMaxWildcards + 1)) == ErrorKind::kLimit);
  // Control characters are spaces.
  CHECK(corpus().search("envoys\tMoscow\x01") == corpus().search("envoys Moscow"));
}

TEST_CASE("search::parse_date_bound") {
  CHECK(search::parse_date_bound("2024", false) == "20240101");
  CHECK(search::parse_date_bound("2024", true) == "20241231");
  CHECK(search::parse_date_bound("2024-02", true) == "20240229");
  CHECK(search::parse_date_bound("2023-02", true) == "20230228");
  CHECK(search::parse_date_bound("2024-06-15", true) == "20240615");
  CHECK(search::parse_date_bound("2024-13", false).empty());
  CHECK(search::parse_date_bound("20x4", false).empty());
}

TEST_CASE("search::QueryBuilder: an empty query matches every article; filters alone narrow it") {
  Fixture& f = corpus();
  const Ids all{"acr", "num", "hyph", "stem", "ru", "uk", "ar"};  // "uk" is undated
  search::QueryBuilder qb(f.db, {"en"});
  for (const char* q : {"", " ", "\t\n ", "\u00A0"}) {
    CAPTURE(q);
    const search::BuiltQuery built = qb.build(q);
    CHECK(built.query.get_type() == Xapian::Query::LEAF_MATCH_ALL);
    CHECK(built.rewritten.empty());
    CHECK(built.terms.empty());
    CHECK(built.stems.empty());
    CHECK(f.search(q) == all);
  }
  // Filters alone narrow it (this and the exclusions below worked before match-all too).
  CHECK(f.search("lang:ru") == Ids{"ru"});
  CHECK(f.search("source:\"Kyiv Ledger\" OR lang:ru") == Ids{"acr", "ru"});
  // Exclusions alone: every article but those, undated ones included.
  CHECK(f.search("-source:\"Kyiv Ledger\"") == Ids{"num", "hyph", "stem", "ru", "uk", "ar"});
  CHECK(f.search("NOT lang:en") == Ids{"ru", "uk", "ar"});
  CHECK(f.search("-lang:en") == Ids{"ru", "uk", "ar"});
  CHECK(f.search("-date:2026") == Ids{"acr", "num", "stem", "ru", "uk"});
  CHECK(f.search("NOT date:2026 NOT lang:en") == Ids{"ru", "uk"});
  CHECK(f.search("-lang:en -lang:ru") == Ids{"uk", "ar"});
}

TEST_CASE("search::QueryBuilder: \\\" and \\\\ inside quotes") {
  Fixture f;
  const std::vector<std::pair<std::string, std::string>> sources = {
      {"q", "Smith \"Quote\" Co"},        {"b", "Back\\slash News"}, {"amp", "Smith & Sons"},
      {"s", "<script>alert(1)</script>"}, {"ar", "الجزيرة نت"},      {"cy", "Вести Москвы"},
      {"g", "Le \u00ABMonde\u00BB"},      {"t", "Tail \\"},          {"other", "Wire"}};
  for (const auto& [id, source] : sources)
    f.add(id, "Title", "Body text said \"so\".", "en", source);
  search::QueryBuilder qb(f.db, {"en"});
  // The lexer: an escaped quote does not end the phrase; an escaped backslash is one backslash.
  CHECK(qb.rewrite("\"say \\\"hi\\\" now\"") == "\"say hi now\" ");
  CHECK(qb.rewrite("\"a\\\\\" b") == "\"a\"  b ");
  CHECK(qb.rewrite("\"x \\\u201Cy\\\u201D z\"") == "\"x y z\" ");  // any quote the mapping knows
  CHECK(f.search("\"said \\\"so\\\"\"") ==
        Ids{"q", "b", "amp", "s", "ar", "cy", "g", "t", "other"});
  // Each source is selected by its name as written, escaped.
  CHECK(f.search("source:\"Smith \\\"Quote\\\" Co\"") == Ids{"q"});
  CHECK(f.search("source:\"Back\\\\slash News\"") == Ids{"b"});
  CHECK(f.search("source:\"Smith & Sons\"") == Ids{"amp"});
  CHECK(f.search("source:\"<script>alert(1)</script>\"") == Ids{"s"});
  CHECK(f.search("source:\"الجزيرة نت\"") == Ids{"ar"});
  CHECK(f.search("source:\"Вести Москвы\"") == Ids{"cy"});
  CHECK(f.search("source:\"Le \\\u00ABMonde\\\u00BB\"") == Ids{"g"});
  CHECK(f.search("source:\"Tail \\\\\"") == Ids{"t"});
  // The value ends at the first unescaped quote: what follows is the rest of the query.
  CHECK(f.search("source:\"Tail \\\\\" -source:\"Smith \\\"Quote\\\" Co\"") == Ids{"t"});
  CHECK(f.search("-source:\"Smith \\\"Quote\\\" Co\"") ==
        Ids{"b", "amp", "s", "ar", "cy", "g", "t", "other"});
  // facet_filter() writes exactly this form.
  for (const auto& [id, source] : sources) {
    CAPTURE(source);
    CHECK(f.search(search::facet_filter(search::Facet::kSource, source)) == Ids{id});
  }
  // id: values are unescaped too, and still matched byte for byte.
  f.add("a\\b", "Title", "Body", "en");
  CHECK(f.search("id:\"a\\\\b\"") == Ids{"a\\b"});
}

TEST_CASE("search::facet_filter writes each facet's filter") {
  using search::Facet;
  using search::facet_filter;
  CHECK(facet_filter(Facet::kPerson, "volodymyr-zelensky") == "person:volodymyr-zelensky");
  CHECK(facet_filter(Facet::kPlace, "kyiv") == "place:kyiv");
  CHECK(facet_filter(Facet::kOrg, "x-nato") == "org:x-nato");
  CHECK(facet_filter(Facet::kLanguage, "ru") == "lang:ru");
  CHECK(facet_filter(Facet::kYear, "2025") == "date:2025");
  CHECK(facet_filter(Facet::kMonth, "2025-11") == "date:2025-11");
  CHECK(facet_filter(Facet::kDay, "2025-11-14") == "date:2025-11-14");
  CHECK(facet_filter(Facet::kSource, "Kyiv Ledger") == "source:\"Kyiv Ledger\"");
  CHECK(facet_filter(Facet::kSource, "Smith \"& Sons\"") == "source:\"Smith \\\"& Sons\\\"\"");
  CHECK(facet_filter(Facet::kSource, "a\\b\\") == "source:\"a\\\\b\\\\\"");
  CHECK(facet_filter(Facet::kSource, "Le \u00ABMonde\u00BB") ==
        "source:\"Le \\\u00ABMonde\\\u00BB\"");
  // A value that is not an id or code is quoted rather than read as syntax.
  CHECK(facet_filter(Facet::kPerson, "a b") == "person:\"a b\"");
  CHECK(facet_filter(Facet::kLanguage, "-x") == "lang:\"-x\"");
}

TEST_CASE("search::QueryBuilder refuses NEAR/ADJ operands QueryParser cannot take (issue 14)") {
  // Xapian 1.4's QueryParser reparses such a query with every operator read as a word ("or",
  // "near") and no error: these must be query_syntax, never a different query.
  Fixture& f = corpus();
  for (const char* bad :
       {"envoys OR (plan NEAR/5 28-point)", "envoys NEAR \"would resume\"",
        "\"would resume\" ADJ negotiations", "envoys NEAR negotiat*", "envoys NEAR source:wire",
        "envoys NEAR (sent OR plan)", "envoys NEAR -sent", "envoys NEAR NOT sent",
        "envoys NEAR sent ADJ moscow", "envoys NEAR/3 title:\"envoy visit\""}) {
    CAPTURE(bad);
    try {
      f.search(bad);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kBadQuery);
      CHECK(std::string(e.what()).find("NEAR") + std::string(e.what()).find("ADJ") !=
            2 * std::string::npos);
    }
  }
  // Single words still work, chains too, and the rest of the query keeps its operators.
  CHECK(f.search("envoys NEAR/3 sent") == Ids{"acr"});
  CHECK(f.search("envoys NEAR sent NEAR moscow") == Ids{"acr"});
  CHECK(f.search("plan OR (envoys NEAR/5 sent)") == Ids{"acr", "num"});
  CHECK(f.search("envoys ADJ/2 sent").empty());  // ADJ keeps the order
  CHECK(f.search("sent ADJ/2 envoys") == Ids{"acr"});
}

TEST_CASE("search::QueryBuilder NEAR/N and ADJ/N take N from 1 to 999") {
  Fixture& f = corpus();
  CHECK(f.search("envoys NEAR/1 sent") == Ids{"acr"});
  CHECK(f.search("envoys NEAR/999 moscow") == Ids{"acr"});
  CHECK(f.search("envoys ADJ/999 moscow") == Ids{"acr"});
  for (const char* bad : {"envoys NEAR/1000 sent", "envoys NEAR/0 sent", "envoys NEAR/05 sent",
                          "envoys ADJ/0005 sent", "envoys NEAR/ sent", "envoys ADJ/x sent",
                          "envoys NEAR/99999999999999999999 sent"}) {
    CAPTURE(bad);
    try {
      f.search(bad);
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kBadQuery);
      const std::string what = e.what();
      CHECK((what.find("NEAR/") != std::string::npos || what.find("ADJ/") != std::string::npos));
    }
  }
}

TEST_CASE("search::QueryBuilder: other quotation marks inside a phrase are text (issue 14)") {
  Fixture f;
  f.add("war", "Speech", "He said it was \u201Cthe war.\u201D Speaking on Monday, he left.", "en");
  f.add("other", "Speech", "The war went on. Speaking later, he left.", "en");
  search::QueryBuilder qb(f.db, {"en"});
  // Opened by an ASCII quote, only an ASCII quote ends the phrase.
  CHECK(qb.rewrite("\"the war.\u201D Speaking on\"") == "\"the war speaking on\" ");
  CHECK(f.search("\"the war.\u201D Speaking on\"") == Ids{"war"});
  CHECK(f.search("\"war \u00BB speaking\"") == Ids{"war"});
  // Each typographic quote is closed by its partners only.
  CHECK(qb.rewrite("\u00ABwar \u201Cspeaking\u201D on\u00BB") == "\"war speaking on\" ");
  CHECK(qb.rewrite("\u201Cwar \" speaking\u201D on") == "\"war speaking\"  on ");
  CHECK(qb.rewrite("\u201Ewar speaking\u201C on") == "\"war speaking\"  on ");
  CHECK(qb.rewrite("\u2039war \u00AB speaking\u203A") == "\"war speaking\" ");
  // A field value: a guillemet inside an ASCII-quoted value needs no escaping any more.
  f.add("g", "T", "Body", "en", "Le \u00ABMonde\u00BB");
  CHECK(f.search("source:\"Le \u00ABMonde\u00BB\"") == Ids{"g"});
  CHECK(f.search("source:\"Le \\\u00ABMonde\\\u00BB\"") == Ids{"g"});
}

TEST_CASE("search::QueryBuilder: -(group) excludes the group") {
  Fixture& f = corpus();
  CHECK(f.search("U.S. -(envoys OR plan)") == Ids{"hyph"});
  CHECK(f.search("U.S. +(envoys OR plan)") == Ids{"acr"});
  CHECK(f.search("envoys OR -plan -km").count("num") == 0);  // exclusions alone in an operand
  CHECK(f.search("envoys OR -plan -km").count("acr") == 1);
}

TEST_CASE("search::QueryBuilder drops a ')' that closes nothing, keeping the operators") {
  // QueryParser's grammar refuses it, and would reparse the query with "or" as a word.
  Fixture& f = corpus();
  CHECK(f.search("envoys OR negotiators )") == Ids{"acr", "stem"});
  CHECK(f.search("envoys) OR (negotiators") == Ids{"acr", "stem"});
  CHECK(f.search("(envoys OR negotiators)) plan") == Ids{});
  CHECK(f.search("((envoys OR plan) AND km") == Ids{"num"});
}
