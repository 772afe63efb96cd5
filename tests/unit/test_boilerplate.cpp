// Boilerplate detection (analysis/boilerplate.hpp), its indexing (DocumentBuilder) and its search
// (QueryBuilder::set_include_boilerplate).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "article_fixture.hpp"
#include <doctest/doctest.h>

#include "sitrep/analysis/boilerplate.hpp"
#include "sitrep/index/document.hpp"
#include "sitrep/schema/fields.hpp"
#include "sitrep/schema/terms.hpp"
#include "sitrep/search/query_builder.hpp"

using namespace sitrep;
using analysis::BoilerplateReason;
using analysis::SuppressedLine;

namespace {

const std::string kAppeal =
    "Support independent journalism. The Harbour Wire is funded by readers like you.";
const std::string kQuote =
    "\"We will not give up a single village,\" the commander told reporters on Monday.";

// Body of article i of a small outlet: its own reporting, then the appeal.
std::string outlet_body(int i) {
  return "Shelling hit district " + std::to_string(i) +
         " of the city overnight, officials said.\n\n" +
         "Repair crews were sent to restore power to " + std::to_string(100 + i) + " homes.\n\n" +
         kAppeal;
}

std::vector<std::string> texts(std::string_view body, const std::vector<SuppressedLine>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.emplace_back(body.substr(l.begin, l.end - l.begin));
  return out;
}

bool has_term(const Xapian::Document& doc, const std::string& term) {
  auto it = doc.termlist_begin();
  it.skip_to(term);
  return it != doc.termlist_end() && *it == term;
}

}  // namespace

TEST_CASE("boilerplate: the recurrence threshold grows with the outlet") {
  CHECK(analysis::recurring_threshold(0) == 3);
  CHECK(analysis::recurring_threshold(5) == 3);
  CHECK(analysis::recurring_threshold(9) == 3);
  CHECK(analysis::recurring_threshold(10) == 4);
  CHECK(analysis::recurring_threshold(100) == 10);
  CHECK(analysis::recurring_threshold(10001) == 101);
}

TEST_CASE("boilerplate: lines are split, trimmed and normalised") {
  std::vector<analysis::LineSpan> spans;
  const std::string body = "  First line \n\n\t\nSecond\xC2\xA0line\r\nlast";
  analysis::split_lines(body, spans);
  REQUIRE(spans.size() == 3);
  CHECK(body.substr(spans[0].begin, spans[0].end - spans[0].begin) == "First line");
  CHECK(body.substr(spans[1].begin, spans[1].end - spans[1].begin) == "Second\xC2\xA0line");
  CHECK(body.substr(spans[2].begin, spans[2].end - spans[2].begin) == "last");
  analysis::split_lines("", spans);
  CHECK(spans.empty());

  CHECK(analysis::normalise_line("  Sign UP\xC2\xA0 for  our NEWSLETTER ") ==
        "sign up for our newsletter");
  CHECK(analysis::normalise_line("ПОДПИСЫВАЙТЕСЬ на Канал") == "подписывайтесь на канал");
  CHECK(analysis::normalise_line("Alerts in 12 regions") !=
        analysis::normalise_line("Alerts in 13 regions"));
  CHECK(analysis::normalise_line("bad \xFF byte") == "bad \xFF byte");
  // The same line of two outlets has two keys.
  CHECK(analysis::line_key("harbourwire", "a line") != analysis::line_key("steppepost", "a line"));
}

