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
# bench/runs/<date>-<host>/index-stories-N.md. Options, archive and timing: bench/index-bench.bash.
set -euo pipefail
export LC_ALL=C

source "$(dirname "${BASH_SOURCE[0]}")/index-bench.bash"
index_bench_init run-index-stories.sh 16 "$@"
tmp=${SITREP_CLUSTER_TMP:-/tmp/sitrep-cluster}
mkdir -p "$tmp"
index_bench_archive

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
  machine_line
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
