#pragma once
// The builtin dictionaries (schemas/entities/*.tsv), compiled into the library by
// cmake/EmbedEntities.cmake, in load order.

#include <cstddef>
#include <string_view>

namespace sitrep::entities::detail {

std::size_t builtin_dictionary_count();
std::string_view builtin_dictionary_origin(std::size_t i);  // "schemas/entities/people.tsv"
std::string_view builtin_dictionary_text(std::size_t i);

}  // namespace sitrep::entities::detail
