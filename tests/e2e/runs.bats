#!/usr/bin/env bats
# Issue 11, the sitrep-index front end: what a run decides and reports. A --rebuild switches only
# when every SOURCE was read to its end (11.1, 11.2), --prune never empties a source by itself
# (11.3), duplicate ids have one rule and an unchanged rerun changes nothing (11.6), a run that
# fails before indexing creates nothing (11.9), --stats-json is atomic and never overwritten by a
# failed run (11.14), one SIGTERM ends a run (11.11), command-line conventions (11.17), repeated
# errors are capped (11.18).

load helpers

setup_file() {
  require_tools
}

setup() {
  common_setup
}

# records FILE PREFIX N [WORD]: N small records with ids PREFIX-1..PREFIX-N, each mentioning WORD
# (default "bulletin") so that one search finds them all.
records() {
  local file=$1 prefix=$2 n=$3 word=${4:-bulletin} i
  for ((i = 1; i <= n; i++)); do
    printf '{"id":"%s-%d","title":"%s %s number %d","body":"The %s %d about harbour cranes."}\n' \
      "$prefix" "$i" "$prefix" "$word" "$i" "$word" "$i"
  done >"$file"
}


# validate_stats FILE: FILE matches schemas/index-stats.schema.json.
validate_stats() {
  "$PYTHON" - "$SITREP_ROOT/schemas/index-stats.schema.json" "$1" <<'PY' || fail "$1 does not match schemas/index-stats.schema.json: $(cat "$1")"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(json.load(open(sys.argv[2])))
PY
}

# An unreadable file that stays unreadable for root too: reading /proc/self/mem at offset 0 fails
# with EIO (and opening it fails for nobody), so the reader meets a read error at its first byte.
unreadable_file() {
  ln -s /proc/self/mem "$1"
}

# ---------------------------------------------------------------- 11.1 / 11.2

@test "11.1 truncated .jsonl.gz: --rebuild is abandoned (exit 74), the live database keeps every document" {
  records "$T/live.jsonl" live 30
  index "$T/db" "$T/live.jsonl"
  assert_status 0
  local live
  live=$(readlink "$T/db")
  # An interrupted copy: the first half of a gzip stream of 2000 records.
  records "$T/all.jsonl" big 2000
  gzip -c "$T/all.jsonl" >"$T/full.gz"
  head -c $(($(stat -c %s "$T/full.gz") / 2)) "$T/full.gz" >"$T/part.jsonl.gz"
  index "$T/db" --rebuild "$T/part.jsonl.gz"
  assert_status 74
  assert_contains "$stderr" "$T/part.jsonl.gz"
  assert_contains "$stderr" "rebuild abandoned"
  assert_eq "$live" "$(readlink "$T/db")" "live generation"
  assert_eq 30 "$(doc_count "$T/db")" "documents"
  # An update run commits the records before the damage, names it and exits 1.
  index "$T/db" "$T/part.jsonl.gz"
  assert_status 1
  assert_contains "$stderr" "$T/part.jsonl.gz"
  [ "$(doc_count "$T/db")" -gt 30 ] || fail "the good records were not committed"
}

@test "11.2 an unreadable file: --rebuild is abandoned (exit 74) and names it" {
  mkdir -p "$T/src"
  records "$T/src/a.jsonl" a 20
  records "$T/src/b.jsonl" b 10
  index "$T/db" "$T/src"
  assert_status 0
  local live
  live=$(readlink "$T/db")
  unreadable_file "$T/src/c.jsonl"
  index "$T/db" --rebuild "$T/src"
  assert_status 74
  assert_contains "$stderr" "$T/src/c.jsonl"
  assert_contains "$stderr" "rebuild abandoned (1 file could not be read to its end: $T/src/c.jsonl"
  assert_eq "$live" "$(readlink "$T/db")" "live generation"
  assert_eq 30 "$(doc_count "$T/db")" "documents"
}

