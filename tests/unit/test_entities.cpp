// Unit tests for the entity module: dictionary loading and its errors, variant spellings mapping to
// one canonical id, in-article surname resolution, and the capitalisation rules for names that are
// not in the gazetteer.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "sitrep/analysis/tokenizer.hpp"
#include "sitrep/entities/entities.hpp"
#include "sitrep/schema/entity_type.hpp"
#include "sitrep/util/error.hpp"

using sitrep::Error;
using sitrep::ErrorKind;
using sitrep::analysis::Token;
using sitrep::analysis::Tokenizer;
using sitrep::entities::alias_key;
using sitrep::entities::discovered_id;
using sitrep::entities::EntityType;
using sitrep::entities::Gazetteer;
using sitrep::entities::latin_key;
using sitrep::entities::Mention;
using sitrep::entities::Recognizer;

namespace {

const Gazetteer& builtin() {
  static const Gazetteer g = [] {
    Gazetteer gz;
    gz.load_builtin();
    return gz;
  }();
  return g;
}

// Runs the recogniser on texts as one article (title, then body...).
std::vector<Mention> recognise(const Gazetteer& g, const std::vector<std::string_view>& texts) {
  Tokenizer tokenizer;
  Recognizer recognizer(g);
  recognizer.begin_article();
  std::vector<Mention> out;
  for (std::string_view text : texts) {
    std::vector<Token> tokens;
    tokenizer.tokenize(text, tokens);
    recognizer.recognize(text, tokens, out);
  }
  return out;
}

std::vector<Mention> recognise(std::string_view text) { return recognise(builtin(), {text}); }

std::vector<std::string> ids(const std::vector<Mention>& mentions) {
  std::vector<std::string> out;
  for (const auto& m : mentions) out.push_back(m.id);
  return out;
}

bool has(const std::vector<Mention>& mentions, std::string_view id) {
  for (const auto& m : mentions) {
    if (m.id == id) return true;
  }
  return false;
}

const Mention* find(const std::vector<Mention>& mentions, std::string_view id) {
  for (const auto& m : mentions) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("entities: type names and letters") {
  CHECK(sitrep::entities::type_name(EntityType::kPerson) == "person");
  CHECK(sitrep::entities::type_name(EntityType::kOrg) == "org");
  CHECK(sitrep::entities::parse_type("organisation") == EntityType::kOrg);
  CHECK(sitrep::entities::parse_type("organization") == EntityType::kOrg);
  CHECK(sitrep::entities::parse_type("place") == EntityType::kPlace);
  CHECK_FALSE(sitrep::entities::parse_type("city").has_value());
  namespace schema = sitrep::schema;
  CHECK(schema::entity_type_from_letter('L') == EntityType::kPlace);
  CHECK(schema::entity_type_from_letter('X') == EntityType::kOther);
  CHECK_FALSE(schema::entity_type_from_letter('Q').has_value());
  CHECK_FALSE(schema::entity_type_from_name("organisation").has_value());  // dictionaries only
  // The stored forms (letters in terms and lexicon values, 2-bit key codes, prefixes) are the
  // index format: this table must not change without a schema version bump.
  const struct {
    EntityType type;
    char letter;
    int code;
    std::string_view name, prefix, label;
  } expected[] = {{EntityType::kPerson, 'P', 0, "person", "XEP", "People"},
                  {EntityType::kPlace, 'L', 1, "place", "XEL", "Places"},
                  {EntityType::kOrg, 'O', 2, "org", "XEO", "Orgs"},
                  {EntityType::kOther, 'X', 3, "other", "XEX", "Other"}};
  for (const auto& e : expected) {
    CAPTURE(e.letter);
    CHECK(schema::entity_type_letter(e.type) == e.letter);
    CHECK(schema::entity_type_code(e.type) == e.code);
    CHECK(schema::entity_type_name(e.type) == e.name);
    CHECK(schema::entity_prefix(e.type) == e.prefix);
    CHECK(schema::entity_type_label(e.type) == e.label);
    CHECK(schema::entity_type_from_letter(e.letter) == e.type);
    CHECK(schema::entity_type_from_name(e.name) == e.type);
    CHECK(sitrep::entities::parse_type(e.name) == e.type);
  }
}

TEST_CASE("entities: alias keys, Latin keys and discovered ids") {
  Tokenizer tokenizer;
  CHECK(alias_key(tokenizer, "Volodymyr  Zelensky's") == "volodymyr zelensky");
  CHECK(alias_key(tokenizer, "Bashar al-Assad") == "bashar al assad");
  CHECK(alias_key(tokenizer, " -- ").empty());
  CHECK(latin_key("kirill dmitriev") == "kirill dmitriev");
  CHECK(latin_key("кирилл дмитриев") == "kirill dmitriev");
  CHECK(discovered_id("кирилл дмитриев") == "x-kirill-dmitriev");
  CHECK(discovered_id("kirill dmitriev") == "x-kirill-dmitriev");
}

TEST_CASE("entities: the builtin gazetteer") {
  const Gazetteer& g = builtin();
  CHECK(g.size() > 500);
  REQUIRE(g.find("volodymyr-zelensky") != nullptr);
  CHECK(g.find("volodymyr-zelensky")->type == EntityType::kPerson);
  CHECK(g.find("volodymyr-zelensky")->name == "Volodymyr Zelensky");
  REQUIRE(g.find("kyiv") != nullptr);
  CHECK(g.find("kyiv")->type == EntityType::kPlace);
  REQUIRE(g.find("nato") != nullptr);
  CHECK(g.find("nato")->type == EntityType::kOrg);
  // Countries come from iso-codes, with names in several languages.
  REQUIRE(g.find("ukraine") != nullptr);
  REQUIRE(g.find("germany") != nullptr);
  // Kirill Dmitriev is deliberately absent: he is the test case for discovered names.
  CHECK(g.find("kirill-dmitriev") == nullptr);

  const auto keys = g.search_keys("yury-ushakov");
  auto contains = [&](std::string_view k) {
    return std::find(keys.begin(), keys.end(), k) != keys.end();
  };
  CHECK(contains("yury ushakov"));
  CHECK(contains("yuri ushakov"));
  CHECK(contains("юрий ушаков"));
  CHECK(contains("ushakov"));  // the surname alone, for person:Ushakov
  CHECK(contains("ushakov"));
  CHECK(g.search_keys("no-such-id").empty());

  const auto germany = g.search_keys("germany");
  for (std::string_view name : {"germany", "германия", "німеччина", "allemagne", "deutschland"}) {
    CHECK_MESSAGE(std::find(germany.begin(), germany.end(), name) != germany.end(), name);
  }
}

TEST_CASE("entities: every spelling of a gazetteer entity gives its id") {
  for (std::string_view text :
       {"Talks with Volodymyr Zelensky ended.", "He met Zelensky today.", "He met Zelenskyy today.",
        "He met Zelenskiy today.", "Treffen mit Selenskyj in Berlin.", "Встреча с Зеленским.",
        "Зеленский заявил об этом.", "Зеленський заявив про це.", "وقال زيلينسكي إن",
        "VOLODYMYR ZELENSKY SPEAKS"}) {
    CHECK_MESSAGE(has(recognise(text), "volodymyr-zelensky"), text);
  }
  for (std::string_view text : {"Strikes on Kyiv overnight.", "Strikes on Kiev overnight.",
                                "Удари по Києву.", "Атака на Киев.", "Вибухи у Київ."}) {
    CHECK_MESSAGE(has(recognise(text), "kyiv"), text);
  }
  for (std::string_view text : {"Drones hit Odesa.", "Drones hit Odessa.", "Дрони атакували Одесу.",
                                "Удар по Одессе.", "Мешканці Одеса."}) {
    CHECK_MESSAGE(has(recognise(text), "odesa"), text);
  }
  for (std::string_view text :
       {"Envoy Steve Witkoff flew in.", "Уиткофф прилетел.", "وصل ويتكوف إلى موسكو"}) {
    CHECK_MESSAGE(has(recognise(text), "steve-witkoff"), text);
  }
  CHECK(has(recognise("Vladimir Putin met Donald Trump."), "vladimir-putin"));
  CHECK(has(recognise("Vladimir Putin met Donald Trump."), "donald-trump"));
  CHECK(has(recognise("Sergei Lavrov and Marco Rubio spoke."), "sergei-lavrov"));
  CHECK(has(recognise("Sergei Lavrov and Marco Rubio spoke."), "marco-rubio"));

  const auto m = recognise("The talks in Kyiv");
  REQUIRE(m.size() == 1);
  CHECK(m[0].type == EntityType::kPlace);
  CHECK(m[0].name == "Kyiv");
  CHECK(m[0].token_begin == 3);
  CHECK(m[0].token_end == 4);
  CHECK_FALSE(m[0].discovered);
}

TEST_CASE("entities: Russian and Ukrainian case forms and Arabic prefixes") {
  // Case endings are matched without listing every form.
  CHECK(has(recognise("Переговоры с Зеленским продолжились."), "volodymyr-zelensky"));
  CHECK(has(recognise("Делегація повернулася з Женеви."), "geneva"));
  CHECK(has(recognise("Він подякував спецпосланцю Стіву Віткоффу."), "steve-witkoff"));
  CHECK(has(recognise("Переговоры в Будапеште."), "budapest"));
  // A discovered Cyrillic name has one id in every case.
  const auto m = recognise("Спецпосланник Кирилла Дмитриева встретили. Кириллу Дмитриеву сказали.");
  int count = 0;
  for (const auto& x : m) count += x.id == "x-kirill-dmitriev";
  CHECK(count == 2);
  // و "and", ب "in/with" + the article.
  CHECK(has(recognise("بين دمشق والرقة"), "raqqa"));
  CHECK(has(recognise("اشتباكات بالخرطوم"), "khartoum"));
}

TEST_CASE("entities: Yury and Yuri Ushakov are one person") {
  CHECK(ids(recognise("Kremlin aide Yury Ushakov said.")) ==
        std::vector<std::string>{"kremlin", "yury-ushakov"});
  CHECK(has(recognise("Kremlin aide Yuri Ushakov said."), "yury-ushakov"));
  CHECK(has(recognise("Помощник президента Юрий Ушаков заявил."), "yury-ushakov"));
}

TEST_CASE("entities: possessives, curly apostrophes and line breaks do not matter") {
  CHECK(has(recognise("Zelensky's office said."), "volodymyr-zelensky"));
  CHECK(has(recognise("Zelensky\u2019s office said."), "volodymyr-zelensky"));
  const auto m = recognise("Talks with Volodymyr\nZelensky ended.");
  REQUIRE(m.size() == 1);
  CHECK(m[0].id == "volodymyr-zelensky");
  CHECK(m[0].token_end - m[0].token_begin == 2);
}

TEST_CASE("entities: case rules keep common words out") {
  CHECK(recognise("Send it to us by Monday.").empty());  // "us" is not the US
  CHECK(has(recognise("The US envoy arrived."), "united-states"));
  CHECK(has(recognise("The U.S. envoy arrived."), "united-states"));
  CHECK(recognise("a roast turkey for dinner").empty());
  CHECK(has(recognise("He flew to Turkey."), "turkey"));
  // A word the alias capitalises must be capitalised in the text.
  CHECK(has(recognise("the Russian Foreign Ministry said"), "russian-foreign-ministry"));
  CHECK_FALSE(has(recognise("Russia's foreign ministry said"), "russian-foreign-ministry"));
}

TEST_CASE("entities: a bare surname resolves to the person named in full earlier") {
  // A gazetteer person whose surname is not listed on its own.
  CHECK_FALSE(has(recognise("Ushakov said talks would continue."), "yury-ushakov"));
  const auto m = recognise(builtin(), {"Kremlin aide Yury Ushakov spoke on Friday.",
                                       "Ushakov said talks would continue."});
  int count = 0;
  for (const auto& x : m) count += x.id == "yury-ushakov";
  CHECK(count == 2);
  // The next article starts afresh.
  Tokenizer tokenizer;
  Recognizer r(builtin());
  std::vector<Mention> out;
  std::vector<Token> tokens;
  const std::string_view first = "Kremlin aide Yury Ushakov spoke.";
  tokenizer.tokenize(first, tokens);
  r.begin_article();
  r.recognize(first, tokens, out);
  r.begin_article();
  out.clear();
  tokens.clear();
  const std::string_view second = "Ushakov said no.";
  tokenizer.tokenize(second, tokens);
  r.recognize(second, tokens, out);
  CHECK(out.empty());
}

TEST_CASE("entities: names not in the gazetteer are discovered") {
  const auto m = recognise("Russia's envoy Kirill Dmitriev met officials in Miami.");
  const Mention* dmitriev = find(m, "x-kirill-dmitriev");
  REQUIRE(dmitriev != nullptr);
  CHECK(dmitriev->type == EntityType::kPerson);
  CHECK(dmitriev->discovered);
  CHECK(dmitriev->name == "Kirill Dmitriev");
  const Mention* miami = find(m, "x-miami");
  REQUIRE(miami != nullptr);
  CHECK(miami->type == EntityType::kPlace);

  SUBCASE("Cyrillic spelling gets the same id") {
    const auto ru = recognise("Спецпосланник Кирилл Дмитриев прилетел в США.");
    const Mention* d = find(ru, "x-kirill-dmitriev");
    REQUIRE(d != nullptr);
    CHECK(d->type == EntityType::kPerson);
    CHECK(d->name == "Кирилл Дмитриев");
    Recognizer r(builtin());
    const auto keys = r.search_keys(*d);
    CHECK(std::find(keys.begin(), keys.end(), "kirill dmitriev") != keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "кирилл дмитриев") != keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "dmitriev") != keys.end());
  }
  SUBCASE("and the bare surname later resolves to it") {
    const auto later = recognise(builtin(), {"Envoy Kirill Dmitriev arrived on Monday.",
                                             "Officials said Dmitriev would stay."});
    int count = 0;
    for (const auto& x : later) count += x.id == "x-kirill-dmitriev";
    CHECK(count == 2);
  }
  SUBCASE("organisation words type the name") {
    const auto org = recognise("A statement from the Regional Water Agency followed.");
    const Mention* agency = find(org, "x-regional-water-agency");
    REQUIRE(agency != nullptr);
    CHECK(agency->type == EntityType::kOrg);
  }
  SUBCASE("names that contain a gazetteer place") {
    const auto gulf = recognise("Tankers waited in the Gulf of Finland overnight.");
    const Mention* g = find(gulf, "x-gulf-of-finland");
    REQUIRE(g != nullptr);
    CHECK(g->type == EntityType::kPlace);
    CHECK_FALSE(has(gulf, "finland"));
    const auto school = recognise("economists at the Kyiv School of Economics said");
    const Mention* k = find(school, "x-kyiv-school-of-economics");
    REQUIRE(k != nullptr);
    CHECK(k->type == EntityType::kOrg);
    CHECK_FALSE(has(school, "kyiv"));
  }
  SUBCASE("a speech verb types a name as a person") {
    const auto p = recognise("The deal is fragile, Alison Reade said.");
    const Mention* r = find(p, "x-alison-reade");
    REQUIRE(r != nullptr);
    CHECK(r->type == EntityType::kPerson);
  }
  SUBCASE("titles type the name and are not part of it") {
    const auto p = recognise("talks led by Special Envoy Jonas Vermeer on Monday");
    const Mention* v = find(p, "x-jonas-vermeer");
    REQUIRE(v != nullptr);
    CHECK(v->type == EntityType::kPerson);
    CHECK(v->name == "Jonas Vermeer");
  }
}

