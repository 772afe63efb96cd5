#!/usr/bin/env bash
# Story clustering quality on the labelled set (tests/data/stories/, issue 6): indexes
# labelled.jsonl with sitrep-index into a temporary database and prints sitrep-eval-stories'
# B-cubed and pairwise figures for the dev and the test split.
#
#   eval/run-story-quality.sh [--build DIR] [--split dev|test|all]... [--min-f1 X] [--verbose]
#                              [-- INDEX-OPTION...]
#
# --build DIR   build directory holding indexer/sitrep-index and eval/sitrep-eval-stories
#               (default: build); $SITREP_INDEX and $SITREP_EVAL_STORIES override the two paths.
# --split       splits to score, in order (default: dev, then test).
# --min-f1 X    exit 1 when some split's B-cubed F1 is below X (ctest quality.stories: test, 0.9).
# --verbose     also list the stories that were split or merged.
# After --, options for sitrep-index (e.g. thresholds being tuned).
# Exit status: 0 ok; 1 F1 below --min-f1; 2 bad usage or missing binary; else sitrep-index's or
# sitrep-eval-stories' own failure status.
set -euo pipefail
export LC_ALL=C

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo_root/build"
splits=()
eval_args=()
index_args=()
while (($#)); do
  case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --split) splits+=("${2:?--split needs dev, test or all}"); shift 2 ;;
    --min-f1) eval_args+=(--min-f1 "${2:?--min-f1 needs a number}"); shift 2 ;;
    --verbose | -v) eval_args+=(--verbose); shift ;;
    --) shift; index_args=("$@"); break ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-story-quality.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done
((${#splits[@]})) || splits=(dev test)
index_bin=${SITREP_INDEX:-$build/indexer/sitrep-index}
eval_bin=${SITREP_EVAL_STORIES:-$build/eval/sitrep-eval-stories}
for b in "$index_bin" "$eval_bin"; do
  [[ -x $b ]] || { echo "run-story-quality.sh: $b missing (build targets indexer and eval_stories)" >&2; exit 2; }
done
data="$repo_root/tests/data/stories"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sitrep-stories.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db="$tmp/db"
start=$(date +%s.%N)
status=0
"$index_bin" --db "$db" "${index_args[@]}" "$data/labelled.jsonl" >"$tmp/index.out" 2>"$tmp/index.err" || status=$?
if ((status != 0)); then
  echo "run-story-quality.sh: sitrep-index failed with status $status:" >&2
  cat "$tmp/index.err" >&2
  exit "$status"
fi
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v f="$data/labelled.jsonl" 'BEGIN { printf "indexed %s in %.2f s\n\n", f, e - s }'

status=0
for split in "${splits[@]}"; do
  "$eval_bin" --db "$db" --labels "$data/labels.tsv" --split "$split" "${eval_args[@]}" || status=$?
  echo
  # A bad labels file or database (status > 1) is reported at once; F1 below --min-f1 (1)
  # after every split has been printed.
  ((status <= 1)) || exit "$status"
done
exit "$status"
