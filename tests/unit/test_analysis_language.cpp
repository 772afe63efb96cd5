// Unit tests for language codes and CLD2 detection. The sample paragraphs are written for these
// tests.

#include <string>

#include <doctest/doctest.h>

#include "sitrep/analysis/language.hpp"

using sitrep::analysis::canonical_language;
using sitrep::analysis::detect_language;

TEST_CASE("canonical_language: codes, tags and names") {
  CHECK(canonical_language("en") == "en");
  CHECK(canonical_language("EN") == "en");
  CHECK(canonical_language(" en-US ") == "en");
  CHECK(canonical_language("en_GB") == "en");
  CHECK(canonical_language("uk_UA.UTF-8") == "uk");
  CHECK(canonical_language("eng") == "en");
  CHECK(canonical_language("rus") == "ru");
  CHECK(canonical_language("ukr") == "uk");
  CHECK(canonical_language("ara") == "ar");
  CHECK(canonical_language("deu") == "de");
  CHECK(canonical_language("ger") == "de");  // ISO 639-2/B
  CHECK(canonical_language("fre") == "fr");
  CHECK(canonical_language("iw") == "he");  // deprecated code, used by CLD2
  CHECK(canonical_language("zh-Hant") == "zh");
  CHECK(canonical_language("English") == "en");
  CHECK(canonical_language("russian") == "ru");
  CHECK(canonical_language("UKRAINIAN") == "uk");
  CHECK(canonical_language("Arabic") == "ar");
  CHECK(canonical_language("Русский") == "ru");
  CHECK(canonical_language("українська") == "uk");
  CHECK(canonical_language("nb") == "nb");
  CHECK(canonical_language("haw") == "haw");  // no ISO 639-1 code
  CHECK(canonical_language("und") == "und");
}

TEST_CASE("canonical_language: unrecognised input is empty") {
  CHECK(canonical_language("") == "");
  CHECK(canonical_language("   ") == "");
  CHECK(canonical_language("zz") == "");
  CHECK(canonical_language("xyz") == "");
  CHECK(canonical_language("e") == "");
  CHECK(canonical_language("klingonese") == "");
  CHECK(canonical_language("12") == "");
  CHECK(canonical_language("-en") == "");
  CHECK(canonical_language("\xff\xfe") == "");
  CHECK(canonical_language("Язык") == "");
}

namespace {

const char* const kEnglish =
    "The regional council met on Thursday evening to discuss the repair of the bridge that was "
    "damaged during the storm last month. Several members argued that the work should begin "
    "before the winter, while others wanted to wait for an independent report on the costs. "
    "Residents who depend on the crossing to reach the hospital said they were tired of delays.";

const char* const kRussian =
    "Городской совет собрался в четверг вечером, чтобы обсудить ремонт моста, который был "
    "повреждён во время бури в прошлом месяце. Несколько депутатов заявили, что работы нужно "
    "начать до зимы, а другие предложили дождаться независимого отчёта о стоимости. Жители, "
    "которым этот мост нужен, чтобы добраться до больницы, говорят, что устали от задержек.";

const char* const kUkrainian =
    "Міська рада зібралася в четвер увечері, щоб обговорити ремонт мосту, який був "
    "пошкоджений під час бурі минулого місяця. Кілька депутатів заявили, що роботи треба "
    "почати до зими, а інші запропонували дочекатися незалежного звіту про вартість. Мешканці, "
    "яким цей міст потрібен, щоб дістатися до лікарні, кажуть, що втомилися від затримок.";

const char* const kArabic =
    "اجتمع المجلس البلدي مساء الخميس لمناقشة إصلاح الجسر الذي تضرر خلال العاصفة في الشهر "
    "الماضي. وقال عدد من الأعضاء إن العمل يجب أن يبدأ قبل الشتاء، بينما فضل آخرون انتظار تقرير "
    "مستقل عن التكاليف. وقال السكان الذين يعتمدون على الجسر للوصول إلى المستشفى إنهم سئموا "
    "من التأخير.";

const char* const kFrench =
    "Le conseil municipal s'est réuni jeudi soir pour discuter de la réparation du pont "
    "endommagé pendant la tempête du mois dernier. Plusieurs élus ont estimé que les travaux "
    "devaient commencer avant l'hiver, tandis que d'autres voulaient attendre un rapport "
    "indépendant sur les coûts. Les habitants qui empruntent ce pont pour aller à l'hôpital "
    "se disent fatigués des retards.";

const char* const kGerman =
    "Der Stadtrat traf sich am Donnerstagabend, um über die Reparatur der Brücke zu beraten, "
    "die im Sturm des vergangenen Monats beschädigt wurde. Mehrere Mitglieder meinten, die "
    "Arbeiten sollten noch vor dem Winter beginnen, während andere auf einen unabhängigen "
    "Bericht über die Kosten warten wollten. Anwohner, die über die Brücke ins Krankenhaus "
    "fahren, sagen, sie hätten genug von den Verzögerungen.";

}  // namespace

TEST_CASE("detect_language: article-length paragraphs") {
  CHECK(detect_language("Council debates bridge repair", kEnglish) == "en");
  CHECK(detect_language("Совет обсудил ремонт моста", kRussian) == "ru");
  CHECK(detect_language("Рада обговорила ремонт мосту", kUkrainian) == "uk");
  CHECK(detect_language("المجلس يناقش إصلاح الجسر", kArabic) == "ar");
  CHECK(detect_language("Le conseil discute du pont", kFrench) == "fr");
  CHECK(detect_language("Stadtrat berät über Brücke", kGerman) == "de");
  // The body alone is enough.
  CHECK(detect_language("", kUkrainian) == "uk");
  CHECK(detect_language("", kRussian) == "ru");
}

TEST_CASE("detect_language: too little text is undetermined") {
  CHECK(detect_language("", "") == "und");
  CHECK(detect_language("", "   \n ") == "und");
  CHECK(detect_language("", "12345 678 90") == "und");
}

TEST_CASE("detect_language: invalid UTF-8 and control bytes do not defeat detection") {
  std::string body = kEnglish;
  body.insert(40, "\xff\xfe\xc3");
  body.insert(100, std::string("\x01\x02\x00\x7f", 4));
  std::string result;
  REQUIRE_NOTHROW(result = detect_language("Council \xed\xa0\x80 debates", body));
  CHECK(result == "en");
}

TEST_CASE("detect_language: only the first 16 KiB of the body count") {
  std::string body;
  while (body.size() < 20 * 1024) body += std::string(kGerman) + " ";
  for (int i = 0; i < 40; ++i) body += std::string(kRussian) + " ";
  CHECK(detect_language("", body) == "de");
}
