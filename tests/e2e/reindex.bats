#!/usr/bin/env bats
# Reindexing from cron: incremental reruns, --delete/--prune, batches and kills (SIGKILL, SIGTERM,
# SIGINT), the write lock, --rebuild and --compact while searchers run, stats and --stats-json.

load helpers


setup_file() {
  require_tools
  command -v flock >/dev/null || fail "flock (util-linux) is not installed"
}

setup() {
  common_setup
}

# check_exact DB N: the database opens and searches, holds exactly N documents, every one with
# its own id, and they are the ids r-00001..r-N.
check_exact() {
  local db=$1 n=$2
  run --separate-stderr "$SITREP_SEARCH" --db "$db" --json --limit 0 bulletin
  [ "$status" -eq 0 ] || fail "search failed (exit $status): $stderr"
  printf '%s' "$output" | validate_json
  local docs ids expected
  docs=$(stats_field "$db" documents)
  assert_eq "$n" "$docs" "documents"
  # Q terms are unique ids: as many distinct ids as documents means no duplicates.
  ids=$(xapian-delve -a "$db" | tr ' ' '\n' | grep -c '^Qr-' || true)
  assert_eq "$n" "$ids" "distinct ids"
  expected=$(seq -f 'Qr-%05g' 1 "$n" | tr '\n' ' ')
  assert_eq "$expected" "$(xapian-delve -a "$db" | tr ' ' '\n' | grep '^Qr-' | sort | tr '\n' ' ')" \
    "the ids"
}

@test "a rerun over unchanged sources adds and updates nothing; a changed record is replaced" {
  archive "$T/a.jsonl" 300
  index "$T/db" "$T/a.jsonl"
  assert_status 0
  assert_eq 300 "$(summary_field added "$output")" "added"
  index "$T/db" "$T/a.jsonl"
  assert_status 0
  assert_contains "$output" "300 records read: 0 added, 0 updated, 300 unchanged, 0 removed, 0 rejected"
  # Revision 7 of every 50th record: exactly 6 replaced, the rest untouched.
  archive "$T/a.jsonl" 300 7 50
  index "$T/db" "$T/a.jsonl"
  assert_status 0
  assert_contains "$output" "300 records read: 0 added, 6 updated, 294 unchanged, 0 removed"
  DB="$T/db"
  search_json --limit 100 '"revision 7"'
  assert_eq "r-00050 r-00100 r-00150 r-00200 r-00250 r-00300" \
    "$(jq -r '[.hits[].id] | sort | join(" ")' <<<"$output")" "replaced records"
  check_exact "$T/db" 300
}

@test "--delete removes by id and reports ids that are not there" {
  archive "$T/a.jsonl" 20
  index "$T/db" "$T/a.jsonl"
  index "$T/db" --delete r-00003 r-00007 nosuchid
  assert_status 1
  assert_contains "$output" "0 records read: 0 added, 0 updated, 0 unchanged, 2 removed"
  assert_contains "$stderr" "--delete nosuchid: no document with this id"
  assert_eq 18 "$(stats_field "$T/db" documents)" "documents"
  DB="$T/db"
  assert_eq "" "$(ids 'id:r-00003 OR id:r-00007')" "deleted ids"
  index "$T/db" --delete r-00004
  assert_status 0
  assert_eq 17 "$(stats_field "$T/db" documents)" "documents"
}

@test "--prune removes the documents of files that are gone, and only with --prune" {
  mkdir -p "$T/src/sub"
  printf '%s\n' '{"id":"keep","title":"Kept bulletin"}' >"$T/src/keep.json"
  printf '%s\n' '{"id":"gone1","title":"Gone bulletin"}' '{"id":"gone2","title":"Gone too"}' \
    >"$T/src/sub/gone.jsonl"
  printf 'Text bulletin\nbody\n' >"$T/src/sub/note.txt"
  index "$T/db" "$T/src"
  assert_status 0
  assert_eq 4 "$(stats_field "$T/db" documents)" "documents"
  rm "$T/src/sub/gone.jsonl" "$T/src/sub/note.txt"
  index "$T/db" "$T/src"
  assert_status 0
  assert_eq 4 "$(stats_field "$T/db" documents)" "documents without --prune"
  # Given as a relative path with a trailing slash: the same directory.
  cd "$T"
  run --separate-stderr "$SITREP_INDEX" --db "$T/db" --prune src/
  assert_status 0
  assert_contains "$output" "1 unchanged, 3 removed"
  DB="$T/db"
  assert_eq "keep" "$(ids bulletin)" "what is left"
}

