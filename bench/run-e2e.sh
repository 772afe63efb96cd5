#!/usr/bin/env bash
# End-to-end benchmark: generate archives, index them, measure per-request search latency.
#
#   bench/run-e2e.sh [--build DIR] [--sizes "10000 100000"] [--runs N] [--reuters]
#
# Builds nothing: expects a tree built with -DSITREP_BUILD_BENCHMARKS=ON (default: build/ in the
# repo; scripts/build -DSITREP_BUILD_BENCHMARKS=ON makes one). For each size
# it writes a synthetic archive with sitrep-gen-archive, times `sitrep-index --db DB FILE`
# (docs/s, MB/s of input, index size), then measures the cold-start latency of one
# `sitrep-search --db DB --json --limit 10 -- QUERY` process per query over bench/queries.txt with
# sitrep-spawn-latency: the cost a web frontend pays when it spawns one process per request.
#
# --reuters also indexes Reuters-21578 (../shared/corpora/reuters21578/reuters21578.jsonl.gz from
# the repo root) with sitrep-index and with Xapian Omega's scriptindex (bench/reuters.indexscript),
# and compares sitrep-search with quest on bench/reuters-queries.txt.
#
# Large data (archives, databases) goes to $SITREP_BENCH_TMP (default /tmp/sitrep-bench), never the
# repo. Results go to bench/runs/<date>-<host>/: results.md plus the raw logs.
#
# Environment: SITREP_BENCH_TMP as above; SITREP_INDEX / SITREP_SEARCH override the binaries'
# paths (to try the script with stand-ins); SITREP_BENCH_SEED (default 1) the generator seed.

set -euo pipefail
export LC_ALL=C  # '.' as decimal point in EPOCHREALTIME and awk, whatever the user's locale

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench_dir="$repo_root/bench"

build="$repo_root/build"
sizes="10000 100000"
runs=5
do_reuters=0

usage() {
  sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while (($#)); do
  case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --sizes) sizes=${2:?--sizes needs a list}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --reuters) do_reuters=1; shift ;;
    -h | --help) usage 0 ;;
    *) echo "run-e2e.sh: unknown argument: $1" >&2; usage 2 >&2 ;;
  esac
done
for n in $sizes; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "run-e2e.sh: bad size: $n" >&2; exit 2; }
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "run-e2e.sh: bad --runs: $runs" >&2; exit 2; }
[[ -d $build ]] || { echo "run-e2e.sh: no build directory $build (build first, or --build DIR)" >&2; exit 2; }
build=$(cd "$build" && pwd)

# A binary from the build tree: the env override, else the target's directory, else a search.
find_bin() {
  local override=$1 name=$2 subdir=$3 found
  if [[ -n $override ]]; then
    [[ -x $override ]] || { echo "run-e2e.sh: $override is not executable" >&2; exit 2; }
    echo "$override"
    return
  fi
  if [[ -x $build/$subdir/$name ]]; then
    echo "$build/$subdir/$name"
    return
  fi
  found=$(find "$build" -maxdepth 3 -type f -name "$name" -perm -u+x -print -quit 2>/dev/null)
  [[ -n $found ]] || { echo "run-e2e.sh: $name not found under $build (not built?)" >&2; exit 2; }
  echo "$found"
}
gen_bin=$(find_bin "" sitrep-gen-archive bench)
spawn_bin=$(find_bin "" sitrep-spawn-latency bench)
index_bin=$(find_bin "${SITREP_INDEX:-}" sitrep-index indexer)
search_bin=$(find_bin "${SITREP_SEARCH:-}" sitrep-search searcher)
command -v jq >/dev/null || { echo "run-e2e.sh: jq is required (apt-get install jq)" >&2; exit 2; }

