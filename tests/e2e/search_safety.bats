#!/usr/bin/env bats
# Issue 11, sitrep-search's part: searches that survive a busy writer (11.10), bounded snippets
# and a time limit that holds in --serve too (11.12), text output that is safe for a terminal
# (11.16), and command-line conventions: --version, "did you mean", --color, SITREP_DB (11.17).

load helpers


setup_file() {
  index_sample_once
}

setup() {
  common_setup
}

# big_archive FILE MB: a few small articles about quokkas and one article of about MB megabytes
# whose only mention of "quokka" is near its middle (id big-1).
big_archive() {
  "$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
path, mb = sys.argv[1], int(sys.argv[2])
words = ("convoy ceasefire corridor shelling negotiators envoy harbour grain drones frontline "
         "evacuation sanctions brigade reservoir substation talks monitors pipeline").split()
para = " ".join(words[(k * 7) % len(words)] for k in range(120)) + ".\n"
half = (mb * 1024 * 1024) // (2 * len(para))
body = para * half + "The keeper saw a quokka near the reservoir at dawn.\n" + para * half
with open(path, "w") as f:
    for i in range(3):
        f.write(json.dumps({"id": f"small-{i}", "source": "Island Wire", "language": "en",
                            "title": f"Small note {i}", "published": "2025-03-0%d" % (i + 1),
                            "body": f"A quokka was seen on the island, note {i}."}) + "\n")
    f.write(json.dumps({"id": "big-1", "source": "Island Wire", "language": "en",
                        "title": "A very long report", "published": "2025-03-05",
                        "body": body}) + "\n")
EOF
}

# max_rss_kb FILE: the "Maximum resident set size" that /usr/bin/time -v wrote to FILE.
max_rss_kb() {
  sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"
}

@test "11.10 long collapsed searches while an update commits every 50 documents: none fails with db_busy" {
  local n=3000 round=0
  "$PYTHON" "$MAKE_ARCHIVE" "$n" >"$T/a.jsonl"
  "$SITREP_INDEX" --db "$T/db" "$T/a.jsonl" >/dev/null 2>&1 || fail "first index failed"
  # The writer: rewrites every other record, committing every 50 documents, round after round.
  (
    r=1
    while [ ! -e "$T/stop" ]; do
      "$PYTHON" "$MAKE_ARCHIVE" "$n" --revision "$r" --every 2 >"$T/w.jsonl"
      "$SITREP_INDEX" --db "$T/db" --commit-every 50 "$T/w.jsonl" >"$T/w.out" 2>"$T/w.err" ||
        echo "writer round $r exited $?: $(cat "$T/w.err")" >>"$T/writer-failures"
      echo "$r" >"$T/rounds"
      r=$((r + 1))
    done
  ) &
  local writer=$!
  # Wait for the writer's first commits.
  sleep 1
  local i failures=0 busy=0
  for i in $(seq 1 30); do
    local rc=0
    "$SITREP_SEARCH" --db "$T/db" --json --collapse --limit 1000 --timeout-ms 30000 bulletin \
      >"$T/s.out" 2>"$T/s.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
      failures=$((failures + 1))
      grep -q db_busy "$T/s.out" && busy=$((busy + 1))
      echo "search $i exited $rc: $(cat "$T/s.err")" >>"$T/failures"
    elif [ "$i" -eq 30 ]; then
      printf '%s' "$(cat "$T/s.out")" | validate_json
      # Collapsed: the hits are stories, and the counts of the others add up to the matches.
      [ "$(jq '.hits | length' "$T/s.out")" -gt 0 ] || fail "no hits: $(head -c 300 "$T/s.out")"
    fi
  done
  touch "$T/stop"
  wait "$writer"
  [ ! -e "$T/writer-failures" ] || fail "the writer failed: $(cat "$T/writer-failures")"
  round=$(cat "$T/rounds")
  [ "$round" -ge 1 ] || fail "the writer finished no round while the searches ran"
  echo "# writer rounds: $round, failed searches: $failures ($busy db_busy)" >&3
  assert_eq 0 "$failures" "failed searches ($busy db_busy): $(cat "$T/failures" 2>/dev/null)"
}

