#!/usr/bin/env bash
# What boilerplate detection costs at index time: the same generated archive indexed with
# detection (prescan + recurrence + patterns, the default) and with --no-boilerplate, interleaved,
# CPU time (user + system, /usr/bin/time) per run, the prescan's wall time (--stats-json), the
# database size, and how many lines were suppressed.
#
#   bench/run-boilerplate-cost.sh [--build DIR] [--size N] [--rounds N] [--archive FILE]
#
# --archive reuses a JSON Lines file (its first --size records); otherwise sitrep-gen-archive
# (built with -DSITREP_BUILD_BENCHMARKS=ON) writes one. Databases go to $SITREP_BENCH_TMP
# (default /tmp/sitrep-bench/boilerplate). CPU time is the fair measure on a shared machine.
set -euo pipefail
export LC_ALL=C

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo_root/build"
size=20000
rounds=2
archive=""
while (($#)); do
  case $1 in
    --build) build=${2:?}; shift 2 ;;
    --size) size=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --archive) archive=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-boilerplate-cost.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $size =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ ]] ||
  { echo "run-boilerplate-cost.sh: bad --size or --rounds" >&2; exit 2; }
build=$(cd "$build" && pwd)
index_bin="$build/indexer/sitrep-index"
[ -x "$index_bin" ] || { echo "run-boilerplate-cost.sh: no $index_bin" >&2; exit 2; }
tmp="${SITREP_BENCH_TMP:-/tmp/sitrep-bench}/boilerplate"
mkdir -p "$tmp"
input="$tmp/archive-$size.jsonl"
if [ -n "$archive" ]; then
  head -n "$size" "$archive" >"$input"
elif [ ! -s "$input" ]; then
  "$build/bench/sitrep-gen-archive" "$size" 42 >"$input"
fi

printf '| run | CPU s | wall s | prescan s | index MB | docs with suppressed lines |\n'
printf '|---|---:|---:|---:|---:|---:|\n'
for round in $(seq 1 "$rounds"); do
  for mode in off on; do
    db="$tmp/db-$mode"
    rm -rf "$db" "$db.d"
    extra=()
    [ "$mode" = off ] && extra=(--no-boilerplate)
    /usr/bin/time -f '%U %S %e' -o "$tmp/time" \
      "$index_bin" --db "$db" --stats-json "$tmp/stats.json" "${extra[@]}" "$input" >/dev/null
    read -r user sys wall <"$tmp/time"
    suppressed=$(xapian-delve -V9 "$db" 2>/dev/null | { grep -o ' [0-9]*:' || true; } | wc -l)
    printf '| %s, round %s | %.1f | %.1f | %.2f | %s | %s |\n' \
      "$([ "$mode" = on ] && echo detection || echo --no-boilerplate)" "$round" \
      "$(echo "$user + $sys" | bc)" "$wall" "$(jq .prescan_seconds "$tmp/stats.json")" \
      "$(du -sm "$db.d" | cut -f1)" "$suppressed"
  done
done