tmp=${SITREP_BENCH_TMP:-/tmp/sitrep-bench}
case $tmp in
  "$repo_root" | "$repo_root"/*) echo "run-e2e.sh: SITREP_BENCH_TMP must be outside the repo" >&2; exit 2 ;;
esac
mkdir -p "$tmp"
seed=${SITREP_BENCH_SEED:-1}

# bench/runs/<date>-<host>, with a suffix when that day's directory already exists.
run_dir="$bench_dir/runs/$(date +%Y-%m-%d)-$(hostname -s 2>/dev/null || hostname)"
if [[ -e $run_dir ]]; then
  i=2
  while [[ -e $run_dir-$i ]]; do i=$((i + 1)); done
  run_dir=$run_dir-$i
fi
mkdir -p "$run_dir"
echo "run-e2e.sh: results in $run_dir, data in $tmp"

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" -v f="${3:-%.1f}" 'BEGIN { if (b > 0) printf f, a / b; else printf "n/a" }'; }
mb() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1e6 }'; }
# Documents in a Xapian database, or "?" when xapian-delve cannot tell (not a plain Xapian DB).
db_docs() {
  { xapian-delve "$1" 2>/dev/null || true; } | awk -F' = ' '/^number of documents/ { print $2; f = 1 } END { if (!f) print "?" }'
}

# Markdown rows, printed at the end.
index_rows=()
latency_rows=()
notes=()

# index_run LABEL INDEXER DB DOCS INPUT_BYTES LOG CMD...: times CMD, appends an indexing row.
index_run() {
  local label=$1 indexer=$2 db=$3 docs=$4 bytes=$5 log=$6
  shift 6
  rm -rf "$db"
  echo "== indexing $label with $indexer"
  local t0 t1 rc=0
  t0=$(now)
  "$@" >"$log" 2>&1 || rc=$?
  t1=$(now)
  local secs size status
  secs=$(elapsed "$t0" "$t1")
  size=$(du -sb "$db" 2>/dev/null | cut -f1 || echo 0)
  case $rc in
    0) status=ok ;;
    1) status="exit 1 (some records rejected)" ;;
    *) status="FAILED (exit $rc)" ;;
  esac
  tail -n 3 "$log" | sed 's/^/   /'
  echo "   $secs s, $(ratio "$docs" "$secs" %.0f) docs/s, $(ratio "$(mb "$bytes")" "$secs") MB/s, index $(mb "${size:-0}") MB, $status"
  index_rows+=("| $label | $indexer | $docs | $(db_docs "$db") | $(mb "$bytes") | $secs | $(ratio "$docs" "$secs" %.0f) | $(ratio "$(mb "$bytes")" "$secs") | $(mb "${size:-0}") | $status |")
  [[ $rc -le 1 ]]
}

# latency_run LABEL SEARCHER QUERIES JSON_OUT CMD...: one process per query, appends a row.
latency_run() {
  local label=$1 searcher=$2 queries=$3 out=$4
  shift 4
  echo "== search latency: $label, $searcher"
  local rc=0
  "$spawn_bin" --runs "$runs" --warmup 1 --json --queries "$queries" -- "$@" \
    >"$out" 2>"${out%.json}.err" || rc=$?
  if [[ $rc -gt 1 || ! -s $out ]]; then
    echo "   FAILED (exit $rc): $(head -c 300 "${out%.json}.err")"
    latency_rows+=("| $label | $searcher | - | FAILED | - | - | - | - | - |")
    return 0
  fi
  [[ $rc -eq 0 ]] || echo "   some queries failed: $(head -n 2 "${out%.json}.err")"
  local row
  row=$(jq -r '"\(.count) | \(.failures) | \(.median_ms // "-") | \(.p95_ms // "-") | \(.mean_ms // "-") | \(.cpu_mean_ms // "-") | \((.max_rss_kib / 1024 * 10 | round) / 10)"' "$out")
  echo "   count | failures | median | p95 | mean | cpu | MiB: $row"
  latency_rows+=("| $label | $searcher | $row |")
}

{
  echo "date: $(date -Is)"
  echo "host: $(hostname)"
  echo "kernel: $(uname -srm)"
  echo "cpu: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null) x $(nproc)"
  echo "memory: $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)"
  echo "commit: $(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$repo_root" diff --quiet HEAD 2>/dev/null || echo ' (dirty)')"
  echo "build: $build ($(awk -F= '/^CMAKE_BUILD_TYPE:/ { print $2 }' "$build/CMakeCache.txt" 2>/dev/null))"
  echo "xapian: $(xapian-config --version 2>/dev/null || echo '?')"
  echo "sitrep-index: $index_bin"
  echo "sitrep-search: $search_bin"
  echo "seed: $seed  runs: $runs"
} >"$run_dir/env.txt"

for n in $sizes; do
  archive="$tmp/gen-$n-seed$seed.jsonl"
  echo "== generating $n articles"
  t0=$(now)
  "$gen_bin" "$n" "$seed" >"$archive"
  t1=$(now)
  bytes=$(stat -c %s "$archive")
  notes+=("generated $n articles ($(mb "$bytes") MB) in $(elapsed "$t0" "$t1") s")
  db="$tmp/db-gen-$n"
  if index_run "generated $n" sitrep-index "$db" "$n" "$bytes" "$run_dir/index-gen-$n.log" \
    "$index_bin" --db "$db" "$archive"; then
    latency_run "generated $n" sitrep-search "$bench_dir/queries.txt" "$run_dir/latency-gen-$n.json" \
      "$search_bin" --db "$db" --json --limit 10 --
  else
    latency_rows+=("| generated $n | sitrep-search | - | not run: indexing failed | - | - | - | - | - |")
  fi
done

if ((do_reuters)); then
  reuters="$repo_root/../shared/corpora/reuters21578/reuters21578.jsonl.gz"
  if [[ ! -r $reuters ]]; then
    echo "== skipping Reuters: $reuters not found (it comes with the shared corpora)"
    notes+=("Reuters-21578 skipped: $reuters not found")
  else
    reuters=$(cd "$(dirname "$reuters")" && pwd)/$(basename "$reuters")
    rdocs=$(gzip -dc "$reuters" | wc -l)
    rbytes=$(gzip -dc "$reuters" | wc -c)
    notes+=("Reuters-21578: $rdocs records, $(mb "$rbytes") MB uncompressed JSONL; MB/s for both indexers is of that JSONL (sitrep-index reads the .gz itself, decompression included)")

    rdb="$tmp/db-reuters-sitrep"
    if index_run "reuters21578" sitrep-index "$rdb" "$rdocs" "$rbytes" "$run_dir/index-reuters-sitrep.log" \
      "$index_bin" --db "$rdb" "$reuters"; then
      latency_run "reuters21578" sitrep-search "$bench_dir/reuters-queries.txt" \
        "$run_dir/latency-reuters-sitrep.json" "$search_bin" --db "$rdb" --json --limit 10 --
    fi

    # scriptindex reads "field=value" records separated by blank lines, a newline inside a value
    # continuing with '=' on the next line. Converted up front; not part of scriptindex's time.
    dump="$tmp/reuters.scriptindex"
    echo "== converting Reuters to scriptindex format"
    t0=$(now)
    gzip -dc "$reuters" | jq -r '
      def v: tostring | gsub("\r\n?"; "\n") | gsub("\n"; "\n=");
      [("id", "title", "published", "body") as $k | .[$k] | select(. != null and . != "")
       | "\($k)=\(v)"] | join("\n") + "\n"' >"$dump"
    t1=$(now)
    notes+=("JSONL to scriptindex conversion (jq): $(elapsed "$t0" "$t1") s, not included in scriptindex's time")
    odb="$tmp/db-reuters-omega"
    if index_run "reuters21578" "scriptindex" "$odb" "$rdocs" "$rbytes" "$run_dir/index-reuters-scriptindex.log" \
      scriptindex --overwrite --stemmer=english "$odb" "$bench_dir/reuters.indexscript" "$dump"; then
      # -o and: sitrep's default operator is AND, quest's is OR; compare like with like.
      latency_run "reuters21578" "quest -o and" "$bench_dir/reuters-queries.txt" \
        "$run_dir/latency-reuters-quest.json" quest -d "$odb" -s english -o and
    fi
  fi
fi

results="$run_dir/results.md"
{
  echo "# sitrep end-to-end benchmark, $(date +%Y-%m-%d) on $(hostname)"
  echo
  sed 's/^/    /' "$run_dir/env.txt"
  echo
  echo "## Indexing"
  echo
  echo "| corpus | indexer | docs in | docs in DB | input MB | time s | docs/s | MB/s | index MB | status |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  printf '%s\n' "${index_rows[@]}"
  echo
  echo "## Search latency, one process per query (fork to exit, output drained)"
  echo
  echo "$runs runs over the query set after one warm-up pass (page cache warm)."
  echo
  echo "| corpus | command | runs | failures | median ms | p95 ms | mean ms | child CPU ms | max RSS MiB |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  if ((${#latency_rows[@]})); then printf '%s\n' "${latency_rows[@]}"; fi
  echo
  echo "## Notes"
  echo
  if ((${#notes[@]})); then printf -- '- %s\n' "${notes[@]}"; fi
} >"$results"

echo
cat "$results"
echo
echo "run-e2e.sh: saved $results (data kept in $tmp; remove it when done)"
