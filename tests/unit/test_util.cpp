#include <doctest/doctest.h>

#include "sitrep/util/hash.hpp"
#include "sitrep/util/utf8.hpp"

using namespace sitrep;

TEST_CASE("util::utf8") {
  CHECK(utf8::valid("plain ascii"));
  CHECK(utf8::valid("Зеленський — Київ"));
  CHECK(utf8::first_invalid("ab\xff") == 2);
  CHECK(utf8::first_invalid("\xC0\xAF") == 0);          // overlong
  CHECK(utf8::first_invalid("x\xED\xA0\x80") == 1);     // surrogate
  CHECK(utf8::first_invalid("\xF4\x90\x80\x80") == 0);  // above U+10FFFF
  CHECK(utf8::first_invalid("ok\xE2\x80") == 2);        // truncated sequence
  CHECK(utf8::repair("a\xffz") == "a\xEF\xBF\xBDz");
  CHECK(utf8::truncate("Київ", 3) == "К");  // never cuts a character in half
  CHECK(utf8::truncate("abc", 10) == "abc");
}

TEST_CASE("util::hash") {
  CHECK(hash64_hex("x").size() == 16);
  CHECK(hash64_hex("x") == hash64_hex("x"));
  CHECK(hash64_hex("x") != hash64_hex("y"));
  CHECK(hash128_hex("x").size() == 32);
  // Stored ids depend on this value never changing across platforms or releases.
  CHECK(hash64_hex("") == "2d06800538d394c2");
}
