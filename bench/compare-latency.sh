#!/usr/bin/env bash
# Search latency of two builds side by side on the reference database: is the second as fast?
#
#   bench/compare-latency.sh --before DIR --after DIR [--rounds N] [--runs N] [--requests N]
#                            [--queries FILE] [--corpus FILE] [--spawn BIN] [--reuse-db]
#                            [--after-default-op MODE]
#
# DIR is a build tree (DIR/indexer/sitrep-index, DIR/searcher/sitrep-search; DIR/COMMIT, if there,
# names its commit). Each build indexes Reuters-21578 (--corpus; default
# ../shared/corpora/reuters21578/reuters21578.jsonl.gz from the repo root) + data/sample/archive.jsonl
# into a database of its own (the two may differ in schema; --reuse-db keeps databases left by an
# earlier run), then each round measures, for every group of --queries (default
# bench/latency-queries.txt; "## NAME" lines start groups) and both builds in alternating order
# (before first in odd rounds, after first in even ones; group by group, so a busy minute of a
# shared machine falls on both sides alike):
#   cold   one process per query, `sitrep-search --db DB --json --limit 10 -- QUERY`, exec to the
#          last byte of stdout (sitrep-spawn-latency: --runs runs after one warm-up pass): median
#          wall ms and mean CPU ms (user + system) per query
#   serve  the group's queries cycled to --requests requests ({"query": Q, "limit": 10}) streamed
#          into one `--serve` process: CPU ms (user + system) per request, requests/s
# plus three derived groups: "keywords +facets" (the keywords with --facets / "facets":
# ["default"]) and "keywords OR-typed", "sentences OR-typed" (each query's words joined with an
# explicit OR: what a user of the before build had to type for any-word matching).
# --after-default-op MODE runs the after build with --default-op MODE ("default_op" in --serve),
# e.g. "and" to compare at equal matching (the before build's AND) rather than as users get it.
# The report has each figure's median over the rounds and the ratio after/before (above 1: after
# is slower), with the machine, both commits and the raw figures; CPU time is the fair measure on
# a shared machine (wall time includes waiting for a CPU).
#
# Writes bench/runs/<date>-<host>/compare-latency.md (and .tsv, raw) and prints it. Databases go
# to $SITREP_BENCH_TMP (default /tmp/sitrep-bench)/compare-latency. Needs jq and /usr/bin/time.
# Exit status 2 on bad usage, 1 when a search fails.

set -euo pipefail
export LC_ALL=C

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
before="" after="" rounds=5 runs=5 requests=300 reuse=0 spawn="" after_op=""
queries_file="$repo_root/bench/latency-queries.txt"
corpus="${SITREP_CORPORA:-$repo_root/../shared/corpora}/reuters21578/reuters21578.jsonl.gz"
sample="$repo_root/data/sample/archive.jsonl"
while (($#)); do
  case $1 in
    --before) before=${2:?}; shift 2 ;;
    --after) after=${2:?}; shift 2 ;;
    --rounds) rounds=${2:?}; shift 2 ;;
    --runs) runs=${2:?}; shift 2 ;;
    --requests) requests=${2:?}; shift 2 ;;
    --queries) queries_file=${2:?}; shift 2 ;;
    --corpus) corpus=${2:?}; shift 2 ;;
    --spawn) spawn=${2:?}; shift 2 ;;
    --reuse-db) reuse=1; shift ;;
    --after-default-op) after_op=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-latency.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $before && -n $after ]] || { echo "compare-latency.sh: --before and --after are required" >&2; exit 2; }
for n in "$rounds" "$runs" "$requests"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "compare-latency.sh: bad count $n" >&2; exit 2; }
done
[[ -r $corpus ]] || { echo "compare-latency.sh: corpus $corpus not readable (set SITREP_CORPORA or --corpus)" >&2; exit 2; }
[[ -r $sample && -r $queries_file ]] || { echo "compare-latency.sh: $sample or $queries_file missing" >&2; exit 2; }
for d in "$before" "$after"; do
  for b in indexer/sitrep-index searcher/sitrep-search; do
    [[ -x $d/$b ]] || { echo "compare-latency.sh: $d/$b missing" >&2; exit 2; }
  done