@test "11.12 an article of 4 MB: snippet from around the match, memory bounded, time limit held in one-shot and --serve" {
  big_archive "$T/big.jsonl" 4
  "$SITREP_INDEX" --db "$T/db" "$T/big.jsonl" >/dev/null 2>"$T/index.err" ||
    fail "indexing failed: $(cat "$T/index.err")"
  # A baseline: the same search over the small articles only.
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=1" \
    run --separate-stderr /usr/bin/time -v -o "$T/small.time" \
    "$SITREP_SEARCH" --db "$T/db" --json quokka -- -reservoir
  assert_status 0
  local small_kb
  small_kb=$(max_rss_kb "$T/small.time")
  # The big article is found, its snippet comes from around the match, and the process stays
  # under the small search's memory plus 8 times the article (the stored record is read whole
  # once: its bytes, the parsed record, the body), where it used to take 17 times.
  # In the ASan build freed memory waits in a quarantine (256 MB by default), which would count
  # every freed copy of the record: keep it small there (ignored by the release build).
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=1" \
    run --separate-stderr /usr/bin/time -v -o "$T/big.time" \
    "$SITREP_SEARCH" --db "$T/db" --json --limit 10 --timeout-ms 20000 quokka
  assert_status 0
  printf '%s' "$output" | validate_json
  assert_eq 4 "$(jq '.hits | length' <<<"$output")" "hits"
  local snippet
  snippet=$(jq -r '.hits[] | select(.id == "big-1") | .snippet_html' <<<"$output")
  assert_contains "$snippet" "saw a <mark>quokka</mark> near the reservoir at dawn" "the big article's snippet"
  assert_contains "$snippet" "<mark>quokka</mark>" "the big article's snippet"
  local big_kb limit_kb=$((small_kb + 8 * 4 * 1024))
  big_kb=$(max_rss_kb "$T/big.time")
  echo "# max RSS: small search ${small_kb} kB, with the 4 MB article ${big_kb} kB" >&3
  [ "$big_kb" -le "$limit_kb" ] ||
    fail "one-shot search peaked at ${big_kb} kB, over ${limit_kb} kB (small search: ${small_kb} kB)"
  # The time limit: answered (a result or the timeout error) within 2 s, for a 1 s limit.
  run --separate-stderr timeout 2 "$SITREP_SEARCH" --db "$T/db" --json --timeout-ms 1000 quokka
  # shellcheck disable=SC2154  # $stderr comes from bats `run --separate-stderr`
  [ "$status" -eq 0 ] || [ "$status" -eq 75 ] || fail "exit $status: $stderr"
  printf '%s' "$output" | validate_json
  case "$(jq -r '.error.code // "result"' <<<"$output")" in timeout | result) ;; *) fail "$output" ;; esac
  # --serve: a 1 ms limit is answered with the timeout error (or a result if the search beats it),
  # the loop goes on, and the memory stays bounded the same way.
  printf '%s\n' '{"query":"quokka","limit":10,"timeout_ms":1}' '{"query":"quokka","limit":10}' \
    >"$T/requests"
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=1" \
    run --separate-stderr timeout 5 /usr/bin/time -v -o "$T/serve.time" \
    "$SITREP_SEARCH" --db "$T/db" --serve <"$T/requests"
  assert_status 0
  assert_eq 2 "$(wc -l <<<"$output")" "answers"
  printf '%s\n' "$output" | validate_json
  local code
  code=$(sed -n 1p <<<"$output" | jq -r '.error.code // "result"')
  case "$code" in timeout | result) ;; *) fail "timeout_ms 1 answered $code: $output" ;; esac
  assert_eq 4 "$(sed -n 2p <<<"$output" | jq '.hits | length')" "hits of the second request"
  big_kb=$(max_rss_kb "$T/serve.time")
  [ "$big_kb" -le "$limit_kb" ] ||
    fail "--serve peaked at ${big_kb} kB, over ${limit_kb} kB (small search: ${small_kb} kB)"
}

@test "11.16 text output and --explain replace control characters and bidi overrides from articles" {
  # ESC ]0;...BEL sets a terminal's title, ESC [2J clears the screen, U+009B is the 8-bit CSI,
  # U+202E reverses the line.
  "$PYTHON" - "$T/evil.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({
        "id": "evil-1", "source": "Evil \x1b[2J Wire", "language": "en",
        "url": "https://evil.example/\x1b]0;owned\x07",
        "title": "Quokka title \x1b]0;owned\x07 here \u202egnp.exe",
        "body": "The quokka \x1b[31mred\x1b[0m story \u009b2J continues \x07 here.\n"
                "Donate via our link \x1b]0;owned\x07 to keep us going\n"}) + "\n")
    f.write(json.dumps({"id": "plain-1", "source": "Plain Wire", "language": "en",
                        "title": "Plain", "body": "A plain quokka note."}) + "\n")