TEST_CASE("entities: sentence starts, weekdays and months are not names") {
  CHECK(recognise("Officials met on Monday. Heavy Fighting continued in March.").empty());
  CHECK(
      recognise("But Western diplomats were cautious. However the Russian side said no.").empty());
  CHECK(recognise("On Tuesday and Wednesday, in January, nothing happened.").empty());
  // A lone capitalised word without context says too little.
  CHECK(recognise("The plan was backed by Parliament last week.").empty());
  // Title Case headlines: capitals say nothing, only gazetteer names are found.
  CHECK(ids(recognise("Envoy Jonas Vermeer Meets Putin In Moscow For Talks")) ==
        std::vector<std::string>{"vladimir-putin", "moscow"});
}

TEST_CASE("entities: user dictionaries") {
  Gazetteer g;
  g.load_builtin();
  const std::size_t before = g.size();
  g.load_text(
      "# local names\n"
      "\n"
      "kirill-dmitriev\tperson\tKirill Dmitriev\tKirill A. Dmitriev|Кирилл Дмитриев\n"
      "kyiv\tplace\tKyiv\tKyjiw city\n"
      "meridian-group\torg\tMeridian Group\n",
      "local.tsv");
  CHECK(g.size() == before + 2);
  REQUIRE(g.find("kirill-dmitriev") != nullptr);
  const auto m = recognise(g, {"Кирилл Дмитриев и Kirill Dmitriev встретились в Kyjiw city."});
  CHECK(ids(m) == std::vector<std::string>{"kirill-dmitriev", "kirill-dmitriev", "kyiv"});
  CHECK_FALSE(m[0].discovered);

  SUBCASE("bad lines are all reported with origin and line, and nothing is loaded") {
    Gazetteer bad;
    try {
      bad.load_text(
          "good\tplace\tGood Place\n"
          "Bad Id\tperson\tSomeone\n"
          "x-reserved\tperson\tSomeone\n"
          "three\tcity\tThree\n"
          "only-two\tperson\n"
          "\n"
          "empty-name\tperson\t -- \n",
          "user.tsv");
      FAIL("no exception");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::kConfig);
      const std::string what = e.what();
      CHECK(what.find("user.tsv:2: id 'Bad Id'") != std::string::npos);
      CHECK(what.find("user.tsv:3: id 'x-reserved'") != std::string::npos);
      CHECK(what.find("user.tsv:4: unknown type 'city'") != std::string::npos);
      CHECK(what.find("user.tsv:5: expected 3 or 4") != std::string::npos);
      CHECK(what.find("user.tsv:7: the name") != std::string::npos);
      CHECK(what.find("user.tsv:1") == std::string::npos);
    }
    CHECK(bad.size() == 0);
  }
  SUBCASE("a missing file is a configuration error") {
    Gazetteer missing;
    CHECK_THROWS_AS(missing.load_file("/nonexistent/entities.tsv"), Error);
  }
}