@test "11.2 an unreadable file: an update commits the good records, prunes nothing, exits 1" {
  mkdir -p "$T/src"
  records "$T/src/a.jsonl" a 20
  records "$T/src/b.jsonl" b 10
  index "$T/db" "$T/src"
  assert_status 0
  rm "$T/src/b.jsonl"
  records "$T/src/d.jsonl" d 5
  unreadable_file "$T/src/c.jsonl"
  index "$T/db" --prune --stats-json "$T/s.json" "$T/src"
  assert_status 1
  assert_contains "$stderr" "$T/src/c.jsonl"
  assert_contains "$stderr" "--prune: nothing removed"
  assert_contains "$output" "5 added, 0 updated, 20 unchanged, 0 removed"
  assert_eq 35 "$(doc_count "$T/db")" "documents (b's kept, d's added)"
  validate_stats "$T/s.json"
  jq -e '.incomplete_files == 1 and .exit_status == 1 and .not_pruned[0].reason == "input incomplete"' \
    "$T/s.json" >/dev/null || fail "unexpected stats: $(cat "$T/s.json")"
}

# ---------------------------------------------------------------- 11.3

@test "11.3 --prune with an empty directory SOURCE (an unmounted share) removes nothing, exit 66; --force does" {
  mkdir -p "$T/share" "$T/elsewhere"
  records "$T/share/a.jsonl" a 12
  index "$T/db" --prune "$T/share"
  assert_status 0
  mv "$T/share/a.jsonl" "$T/elsewhere/"
  index "$T/db" --prune "$T/share"
  assert_status 66
  assert_contains "$stderr" "$T/share: no file to index in this directory"
  assert_contains "$stderr" "not pruned"
  assert_contains "$output" "0 removed"
  assert_eq 12 "$(doc_count "$T/db")" "documents"
  # A --rebuild from it is abandoned before anything is built.
  local live
  live=$(readlink "$T/db")
  index "$T/db" --rebuild "$T/share"
  assert_status 66
  assert_contains "$stderr" "rebuild abandoned"
  assert_eq "$live" "$(readlink "$T/db")" "live generation"
  # Explicitly asked for: removed.
  index "$T/db" --prune --force "$T/share"
  assert_status 0
  assert_contains "$output" "12 removed"
  assert_eq 0 "$(doc_count "$T/db")" "documents"
  # --force means nothing without --prune.
  index "$T/db" --force "$T/share"
  assert_status 64
}

@test "11.3 --prune refuses a directory whose every indexed file is gone, exit 66; --force prunes it" {
  mkdir -p "$T/share"
  records "$T/share/a.jsonl" a 8
  index "$T/db" "$T/share"
  assert_status 0
  # The export was replaced by something that yields no record: the directory is not empty, but
  # nothing indexed from it is left.
  rm "$T/share/a.jsonl"
  printf '%s\n' '<html>503 Service Unavailable</html>' >"$T/share/b.jsonl"
  index "$T/db" --prune "$T/share"
  assert_status 66
  assert_contains "$stderr" "--prune $T/share: every file indexed from it is gone"
  assert_contains "$output" "0 removed"
  assert_eq 8 "$(doc_count "$T/db")" "documents"
  index "$T/db" --prune --force "$T/share"
  assert_status 65  # the one line is rejected: nothing indexed
  assert_contains "$output" "8 removed"
  assert_eq 0 "$(doc_count "$T/db")" "documents"
}

# ---------------------------------------------------------------- 11.6

