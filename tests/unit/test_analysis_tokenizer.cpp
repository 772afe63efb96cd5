// Unit tests for the tokenizer: terms, offsets into the original bytes, glued flags, and the
// character mapping that makes typographic variants search like their ASCII forms.

#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "sitrep/analysis/tokenizer.hpp"

using sitrep::analysis::keyword;
using sitrep::analysis::kMaxTermBytes;
using sitrep::analysis::normalize;
using sitrep::analysis::Token;
using sitrep::analysis::Tokenizer;

namespace {

using Terms = std::vector<std::string>;

std::vector<Token> tokens_of(std::string_view text) {
  Tokenizer tokenizer;
  std::vector<Token> out;
  tokenizer.tokenize(text, out);
  return out;
}

Terms terms_of(std::string_view text) {
  Tokenizer tokenizer;
  return tokenizer.terms(text);
}

std::string_view cut(std::string_view text, const Token& t) {
  return text.substr(t.begin, t.end - t.begin);
}

// The invariant the searcher relies on: ASCII letters/digits or non-ASCII bytes only (the
// non-ASCII ones are checked to be letters, marks or digits by construction in the tokenizer).
bool plain_ascii_part(const std::string& term) {
  for (unsigned char c : term) {
    if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("tokenizer: plain English words are lower-cased with exact offsets") {
  const std::string_view text = "Russian Troops  advanced\ton Kyiv.";
  const auto tokens = tokens_of(text);
  REQUIRE(tokens.size() == 5);
  CHECK(tokens[0].term == "russian");
  CHECK(tokens[0].begin == 0);
  CHECK(tokens[0].end == 7);
  CHECK_FALSE(tokens[0].glued);
  CHECK(tokens[1].term == "troops");
  CHECK(cut(text, tokens[1]) == "Troops");
  CHECK(tokens[2].term == "advanced");
  CHECK(tokens[2].begin == 16);
  CHECK(tokens[4].term == "kyiv");
  CHECK(cut(text, tokens[4]) == "Kyiv");
  for (const Token& t : tokens) CHECK_FALSE(t.glued);
}

TEST_CASE("tokenizer: empty and separator-only input gives no tokens") {
  CHECK(tokens_of("").empty());
  CHECK(tokens_of("  \n\t -- ... !!! ").empty());
  CHECK(tokens_of("\xc2\xa0\xe2\x80\x8b\xc2\xad").empty());
}

TEST_CASE("tokenizer: acronyms") {
  CHECK(terms_of("The U.S. and the U.N. met") == Terms{"the", "us", "and", "the", "un", "met"});
  CHECK(terms_of("U.S.") == terms_of("US"));
  CHECK(terms_of("e.g. a.m.") == Terms{"eg", "am"});
  const std::string_view text = "the U.S. said";
  const auto tokens = tokens_of(text);
  REQUIRE(tokens.size() == 3);
  CHECK(cut(text, tokens[1]) == "U.S");
  // Not an acronym: multi-letter parts are split at the dots, glued.
  const auto host = tokens_of("www.example.com");
  REQUIRE(host.size() == 3);
  CHECK(host[0].term == "www");
  CHECK(host[1].term == "example");
  CHECK(host[1].glued);
  CHECK(host[2].glued);
}

TEST_CASE("tokenizer: possessives with straight and curly apostrophes") {
  CHECK(terms_of("Moscow's") == Terms{"moscow"});
  CHECK(terms_of("Moscow\xe2\x80\x99s") == Terms{"moscow"});  // U+2019
  CHECK(terms_of("MOSCOW'S") == Terms{"moscow"});
  const std::string_view curly = "Moscow\xe2\x80\x99s army";
  const auto tokens = tokens_of(curly);
  REQUIRE(tokens.size() == 2);
  CHECK(cut(curly, tokens[0]) == "Moscow");
  CHECK(tokens[1].begin == 11);  // "Moscow" 6 bytes, U+2019 3 bytes, "s", space
}

TEST_CASE("tokenizer: apostrophes inside words are dropped, whatever their form") {
  CHECK(terms_of("O'Brien") == Terms{"obrien"});
  CHECK(terms_of("O\xe2\x80\x99"
                 "Brien") == Terms{"obrien"});
  CHECK(terms_of("don't") == terms_of("don\xe2\x80\x99t"));
  CHECK(terms_of("don't") == Terms{"dont"});
  const std::string_view text =
      "O\xe2\x80\x99"
      "Brien said";
  const auto tokens = tokens_of(text);
  REQUIRE(tokens.size() == 2);
  CHECK(cut(text, tokens[0]) ==
        "O\xe2\x80\x99"
        "Brien");
}

TEST_CASE("tokenizer: curly and straight quotes give identical terms") {
  const Terms straight = terms_of("\"We will not retreat,\" he said. 'Never.'");
  CHECK(straight == Terms{"we", "will", "not", "retreat", "he", "said", "never"});
  CHECK(terms_of("\xe2\x80\x9cWe will not retreat,\xe2\x80\x9d he said. "
                 "\xe2\x80\x98Never.\xe2\x80\x99") == straight);
  CHECK(terms_of("\xc2\xabWe will not retreat,\xc2\xbb he said. 'Never.'") == straight);
  CHECK(terms_of("\xe2\x80\x9eWe will not retreat,\xe2\x80\x9f he said. 'Never.'") == straight);
}

TEST_CASE("tokenizer: numbers") {
  CHECK(terms_of("1,300 troops") == Terms{"1300", "troops"});
  CHECK(terms_of("1,300,000") == Terms{"1300000"});
  CHECK(terms_of("1300") == terms_of("1,300"));
  CHECK(terms_of("3.5") == Terms{"3", "5"});
  CHECK(terms_of("3,5") == Terms{"3", "5"});  // not a thousands group
  // Arabic-Indic digits search like ASCII ones.
  CHECK(terms_of("\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa4") == Terms{"2024"});
  const auto tokens = tokens_of("3.5");
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[1].glued);
}

TEST_CASE("tokenizer: hyphenated compounds come out glued") {
  const std::string_view text = "a 28-point plan";
  const auto tokens = tokens_of(text);
  REQUIRE(tokens.size() == 4);
  CHECK(tokens[1].term == "28");
  CHECK_FALSE(tokens[1].glued);
  CHECK(tokens[2].term == "point");
  CHECK(tokens[2].glued);
  CHECK(cut(text, tokens[2]) == "point");
  CHECK_FALSE(tokens[3].glued);

  // U+2011 non-breaking hyphens, with an acronym at the end.
  const std::string_view compound = "Ukraine\xe2\x80\x91Russia\xe2\x80\x91U.S. talks";
  const auto parts = tokens_of(compound);
  REQUIRE(parts.size() == 4);
  CHECK(parts[0].term == "ukraine");
  CHECK(parts[1].term == "russia");
  CHECK(parts[2].term == "us");
  CHECK(parts[3].term == "talks");
  CHECK_FALSE(parts[0].glued);
  CHECK(parts[1].glued);
  CHECK(parts[2].glued);
  CHECK_FALSE(parts[3].glued);
  CHECK(cut(compound, parts[1]) == "Russia");
  CHECK(cut(compound, parts[2]) == "U.S");
}

TEST_CASE("tokenizer: every dash variant behaves like an ASCII hyphen") {
  const Terms expected = terms_of("Ukraine-Russia");
  CHECK(expected == Terms{"ukraine", "russia"});
  for (const char* dash :
       {"\xe2\x80\x90", "\xe2\x80\x91", "\xe2\x80\x92", "\xe2\x80\x93", "\xe2\x80\x94",
        "\xe2\x80\x95", "\xe2\x88\x92", "\xef\xb9\xa3", "\xef\xbc\x8d"}) {
    const std::string text = std::string("Ukraine") + dash + "Russia";
    CAPTURE(text);
    const auto tokens = tokens_of(text);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].term == "ukraine");
    CHECK(tokens[1].term == "russia");
    CHECK(tokens[1].glued);
    CHECK(cut(text, tokens[1]) == "Russia");
  }
}

