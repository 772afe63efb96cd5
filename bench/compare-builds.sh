#!/usr/bin/env bash
# Two builds of sitrep side by side on real news text: is the second as fast as the first?
#
#   bench/compare-builds.sh --before DIR --after DIR [--rounds N] [--corpus FILE]
#
# DIR is a build tree (DIR/indexer/sitrep-index, DIR/searcher/sitrep-search; DIR/COMMIT, if there,
# names the commit of a copied build) and the spawn-latency
# tool comes from --after's bench/. The corpus is Reuters-21578
# (../shared/corpora/reuters21578/reuters21578.jsonl.gz from the repo root, 21,578 records).
# Each round indexes the corpus once with each build, in alternating order (before first in odd
# rounds, after first in even ones), then runs the cold-start searches of bench/reuters-queries.txt
# (one process per query, `--json --limit 10`, sitrep-spawn-latency, 5 runs after a warm-up) with
# each build against its own database. Alternating and interleaving make a slow minute of a shared
# machine fall on both sides alike; the report gives each side's median over the rounds and the
# ratio after/before (above 1: the after build is slower).
#
# Writes bench/runs/<date>-<host>/compare-builds.md (with both commits and the machine) and prints
# it. Databases go to $SITREP_BENCH_TMP (default /tmp/sitrep-bench). Exit status 2 on bad usage.

set -euo pipefail
export LC_ALL=C

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
before="" after="" rounds=3
corpus="$repo_root/../shared/corpora/reuters21578/reuters21578.jsonl.gz"
while (($#)); do
  case $1 in
    --before) before=${2:?}; shift 2 ;;
    --after) after=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --corpus) corpus=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-builds.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $before && -n $after ]] || { echo "compare-builds.sh: --before and --after are required" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "compare-builds.sh: bad --rounds $rounds" >&2; exit 2; }
[[ -r $corpus ]] || { echo "compare-builds.sh: corpus $corpus not readable" >&2; exit 2; }
for d in "$before" "$after"; do
  for b in indexer/sitrep-index searcher/sitrep-search; do
    [[ -x $d/$b ]] || { echo "compare-builds.sh: $d/$b missing" >&2; exit 2; }
  done
done
spawn="$after/bench/sitrep-spawn-latency"
[[ -x $spawn ]] || { echo "compare-builds.sh: $spawn missing (build with benchmarks on)" >&2; exit 2; }

tmp=${SITREP_BENCH_TMP:-/tmp/sitrep-bench}/compare-builds
mkdir -p "$tmp"
declare -A index_s latency_ms
index_s=([before]="" [after]="")
latency_ms=([before]="" [after]="")

# index SIDE: a fresh --rebuild of the corpus; appends the wall seconds to index_s[SIDE].
index() {
  local side=$1 dir
  [[ $side == before ]] && dir=$before || dir=$after
  rm -rf "${tmp:?}/db-$side"
  local t0=$EPOCHREALTIME
  "$dir/indexer/sitrep-index" --db "$tmp/db-$side" "$corpus" >"$tmp/index-$side.log" 2>&1 ||
    [[ $? == 1 ]]  # exit 1: records without text were rejected (Reuters has 737), the rest indexed
  index_s[$side]+="$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }') "
}

# search SIDE: appends the median cold-start latency (ms) over the query set to latency_ms[SIDE].
search() {
  local side=$1 dir
  [[ $side == before ]] && dir=$before || dir=$after
  "$spawn" --runs 5 --warmup 1 --json --queries "$repo_root/bench/reuters-queries.txt" -- \
    "$dir/searcher/sitrep-search" --db "$tmp/db-$side" --json --limit 10 -- >"$tmp/lat-$side.json"
  latency_ms[$side]+="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["median_ms"])' "$tmp/lat-$side.json") "
}

for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then order="before after"; else order="after before"; fi
  for s in $order; do index "$s"; done
  for s in $order; do search "$s"; done
  echo "round $r: index ${index_s[before]}| ${index_s[after]}; search ${latency_ms[before]}| ${latency_ms[after]}" >&2
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ib=$(median <<<"${index_s[before]}") ia=$(median <<<"${index_s[after]}")
lb=$(median <<<"${latency_ms[before]}") la=$(median <<<"${latency_ms[after]}")
commit() { cat "$1/COMMIT" 2>/dev/null || git -C "$1/.." rev-parse --short HEAD 2>/dev/null || echo "?"; }
out_dir="$repo_root/bench/runs/$(date -u +%Y-%m-%d)-$(hostname -s)"
mkdir -p "$out_dir"
{
  echo "# Two builds side by side ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "before: $before (commit $(commit "$before")); after: $after (commit $(commit "$after"))."
  echo "Corpus: $(basename "$corpus"); $rounds rounds, alternating order. Raw: index s before [${index_s[before]% }], after [${index_s[after]% }]; search ms before [${latency_ms[before]% }], after [${latency_ms[after]% }]."
  echo
  echo "| | before | after | after / before |"
  echo "|---|---|---|---|"
  echo "| index Reuters-21578, wall s (median) | $ib | $ia | $(awk -v a="$ia" -v b="$ib" 'BEGIN { printf "%.3f", a / b }') |"
  echo "| cold-start search, median ms over $(grep -vc '^#' "$repo_root/bench/reuters-queries.txt") queries | $lb | $la | $(awk -v a="$la" -v b="$lb" 'BEGIN { printf "%.3f", a / b }') |"
} | tee "$out_dir/compare-builds.md"
