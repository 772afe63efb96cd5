// The closed word lists behind the recogniser's capitalisation rules. They are deliberately
// short and conservative: a word missing here costs a little recall, a wrong word costs precision.

#include "word_lists.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "gazetteer_impl.hpp"

namespace sitrep::entities::detail {
namespace {

// clang-format off
constexpr std::string_view kTitleWords[] = {
  "president", "vice", "prime", "minister", "premier", "chancellor", "secretary", "envoy",
  "ambassador", "spokesman", "spokeswoman", "spokesperson", "general", "gen", "lt", "lieutenant",
  "colonel", "col", "major", "maj", "commander", "admiral", "adm", "marshal", "sergeant", "sgt",
  "captain", "capt", "brigadier", "mr", "mrs", "ms", "dr", "prof", "professor", "sir", "dame",
  "lord", "king", "queen", "prince", "princess", "crown", "sheikh", "emir", "sultan", "pope",
  "patriarch", "cardinal", "bishop", "rabbi", "imam", "ayatollah", "senator", "sen", "rep",
  "congressman", "congresswoman", "governor", "gov", "mayor", "judge", "justice", "chief",
  "deputy", "adviser", "advisor", "aide", "negotiator", "mediator", "foreign", "defence",
  "defense", "interior", "finance", "special", "opposition", "leader", "director", "chairman",
  "chairwoman", "speaker", "lawmaker", "mp", "commissioner", "correspondent", "journalist",
  "reporter", "analyst", "activist", "diplomat", "monsieur", "madame", "herr", "frau",
  // Russian and Ukrainian (written in lower case before a name)
  "президент", "президента", "премьер", "прем", "министр", "міністр", "глава", "голова",
  "посланник", "спецпосланник", "посланець", "спецпосланець", "спецпредставитель",
  "спецпредставник", "посол", "генерал", "полковник", "командующий", "командувач", "секретарь",
  "секретар", "речник", "речниця", "советник", "радник", "помощник", "помічник", "депутат",
  "губернатор", "мэр", "мер", "господин", "госпожа", "пан", "пані", "канцлер", "сенатор",
  "спикер", "спікер", "лидер", "лідер", "журналист", "журналіст", "патриарх", "патріарх",
  "бизнесмен", "бізнесмен", "генсек", "представитель", "представник",
};

constexpr std::string_view kStopWords[] = {
  "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my",
  "your", "he", "she", "it", "they", "we", "i", "you", "me", "him", "them", "us", "but", "and",
  "or", "nor", "if", "when", "while", "as", "at", "in", "on", "of", "for", "to", "by", "with",
  "from", "after", "before", "during", "since", "until", "however", "meanwhile", "also", "yet",
  "so", "then", "there", "here", "what", "who", "whom", "whose", "why", "how", "where", "which",
  "some", "many", "most", "several", "all", "both", "each", "every", "no", "not", "one", "two",
  "three", "first", "second", "last", "next", "earlier", "later", "today", "yesterday",
  "tomorrow", "tonight", "now", "still", "even", "only", "just", "according", "despite",
  "although", "though", "because", "under", "over", "such", "other", "another", "more", "less",
  "asked", "said", "says", "yes", "please", "thank", "thanks", "dear", "hello", "breaking",
  "update", "live", "exclusive", "analysis", "opinion", "editorial", "video", "photo", "read",
  "watch", "follow", "share", "subscribe", "advertisement", "related", "source", "sources",
  "reporting", "writing", "editing", "officials", "ok", "okay", "internet", "covid",
  "le", "la", "les", "der", "die", "das", "el", "los", "las",
  "и", "в", "во", "на", "но", "а", "по", "с", "со", "к", "о", "об", "от", "для", "за", "из",
  "что", "как", "это", "этот", "эта", "он", "она", "они", "мы", "я", "вы", "также", "однако",
  "і", "й", "та", "у", "з", "із", "до", "що", "як", "це", "цей", "ця", "він", "вона", "вони",
  "ми", "ви", "також", "проте", "але",
};

constexpr std::string_view kCalendarWords[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
  "january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
  "sept", "oct", "nov", "dec",
  "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier", "février",
  "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
  "décembre",
  "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "januar",
  "februar", "märz", "juni", "juli", "oktober", "dezember",
  "понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье",
  "понеділок", "вівторок", "середа", "четвер", "пʼятниця", "пятниця", "субота", "неділя",
  "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
  "ноябрь", "декабрь", "січень", "лютий", "березень", "квітень", "травень", "червень", "липень",
  "серпень", "вересень", "жовтень", "листопад", "грудень",
  "christmas", "easter", "ramadan", "eid", "hanukkah", "passover", "thanksgiving",
  "year", "years", "day", "week", "weekend",
};

constexpr std::string_view kDemonymWords[] = {
  "russian", "russians", "ukrainian", "ukrainians", "american", "americans", "israeli",
  "israelis", "palestinian", "palestinians", "syrian", "syrians", "iranian", "iranians",
  "turkish", "european", "europeans", "british", "french", "german", "germans", "chinese",
  "sudanese", "yemeni", "yemenis", "saudi", "saudis", "emirati", "qatari", "egyptian",
  "lebanese", "jordanian", "iraqi", "iraqis", "kurdish", "kurd", "kurds", "arab", "arabs",
  "arabic", "english", "polish", "belarusian", "georgian", "moldovan", "hungarian", "italian",
  "spanish", "japanese", "korean", "indian", "pakistani", "afghan", "libyan", "ethiopian",
  "somali", "western", "eastern", "northern", "southern", "central", "soviet", "jewish",
  "muslim", "muslims", "christian", "christians", "orthodox", "catholic", "sunni", "shia",
  "shiite", "islamist", "islamic", "allied", "federal", "national", "international", "global",
  "regional", "north", "south", "east", "west", "northeast", "northwest", "southeast",
  "southwest", "democrat", "democrats", "republican", "republicans", "democratic",
};

constexpr std::string_view kOrgWordList[] = {
  "ministry", "council", "agency", "forces", "force", "party", "bank", "committee",
  "commission", "organisation", "organization", "union", "corporation", "corp", "company",
  "inc", "ltd", "llc", "plc", "group", "brigade", "brigades", "battalion", "regiment",
  "division", "corps", "army", "navy", "guard", "guards", "service", "services", "office",
  "department", "institute", "university", "fund", "front", "movement", "court", "parliament",
  "assembly", "authority", "authorities", "bureau", "association", "foundation",
  "administration", "command", "staff", "directorate", "police", "news", "times", "post",
  "press", "tv", "television", "radio", "network", "airlines", "airways", "cabinet", "senate",
  "congress", "duma", "rada", "knesset", "militia", "legion", "alliance", "coalition",
  "federation", "bloc", "tribunal", "academy", "institution", "center", "centre", "trust",
  "holdings", "industries", "energy", "oil", "gas", "systems", "technologies", "media",
  "herald", "journal", "gazette", "tribune", "telegraph", "observer", "agencies", "crescent",
  "network", "observatory", "school", "college", "society", "club", "league", "rooms",
  "youth", "watch", "initiative", "mission", "program", "programme", "project", "consortium",
  "министерство", "міністерство", "минобороны", "совет", "рада", "агентство", "силы", "сили",
  "партия", "партія", "банк", "комитет", "комітет", "союз", "служба", "бригада", "армия",
  "армія", "управление", "управління", "фонд", "суд", "гвардия", "гвардія", "штаб", "корпус",
  "компания", "компанія", "дума", "организация", "організація", "администрация",
  "адміністрація", "корпорация", "корпорація", "альянс", "коалиция", "коаліція",
  // more heads of English names: units, state bodies, companies, charities, outlets
  "fleet", "flotilla", "squadron", "detachment", "garrison", "secretariat", "brotherhood",
  "resistance", "relief", "charity", "broadcasting", "broadcaster", "railways", "railway",
  "shipping", "petroleum", "syndicate", "partnership", "chamber", "board", "intelligence",
  "ministries", "councils", "commissions", "committees", "courts", "banks", "parties",
  "companies", "groups", "unit", "units", "cooperative", "commissariat",
  "gendarmerie", "marines", "constabulary", "airforce", "guardsmen", "rangers", "infantry",
  "artillery", "airborne", "taskforce", "caucus", "daily", "weekly", "magazine", "agence",
  "presse", "zeitung", "aid",
  "полиция", "поліція", "прокуратура", "генпрокуратура", "флот", "дивизия", "дивізія", "полк",
  "батальон", "батальйон", "движение", "рух", "фронт", "ассоциация", "асоціація",
  "университет", "університет", "институт", "інститут", "академия", "академія", "центр",
  "концерн", "холдинг", "миссия", "місія", "парламент", "сенат", "конгресс", "конгрес",
  "бюро", "інспекція", "инспекция", "комиссия", "комісія", "кабмин", "кабмін", "уряд",
  "правительство", "нацгвардия", "нацгвардія", "нацполиция", "нацполіція",
};

// A lower-case noun right before a name that makes it an organisation (not "carrier", "station",
// "operator", "tank": vessels, places, people and weapons follow those): "the newspaper Haaretz",
// "monitoring group Airwars", "energy giant Gazprom", "think tank Chatham House".
constexpr std::string_view kOrgCueWords[] = {
  "newspaper", "newspapers", "daily", "weekly", "tabloid", "broadcaster", "channel", "outlet",
  "magazine", "website", "agency", "group", "charity", "ngo", "organisation", "organization",
  "company", "firm", "giant", "airline", "insurer", "lender", "militia",
  "faction", "movement", "watchdog", "conglomerate", "manufacturer", "maker",
  "contractor", "shipper", "exporter", "producer", "broadcaster", "network", "publication",
  "paper", "party", "coalition", "alliance", "brigade", "battalion", "regiment",
  "unit", "bank", "fund", "institute", "foundation", "association", "union", "syndicate",
  "organisations", "organizations", "groups", "charities", "companies", "outlets",
};

constexpr std::string_view kConnectorWords[] = {
  "of", "al", "el", "bin", "ibn", "bint", "abu", "von", "van", "der", "den", "de", "da", "di",
  "du", "des", "la", "le", "del", "dos", "ul", "ad", "ar", "ash", "az", "and", "for",
};

constexpr std::string_view kParticleWords[] = {
  "al", "el", "bin", "ibn", "abu", "von", "van", "der", "den", "de", "da", "di", "du", "la",
  "le", "del", "dos", "ul", "ad", "ar", "as", "ash", "az",
};

constexpr std::string_view kGivenNameWords[] = {
  // Russian and Ukrainian names, Latin spellings
  "vladimir", "volodymyr", "sergei", "sergey", "serhiy", "serhii", "dmitry", "dmitri",
  "dmytro", "kirill", "kyrylo", "yuri", "yury", "yuriy", "yurii", "andriy", "andrii", "andrei",
  "andrey", "oleksandr", "alexander", "aleksandr", "alexandr", "mikhail", "mykhailo", "ivan",
  "igor", "ihor", "oleg", "oleh", "viktor", "victor", "pavel", "pavlo", "nikolai", "nikolay",
  "mykola", "alexei", "alexey", "aleksei", "oleksiy", "oleksii", "olena", "elena", "yelena",
  "yulia", "yuliia", "iryna", "irina", "tatiana", "tatyana", "natalia", "natalya", "maria",
  "anna", "olga", "olha", "ekaterina", "yekaterina", "denys", "denis", "maxim", "maksym",
  "roman", "ruslan", "valery", "valeriy", "valerii", "vitali", "vitaliy", "vitalii", "yevgeny",
  "yevgeniy", "yevhen", "evgeny", "anatoly", "anatoliy", "boris", "gennady", "vasily", "vasyl",
  "petro", "pyotr", "fyodor", "konstantin", "kostiantyn", "stepan", "taras", "bohdan",
  "arseniy", "rustem", "herman", "ramzan", "alexei", "nikita", "artem", "artyom", "vadim",
  "fyodor", "fedor", "vladislav", "vladyslav", "yaroslav", "svetlana", "lyudmila", "alla",
  "oksana", "kateryna", "daria", "darya", "sofia", "viktoria", "victoria", "anastasia",
  "vadym",
  // English, European
  "john", "james", "michael", "david", "robert", "william", "richard", "joseph", "thomas",
  "charles", "steve", "steven", "stephen", "mark", "marco", "mike", "donald", "joe", "kamala",
  "hillary", "antony", "anthony", "jake", "keith", "lloyd", "pete", "kristi", "karoline",
  "tulsi", "scott", "howard", "lindsey", "emmanuel", "olaf", "friedrich", "keir", "rishi",
  "ursula", "kaja", "jens", "antonio", "giorgia", "recep", "hakan", "peter", "paul", "george",
  "jean", "pierre", "francois", "françois", "jared", "ivanka", "elon", "nancy", "chuck", "mitch",
  "ron", "tom", "tim", "tony", "matt", "matthew", "daniel", "andrew", "jonathan", "christopher",
  "brian", "kevin", "jason", "jeff", "jeffrey", "ben", "benjamin", "sarah", "jennifer", "mary",
  "elizabeth", "emily", "laura", "kate", "catherine", "anne", "helen", "julia", "susan",
  "alison", "alice", "claire", "sophie", "rachel", "rebecca", "hannah", "lucy", "martin", "simon",
  "nicholas", "philip", "patrick", "edward", "henry", "samuel", "adam", "eric", "frank", "gary",
  "larry", "jerry", "greg", "ryan", "justin", "kyle", "sean", "alan", "ian", "colin", "neil",
  "angela", "annalena", "wolfgang", "heinz", "klaus", "gerhard", "andrzej", "donald", "radoslaw",
  "radosław", "viktor", "aleksandar", "mette", "ulf", "alexander", "sanna", "petteri", "alar",
  "kaja", "gitanas", "edgars", "mark", "rob", "dick", "josep", "charles", "margrethe",
  // Arabic, Persian, Hebrew, Turkish names in Latin script
  "mohammed", "muhammad", "mohammad", "mohamed", "mohamad", "ahmed", "ahmad", "ali", "hassan",
  "hasan", "hussein", "husain", "abdel", "abdul", "abdullah", "abdallah", "omar", "umar",
  "khalid", "khaled", "bashar", "mahmoud", "mahmud", "ismail", "yahya", "yasser", "ibrahim",
  "ismail", "mustafa", "moustafa", "osama", "usama", "hamad", "tamim", "salman", "faisal",
  "fahd", "nawaf", "hamdan", "abiy", "fattah", "masoud", "massoud", "ebrahim", "hossein",
  "abbas", "javad", "mojtaba", "ali", "benjamin", "yoav", "israel", "isaac", "yitzhak", "yair",
  "benny", "gideon", "herzi", "itamar", "bezalel", "naftali", "avigdor", "ehud", "ariel", "ron",
  "tzachi", "eyal", "yahya", "marwan", "saleh", "salah", "nabih", "najib", "michel", "joseph",
  "tayyip", "ilham", "nikol", "aziz", "ayman", "samira", "fatima", "layla", "leila", "nour",
  "noor", "mariam", "maryam", "zainab", "amira", "yusuf", "youssef", "tarek", "tariq", "walid",
  "waleed", "hamza", "bilal", "karim", "kareem", "nabil", "sami", "rami", "fadi", "ziad",
  "mazloum", "massad", "ilan", "yossi", "moshe", "avi", "shlomo", "tamar", "noa",
  // Cyrillic given names
  "владимир", "володимир", "сергей", "сергій", "дмитрий", "дмитро", "кирилл", "кирило", "юрий",
  "юрій", "андрей", "андрій", "александр", "олександр", "михаил", "михайло", "иван", "іван",
  "игорь", "ігор", "олег", "виктор", "віктор", "павел", "павло", "николай", "микола", "алексей",
  "олексій", "елена", "олена", "юлия", "юлія", "ирина", "ірина", "мария", "марія", "анна",
  "ольга", "денис", "максим", "роман", "руслан", "валерий", "валерій", "евгений", "євген",
  "анатолий", "анатолій", "борис", "геннадий", "василий", "василь", "петр", "пётр", "петро",
  "константин", "костянтин", "степан", "тарас", "богдан", "стив", "стів", "марко", "дональд",
  "рустем", "рамзан", "никита", "артём", "артем", "вадим", "вадим", "татьяна", "тетяна",
  "наталья", "наталія", "екатерина", "катерина", "джо", "джон", "джеймс", "джаред", "майк",
  "эммануэль", "еммануель", "антониу", "урсула", "кайя", "фёдор", "федор", "федір",
  "владислав", "ярослав", "светлана", "світлана", "людмила", "оксана", "дарья", "дарія",
  "софия", "софія", "виктория", "вікторія", "анастасия", "анастасія", "стивен", "стівен",
};

constexpr std::string_view kPlaceCueWords[] = {
  "in", "near", "outside", "around", "toward", "towards", "across", "into", "inside",
  "под", "під", "около", "возле", "біля", "поблизу", "неподалік", "в", "во",
  "город", "города", "городе", "городом", "місто", "міста", "місті", "село", "села", "селе",
  "селі", "поселок", "поселка", "селище", "селища",
};

constexpr std::string_view kPlaceNounWords[] = {
  "city", "town", "village", "region", "province", "outskirts", "suburb", "suburbs", "port",
  "oblast", "district", "governorate", "settlement", "hamlet", "capital", "municipality",
};

constexpr std::string_view kGeoNounWords[] = {
  "gulf", "sea", "strait", "straits", "bay", "lake", "river", "mount", "mountains", "island",
  "islands", "peninsula", "valley", "desert", "cape", "canal", "plain", "plateau",
};

constexpr std::string_view kSpeechWords[] = {
  "said", "says", "told", "added", "wrote", "warned", "stated", "noted", "tweeted", "posted",
  "argued", "insisted", "claimed", "explained", "announced", "confirmed", "denied", "replied",
  "stressed", "urged", "acknowledged", "recalled", "admitted", "reported", "estimated",
  "estimates", "reports", "warns", "announces", "accused", "condemned", "called",
  "сказал", "сказала", "заявил", "заявила", "сообщил", "сообщила", "отметил", "отметила",
  "добавил", "добавила", "подчеркнул", "подчеркнула", "написал", "написала", "сказав", "сказала",
  "заявив", "заявила", "повідомив", "повідомила", "зазначив", "зазначила", "додав", "додала",
  "наголосив", "наголосила", "написав",
};

constexpr std::string_view kAbbreviationWords[] = {
  "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "sgt", "capt", "adm", "gov", "sen", "rep",
  "prof", "st", "jr", "sr", "mt", "ft", "no", "vs", "gens", "brig", "cpl", "pvt", "rev", "hon",
  "messrs", "cmdr", "lt",
};
// clang-format on

using Table = std::unordered_map<std::string_view, std::uint16_t>;
using StringSet = std::unordered_set<std::string_view>;

template <std::size_t N>
void add(Table& table, const std::string_view (&words)[N], std::uint16_t flag) {
  for (std::string_view w : words) table[w] |= flag;
}

const Table& table() {
  static const Table instance = [] {
    Table t;
    add(t, kTitleWords, kTitle);
    add(t, kStopWords, kStop);
    add(t, kCalendarWords, kCalendar);
    add(t, kDemonymWords, kDemonym);
    add(t, kOrgWordList, kOrgWord);
    add(t, kConnectorWords, kConnector);
    add(t, kParticleWords, kParticle);
    add(t, kGivenNameWords, kGivenName);
    add(t, kPlaceCueWords, kPlaceCue);
    add(t, kPlaceNounWords, kPlaceNoun);
    add(t, kAbbreviationWords, kAbbrev);
    add(t, kSpeechWords, kSpeech);
    add(t, kGeoNounWords, kGeoNoun);
    add(t, kOrgCueWords, kOrgCue);
    return t;
  }();
  return instance;
}

// clang-format off
constexpr std::string_view kCyrillicOrgHeads[] = {
  "министерство", "міністерство", "минобороны", "міноборони", "служба", "комитет", "комітет",
  "совет", "рада", "агентство", "управление", "управління", "штаб", "партия", "партія", "фонд",
  "суд", "прокуратура", "гвардия", "гвардія", "полиция", "поліція", "силы", "сили", "войска",
  "війська", "армия", "армія", "флот", "бригада", "дивизия", "дивізія", "полк", "батальон",
  "батальйон", "корпус", "бюро", "инспекция", "інспекція", "комиссия", "комісія", 
  "банк", "дума", "палата", "департамент", "ведомство", "відомство", 
  "союз", "организация", "організація", "ассоциация", "асоціація", "университет",
  "університет", "институт", "інститут", "академия", "академія", "администрация",
  "адміністрація", "миссия", "місія", "трибунал", "концерн", "корпорация", "корпорація",
};

// A word before «...» that makes the quoted name an organisation: газета «Ведомости», телеканал
// «Суспільне», ЧВК «Вагнер».
constexpr std::string_view kCyrillicOrgCues[] = {
  "газета", "издание", "видання", "агентство", "информагентство", "інформагентство",
  "телеканал", "радиостанция", "радіостанція", "радио", "радіо", "компания", "компанія",
  "авиакомпания", "авіакомпанія", "госкорпорация", "держкомпанія", "корпорация", "корпорація",
  "концерн", "холдинг", "группа", "група", "группировка", "угруповання", "движение", "рух",
  "партия", "партія", "организация", "організація", "фонд", "банк", "батальон", "батальйон",
  "бригада", "полк", "подразделение", "підрозділ", "центр", "сайт", "портал", "канал",
  "журнал", "объединение", "об'єднання", "обʼєднання", "ассоциация", "асоціація", "союз",
  "оператор", "перевозчик", "перевізник", "чвк", "пвк", "ооо", "ао", "пао", "оао", "зао",
  "тов", "прат", "пат", "ат", "нак", "дп", "телеграм", "издательство", "видавництво",
  "медиахолдинг", "медіахолдинг", "интернет", "інтернет", "газета", "часопис", "тижневик",
  "еженедельник", "платформа", "инициатива", "ініціатива", "проект", "проєкт",
};

// Stems of Russian and Ukrainian nationality adjectives: "Российская армия" and "Ізраїльська
// армія" are descriptions, not names.
constexpr std::string_view kCyrillicDemonymStems[] = {
  "российск", "русск", "росій", "російськ", "украинск", "українськ", "американск",
  "американськ", "израильск", "ізраїльськ", "сирийск", "сирійськ", "иранск", "іранськ",
  "европейск", "європейськ", "британск", "британськ", "французск", "французьк", "немецк",
  "німецьк", "турецк", "турецьк", "китайск", "китайськ", "суданск", "суданськ", "йеменск",
  "єменськ", "ливанск", "ліванськ", "палестинск", "палестинськ", "саудовск", "саудівськ",
  "катарск", "катарськ", "египетск", "єгипетськ", "арабск", "арабськ", "белорусск",
  "білоруськ", "польск", "польськ", "вражеск", "ворож", "местн", "місцев", "наш", "их",
  "їхн", "северокорейск", "північнокорейськ", "западн", "західн", "иностранн", "іноземн",
};
// clang-format on

template <std::size_t N>
StringSet make_form_set(const std::string_view (&words)[N]) {
  StringSet set;
  for (std::string_view w : words) set.emplace(match_form(w));
  return set;
}

}  // namespace

bool is_cyrillic_org_head(std::string_view form) {
  static const StringSet set = make_form_set(kCyrillicOrgHeads);
  return set.contains(form);
}

bool is_cyrillic_org_cue(std::string_view form) {
  static const StringSet set = make_form_set(kCyrillicOrgCues);
  return set.contains(form);
}

bool is_cyrillic_demonym_stem(std::string_view form) {
  for (std::string_view stem : kCyrillicDemonymStems) {
    if (form.starts_with(stem)) return true;
  }
  return false;
}

std::uint16_t word_flags(std::string_view term) {
  const Table& t = table();
  const auto it = t.find(term);
  return it == t.end() ? 0 : it->second;
}

}  // namespace sitrep::entities::detail