namespace {

// The type of the mention with that id, kOther when there is none (tests check the id too).
EntityType type_of(const std::vector<Mention>& mentions, std::string_view id) {
  const Mention* m = find(mentions, id);
  return m == nullptr ? EntityType::kOther : m->type;
}

std::size_t count(const std::vector<Mention>& mentions, std::string_view id) {
  return static_cast<std::size_t>(std::count_if(mentions.begin(), mentions.end(),
                                                [&](const Mention& m) { return m.id == id; }));
}

}  // namespace

TEST_CASE("entities: organisations in the builtin dictionary") {
  const auto m = recognise(
      "UNICEF, the IOM and Save the Children warned; Gazprom, Naftogaz and Ukrenergo did not. "
      "Reporters Without Borders and the Committee to Protect Journalists condemned it.");
  for (const char* id : {"unicef", "iom", "save-the-children", "gazprom", "naftogaz", "ukrenergo",
                         "rsf-reporters", "cpj"}) {
    CAPTURE(id);
    CHECK(type_of(m, id) == EntityType::kOrg);
  }
  SUBCASE("Russian, Ukrainian and Arabic spellings") {
    const auto ru = recognise("Об этом сообщили в МЧС России и Росгвардии.");
    CHECK(has(ru, "russian-emergencies-ministry"));
    CHECK(has(ru, "rosgvardia"));
    const auto uk = recognise("Про це повідомили в ДСНС та Укренерго.");
    CHECK(has(uk, "ukraine-state-emergency-service"));
    CHECK(has(uk, "ukrenergo"));
    const auto ar = recognise("وقالت منظمة الأغذية والزراعة إن المجاعة تتسع.");
    CHECK(has(ar, "fao"));
  }
  SUBCASE("a country before an organisation is a place of its own") {
    const auto us = recognise("The U.S. Treasury Department imposed sanctions.");
    CHECK(has(us, "united-states"));
    CHECK(type_of(us, "us-treasury") == EntityType::kOrg);
    const auto ua = recognise("Officials at Ukraine's State Emergency Service said");
    CHECK(has(ua, "ukraine"));
    CHECK(type_of(ua, "ukraine-state-emergency-service") == EntityType::kOrg);
  }
  SUBCASE("Arabic ل and ب before a word without the article") {
    const auto ar = recognise("وجه الجيش ضربات لحزب الله في الجنوب.");
    CHECK(has(ar, "hezbollah"));
  }
}

