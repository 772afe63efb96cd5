#!/usr/bin/env bash
# Search counts against the hits on the issue's reference database (issue 13): indexes
# Reuters-21578 (../shared/corpora/reuters21578/reuters21578.jsonl.gz from the repo root) and the
# sample archive (data/sample/archive.jsonl) with sitrep-index into a temporary database and runs
# sitrep-check-counts on it.
#
#   eval/run-check-counts.sh [--build DIR] [--db DB] [-- CHECK-OPTION...]
#
# --build DIR   build directory holding indexer/sitrep-index and eval/sitrep-check-counts
#               (default: build); $SITREP_INDEX and $SITREP_CHECK_COUNTS override the two paths,
#               $SITREP_CORPORA the corpora directory (default: ../shared/corpora from the repo root).
# --db DB       check this database instead (nothing is indexed).
# After --, options for sitrep-check-counts (e.g. -q QUERY, repeatable).
# Exit status: 0 ok; 1 a count violated; 77 the corpus is absent (ctest: skipped); 2 bad usage or
# missing binary; else sitrep-index's or sitrep-check-counts' own failure status.
set -euo pipefail
export LC_ALL=C

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo_root/build"
db=""
check_args=()
while (($#)); do
  case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --db) db=${2:?--db needs a database}; shift 2 ;;
    --) shift; check_args=("$@"); break ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-check-counts.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
index_bin=${SITREP_INDEX:-$build/indexer/sitrep-index}
check_bin=${SITREP_CHECK_COUNTS:-$build/eval/sitrep-check-counts}
for b in "$index_bin" "$check_bin"; do
  [[ -x $b ]] || { echo "run-check-counts.sh: $b missing (build targets indexer and check_counts)" >&2; exit 2; }
done

if [[ -z $db ]]; then
  reuters="${SITREP_CORPORA:-$repo_root/../shared/corpora}/reuters21578/reuters21578.jsonl.gz"
  if [[ ! -r $reuters ]]; then
    echo "run-check-counts.sh: skipped: $reuters not found (it comes with the shared corpora, ../shared/corpora/)"
    exit 77
  fi
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-counts.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  db="$tmp/db"
  start=$(date +%s.%N)
  status=0
  "$index_bin" --db "$db" "$reuters" "$repo_root/data/sample/archive.jsonl" >"$tmp/index.out" 2>"$tmp/index.err" || status=$?
  # 1: indexed, with records rejected (Reuters has 737 without title or body).
  if ((status != 0 && status != 1)); then
    echo "run-check-counts.sh: sitrep-index failed with status $status:" >&2
    cat "$tmp/index.err" >&2
    exit "$status"
  fi
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "indexed Reuters-21578 + data/sample in %.1f s\n\n", e - s }'
fi
"$check_bin" "${check_args[@]}" "$db"
