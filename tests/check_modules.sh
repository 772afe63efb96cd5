#!/usr/bin/env bash
# Module rules of ARCHITECTURE.md that grep can check (ctest lint.modules):
#  - Xapian exceptions are caught only in common/src/store/ (store/xapian_call.hpp translates
#    them into sitrep::Error; everything else calls through it);
#  - search/ and index/ never include each other; store/ includes neither, nor cluster/.
# Usage: check_modules.sh [SOURCE_ROOT]; exit 1 with the offending lines.
set -u
cd "${1:-$(dirname "$0")/..}" || exit 2
status=0

report() {  # report RULE LINES
  [ -z "$2" ] && return
  printf '%s:\n%s\n' "$1" "$2" >&2
  status=1
}

report "a Xapian exception caught outside common/src/store/ (use store::xapian_call)" \
  "$(grep -rnE 'catch *\(.*Xapian::' common indexer searcher | grep -v '^common/src/store/')"

includes() {  # includes MODULE TARGET...: lines of MODULE that include sitrep/TARGET/
  local module=$1 pattern
  shift
  pattern=$(printf '|%s' "$@")
  grep -rnE "#include \"sitrep/(${pattern:1})/" "common/src/$module" "common/include/sitrep/$module"
}
report "search/ includes index/" "$(includes search index)"
report "index/ includes search/" "$(includes index search)"
report "store/ includes a module above it" "$(includes store index search cluster)"
exit $status