@test "SIGKILL at 24 moments of indexing: every rerun ends with exactly the records of the source" {
  local n=2500 i delay pid
  for i in $(seq 1 24); do
    # Each round changes some records and adds new ones, so the killed run has work to do; every
    # fourth round rebuilds, and rounds 1 and 13 start from nothing, to kill bulk builds and
    # switches too.
    n=$((n + 20))
    archive "$T/a.jsonl" "$n" "$i" $((2 + i % 5))
    local extra=()
    [ $((i % 4)) -ne 0 ] || extra=(--rebuild)
    [ "$i" -eq 1 ] || [ "$i" -eq 13 ] && rm -rf "$T/db" "$T/db.d"
    delay=$(printf '0.%02d' $(((i * 37) % 90 + 5)))
    "$SITREP_INDEX" --db "$T/db" --commit-every 150 "${extra[@]}" "$T/a.jsonl" \
      >"$T/killed.out" 2>"$T/killed.err" &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    # Whatever the moment, the database opens and searches (it may be empty if the very first
    # build was killed).
    if [ -e "$T/db" ]; then
      run --separate-stderr "$SITREP_SEARCH" --db "$T/db" --json --limit 0 bulletin
      [ "$status" -eq 0 ] || fail "round $i: search after kill at ${delay}s failed: $stderr"
    fi
    index "$T/db" --commit-every 150 "$T/a.jsonl"
    [ "$status" -eq 0 ] || fail "round $i: rerun exited $status: $stderr"
    check_exact "$T/db" "$n"
    # Nothing left behind by the killed run but the live generation and the lock.
    assert_eq "1" "$(find "$T/db.d" -mindepth 1 -maxdepth 1 -name 'gen-*' | wc -l)" \
      "round $i: generations"
    assert_eq "0" "$(find "$T/db.d" -mindepth 1 -maxdepth 1 -name 'build-*' | wc -l)" \
      "round $i: build directories"
    # The rerun left the facet column of the revision it committed last, and only that one.
    assert_eq "true" "$(stats_field "$T/db" facet_column)" "round $i: facet column"
    assert_eq "1" "$(find -L "$T/db" -maxdepth 1 -name 'facets-*.col' | wc -l)" \
      "round $i: facet column files"
  done
  # And the last revision of every changed record is what is stored.
  DB="$T/db"
  search_json --limit 1000 '"revision 24"'
  assert_eq "$((n / 6))" "$(jq -r '.hits | length' <<<"$output")" "records at revision 24"
}

@test "SIGTERM and SIGINT commit what was done and exit 143 and 130; a rerun finishes" {
  local sig code
  archive "$T/base.jsonl" 30
  archive "$T/a.jsonl" 40000
  for sig in TERM INT; do
    code=$([ "$sig" = TERM ] && echo 143 || echo 130)
    rm -rf "$T/db" "$T/db.d"
    # A first batch indexed normally, so that the database is in update mode.
    index "$T/db" "$T/base.jsonl"
    "$SITREP_INDEX" --db "$T/db" --commit-every 500 --stats-json "$T/stats.json" "$T/a.jsonl" \
      >"$T/out" 2>"$T/err" &
    local pid=$!
    sleep 0.4
    kill -"$sig" "$pid"
    local rc=0
    wait "$pid" || rc=$?
    assert_eq "$code" "$rc" "exit status after SIG$sig"
    assert_contains "$(cat "$T/err")" "stopped by SIG$sig"
    # Everything written before the signal is committed: the base plus what the summary says.
    local added
    added=$(summary_field added "$(cat "$T/out")")
    [ "$added" -lt 39970 ] || fail "the run finished before SIG$sig arrived"
    assert_eq "$((30 + added))" "$(stats_field "$T/db" documents)" "documents after SIG$sig"
    # A stopped run is not a run that committed everything: it records itself under
    # last_failure (issue 11, case 14), with what it did.
    assert_eq true "$(jq -r .last_failure.interrupted "$T/stats.json")" "stats-json interrupted"
    assert_eq "$code" "$(jq -r .last_failure.exit_status "$T/stats.json")" "stats-json exit_status"
    assert_eq "$added" "$(jq -r .last_failure.added "$T/stats.json")" "stats-json added"
    index "$T/db" "$T/a.jsonl"
    assert_status 0
    check_exact "$T/db" 40000
  done
}