done
before=$(cd "$before" && pwd) after=$(cd "$after" && pwd)
[[ -n $spawn ]] || spawn="$after/bench/sitrep-spawn-latency"
[[ -x $spawn ]] || { echo "compare-latency.sh: $spawn missing (build with -DSITREP_BUILD_BENCHMARKS=ON, or --spawn)" >&2; exit 2; }
command -v jq >/dev/null || { echo "compare-latency.sh: jq is required" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "compare-latency.sh: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }

tmp=${SITREP_BENCH_TMP:-/tmp/sitrep-bench}/compare-latency
mkdir -p "$tmp/groups"
dir_of() { [[ $1 == before ]] && echo "$before" || echo "$after"; }

# The groups: one file of queries each, in the order of the query file, and the derived ones.
rm -f "$tmp/groups/"*
groups=()
awk -v dir="$tmp/groups" '
  /^## / { name = substr($0, 4); gsub(/[^A-Za-z0-9_-]/, "_", name); n++; file = sprintf("%s/%02d %s", dir, n, name); next }
  /^#/ || !NF { next }
  file { print > file }' "$queries_file"
while IFS= read -r f; do groups+=("$(basename "$f")"); done < <(ls "$tmp/groups" | sed "s|^|$tmp/groups/|")
# group_query_file NAME -> the file of queries; group_flags NAME -> extra CLI flags; serve JSON keys.
or_typed() { awk '{ out = $1; for (i = 2; i <= NF; i++) out = out " OR " $i; print out }' "$1"; }
find_group() { ls "$tmp/groups" | grep -m1 " $1\$" || true; }
kw=$(find_group keywords) se=$(find_group sentences)
if [[ -n $kw ]]; then
  cp "$tmp/groups/$kw" "$tmp/groups/90 keywords_+facets"
  or_typed "$tmp/groups/$kw" >"$tmp/groups/91 keywords_OR-typed"
  groups+=("90 keywords_+facets" "91 keywords_OR-typed")
fi
if [[ -n $se ]]; then
  or_typed "$tmp/groups/$se" >"$tmp/groups/92 sentences_OR-typed"
  groups+=("92 sentences_OR-typed")
fi
label() { sed 's/^[0-9]* //; s/_/ /g' <<<"$1"; }
facets_of() { [[ $1 == *+facets ]]; }
op_flags() { [[ $1 == after && -n $after_op ]] && echo "--default-op $after_op" || true; }

# The databases.
for side in before after; do
  db="$tmp/db-$side"
  if ((reuse)) && [[ -d $db ]]; then continue; fi
  rm -rf "${db:?}"
  t0=$EPOCHREALTIME
  "$(dir_of $side)/indexer/sitrep-index" --db "$db" "$corpus" "$sample" >"$tmp/index-$side.log" 2>&1 ||
    [[ $? == 1 ]] # exit 1: records without text were rejected (Reuters has 737), the rest indexed
  echo "indexed $side in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s" >&2
done
docs=$("$after/searcher/sitrep-search" --db "$tmp/db-after" --json --limit 0 -- oil | jq .documents)

# Every answer must be a result, not an error: checked once per side and group before timing.
for g in "${groups[@]}"; do
  for side in before after; do
    flags=(--json --limit 10 $(op_flags $side))
    facets_of "$g" && flags+=(--facets)
    while IFS= read -r q; do
      out=$("$(dir_of $side)/searcher/sitrep-search" --db "$tmp/db-$side" "${flags[@]}" -- "$q") || {
        echo "compare-latency.sh: $side: query $q failed: $(head -c 300 <<<"$out")" >&2
        exit 1
      }
    done <"$tmp/groups/$g"
  done
done

raw="$tmp/raw.tsv"  # round side group cold_median_ms cold_cpu_ms serve_cpu_ms serve_rps
: >"$raw"
cold() {  # cold SIDE GROUP -> "median_ms cpu_ms"
  local flags=(--json --limit 10 $(op_flags "$1"))
  facets_of "$2" && flags+=(--facets)
  "$spawn" --runs "$runs" --warmup 1 --json --queries "$tmp/groups/$2" -- \
    "$(dir_of "$1")/searcher/sitrep-search" --db "$tmp/db-$1" "${flags[@]}" -- >"$tmp/spawn.json"
  jq -r '"\(.median_ms) \(.cpu_mean_ms)"' "$tmp/spawn.json"
}
serve() {  # serve SIDE GROUP -> "cpu_ms_per_request requests_per_s"
  local extra='{}'
  facets_of "$2" && extra='{"facets": ["default"]}'
  [[ $1 == after && -n $after_op ]] && extra=$(jq -c --arg op "$after_op" '. + {default_op: $op}' <<<"$extra")
  jq -R -c --argjson extra "$extra" '{query: ., limit: 10} + $extra' "$tmp/groups/$2" >"$tmp/one"
  local nq
  nq=$(wc -l <"$tmp/one")
  : >"$tmp/requests"
  for ((k = 0; k < requests; k += nq)); do cat "$tmp/one" >>"$tmp/requests"; done
  head -n "$requests" "$tmp/requests" >"$tmp/req" && mv "$tmp/req" "$tmp/requests"
  /usr/bin/time -f '%e %U %S' -o "$tmp/time" \
    "$(dir_of "$1")/searcher/sitrep-search" --db "$tmp/db-$1" --serve <"$tmp/requests" >"$tmp/answers"
  local lines errors
  lines=$(wc -l <"$tmp/answers")
  errors=$(grep -c '^{"error"' "$tmp/answers" || true)
  if [[ $lines != "$requests" || $errors != 0 ]]; then
    echo "compare-latency.sh: $1 --serve: $lines answers, $errors errors for $requests requests" >&2
    exit 1
  fi
  read -r wall user sys <"$tmp/time"
  awk -v n="$requests" -v w="$wall" -v u="$user" -v s="$sys" \
    'BEGIN { printf "%.3f %.1f\n", (u + s) * 1000 / n, n / (w > 0 ? w : 0.01) }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then order="before after"; else order="after before"; fi
  for g in "${groups[@]}"; do
    for s in $order; do
      c=$(cold "$s" "$g")
      v=$(serve "$s" "$g")
      printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$s" "$g" "${c// /$'\t'}" "${v// /$'\t'}" >>"$raw"
    done
  done
  echo "round $r of $rounds done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

commit() { cat "$1/COMMIT" 2>/dev/null || git -C "$(awk -F= '/^CMAKE_HOME_DIRECTORY:/ { print $2 }' "$1/CMakeCache.txt")" rev-parse --short HEAD 2>/dev/null || echo "?"; }
out_dir="$repo_root/bench/runs/$(date -u +%Y-%m-%d)-$(hostname -s)"
mkdir -p "$out_dir"
cp "$raw" "$out_dir/compare-latency${after_op:+-$after_op}.tsv"
# median over rounds of column COL for SIDE and GROUP
med() {
  awk -F'\t' -v s="$1" -v g="$2" -v c="$3" '$2 == s && $3 == g { print $c }' "$raw" | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
{
  echo "# Search latency, two builds side by side ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load before $load_before, after $load_after."
  echo "before: $before (commit $(commit "$before")); after: $after (commit $(commit "$after"))${after_op:+, run with --default-op $after_op}."
  echo "Database: Reuters-21578 + data/sample, $docs documents, one per build. $rounds rounds, alternating order;"
  echo "cold: $runs runs of each query after a warm-up pass; serve: $requests requests a group into one process."
  echo "Medians over the rounds; ratio = after / before. Raw: compare-latency.tsv (round side group cold_ms cold_cpu_ms serve_cpu_ms serve_rps)."
  echo
  echo "| queries (n) | cold ms before | after | ratio | cold CPU ms before | after | ratio | serve CPU ms/request before | after | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for g in "${groups[@]}"; do
    n=$(wc -l <"$tmp/groups/$g")
    row="| $(label "$g") ($n) |"
    for col in 4 5 6; do
      b=$(med before "$g" $col) a=$(med after "$g" $col)
      row+=" $b | $a | $(ratio "$a" "$b") |"
    done
    echo "$row"
  done
  echo
  echo "Command: \`bench/compare-latency.sh --before $before --after $after --rounds $rounds --runs $runs --requests $requests${after_op:+ --after-default-op $after_op}\`"
} | tee "$out_dir/compare-latency${after_op:+-$after_op}.md"