TEST_CASE(
    "boilerplate: every built-in pattern compiles, and they match appeals but not reporting") {
  analysis::BoilerplateDetector d;
  CHECK(analysis::BoilerplateDetector::pattern_count() >= 20);
  const std::vector<std::pair<std::string, std::string>> yes = {
      {"Support independent journalism: become a member today.", "donation"},
      {"Please support our reporting from the front line.", "donation"},
      {"Donate now", "donation"},
      {"This report was made possible by our readers in Mykolaiv. Donate via the link below.",
       "donation"},
      {"Підтримайте незалежну журналістику — станьте патроном.", "donation"},
      {"Sign up for our daily newsletter and get the news first.", "newsletter"},
      {"Abonnez-vous à notre lettre d’information quotidienne.", "newsletter"},
      {"Unterstützen Sie unabhängigen Journalismus – jetzt Abo abschließen.", "donation"},
      {"Subscribe now.", "newsletter"},
      {"Follow us on Telegram for breaking news.", "follow"},
      {"Подписывайтесь на наш канал в Telegram.", "follow"},
      {"We noticed you are using an ad blocker. Please disable it.", "adblock"},
      {"Advertisement", "adblock"},
      {"Comments are closed.", "comments"},
      {"Photo: Reuters/Jane Doe", "credit"},
      {"(Photo: AFP)", "credit"},
      {"Фото: архив редакции", "credit"},
      {"Read more:", "related"},
      {"Читайте также:", "related"},
      {"You may also like", "related"},
      {"© Harbour Wire 2025. All rights reserved.", "copyright"},
      {"Joke of the day: a tank walks into a bar.", "pasted"},
  };
  for (const auto& [line, name] : yes) {
    CAPTURE(line);
    CHECK(d.match_pattern(line) == name);
  }
  const std::vector<std::string> no = {
      "Support for the ceasefire has grown among residents, a poll found.",
      "Read more about the talks in our explainer below, the editor wrote.",
      "Related talks were held in Geneva on Tuesday.",
      "Subscribers to the satellite service lost access overnight.",
      "Photographs of the damage were shared widely online.",
      "Advertising revenue at state broadcasters fell by a third.",
      "The donation of 40 generators to Kharkiv hospitals was announced on Friday.",
      "Independent journalism is under pressure in occupied areas, the report said.",
      "\"We are raising money for drones,\" said the volunteer, who asked people to donate.",
  };
  for (const std::string& line : no) {
    CAPTURE(line);
    CHECK(d.match_pattern(line).empty());
  }
}

TEST_CASE("boilerplate: a line recurring across an outlet is suppressed, a shared quote is not") {
  analysis::LineCounter counter;
  for (int i = 0; i < 6; ++i) {
    std::string body = outlet_body(i);
    if (i < 2) body += "\n\n" + kQuote;  // two articles quote the same sentence
    counter.add("hw-" + std::to_string(i), "harbourwire", body);
  }
  counter.add("hw-0", "harbourwire", outlet_body(0));  // the same id again counts once
  counter.add("sp-1", "steppepost", "Officials spoke.\n\n" + kAppeal);
  const analysis::LineCounts counts = counter.finish();
  CHECK(counts.articles("harbourwire") == 6);
  CHECK(counts.articles("steppepost") == 1);

  analysis::BoilerplateDetector d;
  d.set_counts(&counts, nullptr, /*counts_include_article=*/true);
  std::vector<SuppressedLine> out;
  const std::string body = outlet_body(0) + "\n\n" + kQuote;
  d.detect("harbourwire", body, out);
  REQUIRE(out.size() == 1);
  CHECK(texts(body, out) == std::vector<std::string>{kAppeal});
  CHECK(out[0].reason == BoilerplateReason::kRecurring);
  CHECK(out[0].detail == "6/6");
  CHECK(analysis::describe(out[0]) == "recurs in 6 of 6 articles of this source");

  // The same appeal once in another outlet does not recur there; it is still an appeal, by pattern.
  const std::string other = "Officials spoke.\n\n" + kAppeal;
  d.detect("steppepost", other, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].reason == BoilerplateReason::kPattern);
  CHECK(out[0].detail == "donation");

  // A body whose every line recurs keeps them all.
  analysis::LineCounter c2;
  for (const char* id : {"x1", "x2", "x3", "x4", "x5"}) {
    c2.add(id, "harbourwire", "Daily bulletin: no change.");
  }
  const analysis::LineCounts counts2 = c2.finish();
  d.set_counts(&counts2, nullptr, true);
  d.detect("harbourwire", "Daily bulletin: no change.", out);
  CHECK(out.empty());
}

