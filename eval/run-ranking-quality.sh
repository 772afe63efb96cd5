#!/usr/bin/env bash
# Ranking quality on the TIME collection (issue 14): indexes ../shared/corpora/time/time.jsonl with
# sitrep-index into a temporary database and runs sitrep-eval-ranking on it for a split, its
# queries pasted as typed in the default query mode: MAP over 1000 hits and nDCG@10.
#
#   eval/run-ranking-quality.sh [--build DIR] [--db DB] [-- EVAL-OPTION...]
#
# --build DIR   build directory holding indexer/sitrep-index and eval/sitrep-eval-ranking
#               (default: build); $SITREP_INDEX and $SITREP_EVAL_RANKING override the two paths,
#               $SITREP_CORPORA the corpora directory (default: ../shared/corpora from the repo root).
# --db DB       score this database instead (nothing is indexed).
# After --, options for sitrep-eval-ranking (--split, --min-map, --min-ndcg, settings).
# Exit status: 0 ok; 1 below a threshold; 77 the corpus is absent (ctest: skipped); 2 bad usage or
# missing binary; else sitrep-index's or sitrep-eval-ranking's own failure status.
set -euo pipefail
export LC_ALL=C

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo_root/build"
db=""
eval_args=()
while (($#)); do
  case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --db) db=${2:?--db needs a database}; shift 2 ;;
    --) shift; eval_args=("$@"); break ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-ranking-quality.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
index_bin=${SITREP_INDEX:-$build/indexer/sitrep-index}
eval_bin=${SITREP_EVAL_RANKING:-$build/eval/sitrep-eval-ranking}
for b in "$index_bin" "$eval_bin"; do
  [[ -x $b ]] || { echo "run-ranking-quality.sh: $b missing (build targets indexer and eval_ranking)" >&2; exit 2; }
done

time_dir="${SITREP_CORPORA:-$repo_root/../shared/corpora}/time"
for f in time.jsonl queries.jsonl qrels.txt; do
  if [[ ! -r $time_dir/$f ]]; then
    echo "run-ranking-quality.sh: skipped: $time_dir/$f not found (the TIME collection comes with the shared corpora, ../shared/corpora/)"
    exit 77
  fi
done
if [[ -z $db ]]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-ranking.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  db="$tmp/db"
  status=0
  "$index_bin" --db "$db" "$time_dir/time.jsonl" >"$tmp/index.out" 2>"$tmp/index.err" || status=$?
  # 1: indexed, with records rejected (TIME has none; tolerated as for the other corpora).
  if ((status != 0 && status != 1)); then
    echo "run-ranking-quality.sh: sitrep-index failed with status $status:" >&2
    cat "$tmp/index.err" >&2
    exit "$status"
  fi
fi
"$eval_bin" "$db" "$time_dir/queries.jsonl" "$time_dir/qrels.txt" "${eval_args[@]}"
