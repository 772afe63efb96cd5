#pragma once
// An article for tests that build small databases by hand.

#include <string>

#include "sitrep/schema/article.hpp"

namespace sitrep::test {

// date: anything schema::parse_timestamp accepts, or "" for an undated article.
inline schema::Article make_article(const std::string& id, const std::string& title,
                                    const std::string& body, const std::string& lang,
                                    const std::string& source, const std::string& date) {
  schema::Article a;
  a.id = id;
  a.title = title;
  a.body = body;
  a.language = lang;
  a.source = source;
  if (!date.empty()) a.published = schema::parse_timestamp(date);
  return a;
}

}  // namespace sitrep::test
