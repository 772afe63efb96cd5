#!/usr/bin/env bats
# Every error path of sitrep-index and sitrep-search, with its exit status and message.

load helpers

setup_file() {
  index_sample_once
}

setup() {
  common_setup
}

# search_err STATUS CODE ARGS...: runs sitrep-search --json ARGS (on $DB unless ARGS has --db
# first), requires exit STATUS, a schema-valid error object with error.code CODE and
# error.exit_status STATUS on stdout, and the message on stderr.
search_err() {
  local want_status=$1 want_code=$2
  shift 2
  run --separate-stderr "$SITREP_SEARCH" --json "$@"
  assert_status "$want_status"
  printf '%s' "$output" | validate_json
  assert_eq "$want_code" "$(jq -r .error.code <<<"$output")" "error.code"
  assert_eq "$want_status" "$(jq -r .error.exit_status <<<"$output")" "error.exit_status"
  assert_eq 1 "$(wc -l <<<"$output")" "lines on stdout"
  assert_eq 1 "$(wc -l <<<"$stderr")" "lines on stderr"
  assert_eq "sitrep-search: error: $(jq -r .error.message <<<"$output")" \
    "$stderr" "stderr"
}

# A JSONL fixture with one good record between each kind of bad one.
write_mixed() {
  {
    printf '%s\n' '{"id":"good-1","title":"Alpha zebrafinch","body":"first good record"}'
    printf '%s\n' '{"id":"bad-json", "title": '
    printf '%s\n' '{"id":"no-text","source":"Nowhere Wire"}'
    printf '%s\n' '{"id":"wrong-type","title":42,"body":"the title is a number"}'
    printf '%s\n' '{"id":"good-2","title":"Beta zebrafinch","body":"second good record"}'
    printf '{"id":"bad-utf8","title":"caf\xe9 latte","body":"Latin-1 byte"}\n'
    printf '%s\n' '' '   '
    printf '%s\n' '{"id":"good-3","body":"third good zebrafinch record"}'
  } >"$1"
}

# ---------------------------------------------------------------- sitrep-index

@test "index: bad records are named with file:line, skipped, the good ones indexed, exit 1" {
  write_mixed "$T/mixed.jsonl"
  index "$T/db" "$T/mixed.jsonl"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: $T/mixed.jsonl:2: malformed JSON"
  assert_contains "$stderr" "sitrep-index: error: $T/mixed.jsonl:3: record has no text"
  assert_contains "$stderr" "sitrep-index: error: $T/mixed.jsonl:4: field \"title\" must be a string, not number"
  assert_contains "$stderr" "sitrep-index: error: $T/mixed.jsonl:6: invalid UTF-8"
  # Blank lines are not records and not errors; nothing else is reported.
  assert_eq 4 "$(grep -c '(skipped)$' <<<"$stderr")" "rejections on stderr"
  assert_eq "" "$(grep -v '^sitrep-index: ' <<<"$stderr" || true)" "stderr lines that are not diagnostics"
  assert_eq 3 "$(summary_field 'records read' "$output")" "records read"
  assert_eq 3 "$(summary_field added "$output")" "added"
  assert_eq 4 "$(summary_field rejected "$output")" "rejected"
  assert_eq 3 "$(doc_count "$T/db")" "documents"
  DB="$T/db" search_json zebrafinch
  assert_eq "good-1 good-2 good-3" "$(jq -r '[.hits[].id] | sort | join(" ")' <<<"$output")" "indexed ids"
}

@test "index: every field of the wrong type is rejected" {
  local rec
  for rec in '{"title":"t","body":7}' '{"title":"t","source":["a"]}' '{"title":"t","url":1}' \
    '{"title":"t","language":3}' '{"title":"t","published":true}' '{"title":{"x":1}}' \
    '[1,2]' '"just a string"'; do
    printf '%s\n' '{"id":"ok","title":"fine"}' "$rec" >"$T/in.jsonl"
    index "$T/db-$RANDOM$RANDOM" "$T/in.jsonl"
    assert_status 1
    assert_contains "$stderr" "$T/in.jsonl:2: " "stderr for $rec"
    assert_contains "$stderr" "(skipped)" "stderr for $rec"
    assert_eq 1 "$(summary_field rejected "$output")" "rejected for $rec"
  done
}