@test "two indexers started together: one writes, the other exits 75 saying the database is busy" {
  archive "$T/a.jsonl" 3000
  archive "$T/b.jsonl" 3000 1 2
  "$SITREP_INDEX" --db "$T/db" "$T/a.jsonl" >"$T/1.out" 2>"$T/1.err" &
  local p1=$!
  "$SITREP_INDEX" --db "$T/db" "$T/b.jsonl" >"$T/2.out" 2>"$T/2.err" &
  local p2=$!
  local r1=0 r2=0
  wait "$p1" || r1=$?
  wait "$p2" || r2=$?
  local statuses
  statuses=$(printf '%s\n' "$r1" "$r2" | sort -n | tr '\n' ' ')
  assert_eq "0 75 " "$statuses" "exit statuses of the two indexers"
  local loser_err
  loser_err=$([ "$r1" -eq 75 ] && cat "$T/1.err" || cat "$T/2.err")
  assert_contains "$loser_err" "is busy: another sitrep-index is writing to it"
  check_exact "$T/db" 3000
}

@test "--wait: a second indexer waits for the first and then writes" {
  archive "$T/a.jsonl" 10
  index "$T/db" "$T/a.jsonl"
  mkfifo "$T/fifo"
  "$SITREP_INDEX" --db "$T/db" - <"$T/fifo" >"$T/first.out" 2>"$T/first.err" &
  local first=$!
  exec 7>"$T/fifo"
  sleep 0.5
  archive "$T/b.jsonl" 12
  # 7>&-: the second must not hold the fifo open, or the first never sees its end.
  "$SITREP_INDEX" --db "$T/db" --wait 30 "$T/b.jsonl" >"$T/second.out" 2>"$T/second.err" 7>&- &
  local second=$!
  sleep 1
  # Still waiting while the first holds the lock.
  kill -0 "$second" || fail "the second indexer did not wait: $(cat "$T/second.err")"
  exec 7>&-
  local r1=0 r2=0
  wait "$first" || r1=$?
  wait "$second" || r2=$?
  assert_eq "0 0" "$r1 $r2" "exit statuses"
  # b.jsonl is another file: its first ten records move to it (updated), two are new.
  assert_contains "$(cat "$T/second.out")" "12 records read: 2 added, 10 updated, 0 unchanged"
}

@test "searchers in a loop never fail and never see zero documents during indexing, --rebuild and --compact" {
  archive "$T/a.jsonl" 2000
  index "$T/db" "$T/a.jsonl"
  assert_status 0
  : >"$T/searches"
  (
    while [ ! -e "$T/stop" ]; do
      rc=0
      out=$("$SITREP_SEARCH" --db "$T/db" --json --limit 1 bulletin 2>&1) || rc=$?
      echo "$rc $(jq -r '.total.articles.estimate // "none"' <<<"$out" 2>/dev/null || echo bad)" >>"$T/searches"
    done
  ) &
  local loop=$!
  archive "$T/a.jsonl" 2500 1 3
  "$SITREP_INDEX" --db "$T/db" --commit-every 100 "$T/a.jsonl" >/dev/null
  "$SITREP_INDEX" --db "$T/db" --rebuild "$T/a.jsonl" >/dev/null
  archive "$T/a.jsonl" 2500 2 4
  "$SITREP_INDEX" --db "$T/db" --rebuild "$T/a.jsonl" >/dev/null
  "$SITREP_INDEX" --db "$T/db" --compact >/dev/null
  touch "$T/stop"
  wait "$loop"
  local total bad
  total=$(wc -l <"$T/searches")
  [ "$total" -ge 10 ] || fail "only $total searches ran"
  bad=$(grep -v -E '^0 (2000|2[0-9]{3})$' "$T/searches" | head -n 5 || true)
  assert_eq "" "$bad" "searches that failed or saw a wrong count (of $total)"
  check_exact "$T/db" 2500
}

