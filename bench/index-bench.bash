# Shared by bench/run-index-facets.sh and bench/run-index-stories.sh (sourced, not run): their
# options, the generated archive, a timed sitrep-index run and the machine line of the report.
#
# index_bench_init NAME HELP_LINES "$@" parses --build DIR, --size N, --threads N and -h/--help
# (printing lines 2..HELP_LINES of the calling script) and sets build, size, threads, index_bin,
# gen_bin, bench_tmp ($SITREP_BENCH_TMP, default /tmp/sitrep-bench) and out_dir
# (bench/runs/<date>-<host>). Errors exit 2 with NAME in the message.

index_bench_init() {
  local name=$1 help_lines=$2
  shift 2
  repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  build="$repo_root/build"
  size=100000
  threads=0
  while (($#)); do
    case $1 in
      --build) build=${2:?}; shift 2 ;;
      --size) size=${2:?}; shift 2 ;;
      --threads) threads=${2:?}; shift 2 ;;
      -h | --help) sed -n "2,${help_lines}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) echo "$name: unknown argument $1" >&2; exit 2 ;;
    esac
  done
  [[ $size =~ ^[1-9][0-9]*$ ]] || { echo "$name: bad --size" >&2; exit 2; }
  build=$(cd "$build" && pwd)
  index_bin="$build/indexer/sitrep-index"
  gen_bin="$build/bench/sitrep-gen-archive"
  local b
  for b in "$index_bin" "$gen_bin"; do
    [[ -x $b ]] || { echo "$name: $b missing (build with benchmarks on)" >&2; exit 2; }
  done
  bench_tmp=${SITREP_BENCH_TMP:-/tmp/sitrep-bench}
  mkdir -p "$bench_tmp"
  out_dir="$repo_root/bench/runs/$(date -u +%Y-%m-%d)-$(hostname -s)"
  mkdir -p "$out_dir"
}

# index_bench_archive: sets archive ($bench_tmp/archive-$size.jsonl, `sitrep-gen-archive N 1`,
# written when missing: the first N lines of archive-100000.jsonl when that exists, which is the
# same text) and bytes (its size).
index_bench_archive() {
  archive="$bench_tmp/archive-$size.jsonl"
  if [[ ! -s $archive ]]; then
    if ((size <= 100000)) && [[ -s $bench_tmp/archive-100000.jsonl ]]; then
      head -n "$size" "$bench_tmp/archive-100000.jsonl" >"$archive"
    else
      "$gen_bin" "$size" 1 >"$archive"
    fi
  fi
  bytes=$(stat -c %s "$archive")
}

# timed_index DB ARGS...: prints "WALL CPU" seconds of one sitrep-index run (CPU = user + system,
# the fairer figure when the machine is shared). Its stdout, stderr and --stats-json go to
# $tmp/index.out, $tmp/index.err and $tmp/stats.json.
timed_index() {
  local db=$1
  shift
  /usr/bin/time -f "%e %U %S" -o "$tmp/time.out" \
    "$index_bin" --db "$db" -j "$threads" --stats-json "$tmp/stats.json" "$@" \
    >"$tmp/index.out" 2>"$tmp/index.err"
  awk '{ printf "%.2f %.2f", $1, $2 + $3 }' "$tmp/time.out"
}

# machine_line: "Machine: 2 cores, 24 GB, AMD EPYC; 2026-11-23."
machine_line() {
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)," \
    "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1); $(date -u +%Y-%m-%d)."
}
