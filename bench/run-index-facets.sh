#!/usr/bin/env bash
# Figures for entities, facets and reindexing on a generated archive:
#   1. indexing throughput with entity recognition and with --no-entities;
#   2. a rerun over the same, unchanged archive, as a fraction of the first run;
#   3. in-process search cost with facets (and a timeline) over every match against the same
#      query without, per query of bench/queries.txt (bench_search).
#
#   bench/run-index-facets.sh [--build DIR] [--size N] [--threads N]
#
# Large data goes to $SITREP_BENCH_TMP (default /tmp/sitrep-bench); results to
# bench/runs/<date>-<host>/index-facets.md. Run it on a quiet machine: it measures wall time.
set -euo pipefail
export LC_ALL=C

source "$(dirname "${BASH_SOURCE[0]}")/index-bench.bash"
index_bench_init run-index-facets.sh 12 "$@"
bench_bin="$build/bench/bench_search"
[[ -x $bench_bin ]] || { echo "run-index-facets.sh: $bench_bin missing (build with benchmarks on)" >&2; exit 2; }
tmp=$bench_tmp
index_bench_archive

db_plain="$tmp/db-$size-noent"
db="$tmp/db-$size"
# SITREP_BENCH_SEARCH_ONLY=1: only the search part, on the database a previous run left.
search_only=${SITREP_BENCH_SEARCH_ONLY:-0}
if [[ $search_only != 1 ]]; then
rm -rf "$db_plain" "$db_plain.d" "$db" "$db.d"
echo "indexing $size articles without entities..." >&2
t_plain=$(timed_index "$db_plain" --no-entities "$archive")
echo "indexing $size articles with entities..." >&2
t_ent=$(timed_index "$db" "$archive")
echo "rerun over the unchanged archive..." >&2
t_rerun=$(timed_index "$db" "$archive")
rerun_summary=$(cat "$tmp/index.out")
rm -rf "$db_plain" "$db_plain.d"
fi

echo "search with and without facets..." >&2
# The median of 5 repetitions of each benchmark (SITREP_BENCH_REPETITIONS): single runs of a few
# ms vary by several per cent. One repetition reports the run itself.
reps=${SITREP_BENCH_REPETITIONS:-5}
[[ $reps =~ ^[1-9][0-9]*$ ]] || { echo "run-index-facets.sh: bad SITREP_BENCH_REPETITIONS" >&2; exit 2; }
SITREP_BENCH_DB="$db" "$bench_bin" --benchmark_format=json --benchmark_min_time=0.2 \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only="$( ((reps > 1)) && echo true || echo false)" \
  >"$out_dir/bench-search-$size.json" 2>/dev/null

{
  echo "# Entities, facets and reindexing: $size generated articles"
  echo
  machine_line
  echo "Archive: $((bytes / 1048576)) MB (sitrep-gen-archive $size 1). Command: bench/run-index-facets.sh --size $size"
  echo
  if [[ $search_only != 1 ]]; then
  echo "| run | wall s | docs/s (wall) | CPU s | docs per CPU s |"
  echo "|---|---|---|---|---|"
  awk -v n="$size" -v a="$t_plain" -v b="$t_ent" -v c="$t_rerun" 'BEGIN {
    split(a, A, " "); split(b, B, " "); split(c, C, " ")
    printf "| index, --no-entities | %.1f | %.0f | %.1f | %.0f |\n", A[1], n / A[1], A[2], n / A[2]
    printf "| index, entities on | %.1f | %.0f | %.1f | %.0f |\n", B[1], n / B[1], B[2], n / B[2]
    printf "| rerun, nothing changed | %.1f | %.0f | %.1f | %.0f |\n", C[1], n / C[1], C[2], n / C[2]
    printf "\nThroughput with entities: %.0f%% of without by wall time, %.0f%% by CPU time. Unchanged rerun: %.1f%% of the first run'"'"'s wall time (%.1f%% of its CPU time).\n",
      100 * A[1] / B[1], 100 * A[2] / B[2], 100 * C[1] / B[1], 100 * C[2] / B[2]
  }'
  echo
  echo "Rerun summary: \`$rerun_summary\`"
  echo
  fi
  echo "Search, in process (bench_search, CPU time (user + system) per query, ms, the median of $reps"
  echo "repetitions: the machine may be shared; wall times are in bench-search-$size.json):"
  echo
  echo "plain: the top 10 (what a search without --facets costs); exact: the same query with every"
  echo "match visited in one ranked pass (check_at_least = all documents) and nothing counted;"
  echo "facets: the default facet set counted over every match, from the facet column; facets-slot:"
  echo "the same counted from value slot kFacets (a database without a column of its revision)."
  echo
  echo "| query | matches | plain | exact | facets | facets + timeline | facets-slot | facets / plain |"
  echo "|---|---|---|---|---|---|---|---|"
  jq -r '
    [.benchmarks[] | select(.aggregate_name == "median" or ($reps == 1 and .run_type == "iteration"))
     | {mode: (.run_name | split("/")[0]), q: (.run_name | sub("^[^/]*/"; "")),
        t: .cpu_time, m: .matches}]
    | group_by(.q)[]
    | (map(select(.mode == "plain"))[0]) as $p
    | (map(select(.mode == "facets"))[0]) as $f
    | (map(select(.mode == "facets+timeline"))[0]) as $ft
    | (map(select(.mode == "exact"))[0]) as $e
    | (map(select(.mode == "facets-slot"))[0]) as $fs
    | "| `\($p.q)` | \($f.m) | \($p.t * 100 | round / 100) | \($e.t * 100 | round / 100) | \($f.t * 100 | round / 100) | \($ft.t * 100 | round / 100) | \($fs.t * 100 | round / 100) | \(($f.t / $p.t) * 100 | round / 100) |"
  ' --argjson reps "$reps" "$out_dir/bench-search-$size.json"
  jq -r '
    [.benchmarks[] | select(.aggregate_name == "median" or ($reps == 1 and .run_type == "iteration"))
     | {mode: (.run_name | split("/")[0]), t: .cpu_time}]
    | (map(select(.mode == "plain") | .t) | add) as $p
    | (map(select(.mode == "facets") | .t) | add) as $f
    | (map(select(.mode == "facets+timeline") | .t) | add) as $ft
    | (map(select(.mode == "exact") | .t) | add) as $e
    | (map(select(.mode == "facets-slot") | .t) | add) as $fs
    | "\nAll queries: plain \($p * 10 | round / 10) ms, exact \($e * 10 | round / 10) ms, facets \($f * 10 | round / 10) ms (\(($f / $p) * 100 | round / 100)x plain), facets + timeline \($ft * 10 | round / 10) ms (\(($ft / $p) * 100 | round / 100)x plain), facets-slot \($fs * 10 | round / 10) ms (\(($fs / $p) * 100 | round / 100)x plain)."
  ' --argjson reps "$reps" "$out_dir/bench-search-$size.json"
} | tee "$out_dir/index-facets-$size$([[ $search_only == 1 ]] && echo -search).md"