TEST_CASE("tokenizer: non-breaking and other Unicode spaces separate words") {
  // U+00A0, U+202F, U+2009, U+3000
  for (const char* space : {"\xc2\xa0", "\xe2\x80\xaf", "\xe2\x80\x89", "\xe3\x80\x80"}) {
    const std::string text = std::string("28") + space + "point";
    CAPTURE(text);
    const auto tokens = tokens_of(text);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].term == "28");
    CHECK(tokens[1].term == "point");
    CHECK_FALSE(tokens[1].glued);
    CHECK(cut(text, tokens[1]) == "point");
  }
}

TEST_CASE("tokenizer: soft hyphen and zero-width characters are removed") {
  // Soft hyphen U+00AD, ZWSP U+200B, ZWNJ U+200C, ZWJ U+200D, word joiner U+2060, BOM U+FEFF.
  for (const char* invisible : {"\xc2\xad", "\xe2\x80\x8b", "\xe2\x80\x8c", "\xe2\x80\x8d",
                                "\xe2\x81\xa0", "\xef\xbb\xbf"}) {
    const std::string text = std::string("Ukr") + invisible + "aine army";
    CAPTURE(text);
    const auto tokens = tokens_of(text);
    REQUIRE(tokens.size() == 2);
    CHECK(tokens[0].term == "ukraine");
    CHECK(tokens[0].begin == 0);
    CHECK(cut(text, tokens[0]) == std::string("Ukr") + invisible + "aine");
    CHECK(tokens[1].term == "army");
    CHECK(cut(text, tokens[1]) == "army");
  }
  // A zero-width character right after a word is not part of its range.
  const std::string_view trailing = "Kyiv\xe2\x80\x8b and";
  const auto tokens = tokens_of(trailing);
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].end == 4);
  CHECK(tokens[1].begin == 8);
  // A leading BOM.
  const auto bom = tokens_of("\xef\xbb\xbfHello");
  REQUIRE(bom.size() == 1);
  CHECK(bom[0].begin == 3);
  CHECK(bom[0].end == 8);
}