@test "index: a warning (unparseable date, unknown language) keeps the record and exit 0" {
  printf '%s\n' '{"id":"w1","title":"Dateless dugong","published":"yesterday","language":"klingon"}' >"$T/w.jsonl"
  index "$T/db" "$T/w.jsonl"
  assert_status 0
  assert_contains "$stderr" "sitrep-index: warning: $T/w.jsonl:1: "
  assert_contains "$stderr" 'unparseable "published" "yesterday", indexed without a date'
  assert_contains "$stderr" 'unknown language "klingon"'
  assert_not_contains "$stderr" "error" "stderr of a run with warnings only"
  assert_eq 1 "$(summary_field added "$output")" "added"
  [ "$(summary_field warnings "$output")" -ge 1 ] || fail "warnings not counted: $output"
  DB="$T/db" search_json dugong
  assert_eq "w1 null" "$(jq -r '.hits[] | "\(.id) \(.published)"' <<<"$output")"
}

@test "index: a file where every record is bad exits 65" {
  printf '%s\n' '{"broken' '{"id":"x"}' '{"title":1}' >"$T/allbad.jsonl"
  index "$T/db" "$T/allbad.jsonl"
  assert_status 65
  assert_eq 0 "$(summary_field 'records read' "$output")" "records read"
  assert_eq 3 "$(summary_field rejected "$output")" "rejected"
  assert_contains "$stderr" "$T/allbad.jsonl:1: malformed JSON"
  assert_contains "$stderr" "$T/allbad.jsonl:2: record has no text"
  assert_contains "$stderr" "$T/allbad.jsonl:3: field \"title\" must be a string"
}

@test "index: a malformed .json file in a directory is named and skipped" {
  mkdir -p "$T/dir"
  printf '%s\n' '{"title":' >"$T/dir/bad.json"
  printf '%s\n' '{"id":"dir-ok","title":"Fine"}' >"$T/dir/ok.json"
  index "$T/db" "$T/dir"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: $T/dir/bad.json: malformed JSON"
  assert_eq 1 "$(doc_count "$T/db")" "documents"
}

@test "index: a missing source exits 66" {
  index "$T/db" "$T/nothere.jsonl"
  assert_status 66
  assert_contains "$stderr" "sitrep-index: error: $T/nothere.jsonl: no such file or directory"
}

@test "index: a missing source among good ones: the others are indexed, exit 1" {
  printf '%s\n' '{"id":"present","title":"Present record"}' >"$T/ok.jsonl"
  index "$T/db" "$T/nothere.jsonl" "$T/ok.jsonl" "$T/alsomissing"
  assert_status 1
  assert_contains "$stderr" "$T/nothere.jsonl: no such file or directory"
  assert_contains "$stderr" "$T/alsomissing: no such file or directory"
  assert_eq 1 "$(summary_field added "$output")" "added"
  assert_eq 1 "$(doc_count "$T/db")" "documents"
}

@test "index: unknown option, missing --db or SOURCE, bad --threads exit 64" {
  printf '%s\n' '{"id":"x","title":"x"}' >"$T/ok.jsonl"
  run "$SITREP_INDEX" --db "$T/db" --frobnicate "$T/ok.jsonl"
  assert_status 64
  run "$SITREP_INDEX" "$T/ok.jsonl"
  assert_status 64
  run "$SITREP_INDEX" --db "$T/db"
  assert_status 64
  run "$SITREP_INDEX" --db "$T/db" --threads 9999 "$T/ok.jsonl"
  assert_status 64
  run "$SITREP_INDEX" --db "$T/db" --threads many "$T/ok.jsonl"
  assert_status 64
  [ ! -e "$T/db" ] || fail "a usage error must not create the database"
  run "$SITREP_INDEX" --help
  assert_status 0
  assert_contains "$output" "75  the database is busy"
}

