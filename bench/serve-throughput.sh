#!/usr/bin/env bash
# Throughput and per-request latency of `sitrep-search --serve`, the long-lived mode for frontends.
#
#   bench/serve-throughput.sh [--build DIR] [--db DB] [--requests N] [--runs R]
#
# Throughput: N requests (default 2000) cycling through the 20 queries of bench/queries.txt, each
# {"query": Q, "limit": 10} (the one-shot benchmark's call), streamed into one --serve process;
# wall time from exec to the last answer read, R runs (default 3) after a warm-up pass of the
# 20 queries; requests/s = N / wall time (process start included), CPU ms per request from the
# process's user + system time. Every answer is checked: N lines, no error objects.
#
# Latency: one request at a time (send a line, wait for its answer, then the next), 10 rounds of
# the 20 queries against one process, timed by a small Python client from writing the request to
# reading the whole answer line: median and p95, the figure to compare with a cold start.
#
# Defaults: --build build, --db /tmp/sitrep-bench/db-100000. Writes bench/runs/<date>-<host>/serve.md
# (and serve.json). The load average and niceness are recorded: wall times include waiting for a
# CPU (on a shared machine, run it with `nice -n -10` as root to keep the waiting down).

set -euo pipefail
export LC_ALL=C

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo_root/build"
db=/tmp/sitrep-bench/db-100000
requests=2000
runs=3

usage() {
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while (($#)); do
  case $1 in
    --build) build=${2:?--build needs a directory}; shift 2 ;;
    --db) db=${2:?--db needs a database}; shift 2 ;;
    --requests) requests=${2:?--requests needs a number}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "serve-throughput.sh: unknown argument: $1" >&2; usage 2 >&2 ;;
  esac