@test "11.6 an id in two files: the later one is indexed, reported with both places, a rerun changes nothing" {
  records "$T/a.jsonl" a 5
  records "$T/b.jsonl" b 5
  # A correction in the later export: a-3 again, with new text, as b.jsonl's line 6.
  printf '%s\n' '{"id":"a-3","title":"a bulletin number 3 corrected","body":"The bulletin 3 about harbour cranes, corrected by the quokka desk."}' >>"$T/b.jsonl"
  index "$T/db" "$T/a.jsonl" "$T/b.jsonl"
  assert_status 0
  assert_contains "$stderr" "sitrep-index: warning: $T/a.jsonl:3: id a-3 is also at $T/b.jsonl:6; the later one is indexed"
  assert_eq 1 "$(grep -c 'is also at' <<<"$stderr")" "duplicate warnings"
  assert_contains "$output" "10 records read: 10 added, 0 updated, 0 unchanged"
  DB="$T/db"
  assert_eq "a-3" "$(ids quokka)" "the corrected version"
  local stories1 stories2
  stories1=$(search_json --limit 100 --no-collapse bulletin && jq -c '[.hits[] | [.id, .story]] | sort' <<<"$output")
  for round in 2 3; do
    index "$T/db" "$T/a.jsonl" "$T/b.jsonl"
    assert_status 0
    assert_contains "$output" "10 records read: 0 added, 0 updated, 10 unchanged, 0 removed"
    assert_contains "$stderr" "$T/a.jsonl:3: id a-3 is also at $T/b.jsonl:6"
  done
  stories2=$(search_json --limit 100 --no-collapse bulletin && jq -c '[.hits[] | [.id, .story]] | sort' <<<"$output")
  assert_eq "$stories1" "$stories2" "ids and story ids after two reruns"
  assert_eq "a-3" "$(ids quokka)" "the corrected version after reruns"
}

@test "11.6 an id twice in one file: the later line wins in a first build, an update and a --rebuild alike" {
  {
    printf '%s\n' '{"id":"dup","title":"Early bulletin","body":"The wombat version."}'
    printf '%s\n' '{"id":"other","title":"Other bulletin","body":"Nothing."}'
    printf '%s\n' '{"id":"dup","title":"Late bulletin","body":"The numbat version."}'
  } >"$T/d.jsonl"
  DB="$T/db"
  index "$T/db" "$T/d.jsonl"
  assert_status 0
  assert_contains "$stderr" "$T/d.jsonl:1: id dup is also at $T/d.jsonl:3; the later one is indexed"
  assert_eq "dup" "$(ids numbat)" "first build"
  assert_eq "" "$(ids wombat)" "first build: the earlier version"
  index "$T/db" "$T/d.jsonl"
  assert_status 0
  assert_contains "$output" "2 records read: 0 added, 0 updated, 2 unchanged"
  assert_eq "dup" "$(ids numbat)" "update"
  index "$T/db" --rebuild "$T/d.jsonl"
  assert_status 0
  assert_eq "dup" "$(ids numbat)" "rebuild"
  assert_eq "" "$(ids wombat)" "rebuild: the earlier version"
}

@test "11.6 duplicate ids on standard input: the first pass reads '-' too, the later line wins" {
  {
    printf '%s\n' '{"id":"s-1","title":"Stdin bulletin","body":"The gecko version."}'
    printf '%s\n' '{"id":"s-2","title":"Stdin bulletin two","body":"Nothing."}'
    printf '%s\n' '{"id":"s-1","title":"Stdin bulletin","body":"The axolotl version."}'
  } >"$T/in.jsonl"
  index "$T/db" - <"$T/in.jsonl"
  assert_status 0
  assert_contains "$stderr" "<stdin>:1: id s-1 is also at <stdin>:3; the later one is indexed"
  assert_contains "$output" "2 records read: 2 added"
  DB="$T/db"
  assert_eq "s-1" "$(ids axolotl)" "the later version"
  index "$T/db" - <"$T/in.jsonl"
  assert_status 0
  assert_contains "$output" "2 records read: 0 added, 0 updated, 2 unchanged"
}

# ---------------------------------------------------------------- 11.9

