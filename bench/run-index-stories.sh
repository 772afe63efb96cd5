#!/usr/bin/env bash
# Cost of story clustering at index time on a generated archive (issue 6):
#   1. a new database indexed with --no-stories, and the same with stories on (the default);
#   2. `sitrep-index --recluster` alone over the database of 1 (the story pass by itself, every
#      document reassigned).
# Reports wall and CPU time (user + system: the fair figure on a shared machine) and the
# throughput with stories as a percentage of the throughput without.
#
#   bench/run-index-stories.sh [--build DIR] [--size N] [--threads N]
#
# The archive is $SITREP_BENCH_TMP/archive-N.jsonl (default /tmp/sitrep-bench), generated with
# `sitrep-gen-archive N 1` when missing (or the first N lines of archive-100000.jsonl when that
# exists, which is the same text); databases go to $SITREP_CLUSTER_TMP (default
# /tmp/sitrep-cluster) and are removed afterwards; results to
# bench/runs/<date>-<host>/index-stories-N.md.
set -euo pipefail
export LC_ALL=C

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo_root/build"
size=100000
threads=0
while (($#)); do
  case $1 in
    --build) build=${2:?}; shift 2 ;;
    --size) size=${2:?}; shift 2 ;;
    --threads) threads=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-index-stories.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $size =~ ^[1-9][0-9]*$ ]] || { echo "run-index-stories.sh: bad --size" >&2; exit 2; }
build=$(cd "$build" && pwd)
index_bin="$build/indexer/sitrep-index"
gen_bin="$build/bench/sitrep-gen-archive"
for b in "$index_bin" "$gen_bin"; do
  [[ -x $b ]] || { echo "run-index-stories.sh: $b missing (build with benchmarks on)" >&2; exit 2; }
done
bench_tmp=${SITREP_BENCH_TMP:-/tmp/sitrep-bench}
tmp=${SITREP_CLUSTER_TMP:-/tmp/sitrep-cluster}
mkdir -p "$tmp"
out_dir="$repo_root/bench/runs/$(date -u +%Y-%m-%d)-$(hostname -s)"
mkdir -p "$out_dir"
archive="$bench_tmp/archive-$size.jsonl"
if [[ ! -s $archive ]]; then
  archive="$tmp/archive-$size.jsonl"
  if [[ ! -s $archive ]]; then
    if ((size <= 100000)) && [[ -s $bench_tmp/archive-100000.jsonl ]]; then
      head -n "$size" "$bench_tmp/archive-100000.jsonl" >"$archive"
    else
      "$gen_bin" "$size" 1 >"$archive"
    fi
  fi
fi
bytes=$(stat -c %s "$archive")

# timed_index DB ARGS...: prints "WALL CPU" seconds of one sitrep-index run.
timed_index() {
  local db=$1
  shift
  /usr/bin/time -f "%e %U %S" -o "$tmp/time.out" \
    "$index_bin" --db "$db" -j "$threads" --stats-json "$tmp/stats.json" "$@" \
    >"$tmp/index.out" 2>"$tmp/index.err"
  awk '{ printf "%.2f %.2f", $1, $2 + $3 }' "$tmp/time.out"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
db_plain="$tmp/db-$size-nostories"
db="$tmp/db-$size-stories"
rm -rf "$db_plain" "$db_plain.d" "$db" "$db.d"
echo "indexing $size articles with --no-stories..." >&2
t_plain=$(timed_index "$db_plain" --no-stories "$archive")
echo "indexing $size articles with stories..." >&2
t_stories=$(timed_index "$db" "$archive")
assigned=$(jq .stories_assigned "$tmp/stats.json")
new_stories=$(jq .stories_new "$tmp/stats.json")
echo "reclustering..." >&2
t_recluster=$(timed_index "$db" --recluster)
rm -rf "$db_plain" "$db_plain.d" "$db" "$db.d"

{
  echo "# Story clustering at index time: $size generated articles"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)," \
    "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1); $(date -u +%Y-%m-%d)."
  echo "Archive: $((bytes / 1048576)) MB ($(basename "$archive"), sitrep-gen-archive N 1)." \
    "Command: bench/run-index-stories.sh --size $size"
  echo "Load average (2 cores shared with other work): $load_before before the runs," \
    "$(cut -d' ' -f1-3 /proc/loadavg) after."
  echo
  echo "| run | wall s | docs/s (wall) | CPU s | docs per CPU s |"
  echo "|---|---|---|---|---|"
  awk -v n="$size" -v a="$t_plain" -v b="$t_stories" -v c="$t_recluster" 'BEGIN {
    split(a, A, " "); split(b, B, " "); split(c, C, " ")
    printf "| index, --no-stories | %.1f | %.0f | %.1f | %.0f |\n", A[1], n / A[1], A[2], n / A[2]
    printf "| index, stories on | %.1f | %.0f | %.1f | %.0f |\n", B[1], n / B[1], B[2], n / B[2]
    printf "| --recluster alone (the story pass over every document) | %.1f | %.0f | %.1f | %.0f |\n", C[1], n / C[1], C[2], n / C[2]
    printf "\nThroughput with stories: %.0f%% of without by CPU time, %.0f%% by wall time.\n",
      100 * A[2] / B[2], 100 * A[1] / B[1]
  }'
  echo
  echo "Stories: $assigned articles assigned, $new_stories stories (the generated archive has no"
  echo "real stories: its articles are random sentences, so most start their own)."
} | tee "$out_dir/index-stories-$size.md"