@test "index: a second writer while another holds the lock exits 75" {
  mkfifo "$T/fifo"
  # The first indexer opens (and locks) the database, then blocks reading stdin from the fifo.
  "$SITREP_INDEX" --db "$T/db" - <"$T/fifo" >"$T/first.out" 2>"$T/first.err" &
  local first=$!
  exec 7>"$T/fifo"
  local i held=0
  for i in $(seq 1 100); do
    # sitrep-index holds an flock on DB.d/lock while it runs (flock -n fails while it is held).
    if [ -e "$T/db.d/lock" ] && ! flock -n "$T/db.d/lock" true; then
      held=1
      break
    fi
    sleep 0.1
  done
  if [ "$held" -ne 1 ]; then
    exec 7>&-
    wait "$first" || true
    fail "the first indexer never took the write lock"
  fi
  printf '%s\n' '{"id":"second","title":"Second writer"}' >"$T/second.jsonl"
  run --separate-stderr "$SITREP_INDEX" --db "$T/db" "$T/second.jsonl"
  local second_status=$status second_err=$stderr
  # Let the first one finish before asserting, so no process outlives the test.
  printf '%s\n' '{"id":"first","title":"First writer"}' >&7
  exec 7>&-
  local first_status=0
  wait "$first" || first_status=$?
  status=$second_status stderr=$second_err
  assert_status 75
  assert_contains "$stderr" "is busy: another sitrep-index is writing to it"
  assert_eq 0 "$first_status" "exit status of the first indexer"
  assert_eq 1 "$(doc_count "$T/db")" "documents"
  DB="$T/db" search_json 'id:first OR id:second'
  assert_eq "first" "$(jq -r '[.hits[].id] | join(" ")' <<<"$output")" "the second writer wrote nothing"
}

@test "index: a database of a foreign schema version exits 78" {
  printf '%s\n' '{"id":"x","title":"Xylophone"}' >"$T/ok.jsonl"
  index "$T/db" "$T/ok.jsonl"
  assert_status 0
  xapian-metadata set "$T/db" sitrep.schema_version 999
  index "$T/db" "$T/ok.jsonl"
  assert_status 78
  assert_contains "$stderr" "schema version 999"
}

# ---------------------------------------------------------------- sitrep-search

@test "search: a missing database exits 66, with a JSON error under --json" {
  search_err 66 db_missing --db "$T/nothere" grain
  assert_contains "$output" "$T/nothere"
  # Without --json: nothing on stdout, the message on stderr.
  run --separate-stderr "$SITREP_SEARCH" --db "$T/nothere" grain
  assert_status 66
  assert_eq "" "$output" "stdout"
  assert_contains "$stderr" "sitrep-search: error: no sitrep database at $T/nothere"
}

@test "search: a directory that is not a database exits 66" {
  mkdir -p "$T/plain"
  : >"$T/plain/readme"
  search_err 66 db_missing --db "$T/plain" grain
}

@test "search: a database with a foreign schema version exits 78" {
  printf '%s\n' '{"id":"x","title":"Xylophone"}' >"$T/ok.jsonl"
  run "$SITREP_INDEX" --db "$T/db" "$T/ok.jsonl"
  assert_status 0
  xapian-metadata set "$T/db" sitrep.schema_version 999
  search_err 78 schema_mismatch --db "$T/db" xylophone
  assert_contains "$output" "schema version 999"
}

@test "search: a plain Xapian database (not built by sitrep) exits 78" {
  command -v scriptindex >/dev/null || skip "scriptindex (xapian-omega) is needed to build a foreign database"
  printf 'text : index\n' >"$T/script"
  printf 'text=grain elevators\n\ntext=more grain\n' >"$T/docs"
  run scriptindex "$T/foreign" "$T/script" "$T/docs"
  assert_status 0
  [ "$(doc_count "$T/foreign")" -eq 2 ] || fail "scriptindex did not build 2 documents"
  search_err 78 schema_mismatch --db "$T/foreign" grain
  assert_contains "$output" "not a sitrep database"
}

@test "search: bad query syntax exits 65 with code query_syntax" {
  search_err 65 query_syntax --db "$DB" 'date:2025-13-45'
  assert_contains "$output" "date:2025-13-45"
  search_err 65 query_syntax --db "$DB" 'date:2025-02-30..2025-03-01'
  search_err 65 query_syntax --db "$DB" '!!! ??? ...'
  search_err 65 query_syntax --db "$DB" '"'
  search_err 65 query_syntax --db "$DB" "$(printf 'grain \xff\xfe')"
  assert_contains "$output" "UTF-8"
  # Longer than 4096 bytes: a limit, not a syntax error; the same exit status.
  search_err 65 limit_exceeded --db "$DB" "$(printf 'grain%.0s ' $(seq 1 1000))"
  assert_contains "$output" "4096"
  # Without --json the same status, and stdout stays empty.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" 'date:2025-13-45'
  assert_status 65
  assert_eq "" "$output" "stdout"
}