@test "11.9 a run that fails before indexing creates nothing" {
  index "$T/x.db" "$T/nothere.jsonl"
  assert_status 66
  assert_contains "$stderr" "$T/nothere.jsonl: no such file or directory"
  [ ! -e "$T/x.db" ] && [ ! -L "$T/x.db" ] || fail "x.db was created"
  [ ! -e "$T/x.db.d" ] || fail "x.db.d was created"
  # --db naming a regular file: a usage error, the file untouched, nothing beside it.
  records "$T/a.jsonl" a 2
  printf 'a,b\n' >"$T/f.csv"
  index "$T/f.csv" "$T/a.jsonl"
  assert_status 64
  assert_contains "$stderr" "sitrep-index: error: --db $T/f.csv is a file"
  assert_eq "a,b" "$(cat "$T/f.csv")" "the file"
  [ ! -e "$T/f.csv.d" ] || fail "f.csv.d was created"
  # A --rebuild with a missing SOURCE creates nothing either.
  index "$T/y.db" --rebuild "$T/a.jsonl" "$T/nothere.jsonl"
  assert_status 66
  [ ! -e "$T/y.db" ] && [ ! -e "$T/y.db.d" ] || fail "y.db was created"
}

# ---------------------------------------------------------------- 11.14

@test "11.14 --stats-json: times, schema, validates; a busy run keeps the last good counts under last_failure" {
  records "$T/a.jsonl" a 7
  index "$T/db" --stats-json "$T/s.json" "$T/a.jsonl"
  assert_status 0
  validate_stats "$T/s.json"
  jq -e '.schema_version == 1 and ."$schema" == "https://sitrep.example/schemas/index-stats.schema.json"
         and .added == 7 and .exit_status == 0 and (.started | test("^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))
         and .finished >= .started and (has("last_failure") | not)' "$T/s.json" >/dev/null ||
    fail "unexpected stats: $(cat "$T/s.json")"
  # Another indexer holds the database: it waits for its FIFO SOURCE's writer.
  mkfifo "$T/fifo"
  "$SITREP_INDEX" --db "$T/db" "$T/fifo" >"$T/holder.out" 2>"$T/holder.err" &
  local holder=$! i
  for i in $(seq 1 100); do
    readlink /proc/"$holder"/fd/* 2>/dev/null | grep -q 'lock$' && break
    sleep 0.1
  done
  index "$T/db" --stats-json "$T/s.json" "$T/a.jsonl"
  assert_status 75
  validate_stats "$T/s.json"
  jq -e '.added == 7 and .exit_status == 0 and .last_failure.exit_status == 75 and
         (.last_failure.error | contains("busy")) and (.last_failure.started | length) == 20' \
    "$T/s.json" >/dev/null || fail "unexpected stats after a busy run: $(cat "$T/s.json")"
  kill -TERM "$holder"
  wait "$holder" || true
  # The next good run replaces everything, last_failure included.
  index "$T/db" --stats-json "$T/s.json" "$T/a.jsonl"
  assert_status 0
  validate_stats "$T/s.json"
  jq -e '.unchanged == 7 and .added == 0 and (has("last_failure") | not)' "$T/s.json" >/dev/null ||
    fail "unexpected stats after a good run: $(cat "$T/s.json")"
}

@test "11.14 --stats-json that cannot be written (file size limit): the previous file stays, no temporary left" {
  records "$T/a.jsonl" a 3
  index "$T/db" --stats-json "$T/s.json" "$T/a.jsonl"
  assert_status 0
  cp "$T/s.json" "$T/before.json"
  # Writes past 1 KiB fail with EFBIG (SIGXFSZ ignored), as on a full disk; the run itself fails
  # before indexing (a missing SOURCE), so only the stats file is written.
  run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' _ \
    "$SITREP_INDEX" --db "$T/db" --stats-json "$T/s.json" "$T/nothere.jsonl"
  assert_status 66
  assert_contains "$stderr" "--stats-json: cannot write"
  cmp -s "$T/before.json" "$T/s.json" || fail "the previous stats changed: $(cat "$T/s.json")"
  assert_eq "" "$(find "$T" -maxdepth 1 -name 's.json?*' -print)" "temporary files"
}

# ---------------------------------------------------------------- 11.11

@test "11.11 one SIGTERM ends a run that waits for input on a FIFO: exit 143" {
  records "$T/a.jsonl" a 3
  index "$T/db" "$T/a.jsonl"
  mkfifo "$T/fifo"
  "$SITREP_INDEX" --db "$T/db" "$T/fifo" >"$T/out" 2>"$T/err" &
  local pid=$! i code=0
  exec 7>"$T/fifo"  # a writer that sends nothing
  printf '%s\n' '{"id":"f-1","title":"Fifo bulletin"}' >&7
  sleep 0.5
  kill -TERM "$pid"
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    exec 7>&-
    wait "$pid" || true
    fail "sitrep-index still runs 5 s after one SIGTERM"
  fi
  wait "$pid" || code=$?
  exec 7>&-
  assert_eq 143 "$code" "exit status"
  assert_contains "$(cat "$T/err")" "stopped by SIGTERM"
  assert_eq 3 "$(doc_count "$T/db")" "documents"
}

# ---------------------------------------------------------------- 11.17

@test "11.17 sitrep-index --version, error prefix, did you mean, SITREP_DB" {
  run --separate-stderr "$SITREP_INDEX" --version
  assert_status 0
  assert_contains "$output" "sitrep-index (sitrep) "
  assert_contains "$output" "Xapian 1.4"
  run --separate-stderr "$SITREP_INDEX" --db "$T/db" --prnue "$T/a.jsonl"
  assert_status 64
  assert_eq "sitrep-index: error: unknown option --prnue; did you mean --prune? (see --help)" "$stderr"
  run --separate-stderr "$SITREP_INDEX" --db "$T/db" --threads many "$T/a.jsonl"
  assert_status 64
  assert_contains "$stderr" "sitrep-index: error: "
  assert_eq "" "$(grep -v '^sitrep-index: error: ' <<<"$stderr" || true)" "lines without the prefix"
  run --separate-stderr "$SITREP_INDEX" stats
  assert_status 64
  assert_contains "$stderr" "sitrep-index: error: --db is required"
  # SITREP_DB is the default --db, for indexing and for stats.
  run "$SITREP_INDEX" --help
  assert_status 0
  assert_contains "$output" "SITREP_DB"
  records "$T/a.jsonl" a 4
  run --separate-stderr env SITREP_DB="$T/envdb" "$SITREP_INDEX" "$T/a.jsonl"
  assert_status 0
  assert_contains "$output" "4 added"
  run --separate-stderr env SITREP_DB="$T/envdb" "$SITREP_INDEX" stats --json
  assert_status 0
  assert_eq 4 "$(jq .documents <<<"$output")" "documents"
}

# ---------------------------------------------------------------- 11.18

@test "11.18 1000 bad lines: at most 20 error lines per file, one 'more not shown' line, every one counted" {
  {
    for i in $(seq 1 1000); do printf '{"id":"bad-%d", "title": \n' "$i"; done
    printf '%s\n' '{"id":"good-1","title":"Good bulletin"}' '{"id":"good-2","title":"Good bulletin"}'
  } >"$T/pretty.jsonl"
  index "$T/db" "$T/pretty.jsonl"
  assert_status 1
  local lines
  lines=$(wc -l <<<"$stderr")
  [ "$lines" -lt 30 ] || fail "$lines lines on stderr"
  assert_eq 20 "$(grep -c '(skipped)$' <<<"$stderr")" "errors shown"
  assert_contains "$stderr" "sitrep-index: error: $T/pretty.jsonl: 980 more errors not shown (first at line 21)"
  assert_eq 1000 "$(summary_field rejected "$output")" "rejected"
  assert_eq 2 "$(summary_field added "$output")" "added"
}
