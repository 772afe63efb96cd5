#pragma once
// Deterministic synthetic news text, shared by sitrep-gen-archive and the analysis benchmarks.
//
// Everything here is reproducible across machines and library versions: the PRNG (splitmix64 for
// seeding, xoshiro256** for the stream) and the Zipf sampler use integer arithmetic only, because
// std::*_distribution and floating-point pow() are allowed to differ between standard library
// and libm versions, and a benchmark archive that changes with the toolchain is not a benchmark.
//
// The text is not meant to be read; it is meant to stress the analysis pipeline and the index the
// way real conflict reporting does: a Zipf-distributed vocabulary (~30k pseudo-words behind a few
// hundred real function and news words), named entities with transliteration variants (Kyiv/Kiev,
// Mohammed/Muhammad), acronyms with dots (U.S., U.N.), digit groups (1,300), hyphenated compounds,
// curly quotes and apostrophes, em dashes, non-breaking spaces, and per-outlet boilerplate.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace sitrep::bench {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman & Vigna), seeded through splitmix64 as its authors recommend.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : m_s) word = splitmix64(seed);
  }
  std::uint64_t next() {
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
  }
  // Uniform in [0, n) by multiply-high (Lemire) without the rejection step: the bias is below
  // n / 2^64, irrelevant here, and skipping rejection keeps the number of draws per call fixed.
  std::uint64_t below(std::uint64_t n) {
    // __extension__: GCC's 128-bit integer, without a -Wpedantic warning.
    __extension__ typedef unsigned __int128 U128;
    return static_cast<std::uint64_t>((static_cast<U128>(next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) { return lo + below(hi - lo + 1); }
  // True with probability permille / 1000.
  bool chance(unsigned permille) { return below(1000) < permille; }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> m_s{};
};

// Samples ranks 0..n-1 with probability proportional to 1 / (rank + offset): Zipf with exponent 1,
// the classic fit for word frequencies; the offset flattens the head a little (Mandelbrot), so that
// "the" gets ~4% of tokens rather than ~10%.
class Zipf {
 public:
  Zipf() = default;
  explicit Zipf(std::size_t n, std::uint64_t offset = 3) {
    m_cumulative.reserve(n);
    std::uint64_t total = 0;
    for (std::size_t r = 0; r < n; ++r) {
      total += (std::uint64_t{1} << 36) / (r + offset);
      m_cumulative.push_back(total);
    }
  }
  std::size_t operator()(Rng& rng) const {
    const std::uint64_t x = rng.below(m_cumulative.back());
    return static_cast<std::size_t>(std::upper_bound(m_cumulative.begin(), m_cumulative.end(), x) -
                                    m_cumulative.begin());
  }
  std::size_t size() const { return m_cumulative.size(); }

 private:
  std::vector<std::uint64_t> m_cumulative;
};

namespace detail {

using Variants = std::vector<std::string_view>;  // one entity, its spellings; first is the usual

// English function words and frequent news words, roughly in descending frequency: they take the
// head of the ranked vocabulary, as they do in real news text.
// clang-format off
inline constexpr std::string_view kEnglishHead[] = {
    "the", "of", "to", "and", "a", "in", "that", "said", "on", "for", "is", "was", "with", "by",
    "at", "as", "from", "it", "his", "have", "has", "be", "were", "are", "an", "not", "they", "had",
    "but", "this", "which", "who", "been", "their", "will", "its", "after", "more", "or", "we",
    "one", "also", "would", "there", "about", "over", "than", "into", "two", "when", "up", "out",
    "last", "all", "new", "other", "she", "no", "her", "year", "some", "could", "first", "what",
    "can", "against", "three", "our", "since", "them", "while", "before", "under", "if", "because",
    "during", "where", "people", "only", "told", "between", "so", "may", "including", "forces",
    "government", "military", "officials", "police", "week", "even", "near", "around", "least",
    "still", "city", "should", "killed", "attack", "then", "many", "such", "him", "both", "being",
    "through", "region", "country", "security", "war", "troops", "president", "minister",
    "ministry", "statement", "local", "border", "area", "town", "village", "days", "reported",
    "according", "civilians", "soldiers", "army", "fighting", "strikes", "strike", "drone",
    "drones", "missile", "missiles", "ceasefire", "talks", "aid", "humanitarian", "wounded",
    "injured", "defence", "defense", "spokesman", "spokeswoman", "commander", "added", "front",
    "frontline", "shelling", "artillery", "offensive", "rebels", "militants", "fighters",
    "province", "district", "capital", "residents", "hospital", "hospitals", "schools",
    "infrastructure", "power", "electricity", "water", "food", "fuel", "shortages", "refugees",
    "displaced", "evacuation", "evacuated", "convoy", "corridor", "sanctions", "embassy",
    "diplomats", "envoy", "delegation", "negotiations", "summit", "resolution", "council",
    "intelligence", "surveillance", "air", "systems", "intercepted", "shot", "down", "hostages",
    "prisoners", "exchange", "detained", "arrested", "investigation", "evidence", "crimes", "court",
    "famine", "winter", "reconstruction", "mines", "munitions", "ballistic", "cruise", "warship",
    "navy", "naval", "shipping", "vessel", "tanker", "cargo", "port", "grain", "exports", "oil",
    "gas", "pipeline", "energy", "prices", "economy", "inflation", "tanks", "vehicles",
    "ammunition", "weapons", "supplies", "reinforcements", "advance", "advanced", "retreat",
    "withdrawal", "captured", "recaptured", "occupied", "occupation", "siege", "blockade",
    "bombardment", "explosion", "explosions", "blast", "rocket", "rockets", "mortar", "casualties",
    "deaths", "dead", "bodies", "rubble", "buildings", "homes", "houses", "shelter", "shelters",
    "overnight", "morning", "evening", "night", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "don’t", "it’s", "didn’t", "won’t", "nearly", "about", "almost",
    "dozens", "hundreds", "thousands", "million", "billion", "percent", "per", "cent", "monitoring",
    "group", "observatory", "agency", "witnesses", "footage", "video", "images", "satellite",
    "claims", "claimed", "denied", "confirmed", "independently", "verify", "could", "not",
    "immediately", "be", "reached", "comment", "condemned", "warned", "urged", "called",
    "announced", "accused", "responsible", "alleged", "violations", "international", "law",
    "genocide", "tribunal", "prosecutor", "election", "parliament", "opposition", "protest",
    "protesters", "curfew", "checkpoint", "checkpoints", "airport", "airbase", "base", "bases",
    "depot", "facility", "plant", "nuclear", "reactor", "radiation", "inspectors", "drills",
    "exercises", "mobilisation", "mobilization", "conscription", "recruits", "volunteers",
    "mercenaries", "militia", "paramilitary", "insurgents", "insurgency", "counteroffensive",
    "counterattack", "ambush", "sniper", "helicopter", "fighter", "jets", "aircraft", "bomber",
    "bombers", "radar", "interceptors", "battery", "batteries", "brigade", "battalion", "regiment",
    "division"};
// clang-format on

inline const std::vector<Variants>& places() {
  static const std::vector<Variants> v = {{"Kyiv", "Kiev"},
                                          {"Kharkiv", "Kharkov"},
                                          {"Odesa", "Odessa"},
                                          {"Zaporizhzhia", "Zaporizhia", "Zaporozhye"},
                                          {"Mykolaiv", "Mykolayiv", "Nikolaev"},
                                          {"Luhansk", "Lugansk"},
                                          {"Donetsk"},
                                          {"Bakhmut", "Artemivsk"},
                                          {"Mariupol"},
                                          {"Kherson"},
                                          {"Dnipro", "Dnipropetrovsk"},
                                          {"Avdiivka", "Avdeyevka"},
                                          {"Chernihiv", "Chernigov"},
                                          {"Belgorod"},
                                          {"Kursk"},
                                          {"Sevastopol"},
                                          {"Crimea"},
                                          {"Aleppo", "Halab"},
                                          {"Idlib"},
                                          {"Homs"},
                                          {"Damascus"},
                                          {"Deir ez-Zor", "Deir el-Zour", "Deir Ezzor"},
                                          {"Raqqa", "Raqqah", "al-Raqqa"},
                                          {"Gaza"},
                                          {"Khan Younis", "Khan Yunis"},
                                          {"Rafah"},
                                          {"Jabalia", "Jabaliya"},
                                          {"Sanaa", "Sana’a", "Sana'a"},
                                          {"Hodeidah", "Hudaydah", "al-Hudaydah"},
                                          {"Marib", "Ma’rib"},
                                          {"Aden"},
                                          {"Taiz", "Ta’izz"},
                                          {"Mosul"},
                                          {"Kirkuk"},
                                          {"Beirut"},
                                          {"Tripoli"},
                                          {"Benghazi"},
                                          {"Khartoum"},
                                          {"Omdurman"},
                                          {"El Fasher", "al-Fashir", "El-Fasher"},
                                          {"Nyala"},
                                          {"Mogadishu"},
                                          {"Goma"},
                                          {"Bamako"},
                                          {"Kabul"},
                                          {"Kandahar"},
                                          {"Nagorno-Karabakh", "Nagorno Karabakh"},
                                          {"Stepanakert", "Khankendi"},
                                          {"Tigray"},
                                          {"Mekelle", "Mekele"}};
  return v;
}

inline const std::vector<Variants>& countries() {
  static const std::vector<Variants> v = {{"Ukraine"},
                                          {"Russia"},
                                          {"Syria"},
                                          {"Israel"},
                                          {"Lebanon"},
                                          {"Yemen"},
                                          {"Iraq"},
                                          {"Iran"},
                                          {"Turkey", "Türkiye"},
                                          {"Sudan"},
                                          {"Libya"},
                                          {"Somalia"},
                                          {"Ethiopia"},
                                          {"Mali"},
                                          {"Armenia"},
                                          {"Azerbaijan"},
                                          {"Afghanistan"},
                                          {"Belarus"},
                                          {"Poland"},
                                          {"Moldova"},
                                          {"Georgia"},
                                          {"Egypt"},
                                          {"Jordan"},
                                          {"Qatar"},
                                          {"Saudi Arabia"},
                                          {"the United States", "the U.S.", "the US"},
                                          {"Britain", "the U.K.", "the UK"}};
  return v;
}

// Invented people; the variants are the transliterations different outlets use.
inline const std::vector<Variants>& people() {
  static const std::vector<Variants> v = {
      {"Oleksandr Hrytsenko", "Aleksandr Gritsenko", "Olexandr Hrytsenko"},
      {"Mykola Bondarenko", "Nikolai Bondarenko"},
      {"Iryna Kovalchuk", "Irina Kovalchuk"},
      {"Serhiy Melnyk", "Serhii Melnyk", "Sergei Melnik"},
      {"Dmitry Volkov", "Dmitri Volkov", "Dmytro Volkov"},
      {"Yevgeny Sokolov", "Evgeny Sokolov", "Yevgeniy Sokolov"},
      {"Anatoliy Petrenko", "Anatolii Petrenko", "Anatoly Petrenko"},
      {"Mohammed al-Rashidi", "Muhammad al-Rashidi", "Mohamed el-Rashidy"},
      {"Abdulkarim Haddad", "Abdul Karim Haddad", "Abd al-Karim Hadad"},
      {"Yusuf Qasim", "Youssef Kassem", "Yousef Qassem"},
      {"Fatima al-Zahrani", "Fatimah Al Zahrani"},
      {"Khalid Mansour", "Khaled Mansur"},
      {"Omar Abu Salem", "Umar Abu Salim"},
      {"Layla Haddad", "Leila Hadad"},
      {"Ahmed Osman", "Ahmad Uthman"},
      {"Noura Ibrahim", "Nura Ibrahim"},
      {"David Mercer"},
      {"Sarah Whitfield"},
      {"James Okafor"},
      {"Anna Lindqvist", "Anna Lindquist"},
      {"Pierre Duval"},
      {"Katrin Vogel"},
      {"Tomasz Nowicki"},
      {"Giorgi Beridze", "Georgy Beridze"},
      {"Aram Petrosyan", "Aram Petrossian"},
      {"Elchin Mammadov", "Elchin Mamedov"},
      {"Siobhan O’Connell", "Siobhan O'Connell"}};
  return v;
}

inline const std::vector<Variants>& organisations() {
  static const std::vector<Variants> v = {
      {"United Nations", "U.N.", "UN"},
      {"NATO"},
      {"European Union", "E.U.", "EU"},
      {"International Committee of the Red Cross", "ICRC", "Red Cross"},
      {"World Health Organization", "WHO"},
      {"UNHCR", "U.N. refugee agency"},
      {"OCHA", "U.N. Office for the Coordination of Humanitarian Affairs"},
      {"International Atomic Energy Agency", "IAEA"},
      {"Human Rights Watch", "HRW"},
      {"Amnesty International"},
      {"Pentagon", "U.S. Department of Defense"},
      {"Kremlin"},
      {"General Staff"},
      {"Defence Ministry", "Defense Ministry", "Ministry of Defence", "MoD"},
      {"World Food Programme", "World Food Program", "WFP"},
      {"Rapid Support Forces", "RSF"},
      {"Syrian Democratic Forces", "SDF"},
      {"Hamas"},
      {"Hezbollah", "Hizbollah", "Hizbullah"},
      {"Houthis", "Houthi movement", "Ansar Allah"},
      {"Islamic State", "ISIS", "ISIL", "Daesh"},
      {"Wagner Group", "Wagner"},
      {"OSCE"},
      {"African Union", "AU"},
      {"Israel Defense Forces", "IDF", "Israeli military"}};
  return v;
}

inline constexpr std::array<std::string_view, 14> kRoles = {"governor",
                                                            "mayor",
                                                            "spokesman",
                                                            "spokeswoman",
                                                            "deputy defence minister",
                                                            "foreign minister",
                                                            "military analyst",
                                                            "regional administrator",
                                                            "aid worker",
                                                            "senior commander",
                                                            "Col.",
                                                            "Gen.",
                                                            "head of the regional council",
                                                            "Lt. Gen."};

inline constexpr std::array<std::string_view, 40> kCompounds = {
    "cease-fire",   "long-range",     "Russia-Ukraine",   "Iranian-backed", "large-scale",
    "so-called",    "U.S.-led",       "pro-Russian",      "anti-aircraft",  "Israel-Hamas",
    "low-flying",   "Saudi-led",      "well-armed",       "three-day",      "28-point",
    "front-line",   "Kremlin-backed", "Turkish-brokered", "NATO-supplied",  "U.N.-backed",
    "cross-border", "hit-and-run",    "Moscow-installed", "high-precision", "rocket-propelled",
    "door-to-door", "twelve-hour",    "air-defence",      "shoulder-fired", "de-escalation",
    "post-war",     "truck-mounted",  "kamikaze-style",   "grain-export",   "Black-Sea",
    "ill-equipped", "E.U.-funded",    "short-lived",      "re-election",    "x-ray"};

inline constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

inline constexpr std::array<std::string_view, 7> kWeekdays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// English sentence templates. {W} is a 5-14 word Zipf clause, {w} a 2-5 word one; see expand().
inline constexpr std::array<std::string_view, 26> kEnglishTemplates = {
    "{PT} said on {D} that {W}.",
    "At least {N} people were killed and {N} wounded in {L}, according to the {O}.",
    "“{W},” {P} told reporters in {L}.",
    "The {O} said {N} {w} had been displaced since {M}.",
    "{C}’s {H} {W} near {L}, {w}.",
    "{O} officials described the situation in {L} as “{w}.”",
    "In {L}, {W}, while {W}.",
    "{W} {H} {W}.",
    "The {H} {w} came after {W} in {L} on {D}.",
    "A spokesperson for the {O} declined to comment on {w}.",
    "According to {O} figures, {N} {w} since the start of {Y}.",
    "{P}, {R} of {L}, said {W}.",
    "{L} — {W}, {P} said.",
    "The attack on {L} was the {w} since {C} and {C} agreed to a {H} in {M}.",
    "{N} {w} were reported in the {L} region overnight, the {O} said in a statement.",
    "\"{W},\" the {O} said.",
    "{C} and {C} have traded accusations over {w}.",
    "{PV} said {W}.",
    "The {O} estimated damage at {N}.",
    "{W}, {W}.",
    "Residents of {L} said they had {W}.",
    "{PT} told {S} that {W}.",
    "Satellite images reviewed by {S} showed {W} near {L}.",
    "The {Y} figure compares with {N} a year earlier, {O} data show.",
    "It was not possible to independently verify {w}.",
    "{L}’s {w} {W}."};

inline constexpr std::array<std::string_view, 18> kEnglishTitleTemplates = {
    "{L}: {N} killed in {H} {w}",
    "{O} warns of {w} in {L}",
    "{C} {w} as {w}",
    "{PT} says {w}",
    "{H} {w} hits {L}",
    "Live: {C} {w} {L}",
    "Explainer: what {w} means for {C}",
    "{N} {w} after {L} {w}",
    "{O} calls for {H} in {L}",
    "Analysis: {C}’s {w}",
    "{L} residents {w} as {w}",
    "{C} and {C} {w}",
    "“{w}”: {L} {w}",
    "{O} says {w} near {L}",
    "{P} {w} in {L}",
    "{C}-{C} {w}",
    "Fighting near {L} {w}",
    "{N} {w}"};

// Non-English word lists: frequent words first, so the Zipf ranks stay plausible.
// clang-format off
inline constexpr std::string_view kRussian[] = {
    "и", "в", "на", "не", "что", "с", "по", "это", "как", "из", "за", "к", "о", "от", "для", "так",
    "все", "его", "она", "они", "но", "а", "было", "был", "были", "году", "также", "после",
    "заявил", "сообщил", "сообщили", "военные", "войска", "город", "области", "удар", "удары",
    "ракета", "ракеты", "беспилотник", "беспилотники", "обстрел", "обстрелы", "погибли", "погибших",
    "ранены", "раненых", "мирных", "жителей", "власти", "министерство", "обороны", "армия", "армии",
    "фронт", "фронта", "наступление", "переговоры", "перемирие", "санкции", "гуманитарной",
    "помощи", "беженцев", "эвакуация", "больница", "школа", "электроэнергии", "инфраструктуры",
    "президент", "глава", "администрации", "губернатор", "по данным", "источник", "заявление",
    "сегодня", "вчера", "ночью", "утром", "вечером", "около", "более", "менее", "человек", "домов",
    "зданий", "районе", "села", "поселка", "направлении", "позиции", "техники", "танков",
    "артиллерии", "ПВО", "сбиты", "сбили", "атаки", "атаку", "боевики", "силы", "операции",
    "территории", "границы", "граница", "расследование", "суд", "прокуратура", "задержаны",
    "пленных", "обмен", "зерна", "порт", "нефти", "газа", "цены", "экономики", "войны", "войне",
    "мира", "безопасности", "совет", "ООН", "НАТО", "США", "ЕС", "который", "которые", "может",
    "будет", "еще", "уже", "только", "время", "очень", "здесь", "там", "при", "под", "над", "между",
    "через", "против"};
// clang-format on

// clang-format off
inline constexpr std::string_view kUkrainian[] = {
    "і", "в", "на", "не", "що", "з", "у", "це", "як", "із", "за", "до", "про", "від", "для", "так",
    "всі", "його", "вона", "вони", "але", "а", "було", "був", "були", "році", "також", "після",
    "заявив", "повідомив", "повідомили", "військові", "війська", "місто", "області", "удар",
    "удари", "ракета", "ракети", "безпілотник", "безпілотники", "обстріл", "обстріли", "загинули",
    "загиблих", "поранені", "поранених", "мирних", "жителів", "влада", "міністерство", "оборони",
    "армія", "армії", "фронт", "фронту", "наступ", "переговори", "перемир’я", "санкції",
    "гуманітарної", "допомоги", "біженців", "евакуація", "лікарня", "школа", "електроенергії",
    "інфраструктури", "президент", "голова", "адміністрації", "губернатор", "за даними", "джерело",
    "заява", "сьогодні", "вчора", "вночі", "вранці", "ввечері", "близько", "понад", "людей",
    "будинків", "будівель", "районі", "села", "селища", "напрямку", "позиції", "техніки", "танків",
    "артилерії", "ППО", "збито", "збили", "атаки", "атаку", "сили", "операції", "території",
    "кордону", "кордон", "розслідування", "суд", "прокуратура", "затримано", "полонених", "обмін",
    "зерна", "порт", "нафти", "газу", "ціни", "економіки", "війни", "війні", "миру", "безпеки",
    "рада", "ООН", "НАТО", "США", "ЄС", "який", "які", "може", "буде", "ще", "вже", "лише", "час",
    "дуже", "тут", "там", "під", "над", "між", "через", "проти", "ґрунт", "їхні", "є"};
// clang-format on

// clang-format off
inline constexpr std::string_view kArabic[] = {
    "في", "من", "على", "إلى", "أن", "عن", "مع", "التي", "الذي", "هذا", "هذه", "قال", "وقال", "بعد",
    "قبل", "كان", "كانت", "وفي", "القوات", "الجيش", "مدينة", "المدينة", "صاروخ", "صواريخ", "طائرة",
    "مسيرة", "قصف", "هجوم", "غارة", "غارات", "مقتل", "إصابة", "المدنيين", "الحكومة", "وزارة",
    "الدفاع", "الخارجية", "الرئيس", "وزير", "المتحدث", "باسم", "بيان", "مصادر", "محلية", "منطقة",
    "المنطقة", "ريف", "محافظة", "الحدود", "المساعدات", "الإنسانية", "اللاجئين", "النازحين",
    "مستشفى", "مدرسة", "الكهرباء", "المياه", "الوقود", "وقف", "إطلاق", "النار", "الهدنة",
    "المفاوضات", "الأمم", "المتحدة", "مجلس", "الأمن", "العقوبات", "الحرب", "السلام", "اليوم", "أمس",
    "ليلة", "صباح", "مساء", "نحو", "أكثر", "أقل", "عدد", "شخصا", "منازل", "مباني", "الأحياء",
    "قرية", "بلدة", "الجبهة", "المعارك", "اشتباكات", "الفصائل", "المسلحة", "الميليشيات", "الدبابات",
    "المدفعية", "الدفاعات", "الجوية", "اعتراض", "أسرى", "تبادل", "تحقيق", "المحكمة", "النفط",
    "الغاز", "الميناء", "الاقتصاد", "الأسعار", "الذين", "حيث", "كما", "أيضا", "لكن", "ثم", "حتى",
    "بين", "خلال", "ضد", "عند"};
// clang-format on

// clang-format off
inline constexpr std::string_view kFrench[] = {
    "le", "la", "les", "de", "des", "du", "et", "à", "en", "un", "une", "que", "qui", "dans",
    "pour", "sur", "par", "avec", "a", "été", "est", "selon", "l’armée", "d’un", "d’une", "frappe",
    "frappes", "ville", "région", "drone", "drones", "missile", "missiles", "bombardements",
    "civils", "morts", "blessés", "soldats", "troupes", "ministère", "défense", "président",
    "ministre", "porte-parole", "cessez-le-feu", "négociations", "aide", "humanitaire", "réfugiés",
    "déplacés", "hôpital", "école", "électricité", "infrastructures", "front", "offensive",
    "contre-offensive", "frontière", "sanctions", "guerre", "paix", "sécurité", "conseil", "ONU",
    "OTAN", "États-Unis", "UE", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "lundi", "nuit", "matin", "soir", "environ", "plus", "moins", "personnes", "bâtiments",
    "maisons", "village", "localité", "attaque", "attaques", "forces", "opération", "territoire",
    "enquête", "tribunal", "prisonniers", "échange", "céréales", "port", "pétrole", "gaz", "prix",
    "économie", "il", "elle", "ils", "ont", "sont", "mais", "ou", "où", "aussi", "déjà", "encore",
    "après", "avant", "entre", "depuis", "pendant", "sous", "contre"};
// clang-format on

// clang-format off
inline constexpr std::string_view kGerman[] = {
    "der", "die", "das", "und", "in", "den", "von", "zu", "mit", "sich", "des", "auf", "für", "ist",
    "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat",
    "dass", "sie", "nach", "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem",
    "über", "einen", "so", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur", "bis",
    "mehr", "durch", "sagte", "Armee", "Angriff", "Angriffe", "Stadt", "Region", "Drohne",
    "Drohnen", "Rakete", "Raketen", "Soldaten", "Zivilisten", "Waffenruhe", "Verhandlungen",
    "Hilfe", "Flüchtlinge", "Krankenhaus", "Schule", "Strom", "Infrastruktur", "Front", "Offensive",
    "Gegenoffensive", "Grenze", "Sanktionen", "Krieg", "Frieden", "Sicherheit", "Sicherheitsrat",
    "Verteidigungsministerium", "Präsident", "Minister", "Sprecher", "UN", "Nato", "USA", "EU",
    "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag", "Nacht",
    "Morgen", "Abend", "etwa", "mindestens", "Menschen", "Gebäude", "Häuser", "Dorf", "Truppen",
    "Streitkräfte", "Luftabwehr", "abgeschossen", "Gefangene", "Austausch", "Getreide", "Hafen",
    "Öl", "Gas", "Preise", "Wirtschaft", "Ermittlungen", "Gericht", "getötet", "verletzt",
    "zerstört", "gemeldet", "laut", "Angaben", "seit", "während", "gegen", "zwischen", "unter",
    "bereits", "weiterhin"};
// clang-format on

// clang-format off
inline constexpr std::string_view kRussianPlaces[] = {
    "Киев", "Харьков", "Одесса", "Донецк", "Москва", "Белгород", "Херсон", "Запорожье"};
// clang-format on
// clang-format off
inline constexpr std::string_view kUkrainianPlaces[] = {
    "Київ", "Харків", "Одеса", "Запоріжжя", "Мар’їнка", "Львів", "Дніпро", "Херсон"};
// clang-format on
// clang-format off
inline constexpr std::string_view kArabicPlaces[] = {
    "غزة", "حلب", "دمشق", "صنعاء", "بيروت", "الخرطوم", "الموصل", "إدلب"};
// clang-format on
// clang-format off
inline constexpr std::string_view kFrenchPlaces[] = {
    "Kiev", "Gaza", "Bamako", "Alep", "Beyrouth", "Khartoum", "Odessa", "Damas"};
// clang-format on
// clang-format off
inline constexpr std::string_view kGermanPlaces[] = {
    "Kiew", "Charkiw", "Odessa", "Gaza", "Damaskus", "Beirut", "Cherson", "Aleppo"};
// clang-format on

inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Upper-cases the first letter at or after byte pos: ASCII, and the two-byte Cyrillic lower-case
// range, which is all the word lists need (Arabic has no case; Latin-1 initials are left alone).
inline void capitalize_at(std::string& s, std::size_t pos) {
  while (pos < s.size()) {
    const auto c = static_cast<unsigned char>(s[pos]);
    if (c >= 'a' && c <= 'z') {
      s[pos] = static_cast<char>(c - 32);
      return;
    }
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return;
    if ((c == 0xD0 || c == 0xD1 || c == 0xD2) && pos + 1 < s.size()) {
      const char32_t cp =
          (char32_t(c & 0x1F) << 6) | (static_cast<unsigned char>(s[pos + 1]) & 0x3F);
      char32_t up = cp;
      if (cp >= 0x430 && cp <= 0x44F)
        up = cp - 0x20;
      else if (cp >= 0x450 && cp <= 0x45F)
        up = cp - 0x50;
      else if (cp == 0x491)
        up = 0x490;
      if (up != cp) {
        std::string repl;
        append_utf8(repl, up);
        s.replace(pos, 2, repl);
      }
      return;
    }
    if (c >= 0x80) return;  // some other letter (Arabic, accented Latin): leave as is
    ++pos;                  // punctuation such as an opening quote
  }
}

inline void append_grouped(std::string& out, std::uint64_t n, std::string_view sep) {
  const std::string digits = std::to_string(n);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
}

}  // namespace detail

// One generated article. The has_* flags say whether a field is present in the record.
struct Article {
  std::string id;
  std::string url;
  std::string source;
  std::string title;
  std::string published;
  std::string language;
  std::string body;
  bool has_published = true;
  bool has_language = true;
};

class NewsGenerator {
 public:
  // The vocabulary does not depend on the seed (it is built from a fixed one), so archives
  // generated with different seeds share their term statistics and differ only in the articles.
  NewsGenerator() {
    std::unordered_set<std::string_view> seen;
    for (std::string_view w : detail::kEnglishHead) {
      if (seen.insert(w).second) m_english_head.emplace_back(w);
    }
    build_pseudo_words(30000);
    m_english_zipf = Zipf(m_english_head.size() + m_pseudo.size());
    m_small_zipf = Zipf(128, 2);
    m_entity_zipf = Zipf(64, 2);
    m_size_zipf = Zipf(1000, 1);
  }

  // Languages a text can be generated in.
  static constexpr std::array<std::string_view, 6> kLanguages = {"en", "ru", "uk",
                                                                 "ar", "fr", "de"};

  // Appends paragraphs of text in lang (one of kLanguages) to out until it has at least `words`
  // words; paragraphs are separated by "\n\n".
  void body(std::string_view lang, std::size_t words, Rng& rng, std::string& out) const {
    std::size_t count = 0;
    while (count < words) {
      if (!out.empty()) out += "\n\n";
      const std::uint64_t sentences = rng.between(2, 5);
      for (std::uint64_t s = 0; s < sentences && count < words; ++s) {
        if (s > 0) out += ' ';
        count += sentence(lang, rng, out);
      }
    }
  }

  // A headline in lang.
  void title(std::string_view lang, bool title_case, Rng& rng, std::string& out) const {
    const std::size_t start = out.size();
    if (lang == "en") {
      if (rng.chance(650)) {
        expand(rng.pick(detail::kEnglishTitleTemplates), rng, out);
      } else {
        words_en(rng.between(5, 11), rng, out);
      }
      if (title_case) {
        for (std::size_t i = start; i < out.size(); ++i) {
          if ((i == start || out[i - 1] == ' ') && out.size() - i > 3)
            detail::capitalize_at(out, i);
        }
      }
    } else {
      words_other(lang, rng.between(4, 10), rng, out);
    }
    detail::capitalize_at(out, start);
  }

  // The whole record number `index` (1-based) of the archive generated with `seed`. Each record
  // has its own PRNG stream, derived from (seed, index), so any record can be generated alone.
  void article(std::uint64_t seed, std::uint64_t index, Article& a) const;

 private:
  struct Outlet {
    std::string_view name;
    std::string_view domain;
    std::string_view lang;  // the language it publishes in ("en" for most)
    std::string_view boilerplate;
    bool title_case;
    bool dateline;
  };
  static const std::vector<Outlet>& outlets();

  void build_pseudo_words(std::size_t n) {
    // Syllables and endings chosen so the pseudo-words look English enough for the Snowball
    // stemmer to have work to do (-ing, -ed, -tion, -s...).
    static constexpr std::array<std::string_view, 20> onsets = {
        "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h",
        "k", "l",  "m", "n",  "p", "pr", "r", "s", "st", "t"};
    static constexpr std::array<std::string_view, 12> vowels = {"a",  "e",  "i",  "o", "u", "ai",
                                                                "ea", "ou", "ie", "o", "a", "e"};
    static constexpr std::array<std::string_view, 14> codas = {
        "", "", "", "n", "r", "s", "t", "l", "nd", "rk", "st", "m", "ck", "x"};
    static constexpr std::array<std::string_view, 16> endings = {
        "",    "",    "",     "",   "",     "s",    "s",   "ed",
        "ing", "ers", "tion", "ly", "ment", "ness", "ive", "al"};
    Rng rng(0x5eed'0f5e'ed00ULL);
    std::unordered_set<std::string> seen;
    for (std::string_view w : m_english_head) seen.emplace(w);
    m_pseudo.reserve(n);
    while (m_pseudo.size() < n) {
      std::string w;
      const std::uint64_t syllables = 1 + rng.below(2) + (rng.chance(250) ? 1 : 0);
      for (std::uint64_t s = 0; s < syllables; ++s) {
        w += rng.pick(onsets);
        w += rng.pick(vowels);
        w += rng.pick(codas);
      }
      w += rng.pick(endings);
      if (w.size() >= 3 && seen.insert(w).second) m_pseudo.push_back(std::move(w));
    }
    // Frequent words are short in every language (Zipf's law of abbreviation): give the short
    // pseudo-words the high ranks.
    std::stable_sort(
        m_pseudo.begin(), m_pseudo.end(),
        [](const std::string& x, const std::string& y) { return x.size() < y.size(); });
  }

  std::string_view english_word(Rng& rng) const {
    const std::size_t r = m_english_zipf(rng);
    if (r < m_english_head.size()) return m_english_head[r];
    return m_pseudo[r - m_english_head.size()];
  }

  std::string_view entity(const std::vector<detail::Variants>& list, Rng& rng) const {
    const auto& variants = list[m_entity_zipf(rng) % list.size()];
    // The usual spelling most of the time, a variant now and then, as across outlets.
    if (variants.size() > 1 && rng.chance(300)) return variants[1 + rng.below(variants.size() - 1)];
    return variants[0];
  }

  void number(Rng& rng, std::string& out) const {
    switch (rng.below(10)) {
      case 0:
        out += rng.pick(std::array<std::string_view, 6>{"dozens of", "hundreds of", "thousands of",
                                                        "three", "several", "two"});
        return;
      case 1:
        out += std::to_string(rng.between(1, 9));
        out += '.';
        out += std::to_string(rng.below(10));
        out += rng.chance(500) ? " million" : " billion";
        return;
      case 2:
        out += '$';
        out += std::to_string(rng.between(1, 99));
        out += '.';
        out += std::to_string(rng.below(10));
        out += " billion";
        return;
      case 3:
        out += std::to_string(rng.between(1, 99));
        out += rng.chance(500) ? "%" : " percent";
        return;
      default: {
        // Sizes are themselves Zipf-like: many small counts, a few in the thousands.
        std::uint64_t n = m_size_zipf(rng) + 1;
        if (rng.chance(300)) n = n * 97 + rng.below(97);
        detail::append_grouped(out, n, ",");
        return;
      }
    }
  }

  void words_en(std::uint64_t n, Rng& rng, std::string& out) const {
    for (std::uint64_t i = 0; i < n; ++i) {
      if (i > 0) out += (i > 3 && rng.chance(40)) ? ", " : " ";
      if (rng.chance(25)) {
        out += entity(detail::places(), rng);
      } else if (rng.chance(15)) {
        out += rng.pick(detail::kCompounds);
      } else if (rng.chance(12)) {
        number(rng, out);
      } else {
        out += english_word(rng);
      }
    }
  }

  // Expands a template; returns nothing, the caller counts words.
  void expand(std::string_view tmpl, Rng& rng, std::string& out) const {
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
      if (tmpl[i] != '{') {
        out += tmpl[i];
        continue;
      }
      const std::size_t close = tmpl.find('}', i);
      const std::string_view key = tmpl.substr(i + 1, close - i - 1);
      i = close;
      if (key == "W") {
        words_en(rng.between(5, 14), rng, out);
      } else if (key == "w") {
        words_en(rng.between(2, 5), rng, out);
      } else if (key == "P") {
        out += entity(detail::people(), rng);
      } else if (key == "PV") {
        // "X (also spelled Y)": both spellings of one name in one document.
        const auto& variants = detail::people()[rng.below(detail::people().size())];
        out += variants[0];
        if (variants.size() > 1) {
          out += " (also spelled ";
          out += variants[1 + rng.below(variants.size() - 1)];
          out += ')';
        }
      } else if (key == "PT") {
        const std::string_view role = rng.pick(detail::kRoles);
        if (role.back() == '.') {
          out += role;
          out += ' ';
          out += entity(detail::people(), rng);
        } else {
          out += entity(detail::people(), rng);
          out += ", ";
          out += role;
          out += ",";
        }
      } else if (key == "L") {
        out += entity(detail::places(), rng);
      } else if (key == "C") {
        out += entity(detail::countries(), rng);
      } else if (key == "O") {
        out += entity(detail::organisations(), rng);
      } else if (key == "N") {
        number(rng, out);
      } else if (key == "H") {
        out += rng.pick(detail::kCompounds);
      } else if (key == "D") {
        out += rng.pick(detail::kWeekdays);
      } else if (key == "M") {
        out += rng.pick(detail::kMonths);
      } else if (key == "Y") {
        out += std::to_string(rng.between(2022, 2026));
      } else if (key == "R") {
        out += rng.pick(detail::kRoles);
      } else if (key == "S") {
        out += outlets()[rng.below(outlets().size())].name;
      }
    }
  }

  void words_other(std::string_view lang, std::uint64_t n, Rng& rng, std::string& out) const {
    std::span<const std::string_view> words, places;
    if (lang == "ru") {
      words = detail::kRussian, places = detail::kRussianPlaces;
    } else if (lang == "uk") {
      words = detail::kUkrainian, places = detail::kUkrainianPlaces;
    } else if (lang == "ar") {
      words = detail::kArabic, places = detail::kArabicPlaces;
    } else if (lang == "fr") {
      words = detail::kFrench, places = detail::kFrenchPlaces;
    } else {
      words = detail::kGerman, places = detail::kGermanPlaces;
    }
    const std::string_view comma = lang == "ar" ? "، " : ", ";
    for (std::uint64_t i = 0; i < n; ++i) {
      if (i > 0) out += (i > 3 && rng.chance(50)) ? comma : " ";
      if (rng.chance(40)) {
        out += places[rng.below(places.size())];
      } else if (rng.chance(30)) {
        // Russian, Ukrainian and French group digits with a no-break space; German with a dot.
        const std::uint64_t v = m_size_zipf(rng) * 13 + rng.below(13);
        detail::append_grouped(out, v, lang == "de" ? "." : lang == "ar" ? "," : "\u00A0");
      } else {
        out += words[m_small_zipf(rng) % words.size()];
      }
    }
  }

  // Appends one sentence; returns its number of words (space-separated).
  std::size_t sentence(std::string_view lang, Rng& rng, std::string& out) const {
    const std::size_t start = out.size();
    if (lang == "en") {
      if (rng.chance(450)) {
        expand(rng.pick(detail::kEnglishTemplates), rng, out);
      } else {
        words_en(rng.between(8, 25), rng, out);
        out += rng.chance(30) ? "?" : ".";
      }
    } else {
      const bool quoted = rng.chance(100);
      if (quoted) out += lang == "de" ? "„" : "«";
      words_other(lang, rng.between(6, 20), rng, out);
      if (quoted) out += lang == "de" ? "“" : "»";
      out += '.';
    }
    detail::capitalize_at(out, start);
    return 1 + static_cast<std::size_t>(std::count(out.begin() + start, out.end(), ' '));
  }

  std::vector<std::string_view> m_english_head;
  std::vector<std::string> m_pseudo;
  Zipf m_english_zipf, m_small_zipf, m_entity_zipf, m_size_zipf;
};

inline const std::vector<NewsGenerator::Outlet>& NewsGenerator::outlets() {
  static const std::vector<Outlet> v = {
      {"Frontline Dispatch", "frontline-dispatch.example", "en",
       "Reporting by Frontline Dispatch staff; editing by the world desk.", false, true},
      {"Levant Monitor", "levantmonitor.example", "en",
       "Levant Monitor is an independent newsroom. Support our reporting.", true, false},
      {"Black Sea Courier", "blackseacourier.example", "en",
       "Follow Black Sea Courier on Telegram for live updates.", false, true},
      {"Sahel Observer", "sahel-observer.example", "en",
       "© Sahel Observer. All rights reserved. Republication prohibited.", true, false},
      {"Eastern Front Wire", "easternfrontwire.example", "en",
       "This story has been updated with additional reporting.", false, true},
      {"Gulf Tribune", "gulftribune.example", "en",
       "Sign up for the Gulf Tribune morning briefing.", true, false},
      {"Horn of Africa Report", "hoareport.example", "en",
       "(Additional reporting by our correspondents in Nairobi and Addis Ababa.)", false, false},
      {"Caucasus Times", "caucasustimes.example", "en",
       "Caucasus Times — news from Tbilisi, Yerevan and Baku since 1998.", true, true},
      {"Tigris Herald", "tigrisherald.example", "en",
       "The Tigris Herald’s coverage is supported by readers like you.", false, false},
      {"Mediterranean Post", "medpost.example", "en",
       "Read more: our full coverage of the conflict.", true, false},
      {"Baltic Sentinel", "balticsentinel.example", "en",
       "The Baltic Sentinel could not independently verify the claims.", false, true},
      {"Nile Valley News", "nilevalleynews.example", "en",
       "Nile Valley News — Cairo bureau. Contact: desk@nilevalleynews.example", false, false},
      {"Atlas Wire", "atlaswire.example", "en",
       "Atlas Wire is a member of the Independent News Cooperative.", false, true},
      {"Red Sea Bulletin", "redseabulletin.example", "en",
       "Shipping data courtesy of maritime tracking services.", true, false},
      {"Crisis Desk", "crisisdesk.example", "en",
       "If you have information about this story, contact Crisis Desk securely.", false, false},
      {"Global Conflict Review", "gcreview.example", "en",
       "Global Conflict Review publishes analysis from independent experts.", true, false},
      {"Northern Flank Journal", "northernflank.example", "en",
       "This article first appeared in the Northern Flank Journal’s weekly newsletter.", false,
       true},
      {"Desert Line Media", "desertline.example", "en",
       "Desert Line Media — reporting from the region since 2011.", false, false},
      {"Continental Wire Service", "cws-news.example", "en",
       "(Reporting by CWS correspondents; writing by the news desk; editing by the night editor.)",
       false, true},
      {"Kyiv Ledger", "kyivledger.example", "uk", "Підписуйтеся на Kyiv Ledger у Telegram.", false,
       false},
      {"Dnipro Daily", "dniprodaily.example", "uk", "Читайте також: головне за добу.", false,
       false},
      {"Vostok Vestnik", "vostokvestnik.example", "ru",
       "Подписывайтесь на Vostok Vestnik в Telegram.", false, false},
      {"Al-Mirsad", "almirsad.example", "ar", "تابعونا على تلغرام لآخر الأخبار.", false, false},
      {"Le Veilleur du Sahel", "veilleur-sahel.example", "fr",
       "Cet article a été mis à jour avec de nouveaux éléments.", false, false},
      {"Lagebericht Ost", "lagebericht-ost.example", "de",
       "Dieser Artikel wurde mit neuen Angaben aktualisiert.", false, false}};
  return v;
}

inline void NewsGenerator::article(std::uint64_t seed, std::uint64_t index, Article& a) const {
  std::uint64_t mix = seed ^ (index * 0xd1b54a32d192ed03ULL);
  Rng rng(splitmix64(mix));
  const auto& all = outlets();

  // Language first (~85% English), then an outlet that publishes in it; the English outlets are
  // picked Zipf-like so that a few dominate, as wire services do.
  const std::uint64_t l = rng.below(1000);
  const std::string_view lang = l < 850   ? "en"
                                : l < 890 ? "ru"
                                : l < 930 ? "uk"
                                : l < 970 ? "ar"
                                : l < 985 ? "fr"
                                          : "de";
  std::vector<const Outlet*> candidates;
  for (const auto& o : all) {
    if (o.lang == lang) candidates.push_back(&o);
  }
  const Outlet& outlet = *candidates[m_entity_zipf(rng) % candidates.size()];

  a.id = "gen-";
  const std::string digits = std::to_string(index);
  if (digits.size() < 6) a.id.append(6 - digits.size(), '0');
  a.id += digits;
  a.source = outlet.name;
  a.language = lang;
  a.has_language = !rng.chance(50);

  // Dates over 2022-01-01 .. 2026-12-31, in the formats feeds actually use.
  a.has_published = !rng.chance(30);
  a.published.clear();
  std::string date_path;
  if (a.has_published) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year = 2022;
    std::uint64_t day = rng.below(1826);  // 365 * 5 + 1 (2024 is a leap year)
    for (;;) {
      const int len = year == 2024 ? 366 : 365;
      if (day < static_cast<std::uint64_t>(len)) break;
      day -= len;
      ++year;
    }
    int month = 0;
    for (;; ++month) {
      const int len = kDays[month] + (month == 1 && year == 2024 ? 1 : 0);
      if (day < static_cast<std::uint64_t>(len)) break;
      day -= len;
    }
    char buf[64];
    const int dd = static_cast<int>(day) + 1;
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month + 1, dd);
    a.published = buf;
    std::snprintf(buf, sizeof buf, "%04d/%02d/%02d/", year, month + 1, dd);
    date_path = buf;
    const std::uint64_t form = rng.below(10);
    if (form >= 3) {
      std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", static_cast<int>(rng.below(24)),
                    static_cast<int>(rng.below(60)), static_cast<int>(rng.below(60)));
      a.published += buf;
      if (form < 7) {
        a.published += 'Z';
      } else {
        static constexpr std::array<std::string_view, 6> offsets = {"+02:00", "+03:00", "-05:00",
                                                                    "+01:00", "+04:00", "-04:00"};
        a.published += rng.pick(offsets);
      }
    }
  }

  a.title.clear();
  title(lang, outlet.title_case, rng, a.title);

  // Body length: 150-700 words, peaked around 400 (sum of two uniforms).
  // The target stops short of 700 because the last sentence and the boilerplate overshoot it.
  const std::size_t words = 150 + (rng.below(251) + rng.below(251));
  a.body.clear();
  if (outlet.dateline && lang == "en") {
    // "KYIV, Ukraine (Outlet) — " ledes: an em dash and an upper-cased place.
    std::string place(entity(detail::places(), rng));
    for (char& c : place) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    }
    a.body += place;
    a.body += " (";
    a.body += outlet.name;
    a.body += ") — ";
  }
  std::string text;
  body(lang, words, rng, text);
  a.body += text;
  if (rng.chance(800)) {
    a.body += "\n\n";
    a.body += outlet.boilerplate;
  }

  // URL slug from the title (ASCII only; other scripts get a generic slug, as many CMSs do).
  a.url = "https://";
  a.url += outlet.domain;
  a.url += "/news/";
  a.url += date_path;
  std::size_t slug_words = 0;
  bool dash = false;
  for (char c : a.title) {
    if (slug_words >= 60) break;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && slug_words > 0) a.url += '-';
      a.url += c;
      dash = false;
      ++slug_words;
    } else if (c >= 'A' && c <= 'Z') {
      if (dash && slug_words > 0) a.url += '-';
      a.url += static_cast<char>(c + 32);
      dash = false;
      ++slug_words;
    } else {
      dash = true;
    }
  }
  if (slug_words == 0) a.url += "article";
  a.url += '-';
  a.url += digits;
}

}  // namespace sitrep::bench
