#pragma once
// The closed word lists the recogniser's capitalisation rules use (word_lists.cpp). Words are
// Tokenizer terms: lower case, diacritics as written.

#include <cstdint>
#include <string_view>

namespace sitrep::entities::detail {

enum WordFlag : std::uint16_t {
  kTitle = 1 << 0,  // a title or role before a person's name: president, envoy, Mr, генерал
  kStop = 1 << 1,   // capitalised but never a name by itself: The, However, He, I
  kCalendar = 1 << 2,   // weekdays, months, holidays: Monday, March, Christmas
  kDemonym = 1 << 3,    // nationality and group adjectives: Russian, Western, Soviet
  kOrgWord = 1 << 4,    // marks an organisation's name: Ministry, Council, Forces, Bank
  kConnector = 1 << 5,  // lower-case link inside a name: of, al, bin, de, von
  kGivenName = 1 << 6,  // a common first name: a sentence-initial run starting with it is a name
  kPlaceCue = 1 << 7,   // a word before a place: in, near, outside, под, біля
  kPlaceNoun = 1 << 8,  // "<noun> of X" names a place: city, town, village, region
  kAbbrev = 1 << 9,     // an abbreviation whose full stop does not end a sentence: Mr., Gen.
  kParticle = 1 << 10,  // part of a surname: al, el, bin, von, van, de (Bashar al-Assad)
  kSpeech = 1 << 11,    // a verb of saying after a name: said, told, заявил
  kGeoNoun = 1 << 12,   // a geographical feature heading a place name: Gulf, Sea, Strait
  kOrgCue = 1 << 13,    // a lower-case noun before an organisation's name: newspaper, group
};

// Russian and Ukrainian organisation names capitalise only their first word ("Министерство
// обороны России", "Державна прикордонна служба України"); these sets are of match forms
// (match_form() in gazetteer_impl.hpp), so every case form of a word is found. Thread-safe.
bool is_cyrillic_org_head(std::string_view match_form);  // министерство, служба, штаб
bool is_cyrillic_org_cue(std::string_view match_form);  // газета, агентство (before «...»)
bool is_cyrillic_demonym_stem(std::string_view match_form);  // российск, український

// The flags of a term, 0 for a word in no list. Thread-safe.
std::uint16_t word_flags(std::string_view term);

}  // namespace sitrep::entities::detail
