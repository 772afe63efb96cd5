#!/usr/bin/env bash
# The layering rules of ARCHITECTURE.md, checked with grep (ctest "layering"; CI runs it):
#
#   include         a file of module M (common/src/M/, common/include/sitrep/M/) includes only
#                   sitrep/M'/ headers of modules at or below M in
#                     util <- schema <- analysis <- entities <- store <- cluster <- {index, search}
#                   and index and search never include each other.
#   xapian-catch    `catch (const Xapian::...` / `catch (Xapian::...` only in store/, the module
#                   that translates Xapian's exceptions (and retries).
#   prefix-use      schema::prefix:: is named only in schema/fields.hpp, schema/terms.hpp,
#                   schema/entity_type.hpp (the one table of entity types, prefix included) and
#                   analysis/analyzer.{hpp,cpp}: everything else builds terms through them.
#   prefix-literal  no string literal spelling a prefix ("XE", "XS", "XF", "XB", "XNODATE", ...)
#                   outside schema/fields.hpp.
#
# The last three rules cover the product code: common/, indexer/, searcher/ (tests, fuzz targets,
# benchmarks and evaluators may spell terms out). Exceptions are listed in allowed.txt next to
# this script, one "RULE PATH REASON" a line; an exception without a reason is itself an error.
#
#   tests/layering/check-layering.sh [REPO_ROOT]
# Prints each violation as FILE:LINE: RULE: detail and exits 1 if there is any, else 0.
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "${1:-$here/../..}" && pwd)
cd "$root"
allowed="$here/allowed.txt"

status=0
declare -A exempt=()
if [[ -f $allowed ]]; then
  while read -r rule path reason; do
    [[ -z $rule || $rule == \#* ]] && continue
    if [[ -z $reason ]]; then
      echo "tests/layering/allowed.txt: $rule $path: an exception needs a reason"
      status=1
    fi
    exempt["$rule $path"]=1
  done <"$allowed"
fi
report() { # FILE LINE RULE DETAIL
  [[ -n ${exempt["$3 $1"]:-} ]] && return 0
  printf '%s:%s: %s: %s\n' "$1" "$2" "$3" "$4"
  status=1
}

declare -A rank=([util]=0 [schema]=1 [analysis]=2 [entities]=3 [store]=4 [cluster]=5 [index]=6
  [search]=6)

# The product's C++ files, with comments removed from each line (a mention in a comment is no use).
sources() { git ls-files -- "$@" | grep -E '\.(cpp|hpp|h|cc)$' || true; }
strip_comments() { sed -e 's#//.*$##' "$1"; }

# Rule include.
for file in $(sources common/src common/include/sitrep); do
  module=${file#common/src/}
  module=${module#common/include/sitrep/}
  module=${module%%/*}
  mine=${rank[$module]:--1}
  if ((mine < 0)); then
    report "$file" 1 include "module $module is not in the order of ARCHITECTURE.md"
    continue
  fi
  while IFS=: read -r line dep; do
    theirs=${rank[$dep]:--1}
    if ((theirs < 0)); then
      report "$file" "$line" include "$module includes sitrep/$dep/, a module not in the order"
    elif ((theirs > mine)); then
      report "$file" "$line" include "$module includes sitrep/$dep/, a module above it"
    elif [[ $module != "$dep" && $theirs == 6 ]]; then
      report "$file" "$line" include "$module includes sitrep/$dep/: index and search never include each other"
    fi
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]sitrep/[a-z_]+/' "$file" |
    sed -E 's#^([0-9]+):.*[<"]sitrep/([a-z_]+)/.*#\1:\2#')
done

for file in $(sources common indexer searcher); do
  # Rule xapian-catch.
  case $file in
    common/src/store/* | common/include/sitrep/store/*) ;;
    *)
      while IFS=: read -r line _; do
        report "$file" "$line" xapian-catch "a Xapian exception handler outside store/"
      done < <(strip_comments "$file" | grep -nE 'catch[[:space:]]*\([[:space:]]*(const[[:space:]]+)?Xapian::' || true)
      ;;
  esac
  # Rule prefix-use.
  case $file in
    common/include/sitrep/schema/fields.hpp | common/include/sitrep/schema/terms.hpp | \
      common/include/sitrep/schema/entity_type.hpp | common/include/sitrep/analysis/analyzer.hpp | \
      common/src/analysis/analyzer.cpp) ;;
    *)
      while IFS=: read -r line _; do
        report "$file" "$line" prefix-use "a term prefix named outside schema/fields.hpp, terms.hpp, entity_type.hpp, analysis/analyzer"
      done < <(strip_comments "$file" | grep -nE '(^|[^A-Za-z0-9_])prefix::' || true)
      ;;
  esac
  # Rule prefix-literal.
  if [[ $file != common/include/sitrep/schema/fields.hpp ]]; then
    while IFS=: read -r line text; do
      [[ $text =~ \"(XNODATE|XE|XS|XF|XB)[A-Za-z]*\" ]]
      report "$file" "$line" prefix-literal "a term prefix spelt as a string literal (${BASH_REMATCH[0]:-})"
    done < <(strip_comments "$file" | grep -nE '"(XNODATE|XE|XS|XF|XB)' || true)
  fi
done

exit "$status"