TEST_CASE("tokenizer: offsets after multi-byte characters") {
  const std::string_view text = "Зеленський — Zelensky, «Київ» 2024 日本";
  const auto tokens = tokens_of(text);
  REQUIRE(tokens.size() >= 4);
  CHECK(tokens[0].term == "зеленський");
  CHECK(cut(text, tokens[0]) == "Зеленський");
  CHECK(tokens[1].term == "zelensky");
  CHECK(cut(text, tokens[1]) == "Zelensky");
  CHECK(tokens[2].term == "київ");
  CHECK(cut(text, tokens[2]) == "Київ");
  CHECK(tokens[3].term == "2024");
  CHECK(cut(text, tokens[3]) == "2024");
  for (const Token& t : tokens) {
    CHECK(t.begin < t.end);
    CHECK(t.end <= text.size());
  }
  // A character outside the BMP (a surrogate pair in UTF-16) before a word.
  const std::string_view emoji = "\xf0\x9f\x87\xba\xf0\x9f\x87\xa6 Kyiv";
  const auto after = tokens_of(emoji);
  REQUIRE(after.size() == 1);
  CHECK(after[0].begin == 9);
  CHECK(after[0].end == 13);
  // A mathematical bold letter (4 bytes) is a letter: NFKC makes it plain.
  const std::string_view bold =
      "\xf0\x9d\x90\x80"
      "bc x";
  const auto b = tokens_of(bold);
  REQUIRE(b.size() == 2);
  CHECK(b[0].term == "abc");
  CHECK(b[0].begin == 0);
  CHECK(b[0].end == 6);
}

TEST_CASE("tokenizer: Russian and Ukrainian") {
  CHECK(terms_of("Переговоры в Москве") == Terms{"переговоры", "в", "москве"});
  CHECK(terms_of("Україна, Євросоюз і їхні") == Terms{"україна", "євросоюз", "і", "їхні"});
  // Ukrainian apostrophe in its three common forms: ' U+2019 U+02BC.
  const Terms expected{"марїнка"};
  CHECK(terms_of("Мар'їнка") == expected);
  CHECK(terms_of("Мар\xe2\x80\x99їнка") == expected);
  CHECK(terms_of("Мар\xca\xbcїнка") == expected);
  const std::string_view text = "біля Мар\xca\xbcїнки";
  const auto tokens = tokens_of(text);
  REQUIRE(tokens.size() == 2);
  CHECK(cut(text, tokens[1]) == "Мар\xca\xbcїнки");
}

TEST_CASE("tokenizer: Russian ё is е") {
  CHECK(terms_of("Пётр ещё ЁЛКА") == Terms{"петр", "еще", "елка"});
  CHECK(terms_of("Петр еще елка") == terms_of("Пётр ещё ЁЛКА"));
  // Decomposed: е + combining diaeresis U+0308.
  CHECK(terms_of("е\xcc\x88лка") == Terms{"елка"});
  CHECK(normalize("Пётр Ёлкин") == "петр елкин");
  // Ukrainian ї and є are letters of their own, not folded.
  CHECK(terms_of("Києві") == Terms{"києві"});
}

TEST_CASE("tokenizer: Arabic hamza on alef, taa marbuta and alef maqsura are folded") {
  // أ إ آ ٱ -> ا
  CHECK(terms_of("أمريكا") == terms_of("امريكا"));
  CHECK(terms_of("إيران") == terms_of("ايران"));
  CHECK(terms_of("آسيا") == terms_of("اسيا"));
  CHECK(terms_of("ٱلله") == terms_of("الله"));
  // ة -> ه, ى -> ي
  CHECK(terms_of("القاهرة") == terms_of("القاهره"));
  CHECK(terms_of("مستشفى") == terms_of("مستشفي"));
  CHECK(terms_of("الأمم المتحدة") == Terms{"الامم", "المتحده"});
  CHECK(normalize("المملكة") == normalize("المملكه"));
}