@test "search: bad options exit 64 with code usage" {
  search_err 64 usage --db "$DB" --limit -1 grain
  search_err 64 usage --db "$DB" --limit ten grain
  search_err 64 usage --db "$DB" --offset -1 grain
  search_err 64 usage --db "$DB" --timeout-ms 0 grain
  search_err 64 usage --db "$DB" --timeout-ms soon grain
  search_err 64 usage --db "$DB" --sort bogus grain
  search_err 64 usage --db "$DB" --frobnicate grain
  search_err 64 usage --db "$DB" --since 2025-13-01 grain
  search_err 64 usage --db "$DB" --until yesterday grain
  # No --db, a query word starting with '-' before '--' (no query at all is a match-all: searcher.bats).
  search_err 64 usage grain
  search_err 64 usage --db "$DB" -grain
  assert_contains "$output" "after '--'"
  # --timeline-max: 2 to 1000, with a timeline; --count takes no facets; --get no query.
  search_err 64 usage --db "$DB" --timeline month --timeline-max 1 grain
  search_err 64 usage --db "$DB" --timeline-max 10 grain
  search_err 64 usage --db "$DB" --count --facets=person -- grain
  search_err 64 usage --db "$DB" --get blackseacourier-2022-0722 grain
  search_err 64 usage --db "$DB" --get ''
  search_err 64 usage --db "$DB" --get blackseacourier-2022-0722 --explain blackseacourier-2022-0722
  # The boundaries themselves are accepted.
  search_json --limit 1000 --offset 100000 grain
  search_json --limit 0 grain
}

@test "search: options over their maximum exit 65 with code limit_exceeded" {
  search_err 65 limit_exceeded --db "$DB" --limit 5000 grain
  assert_contains "$output" "--limit must be between 0 and 1000"
  search_err 65 limit_exceeded --db "$DB" --limit 1001 grain
  search_err 65 limit_exceeded --db "$DB" --timeline month --timeline-max 1001 grain
  search_err 65 limit_exceeded --db "$DB" --offset 200000 grain
  search_err 65 limit_exceeded --db "$DB" --facet-limit 1001 --facets -- grain
  search_err 65 limit_exceeded --db "$DB" --timeout-ms 60001 grain
  search_err 65 limit_exceeded --db "$DB" -- 'a* b* c* d* e* f* g* h* i*'
  assert_contains "$output" "wildcards"
  search_json --timeout-ms 60000 grain
}

@test "search: a search past --timeout-ms exits 75 with code timeout" {
  # 1 ms is shorter than any search with facets over every match takes: the deadline is checked
  # before the hits are made, so this never returns a result.
  search_err 75 timeout --db "$DB" --timeout-ms 1 --facets=default -- grain OR the OR a
  assert_contains "$output" "time limit"
}

@test "search: usage errors without --json print nothing on stdout" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit -5 grain
  assert_status 64
  assert_eq "" "$output" "stdout"
  assert_contains "$stderr" "--limit must be between 0 and 1000"
  run "$SITREP_SEARCH" --help
  assert_status 0
  assert_contains "$output" "78  the database was built by an incompatible sitrep version"
}

@test "search: an empty database (created, never filled) is searchable with zero hits" {
  # A run over an empty file creates the database but adds nothing. (A run whose only source is
  # missing creates nothing: issue 11, case 9.)
  : >"$T/empty.jsonl"
  run "$SITREP_INDEX" --db "$T/empty" "$T/empty.jsonl"
  assert_status 0
  [ -d "$T/empty" ] || fail "sitrep-index did not create a database for an empty SOURCE"
  DB="$T/empty" search_json grain
  assert_eq 0 "$(jq .documents <<<"$output")" "documents"
  assert_eq 0 "$(jq '.hits | length' <<<"$output")" "hits"
}
