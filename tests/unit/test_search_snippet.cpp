// Snippets from a bounded window (issue 11): a long article is cut to kSnippetWindowBytes around
// the first place a query word occurs, found by a byte search, so a snippet never tokenises the
// whole body.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "sitrep/search/snippet.hpp"
#include "sitrep/util/utf8.hpp"

using namespace sitrep;
using search::kSnippetWindowBytes;

namespace {

search::SnippetMaker quokka_maker() { return search::SnippetMaker({"quokka"}, {"Zquokka"}); }

// n bytes of filler words (no "quokka").
std::string filler(std::size_t n) {
  std::string s;
  while (s.size() < n) s += "convoy ceasefire corridor shelling envoy harbour grain. ";
  s.resize(n);
  return s;
}

std::string highlighted(const search::Snippet& s) {
  std::string out;
  for (const auto& r : s.runs) {
    if (r.highlight) out += r.text + "|";
  }
  return out;
}

}  // namespace

TEST_CASE("search::SnippetMaker::source keeps a short text whole") {
  auto maker = quokka_maker();
  const std::string text = "A quokka was seen near the harbour.";
  const search::SnippetSource src = maker.source(text);
  CHECK(src.text == text);
  CHECK_FALSE(src.cut_before);
  CHECK_FALSE(src.cut_after);
  CHECK(maker.make(src, "en").plain() == maker.make(text, "en").plain());
}

TEST_CASE("search::SnippetMaker::source cuts a long text around the first match") {
  auto maker = quokka_maker();
  SUBCASE("a match in the middle, in capitals, after a word that only contains it") {
    const std::string text = filler(50000) + " xquokka " + filler(100000) +
                             " The keeper saw a Quokka at dawn. " + filler(300000);
    const search::SnippetSource src = maker.source(text);
    CHECK(src.text.size() <= kSnippetWindowBytes);
    CHECK(src.cut_before);
    CHECK(src.cut_after);
    CHECK(src.text.find("saw a Quokka at dawn") != std::string::npos);
    CHECK(src.text.find("xquokka") == std::string::npos);
    const search::Snippet s = maker.make(src, "en");
    CHECK(highlighted(s) == "Quokka|");
    CHECK(s.runs.front().text == "…");
    CHECK(s.runs.back().text == "…");
  }
  SUBCASE("no match: the start of the text") {
    const std::string text = filler(200000);
    const search::SnippetSource src = maker.source(text);
    CHECK(src.text.size() <= kSnippetWindowBytes);
    CHECK_FALSE(src.cut_before);
    CHECK(src.cut_after);
    CHECK(text.compare(0, src.text.size(), src.text) == 0);
  }
  SUBCASE("a match near the end: a full window that ends with the text") {
    const std::string text = filler(200000) + " one quokka.";
    const search::SnippetSource src = maker.source(text);
    CHECK(src.text.size() > kSnippetWindowBytes - 600);
    CHECK(src.cut_before);
    CHECK_FALSE(src.cut_after);
    CHECK(highlighted(maker.make(src, "en")) == "quokka|");
  }
  SUBCASE("never inside a UTF-8 character, even without spaces") {
    std::string text;
    while (text.size() < 300000) text += "жд";
    text += " quokka ";
    while (text.size() < 600000) text += "жд";
    const search::SnippetSource src = maker.source(text);
    CHECK(utf8::valid(src.text));
    CHECK(src.text.size() <= kSnippetWindowBytes);
    CHECK(src.text.find("quokka") != std::string::npos);
  }
}

TEST_CASE("search::SnippetMaker::source leaves suppressed lines out") {
  auto maker = quokka_maker();
  SUBCASE("a match in a suppressed line does not place the window") {
    const std::string boiler = "Support quokka journalism\n";
    const std::string text = filler(1000) + "\n" + boiler + filler(150000) +
                             "\nThe real quokka story.\n" + filler(150000);
    analysis::SuppressedLine line;
    line.begin = static_cast<std::uint32_t>(1001);
    line.end = static_cast<std::uint32_t>(1001 + boiler.size() - 1);
    const search::SnippetSource src = maker.source(text, {line});
    CHECK(src.text.find("The real quokka story.") != std::string::npos);
    CHECK(src.text.find("Support") == std::string::npos);
  }
  SUBCASE("a short text: the lines become line breaks") {
    const std::string text = "Donate now\nA quokka.\n";
    analysis::SuppressedLine line;
    line.begin = 0;
    line.end = 10;
    const search::SnippetSource src = maker.source(text, {line});
    CHECK(src.text == std::string(10, '\n') + "\nA quokka.\n");
  }
  SUBCASE("nothing but suppressed lines and spaces: empty") {
    const std::string text = filler(100000);
    analysis::SuppressedLine line;
    line.begin = 0;
    line.end = static_cast<std::uint32_t>(text.size());
    CHECK(maker.source(text, {line}).text.empty());
    CHECK(maker.source("Donate\n  \n", {analysis::SuppressedLine{0, 6, {}, {}}}).text.empty());
  }
}
