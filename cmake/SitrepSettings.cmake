# Compiler warnings and sanitizers, as an INTERFACE target every sitrep target links.
add_library(sitrep_settings INTERFACE)
add_library(sitrep::settings ALIAS sitrep_settings)
target_compile_options(sitrep_settings INTERFACE -Wall -Wextra -Wpedantic -Wshadow=local
                       -Wnon-virtual-dtor)
# Only load the shared libraries a binary really uses (sitrep-search never needs libcld2).
target_link_options(sitrep_settings INTERFACE -Wl,--as-needed)
if(SITREP_WERROR)
  target_compile_options(sitrep_settings INTERFACE -Werror)
endif()
if(SITREP_SANITIZE)
  target_compile_options(sitrep_settings INTERFACE -fsanitize=${SITREP_SANITIZE}
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(sitrep_settings INTERFACE -fsanitize=${SITREP_SANITIZE})
endif()
target_compile_definitions(sitrep_settings INTERFACE $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