TEST_CASE("tokenizer: Arabic harakat and tatweel are dropped") {
  const Terms plain = terms_of("المفاوضات في القاهرة");
  CHECK(plain.size() == 3);
  CHECK(plain[0] == "المفاوضات");
  // The same words fully vowelled, and stretched with tatweel.
  CHECK(terms_of("المُفَاوَضَاتُ فِي القَاهِرَةِ") == plain);
  CHECK(terms_of("المفـــاوضات في القاهرة") == plain);
  const std::string_view text = "في المُفَاوَضَاتُ";
  const auto tokens = tokens_of(text);
  REQUIRE(tokens.size() == 2);
  CHECK(cut(text, tokens[1]) == "المُفَاوَضَاتُ");
}

TEST_CASE("tokenizer: terms are only letters, marks and digits") {
  const std::string_view text =
      "foo_bar C++ a/b user@example.org $60 #tag ½ ﬁnal ＵＳＡ x=y+z İstanbul 10:30 ~ok~";
  const Terms terms = terms_of(text);
  for (const std::string& t : terms) {
    CAPTURE(t);
    CHECK_FALSE(t.empty());
    CHECK(plain_ascii_part(t));
  }
  CHECK(terms_of("foo_bar") == Terms{"foo", "bar"});
  CHECK(terms_of("ＵＳＡ") == Terms{"usa"});
  CHECK(terms_of("ﬁnal") == Terms{"final"});
  CHECK(terms_of("İstanbul") == terms_of("istanbul"));
  CHECK(terms_of("10:30") == Terms{"10", "30"});
}

TEST_CASE("tokenizer: invalid UTF-8 never throws and separates words") {
  const std::string text =
      std::string("bad") + "\xff\xfe" + "word \xc3" + " ok \xed\xa0\x80 end\xe2\x82";
  std::vector<Token> tokens;
  Tokenizer tokenizer;
  REQUIRE_NOTHROW(tokenizer.tokenize(text, tokens));
  Terms terms;
  for (const Token& t : tokens) {
    terms.push_back(t.term);
    CHECK(t.end <= text.size());
  }
  CHECK(terms == Terms{"bad", "word", "ok", "end"});
  CHECK(cut(text, tokens[1]) == "word");
  CHECK(cut(text, tokens[3]) == "end");
  // Overlong encoding of '/' and a lone continuation byte.
  CHECK_NOTHROW(terms_of("\xc0\xaf\x80\x80"));
  CHECK(terms_of("\xc0\xaf\x80\x80").empty());
}

TEST_CASE("tokenizer: very long terms are dropped") {
  const std::string long_word(kMaxTermBytes + 1, 'a');
  CHECK(terms_of(long_word + " short") == Terms{"short"});
  const std::string max_word(kMaxTermBytes, 'b');
  CHECK(terms_of(max_word) == Terms{max_word});
}

TEST_CASE("tokenizer: reuse across texts and appending") {
  Tokenizer tokenizer;
  std::vector<Token> out;
  tokenizer.tokenize("first text here", out);
  tokenizer.tokenize("second", out);
  REQUIRE(out.size() == 4);
  CHECK(out[3].term == "second");
  CHECK(out[3].begin == 0);   // offsets are relative to each call's text
  CHECK_FALSE(out[3].glued);  // the first token of a call is never glued
  Tokenizer moved = std::move(tokenizer);
  CHECK(moved.terms("Moved OK") == Terms{"moved", "ok"});
}

TEST_CASE("normalize: mapping, case folding and whitespace") {
  CHECK(normalize("  Ukraine\xe2\x80\x91Russia   TALKS\n\n") == "ukraine-russia talks");
  CHECK(normalize("Moscow\xe2\x80\x99s \xe2\x80\x9cplan\xe2\x80\x9d") == "moscow's \"plan\"");
  CHECK(normalize("a\xc2\xa0\xc2\xa0"
                  "b\xe2\x80\x8b"
                  "c") == "a bc");
  CHECK(normalize("ＵＳＡ") == "usa");
  CHECK(normalize("") == "");
  CHECK(normalize("   ") == "");
  CHECK(normalize("المُفَاوَضَاتُ") == "المفاوضات");
  CHECK_NOTHROW(normalize("bad \xff bytes"));
}

TEST_CASE("keyword: letters, marks and digits only") {
  CHECK(keyword("Kyiv Independent") == "kyivindependent");
  CHECK(keyword("Al-Jazeera") == "aljazeera");
  CHECK(keyword("Al\xe2\x80\x91Jazeera") == "aljazeera");
  CHECK(keyword("EN") == "en");
  CHECK(keyword("Українська правда") == "українськаправда");
  CHECK(keyword("  ") == "");
  CHECK(keyword("bad\xff") == "bad");
}