@test "a failed --rebuild leaves the live database untouched" {
  archive "$T/a.jsonl" 40
  index "$T/db" "$T/a.jsonl"
  local live
  live=$(readlink "$T/db")
  index "$T/db" --rebuild "$T/a.jsonl" "$T/missing.jsonl"
  assert_status 66
  assert_contains "$stderr" "rebuild abandoned"
  assert_eq "$live" "$(readlink "$T/db")" "live generation"
  assert_eq 40 "$(stats_field "$T/db" documents)" "documents"
  # A rebuild killed half-way changes nothing either: it reads a fifo that is held open, so it is
  # surely still running when killed.
  archive "$T/big.jsonl" 4000
  mkfifo "$T/fifo"
  "$SITREP_INDEX" --db "$T/db" --rebuild "$T/fifo" >/dev/null 2>&1 &
  local pid=$!
  exec 7>"$T/fifo"
  head -n 100 "$T/big.jsonl" >&7
  sleep 0.5
  kill -KILL "$pid"
  wait "$pid" || true
  exec 7>&-
  assert_eq "$live" "$(readlink "$T/db")" "live generation after a killed rebuild"
  check_exact "$T/db" 40
  # A rebuild that succeeds switches, and removes the old generation.
  index "$T/db" --rebuild "$T/big.jsonl"
  assert_status 0
  [ "$(readlink "$T/db")" != "$live" ] || fail "the rebuild did not switch"
  [ ! -e "$T/$live" ] || fail "the old generation $live was not removed"
  check_exact "$T/db" 4000
}

@test "the summary line and --stats-json agree; stats reports the database" {
  archive "$T/a.jsonl" 25
  printf '%s\n' 'not json' >>"$T/a.jsonl"
  index "$T/db" --stats-json "$T/s.json" "$T/a.jsonl"
  assert_status 1
  # "read" counts the records that parsed; the bad line is counted as rejected.
  assert_contains "$output" "25 records read: 25 added, 0 updated, 0 unchanged, 0 removed, 1 rejected, 0 warnings"
  # Exactly one line on stdout when not on a terminal.
  assert_eq 1 "$(printf '%s\n' "$output" | wc -l)" "stdout lines"
  jq -e '.added == 25 and .updated == 0 and .unchanged == 0 and .removed == 0 and
         .rejected == 1 and .exit_status == 1 and .interrupted == false and .mode == "bulk"' \
    "$T/s.json" >/dev/null || fail "unexpected stats JSON: $(cat "$T/s.json")"
  index "$T/db" --stats-json "$T/s.json" "$T/a.jsonl"
  jq -e '.unchanged == 25 and .added == 0 and .mode == "update"' "$T/s.json" >/dev/null ||
    fail "unexpected stats JSON: $(cat "$T/s.json")"
  # A busy database is reported in the stats file too.
  exec 8>"$T/db.d/lock"
  flock -n 8
  index "$T/db" --stats-json "$T/s.json" "$T/a.jsonl"
  exec 8>&-
  assert_status 75
  # ... under last_failure, leaving the counts of the last run that committed (issue 11, case 14).
  jq -e '.last_failure.exit_status == 75 and (.last_failure.error | contains("busy")) and
         .exit_status == 1 and .unchanged == 25' "$T/s.json" >/dev/null ||
    fail "unexpected stats JSON: $(cat "$T/s.json")"

  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db" --json
  assert_status 0
  # The version the sources define (fields.hpp), so a schema bump needs no edit here.
  local version
  version=$(sed -n 's/.*int kSchemaVersion = \([0-9]*\);.*/\1/p' \
    "$SITREP_ROOT/common/include/sitrep/schema/fields.hpp")
  [ -n "$version" ] || fail "no kSchemaVersion in fields.hpp"
  jq -e --arg v "$version" '.documents == 25 and .schema_version == $v and .languages.en == 25 and
         .sources.harbourwire > 0 and .undated == 0 and .size_bytes > 0 and
         .facet_column == true and (.last_update | test("^20[0-9]{2}-"))' <<<"$output" \
    >/dev/null || fail "unexpected stats: $output"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db"
  assert_status 0
  assert_contains "$output" "documents       25"
  assert_contains "$output" "facet column    yes"
  # Without its facet column (as after a killed update run) stats says so; the next run writes it.
  rm "$T"/db/facets-*.col
  assert_eq "false" "$(stats_field "$T/db" facet_column)" "facet column removed"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db"
  assert_contains "$output" "facet column    no"
  index "$T/db" "$T/a.jsonl"
  assert_status 1  # the archive's bad line, rejected again
  assert_eq "true" "$(stats_field "$T/db" facet_column)" "facet column after a rerun"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/nothere"
  assert_status 66
}