TEST_CASE("boilerplate: counts stored in the index add to the prescan's") {
  analysis::LineCounter counter;
  counter.add("new-1", "harbourwire", outlet_body(1));
  const analysis::LineCounts counts = counter.finish();
  const std::uint64_t appeal_key =
      analysis::line_key("harbourwire", analysis::normalise_line(kAppeal));
  analysis::StoredCounts stored;
  stored.line = [&](std::uint64_t key) -> std::uint64_t { return key == appeal_key ? 2 : 0; };
  stored.articles = [](std::string_view) -> std::uint64_t { return 4; };
  analysis::BoilerplateDetector d;
  std::vector<SuppressedLine> out;
  d.set_counts(&counts, &stored, true);
  const std::string body = outlet_body(1);
  d.detect("harbourwire", body, out);  // 1 + 2 = 3 of 5 articles: threshold 3
  REQUIRE(out.size() == 1);
  CHECK(out[0].detail == "3/5");
  // Without a prescan (standard input), the article itself is counted: 2 + 1.
  d.set_counts(nullptr, &stored, false);
  d.detect("harbourwire", body, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].detail == "3/5");
  stored.line = [](std::uint64_t) -> std::uint64_t { return 1; };
  d.detect("harbourwire", body, out);  // 2 of 5: not recurring; the appeal's pattern still applies
  REQUIRE(out.size() == 1);
  CHECK(out[0].reason == BoilerplateReason::kPattern);
}

TEST_CASE("boilerplate: patterns in a single article, and the list under a Read more header") {
  analysis::BoilerplateDetector d;  // no counts: patterns only
  std::vector<SuppressedLine> out;
  const std::string body =
      "Photo: Harbour Wire\n"
      "Drones struck the grain terminal at dawn, the port authority said.\n\n"
      "Read more:\n"
      "- Grain prices rise on Black Sea uncertainty\n"
      "- Talks resume in Istanbul\n\n"
      "The terminal will reopen next week.\n"
      "- A bulleted line not under a header stays.\n\n"
      "Sign up for our morning briefing: the day's news at 7 a.m.";
  d.detect("harbourwire", body, out);
  CHECK(texts(body, out) ==
        std::vector<std::string>{"Photo: Harbour Wire",
                                 "Read more:", "- Grain prices rise on Black Sea uncertainty",
                                 "- Talks resume in Istanbul",
                                 "Sign up for our morning briefing: the day's news at 7 a.m."});
  REQUIRE(out.size() == 5);
  CHECK(out[0].detail == "credit");
  CHECK(out[2].reason == BoilerplateReason::kList);
  CHECK(analysis::describe(out[4]) == "pattern: newsletter");
  // A one-line body is the article: no pattern applies.
  d.detect("harbourwire", "Subscribe now to support our journalism.", out);
  CHECK(out.empty());
  // A long paragraph that mentions an appeal is reporting.
  std::string long_line =
      "Photo: agencies reported that the regional governor, speaking after the strike,";
  while (long_line.size() <= analysis::kMaxPatternLineBytes) long_line += " said more";
  d.detect("x", long_line + "\nSecond line.", out);
  CHECK(out.empty());
}

