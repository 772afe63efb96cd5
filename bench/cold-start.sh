#!/usr/bin/env bash
# Cold-start latency of a one-shot search: what a web frontend that spawns one process per request
# pays, from exec to the last byte of JSON.
#
#   bench/cold-start.sh [--build DIR] [--db DB] [--runs N]
#
# Runs `sitrep-search --db DB --json --limit 10 -- QUERY` once per query with sitrep-spawn-latency
# (fork to wait4(), stdout drained through a pipe), for the simple queries of bench/queries.txt:
# its single words (Latin, Cyrillic, Arabic, a hyphenated compound) and its first phrase; N runs
# (default 10) after one warm-up pass, so the page cache is warm. Two more rows split the time:
#   start only   `sitrep-search --help` (exec, dynamic linking, static initialisers, no database)
#   no hits      the same searches with --limit 0 (open the database, parse, match; no documents
#                read, no snippets, no entity names)
# and the full row adds reading the 10 hits, their snippets and entity names, and the JSON. A last
# row adds --facets (the default facets counted over every match, from the facet column).
#
# Defaults: --build build (the repo's), --db /tmp/sitrep-bench/db-100000 (bench/run-index-facets.sh
# builds it). Writes bench/runs/<date>-<host>/cold-start.md and cold-start-*.json (raw figures).
# The machine's load average and the niceness the script ran at are recorded with the figures: the
# wall times include waiting for a CPU, the CPU times do not (on a machine shared with other work,
# `nice -n -10 bench/cold-start.sh ...` as root keeps the waiting down).

set -euo pipefail
export LC_ALL=C

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo_root/build"
db=/tmp/sitrep-bench/db-100000
runs=10

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while (($#)); do
  case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --db) db=${2:?--db needs a database}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "cold-start.sh: unknown argument: $1" >&2; usage 2 >&2 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "cold-start.sh: bad --runs: $runs" >&2; exit 2; }
[[ -d $build ]] || { echo "cold-start.sh: no build directory $build" >&2; exit 2; }
build=$(cd "$build" && pwd)
search_bin=$build/searcher/sitrep-search
spawn_bin=$build/bench/sitrep-spawn-latency
for b in "$search_bin" "$spawn_bin"; do
  [[ -x $b ]] || { echo "cold-start.sh: $b not built" >&2; exit 2; }
done
[[ -e $db ]] || { echo "cold-start.sh: no database at $db" >&2; exit 2; }
command -v jq >/dev/null || { echo "cold-start.sh: jq is required" >&2; exit 2; }

run_dir="$repo_root/bench/runs/$(date +%Y-%m-%d)-$(hostname -s 2>/dev/null || hostname)"
mkdir -p "$run_dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The simple queries: single words (no field prefix) and the first phrase.
queries="$tmp/queries.txt"
grep -v '^#' "$repo_root/bench/queries.txt" | awk 'NF == 1 && !/:/' >"$queries"
grep -v '^#' "$repo_root/bench/queries.txt" | grep -m1 '^"' >>"$queries"

docs=$("$search_bin" --db "$db" --json --limit 0 -- "$(head -n1 "$queries")" | jq .documents)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

rows=()
# measure LABEL JSON_OUT CMD...: one sitrep-spawn-latency run, one table row.
measure() {
  local label=$1 out=$2
  shift 2
  echo "== $label"
  "$spawn_bin" --runs "$runs" --warmup 1 --json --queries "$queries" -- "$@" >"$out" 2>"$tmp/err" || {
    echo "cold-start.sh: $label failed: $(head -c 400 "$tmp/err")" >&2
    exit 1
  }
  local row
  row=$(jq -r '"\(.count) | \(.median_ms) | \(.p95_ms) | \(.min_ms) | \(.cpu_mean_ms) | \((.max_rss_kib / 1024 * 10 | round) / 10) | \(.stdout_mean_bytes | round)"' "$out")
  echo "   runs | median ms | p95 ms | min ms | CPU ms | MiB | stdout bytes: $row"
  rows+=("| $label | $row |")
}

measure "start only (--help)" "$run_dir/cold-start-help.json" "$search_bin" --help
measure "search, --limit 0" "$run_dir/cold-start-limit0.json" \
  "$search_bin" --db "$db" --json --limit 0 --
measure "search, --limit 10 (the frontend's call)" "$run_dir/cold-start.json" \
  "$search_bin" --db "$db" --json --limit 10 --
measure "search, --limit 10 --facets" "$run_dir/cold-start-facets.json" \
  "$search_bin" --db "$db" --json --limit 10 --facets --
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
  echo "# Cold start of sitrep-search, $(date +%Y-%m-%d) on $(hostname)"
  echo
  echo "    date: $(date -Is)"
  echo "    cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo) x $(nproc)"
  echo "    memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "    kernel: $(uname -srm)"
  echo "    commit: $(git -C "$repo_root" rev-parse --short HEAD)$(git -C "$repo_root" diff --quiet HEAD -- common searcher 2>/dev/null || echo ' (common/ or searcher/ modified)')"
  echo "    build: $build ($(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$build/CMakeCache.txt"))"
  echo "    database: $db ($docs documents)"
  echo "    load average before: $load_before; after: $load_after; niceness: $(nice)"
  echo
  echo "One process per query, exec to exit with stdout drained (\`sitrep-spawn-latency\`), $runs runs"
  echo "over $(wc -l <"$queries") queries after one warm-up pass (page cache warm):"
  echo
  sed 's/^/    /' "$queries"
  echo
  echo "| command | runs | median ms | p95 ms | min ms | child CPU ms (mean) | max RSS MiB | stdout bytes |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Command: \`bench/cold-start.sh --build $build --db $db --runs $runs\`"
} >"$run_dir/cold-start.md"
echo
cat "$run_dir/cold-start.md"
echo "cold-start.sh: saved $run_dir/cold-start.md"