@test "scripts/cron/sitrep-reindex: silent on success, logs, mails the tail on failure" {
  local cron="$SITREP_ROOT/scripts/cron/sitrep-reindex"
  mkdir -p "$T/src"
  archive "$T/src/a.jsonl" 50
  cat >"$T/reindex.conf" <<CONF
SITREP_DB=$T/db
SITREP_SOURCES=$T/src
SITREP_INDEX=$SITREP_INDEX
SITREP_LOG=$T/log/reindex.log
SITREP_WAIT=0
CONF
  run --separate-stderr "$cron" -c "$T/reindex.conf"
  assert_status 0
  assert_eq "" "$output" "stdout"
  assert_eq "" "$stderr" "stderr"
  assert_contains "$(cat "$T/log/reindex.log")" "50 records read: 50 added"
  jq -e '.added == 50' "$T/log/reindex-stats.json" >/dev/null || fail "stats: $(cat "$T/log/reindex-stats.json")"
  # The file is gone: --prune (on by default) removes its documents.
  rm "$T/src/a.jsonl"
  archive "$T/src/b.jsonl" 5
  run --separate-stderr "$cron" -c "$T/reindex.conf"
  assert_status 0
  assert_eq 5 "$(stats_field "$T/db" documents)" "documents after the file changed"
  # Busy: exit 75, and the reason on stderr for cron's mail.
  exec 8>"$T/db.d/lock"
  flock -n 8
  run --separate-stderr "$cron" -c "$T/reindex.conf"
  exec 8>&-
  assert_status 75
  assert_contains "$stderr" "sitrep-index exited 75"
  assert_contains "$stderr" "is busy"
  # A missing setting is a usage error.
  run --separate-stderr env -u SITREP_DB "$cron"
  assert_status 64
}

@test "a facet column that cannot be written: warning, exit 1, documents committed, searches work" {
  archive "$T/a.jsonl" 30
  index "$T/db" "$T/a.jsonl"
  assert_status 0
  # Block the column of the next few revisions: a non-empty directory where the file would go.
  local rev i
  rev=$(find -L "$T/db" -maxdepth 1 -name 'facets-*.col' | sed 's/.*facets-\([0-9]*\)\.col/\1/')
  [ -n "$rev" ] || fail "no facet column after the first run"
  for i in $(seq 1 20); do
    mkdir -p "$T/db/facets-$((rev + i)).col/x"
  done
  archive "$T/a.jsonl" 40  # the same 30 records and 10 more
  index "$T/db" "$T/a.jsonl"
  assert_status 1
  assert_contains "$stderr" "warning: cannot write"
  assert_contains "$stderr" "the documents are committed"
  assert_contains "$output" "10 added, 0 updated, 30 unchanged"
  assert_contains "$output" "1 warnings"
  assert_eq "false" "$(stats_field "$T/db" facet_column)" "facet column"
  DB="$T/db"
  search_json --facets --limit 0 bulletin
  assert_eq "40 true" "$(jq -r '"\(.total.articles.estimate) \(.total.articles.exact)"' <<<"$output")" \
    "faceted total"
}