TEST_CASE("boilerplate: the slot value round-trips and bad values are skipped") {
  const std::vector<SuppressedLine> lines = {{0, 10, BoilerplateReason::kPattern, "credit"},
                                             {20, 45, BoilerplateReason::kRecurring, "7/20"},
                                             {46, 50, BoilerplateReason::kList, "related"}};
  const auto back = analysis::decode_suppressed(analysis::encode_suppressed(lines));
  REQUIRE(back.size() == 3);
  CHECK(back[1].begin == 20);
  CHECK(back[1].end == 45);
  CHECK(back[1].reason == BoilerplateReason::kRecurring);
  CHECK(back[1].detail == "7/20");
  CHECK(back[2].detail == "related");
  const auto bad = analysis::decode_suppressed(
      "garbage\n1 2\n9 3 R x\n5 9 Q y\n-1 4 P z\n99999999999999999999 1 P a\n4 8 P ok\n\n");
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].detail == "ok");
  CHECK(analysis::without_suppressed("ab\ncd\nef", {{3, 5, BoilerplateReason::kPattern, "x"},
                                                    {7, 99, BoilerplateReason::kPattern, "y"}}) ==
        "ab\n\n\n\ne\n");
}

TEST_CASE("boilerplate: indexed under XB, searched only with include_boilerplate") {
  analysis::LineCounter counter;
  std::vector<schema::Article> articles;
  for (int i = 0; i < 5; ++i) {
    articles.push_back(test::make_article("hw-" + std::to_string(i), "Report " + std::to_string(i),
                                          outlet_body(i), "en", "Harbour Wire",
                                          "2025-01-0" + std::to_string(i + 1)));
    counter.add(articles.back().id, analysis::keyword(articles.back().source),
                articles.back().body);
  }
  articles.push_back(test::make_article(
      "ed-1", "Press freedom",
      "Donors pledged to support independent journalism in the region, which is funded by readers "
      "like you and others, the foundation's director said at the conference.\n\nMore later.",
      "en", "Euro Gazette", "2025-02-01"));
  const analysis::LineCounts counts = counter.finish();
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  index::DocumentBuilder builder;
  builder.set_boilerplate_counts(&counts, nullptr, true);
  for (const auto& a : articles) {
    std::string lang;
    const Xapian::Document doc = builder.build(a, lang);
    db.replace_document("Q" + a.id, doc);
  }
  const Xapian::Document doc0 = db.get_document(1);
  CHECK(has_term(doc0, "XBjournalism"));
  CHECK(has_term(doc0, "XBZjournal"));
  CHECK_FALSE(has_term(doc0, "journalism"));
  CHECK_FALSE(has_term(doc0, "Zjournal"));
  CHECK(has_term(doc0, "shelling"));
  CHECK_FALSE(doc0.get_value(schema::slot::kBoilerplate).empty());
  // One line term per line that can recur; its termfreq counts the outlet's articles.
  const std::string appeal_term = schema::terms::boilerplate_line(
      analysis::line_key("harbourwire", analysis::normalise_line(kAppeal)));
  CHECK(db.get_termfreq(appeal_term) == 5);
  CHECK(db.get_document(6).get_value(schema::slot::kBoilerplate).empty());

  auto search = [&](const std::string& q, bool include) {
    search::QueryBuilder qb(db, {"en"});
    qb.set_include_boilerplate(include);
    return test::matching_ids(db, qb.build(q).query);
  };
  using Ids = std::set<std::string>;
  CHECK(search("journalism", false) == Ids{"ed-1"});
  CHECK(search("\"independent journalism\"", false) == Ids{"ed-1"});
  CHECK(search("Journalism", true) ==
        Ids{"ed-1", "hw-0", "hw-1", "hw-2", "hw-3", "hw-4"});  // stems (Zjournal, XBZjournal)
  CHECK(search("\"support independent journalism\"", true).size() == 6);
  // A phrase running from the article's text into its boilerplate.
  CHECK(search("\"homes support independent\"", true) ==
        Ids{"hw-0", "hw-1", "hw-2", "hw-3", "hw-4"});
  CHECK(search("\"homes support independent\"", false).empty());
  CHECK(search("shelling -journalism", false).size() == 5);
  CHECK(search("shelling -journalism", true).empty());
}