EOF
  "$SITREP_INDEX" --db "$T/db" "$T/evil.jsonl" >/dev/null 2>"$T/index.err" ||
    fail "indexing failed: $(cat "$T/index.err")"
  local bad
  for args in "quokka" "--explain evil-1" "--color=always quokka"; do
    # shellcheck disable=SC2086  # the words of args are the arguments
    run --separate-stderr "$SITREP_SEARCH" --db "$T/db" $args
    assert_status 0
    for bad in $'\x07' $'\xc2\x9b' $'\u202e' $'\x1b]' $'\x1b[2J' $'\x1b[31m'; do
      assert_not_contains "$output" "$bad" "text output of $args"
    done
    assert_contains "$output" $'\uFFFD' "text output of $args"
  done
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" quokka
  assert_contains "$output" "Quokka title �]0;owned� here �gnp.exe"
  assert_contains "$output" "Evil �[2J Wire"
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" --explain evil-1
  assert_contains "$output" "Donate via our link �]0;owned� to keep us going"
  # JSON: the same characters escaped (\u001b, \u009b, \u202e), never raw; the values unchanged.
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" --json quokka
  assert_status 0
  printf '%s' "$output" | validate_json
  for bad in $'\x1b' $'\x07' $'\xc2\x9b' $'\u202e'; do
    assert_not_contains "$output" "$bad" "JSON output"
  done
  assert_eq $'Quokka title \x1b]0;owned\x07 here \u202egnp.exe' \
    "$(jq -r '.hits[] | select(.id == "evil-1") | .title' <<<"$output")" \
    "the title, decoded"
  # Error messages that echo the input: one safe line on stderr.
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" -- $'date:\xc2\x9b2J\x1b]0;x\x07'
  assert_status 65
  for bad in $'\x1b' $'\x07' $'\xc2\x9b'; do
    assert_not_contains "$stderr" "$bad" "the error line"
  done
  assert_contains "$stderr" "sitrep-search: error: "
}

@test "11.17 --version works without --db and exits 0" {
  run --separate-stderr "$SITREP_SEARCH" --version
  assert_status 0
  assert_contains "$(head -n1 <<<"$output")" "sitrep-search (sitrep) "
  assert_contains "$output" "Xapian"
  assert_contains "$output" "ICU"
  assert_eq "" "$stderr" "stderr"
}

@test "11.17 a mistyped option: did you mean, in the one error prefix, exit 64" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limt 5 grain
  assert_status 64
  assert_eq "sitrep-search: error: unknown option --limt: did you mean --limit?" "$stderr"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limt=5 grain
  assert_status 64
  assert_eq "sitrep-search: error: unknown option --limt: did you mean --limit?" "$stderr"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json --colour=never grain
  assert_status 64
  printf '%s' "$output" | validate_json
  assert_eq "unknown option --colour: did you mean --color?" \
    "$(jq -r '.error.message' <<<"$output")" "JSON error message"
  # Nothing close: no suggestion, the hint for a query starting with '-'.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --zzzzzzzz grain
  assert_status 64
  assert_contains "$stderr" "sitrep-search: error: unknown option --zzzzzzzz; see --help"
  assert_not_contains "$stderr" "did you mean"
}

@test "11.17 --color=auto|always|never; NO_COLOR counts only for auto" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 1 --color=always grain
  assert_status 0
  assert_contains "$output" $'\033[1;33m' "--color=always on a pipe"
  NO_COLOR=1 run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 1 --color=always grain
  assert_contains "$output" $'\033[1;33m' "--color=always with NO_COLOR"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 1 --color=auto grain
  assert_not_contains "$output" $'\033' "--color=auto on a pipe"
  assert_contains "$output" "[grain]" "--color=auto on a pipe"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 1 --color=sometimes grain
  assert_status 64
  command -v script >/dev/null || skip "script(1) from util-linux is needed to get a terminal"
  local cmd
  printf -v cmd '%q ' "$SITREP_SEARCH" --db "$DB" --limit 1 --color=never grain
  run script -qec "$cmd" /dev/null
  assert_status 0
  assert_not_contains "$output" $'\033' "--color=never on a terminal"
  printf -v cmd '%q ' "$SITREP_SEARCH" --db "$DB" --limit 1 --color=auto grain
  run script -qec "$cmd" /dev/null
  assert_contains "$output" $'\033[1;33m' "--color=auto on a terminal"
}

@test "11.17 SITREP_DB is the default database; --db wins; --help says so" {
  SITREP_DB="$DB" run --separate-stderr "$SITREP_SEARCH" --json --limit 3 grain
  assert_status 0
  printf '%s' "$output" | validate_json
  assert_eq 3 "$(jq '.hits | length' <<<"$output")" "hits with SITREP_DB"
  SITREP_DB="$T/nothere" run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json --limit 3 grain
  assert_status 0
  SITREP_DB="$T/nothere" run --separate-stderr "$SITREP_SEARCH" --json grain
  assert_status 66
  printf '%s' "$output" | validate_json
  SITREP_DB="$DB" run --separate-stderr "$SITREP_SEARCH" --serve <<<'{"query":"grain","limit":2}'
  assert_status 0
  assert_eq 2 "$(jq '.hits | length' <<<"$output")" "--serve with SITREP_DB"
  run --separate-stderr env -u SITREP_DB "$SITREP_SEARCH" grain
  assert_status 64
  assert_contains "$stderr" "--db is required"
  run "$SITREP_SEARCH" --help
  assert_status 0
  assert_contains "$output" "SITREP_DB"
  assert_contains "$output" "--color"
  assert_contains "$output" "--version"
}