done
[[ $requests =~ ^[1-9][0-9]*$ ]] || { echo "serve-throughput.sh: bad --requests: $requests" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "serve-throughput.sh: bad --runs: $runs" >&2; exit 2; }
[[ -d $build ]] || { echo "serve-throughput.sh: no build directory $build" >&2; exit 2; }
build=$(cd "$build" && pwd)
search_bin=$build/searcher/sitrep-search
[[ -x $search_bin ]] || { echo "serve-throughput.sh: $search_bin not built" >&2; exit 2; }
[[ -e $db ]] || { echo "serve-throughput.sh: no database at $db" >&2; exit 2; }
command -v jq >/dev/null || { echo "serve-throughput.sh: jq is required" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "serve-throughput.sh: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }

run_dir="$repo_root/bench/runs/$(date +%Y-%m-%d)-$(hostname -s 2>/dev/null || hostname)"
mkdir -p "$run_dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' "$repo_root/bench/queries.txt" | grep . >"$tmp/queries"
nq=$(wc -l <"$tmp/queries")
# requests FILE COUNT: COUNT request lines cycling through the queries.
make_requests() {
  jq -R -c '{query: ., limit: 10}' "$tmp/queries" >"$tmp/one-round"
  : >"$1"
  local n=0
  while ((n < $2)); do
    head -n "$(($2 - n))" "$tmp/one-round" >>"$1"
    n=$((n + nq))
  done
}
make_requests "$tmp/requests" "$requests"
make_requests "$tmp/warmup" "$nq"

docs=$("$search_bin" --db "$db" --json --limit 0 -- ceasefire | jq .documents)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# Checks an answer file: COUNT lines, no error objects.
check_answers() {
  local lines errors
  lines=$(wc -l <"$1")
  errors=$(jq -c 'select(.error)' "$1" | head -n 3)
  [[ $lines -eq $2 ]] || { echo "serve-throughput.sh: $lines answers for $2 requests" >&2; exit 1; }
  [[ -z $errors ]] || { echo "serve-throughput.sh: error answers: $errors" >&2; exit 1; }
}

echo "== warm-up: $nq requests"
"$search_bin" --db "$db" --serve <"$tmp/warmup" >"$tmp/answers"
check_answers "$tmp/answers" "$nq"

results=()
for r in $(seq 1 "$runs"); do
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
    "$search_bin" --db "$db" --serve <"$tmp/requests" >"$tmp/answers"
  check_answers "$tmp/answers" "$requests"
  read -r wall user sys rss <"$tmp/time"
  line=$(awk -v n="$requests" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" \
    'BEGIN { printf "%.1f %.3f %.3f %.1f", n / w, w, (u + s) * 1000 / n, m / 1024 }')
  echo "== run $r: $requests requests: req/s, wall s, CPU ms/request, max RSS MiB: $line"
  results+=("$line")
done
# The run with the median requests/s.
median=$(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
read -r rps wall cpu_ms rss_mib <<<"$median"

echo "== latency: one request at a time, 10 rounds of $nq"
make_requests "$tmp/latency" "$((nq * 10))"
/usr/bin/python3 - "$search_bin" "$db" "$tmp/latency" >"$tmp/latency.json" <<'EOF'
import json, subprocess, sys, time
binary, db, path = sys.argv[1:4]
lines = open(path, encoding="utf-8").read().splitlines()
p = subprocess.Popen([binary, "--db", db, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
for line in lines[:20]:  # warm-up
    p.stdin.write((line + "\n").encode()); p.stdin.flush(); p.stdout.readline()
ms = []
for line in lines:
    t0 = time.perf_counter()
    p.stdin.write((line + "\n").encode()); p.stdin.flush()
    answer = p.stdout.readline()
    ms.append((time.perf_counter() - t0) * 1000)
    if b'"error"' in answer[:40]:
        sys.exit("error answer: " + answer[:300].decode("utf-8", "replace"))
p.stdin.close()
if p.wait() != 0:
    sys.exit("--serve exited %d" % p.returncode)
ms.sort()
q = lambda f: ms[min(len(ms) - 1, int(f * len(ms)))]
print(json.dumps({"count": len(ms), "median_ms": round(q(0.5), 3), "p95_ms": round(q(0.95), 3),
                  "mean_ms": round(sum(ms) / len(ms), 3), "min_ms": round(ms[0], 3)}))
EOF
lat_median=$(jq .median_ms "$tmp/latency.json")
lat_p95=$(jq .p95_ms "$tmp/latency.json")
lat_count=$(jq .count "$tmp/latency.json")
echo "   median $lat_median ms, p95 $lat_p95 ms over $lat_count requests"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

jq -n --argjson requests "$requests" --argjson runs "$runs" --argjson rps "$rps" \
  --argjson wall "$wall" --argjson cpu "$cpu_ms" --argjson rss "$rss_mib" \
  --argjson latency "$(cat "$tmp/latency.json")" --arg db "$db" --argjson docs "$docs" \
  '{database: $db, documents: $docs, requests: $requests, runs: $runs, requests_per_s: $rps,
    wall_s: $wall, cpu_ms_per_request: $cpu, max_rss_mib: $rss, latency: $latency}' \
  >"$run_dir/serve.json"

{
  echo "# sitrep-search --serve, $(date +%Y-%m-%d) on $(hostname)"
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
  echo "Requests: the $nq queries of bench/queries.txt in turn, each \`{\"query\": Q, \"limit\": 10}\`."
  echo
  echo "| measure | value |"
  echo "| --- | ---: |"
  echo "| throughput, $requests requests streamed into one process (median of $runs runs) | $rps requests/s |"
  echo "| wall time of that run, process start included | $wall s |"
  echo "| CPU per request (user + system) | $cpu_ms ms |"
  echo "| max RSS | $rss_mib MiB |"
  echo "| latency, one request at a time, median ($lat_count requests) | $lat_median ms |"
  echo "| latency, one request at a time, p95 | $lat_p95 ms |"
  echo
  echo "All runs (requests/s, wall s, CPU ms/request, max RSS MiB):"
  echo
  printf '    %s\n' "${results[@]}"
  echo
  echo "Command: \`bench/serve-throughput.sh --build $build --db $db --requests $requests --runs $runs\`"
} >"$run_dir/serve.md"
echo
cat "$run_dir/serve.md"
echo "serve-throughput.sh: saved $run_dir/serve.md"