TEST_CASE("entities: organisations found by their context") {
  SUBCASE("a noun naming a kind of organisation before the name") {
    const auto m = recognise(
        "The toll was higher, the monitoring group Ravenwatch said, citing the newspaper "
        "Kestrel Daily Ledger. Ravenwatch gave no details.");
    CHECK(type_of(m, "x-ravenwatch") == EntityType::kOrg);
    CHECK(count(m, "x-ravenwatch") == 2);  // the bare name later is the same organisation
    CHECK(type_of(m, "x-kestrel-daily-ledger") == EntityType::kOrg);
    // Not after an ordinary noun, and not a weekday.
    CHECK(recognise("The toll was higher, a spokesman for the group Monday said.").empty());
    // Not after a possessive, nor after nouns that precede vessels, places and people.
    const auto poss = recognise("officials said the group's Jonas Vermeer would lead the talks");
    REQUIRE(find(poss, "x-jonas-vermeer") != nullptr);
    CHECK(type_of(poss, "x-jonas-vermeer") != EntityType::kOrg);
    const auto ship =
        recognise("the aircraft carrier Kestrel Dawn sailed east on the night of the raid");
    REQUIRE(find(ship, "x-kestrel-dawn") != nullptr);
    CHECK(type_of(ship, "x-kestrel-dawn") != EntityType::kOrg);
  }
  SUBCASE("a quoted name after a Russian or Ukrainian word for a kind of organisation") {
    const auto ru = recognise("Об этом сообщила газета «Северный вестник» и ЧВК «Редан».");
    const Mention* paper = find(ru, "x-severn-vestnik");  // match forms: one id in every case
    REQUIRE(paper != nullptr);
    CHECK(paper->type == EntityType::kOrg);
    CHECK(paper->name == "Северный вестник");
    CHECK(type_of(ru, "x-redan") == EntityType::kOrg);
    const auto uk = recognise("Як повідомив телеканал «Суспільне», вибухи було чутно.");
    CHECK(type_of(uk, "suspilne") == EntityType::kOrg);
    // A quote after another word is not a name.
    CHECK(recognise("Он назвал это «Большой сделкой» и уехал.").empty());
  }
  SUBCASE("the agency in a dateline") {
    const auto m = recognise("GENEVA, Nov 23 (Baltic Wire) - Talks resumed on Sunday.");
    CHECK(type_of(m, "x-baltic-wire") == EntityType::kOrg);
    // Brackets elsewhere are not a dateline.
    CHECK_FALSE(has(recognise("Talks resumed (Baltic Wire) on Sunday."), "x-baltic-wire"));
  }
  SUBCASE("an acronym defined in brackets is the organisation") {
    const auto m = recognise(
        "The Kestrel Relief Coalition (KRC) said food ran out. KRC added that trucks waited.");
    CHECK(type_of(m, "x-kestrel-relief-coalition") == EntityType::kOrg);
    CHECK(count(m, "x-kestrel-relief-coalition") == 3);
    // A name of no known type whose initials the acronym spells becomes an organisation.
    const auto other =
        recognise("Residents said the Harbin Valley Watchers (HVW) left. HVW said so.");
    CHECK(type_of(other, "x-harbin-valley-watchers") == EntityType::kOrg);
    // Not after a person, and not when the letters do not fit.
    const auto person = recognise("Envoy Jonas Vermeer (JV) arrived.");
    CHECK(type_of(person, "x-jonas-vermeer") == EntityType::kPerson);
    CHECK(count(person, "x-jonas-vermeer") == 1);
  }
  SUBCASE("an acronym in brackets names the organisation before it, not the gazetteer's") {
    const auto m = recognise("Reporters Without Borders (RSF) said two journalists died.");
    CHECK(count(m, "rsf-reporters") == 2);
    CHECK_FALSE(has(m, "rapid-support-forces"));
    // The gazetteer's own acronym of the same organisation is unchanged.
    const auto same = recognise("The Rapid Support Forces (RSF) shelled the town overnight.");
    CHECK(count(same, "rapid-support-forces") == 2);
  }
  SUBCASE("the last words of an organisation named before stand for it") {
    const auto m = recognise(builtin(), {"The Ukrainian Air Force said 40 drones were downed.",
                                         "Later the Air Force said more had come."});
    CHECK(count(m, "ukrainian-air-force") == 2);
    CHECK_FALSE(has(m, "x-air-force"));
    const auto d = recognise(
        "The Kestrel Harbour Authority closed the port, and later the Harbour Authority said "
        "it would reopen.");
    CHECK(count(d, "x-kestrel-harbour-authority") == 2);
  }
  SUBCASE("an unknown acronym that says something is an organisation") {
    const auto m = recognise("The KDRC said the convoy was hit.");
    CHECK(type_of(m, "x-kdrc") == EntityType::kOrg);
    CHECK(recognise("The KDRC convoy was hit.").empty());
  }
  SUBCASE("an organisation's name keeps its first word at a sentence start") {
    const auto m = recognise("Talks failed. Norwegian Harbour Council staff left.");
    CHECK(type_of(m, "x-norwegian-harbour-council") == EntityType::kOrg);
    CHECK_FALSE(has(m, "x-harbour-council"));
  }
  SUBCASE("'to', 'on' and 'against' inside an organisation's name") {
    // (Long enough not to be Title Case; "and" between two organisations splits them.)
    const auto m = recognise(
        "Reports from the Committee to Protect Farmers and the Council on Baltic Relations were "
        "released today.");
    CHECK(type_of(m, "x-committee-to-protect-farmers") == EntityType::kOrg);
    CHECK(type_of(m, "x-council-on-baltic-relations") == EntityType::kOrg);
    // Not with a weekday: "the Harbour Council on Monday".
    const auto day = recognise("officials said the Harbour Council on Monday would decide");
    CHECK(ids(day) == std::vector<std::string>{"x-harbour-council"});
    // "and" inside one organisation's name stays.
    const auto one = recognise("The Ministry of Agriculture and Food said it would release grain.");
    CHECK(ids(one) == std::vector<std::string>{"x-ministry-of-agriculture-and-food"});
  }
  SUBCASE("a title after an organisation's words starts a person's name") {
    const auto m = recognise("the statement of the Kestrel Army General Jonas Vermeer said");
    CHECK(type_of(m, "x-jonas-vermeer") == EntityType::kPerson);
    CHECK(type_of(m, "x-kestrel-army") == EntityType::kOrg);
    // "Commissioner for ..." is part of the name.
    const auto office =
        recognise("a report by the Office of the High Commissioner for Baltic Affairs said");
    CHECK(type_of(office, "x-office-of-the-high-commissioner-for-baltic-affairs") ==
          EntityType::kOrg);
  }
  SUBCASE("Russian and Ukrainian names with one capital") {
    const auto ru = recognise("Министерство сельского хозяйства Беларуси сообщило об этом.");
    const Mention* min = find(ru, "x-ministerstv-selsk-hozajstv-belarus");
    REQUIRE(min != nullptr);
    CHECK(min->type == EntityType::kOrg);
    CHECK(min->name == "Министерство сельского хозяйства Беларуси");
    CHECK_FALSE(has(ru, "belarus"));  // the country is part of the name
    const auto uk = recognise("Державна митна служба України затримала вантаж.");
    const Mention* customs = find(uk, "x-derzavn-mitn-sluzb-ukrain");
    REQUIRE(customs != nullptr);
    CHECK(customs->type == EntityType::kOrg);
    const auto prep = recognise("Міністерство у справах ветеранів оголосило конкурс.");
    REQUIRE(!prep.empty());
    CHECK(prep.front().type == EntityType::kOrg);
    CHECK(prep.front().name == "Міністерство у справах ветеранів");
    // Every case form is one organisation.
    const auto gen = recognise("Представитель Министерства сельского хозяйства Беларуси");
    CHECK(has(gen, "x-ministerstv-selsk-hozajstv-belarus"));
    // Descriptions with a nationality adjective, and a head noun alone, are not names.
    CHECK(recognise("Российская армия продолжает наступление.").empty());
    CHECK(recognise("Министерство заявило об этом.").empty());
    // A military noun first is a description; after an adjective it is a name.
    CHECK(recognise("Войска противника отступили от города.").empty());
    const auto brigade = recognise("Третя штурмова бригада відбила атаку біля села.");
    REQUIRE(!brigade.empty());
    CHECK(brigade.front().type == EntityType::kOrg);
  }
}
