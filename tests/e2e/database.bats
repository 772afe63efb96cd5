#!/usr/bin/env bats
# The database on disk (issue 11): the lock of an aliased database, resuming a killed first build,
# old generations renamed before removal, nothing left by a failed run, damaged and dangling
# databases, a failed --compact, --prune of a vanished source, and sitrep-index backup.

load helpers


setup_file() {
  require_tools
  command -v flock >/dev/null || fail "flock (util-linux) is not installed"
}

setup() {
  common_setup
}

teardown() {
  # A writer still blocked on a fifo of a failed test must not outlive it.
  if [ -n "${BG_PID:-}" ]; then
    kill -KILL "$BG_PID" 2>/dev/null || true
    wait "$BG_PID" 2>/dev/null || true
  fi
  validate_deferred
}

# ids_in DB: the sorted ids of every document, one line.
ids_in() {
  xapian-delve -a "$1" | tr ' ' '\n' | grep '^Qr-' | sed 's/^Q//' | sort | tr '\n' ' '
}

# wait_for_lock DBD: waits until a writer holds DBD/lock (flock -n fails while it is held).
wait_for_lock() {
  local i
  for i in $(seq 1 300); do
    if [ -e "$1/lock" ] && ! flock -n "$1/lock" true; then return 0; fi
    sleep 0.1
  done
  fail "no writer took the lock $1/lock: $(cat "$T/bg.err" 2>/dev/null)" "$(ls -la "$1" 2>&1)"
}

# start_fifo_writer FIFO ARGS...: starts sitrep-index ARGS - (standard input, so no prescan)
# reading FIFO in the background (BG_PID) and opens the fifo for writing on fd 7, so the writer
# runs until fd 7 is closed. It waits for the lock: wait_for_lock's probe takes it for an instant.
start_fifo_writer() {
  local fifo=$1
  shift
  mkfifo "$fifo"
  "$SITREP_INDEX" --wait 30 "$@" - <"$fifo" >"$T/bg.out" 2>"$T/bg.err" &
  BG_PID=$!
  exec 7>"$fifo"
}

# start_writer INPUT ARGS...: starts sitrep-index ARGS - <INPUT in the background (BG_PID). Every SOURCE is read
# in full by the first pass before anything is indexed (a pipe too: it is spooled), so a kill
# during a build is timed by polling the committed shards, not by feeding a pipe.
start_writer() {
  local input=$1
  shift
  "$SITREP_INDEX" "$@" - <"$input" >"$T/bg.out" 2>"$T/bg.err" &
  BG_PID=$!
}

# slow FILE: lengthens every body of an archive (the same way each time), so that a build of it
# takes long enough to be killed half-way on a fast machine.
slow() {
  jq -c '.body += (" Shelling near the grain terminal resumed overnight, officials said." * 60)' \
    "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

# kill_writer: SIGKILLs BG_PID; fails when it had already ended (the kill timed nothing).
kill_writer() {
  kill -KILL "$BG_PID" 2>/dev/null || fail "the build ended before it could be killed: $(cat "$T/bg.out")"
  wait "$BG_PID" || true
  BG_PID=
}

finish_fifo_writer() {
  exec 7>&-
  local rc=0
  wait "$BG_PID" || rc=$?
  BG_PID=
  return "$rc"
}

# shard_docs DIR: documents committed in the shards of a resumable build.
shard_docs() {
  local total=0 s n
  for s in "$1"/s*; do
    [ -d "$s" ] || continue
    n=$(xapian-delve "$s" 2>/dev/null | sed -n 's/^number of documents = //p')
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

@test "11.4 an update through a second link to the database waits for the writer's lock (75)" {
  archive "$T/a.jsonl" 40
  index "$T/db" "$T/a.jsonl"
  assert_status 0
  ln -s db "$T/alias"
  ln -s "$T/alias" "$T/alias2"
  # A --rebuild holds the lock while it reads a fifo.
  start_fifo_writer "$T/fifo" --db "$T/db" --rebuild
  head -n 5 "$T/a.jsonl" >&7
  wait_for_lock "$T/db.d"
  printf '%s\n' '{"id":"through-alias","title":"Written through the alias"}' >"$T/new.jsonl"
  index "$T/alias" "$T/new.jsonl"
  local alias_status=$status alias_err=$stderr
  index "$T/alias2" "$T/new.jsonl"
  local alias2_status=$status
  tail -n +6 "$T/a.jsonl" >&7
  finish_fifo_writer || fail "the rebuild failed: $(cat "$T/bg.err")"
  status=$alias_status stderr=$alias_err
  assert_status 75
  assert_contains "$stderr" "is busy"
  assert_eq 75 "$alias2_status" "exit status through a link to the alias"
  # The rebuild switched the database's own link; no lock or state was made for the aliases.
  [ ! -e "$T/alias.d" ] || fail "a lock directory was made for the alias"
  assert_eq 40 "$(stats_field "$T/alias" documents)" "documents"
  # A write through the alias (nothing else holding the lock) goes to the database, and a
  # --compact through it switches the database's link, not the alias.
  index "$T/alias" "$T/new.jsonl"
  assert_status 0
  index "$T/alias" --compact
  assert_status 0
  assert_eq "db" "$(readlink "$T/alias")" "the alias"
  assert_eq 41 "$(stats_field "$T/db" documents)" "documents"
}

@test "11.5 a SIGKILLed first build resumes from its committed shards; the rerun is exact" {
  archive "$T/a.jsonl" 3000
  slow "$T/a.jsonl"
  # The first build: wait until some records are committed in its shards, kill it.
  start_writer "$T/a.jsonl" --db "$T/db" --threads 2 --commit-every 100 --no-stories
  local i docs=0
  for i in $(seq 1 600); do
    docs=$(shard_docs "$T/db.d/build-resume")
    [ "$docs" -ge 1000 ] && break
    sleep 0.05
  done
  kill_writer
  [ "$docs" -ge 1000 ] || fail "the killed build committed only $docs documents in its shards"
  # Meanwhile the database does not exist yet for searchers (no empty database that answers).
  [ ! -e "$T/db" ] || fail "a killed first build left a database link"
  # The rerun's input: records 2..3000, every 100th changed since; r-00001 is gone.
  archive "$T/b.jsonl" 3000 5 100
  sed -i 1d "$T/b.jsonl"
  slow "$T/b.jsonl"
  index "$T/db" --threads 2 --commit-every 100 - <"$T/b.jsonl"
  assert_status 0
  local unchanged added updated
  unchanged=$(summary_field unchanged "$output")
  added=$(summary_field added "$output")
  updated=$(summary_field updated "$output")
  # Most of what the killed run committed is kept (those not changed since), not analysed again.
  [ "$unchanged" -ge 900 ] || fail "only $unchanged records resumed: $output"
  assert_eq 2999 "$((unchanged + added + updated))" "records accounted for"
  assert_eq 2999 "$(stats_field "$T/db" documents)" "documents"
  assert_eq "$(seq -f 'r-%05g' 2 3000 | tr '\n' ' ')" "$(ids_in "$T/db")" "the ids"
  DB="$T/db"
  assert_eq 30 "$(ids '"revision 5"' | wc -w)" "records at revision 5"
  assert_eq "" "$(ids 'id:r-00001')" "the record no longer in the input"
  assert_eq 0 "$(find "$T/db.d" -mindepth 1 -maxdepth 1 -name 'build-*' | wc -l)" "build dirs"
}

@test "11.5 a killed --rebuild resumes on the next --rebuild; a plain update discards it" {
  archive "$T/a.jsonl" 1500
  slow "$T/a.jsonl"
  index "$T/db" --no-stories - <"$T/a.jsonl"
  assert_status 0
  local live
  live=$(readlink "$T/db")
  start_writer "$T/a.jsonl" --db "$T/db" --rebuild --threads 2 --commit-every 50 --no-stories
  local i docs=0
  for i in $(seq 1 600); do
    docs=$(shard_docs "$T/db.d/build-resume")
    [ "$docs" -ge 500 ] && break
    sleep 0.05
  done
  kill_writer
  [ "$docs" -ge 500 ] || fail "the killed rebuild committed only $docs documents"
  assert_eq "$live" "$(readlink "$T/db")" "the live generation after the kill"
  index "$T/db" --rebuild --no-stories - <"$T/a.jsonl"
  assert_status 0
  [ "$(summary_field unchanged "$output")" -ge 500 ] || fail "the rebuild did not resume: $output"
  assert_eq 1500 "$(stats_field "$T/db" documents)" "documents"
  # Killed again, then an update run: the resumable build is removed, the live database kept.
  start_writer "$T/a.jsonl" --db "$T/db" --rebuild --threads 2 --commit-every 50 --no-stories
  for i in $(seq 1 600); do
    [ "$(shard_docs "$T/db.d/build-resume")" -ge 100 ] && break
    sleep 0.05
  done
  kill_writer
  index "$T/db" --no-stories - <"$T/a.jsonl"
  assert_status 0
  assert_contains "$output" "1500 unchanged"
  [ ! -e "$T/db.d/build-resume" ] || fail "an update run kept a killed rebuild's shards"
}

@test "11.7 an old generation is renamed away before its files are removed" {
  archive "$T/a.jsonl" 50
  index "$T/db" "$T/a.jsonl"
  local old
  old=$(readlink "$T/db")
  # What a killed removal left is cleaned by the next writer too.
  mkdir "$T/db.d/old-gen-000099"
  : >"$T/db.d/old-gen-000099/postlist.glass"
  if strace -f -o /dev/null true 2>/dev/null; then
    # LeakSanitizer cannot run under ptrace (an ASan build would fail at exit): no leak check here.
    ASAN_OPTIONS=detect_leaks=0 \
      strace -f -e trace=rename,renameat,renameat2,unlink,unlinkat,rmdir -o "$T/trace" \
      "$SITREP_INDEX" --db "$T/db" --rebuild "$T/a.jsonl" >/dev/null 2>&1
    grep -q "\"$T/$old\", .*\"$T/db.d/old-$(basename "$old")\"" "$T/trace" ||
      fail "the old generation $old was not renamed to old-$(basename "$old"): $(grep rename "$T/trace")"
    local direct
    direct=$(grep -E "unlink.*\"$T/$old/" "$T/trace" || true)
    assert_eq "" "$direct" "files removed from the old generation under its live name"
  else
    index "$T/db" --rebuild "$T/a.jsonl"
    assert_status 0
  fi
  [ ! -e "$T/$old" ] || fail "the old generation is still there"
  [ ! -e "$T/db.d/old-gen-000099" ] || fail "a stale old generation was not removed"
  assert_eq 0 "$(find "$T/db.d" -maxdepth 1 -name 'old-*' | wc -l)" "old generations left"
  assert_eq 50 "$(stats_field "$T/db" documents)" "documents"
}

@test "11.9 --db naming a file or a directory that is no database: exit 64, nothing created" {
  archive "$T/a.jsonl" 5
  printf 'id,title\n1,x\n' >"$T/f.csv"
  index "$T/f.csv" "$T/a.jsonl"
  assert_status 64
  assert_contains "$stderr" "$T/f.csv is a file, not a sitrep database"
  [ ! -e "$T/f.csv.d" ] || fail "f.csv.d was created"
  assert_eq "$(printf 'id,title\n1,x')" "$(cat "$T/f.csv")" "the file"
  mkdir "$T/notadb"
  : >"$T/notadb/readme"
  index "$T/notadb" "$T/a.jsonl"
  assert_status 64
  assert_contains "$stderr" "$T/notadb is a directory that is not a sitrep database"
  [ ! -e "$T/notadb.d" ] || fail "notadb.d was created"
  index "$T/notadb" --rebuild "$T/a.jsonl"
  assert_status 64
  [ ! -e "$T/notadb.d" ] || fail "notadb.d was created by --rebuild"
}

@test "11.9 a first run that fails or is abandoned leaves no database behind" {
  archive "$T/a.jsonl" 5
  # A rebuild of a new database with a missing SOURCE is abandoned.
  index "$T/new" --rebuild "$T/a.jsonl" "$T/missing.jsonl"
  assert_status 66
  [ ! -e "$T/new" ] && [ ! -e "$T/new.d" ] || fail "the failed run left: $(ls -d "$T"/new* 2>&1)"
  # A first build whose writes fail (files limited to 20 kB) leaves nothing either, not even
  # the directories it made for the database.
  archive "$T/b.jsonl" 2000
  # Under the ASan build: Xapian's own leak when a write fails with EFBIG is suppressed
  # (lsan-xapian.supp), as in 11.14.
  LSAN_OPTIONS=suppressions=$BATS_TEST_DIRNAME/lsan-xapian.supp \
    run --separate-stderr bash -c 'ulimit -f 40; trap "" XFSZ; exec "$0" --db "$1" "$2"' \
    "$SITREP_INDEX" "$T/sub/dir/db" "$T/b.jsonl"
  assert_status 74
  [ ! -e "$T/sub" ] || fail "the failed first build left: $(find "$T/sub")"
}

@test "11.13 a damaged database: 74 naming --rebuild; --rebuild recovers it" {
  archive "$T/a.jsonl" 30
  index "$T/db" "$T/a.jsonl"
  printf 'garbage' >"$T/db/iamglass"
  index "$T/db" "$T/a.jsonl"
  assert_status 74
  assert_contains "$stderr" "the database is damaged; rebuild it with"
  index "$T/db" --rebuild "$T/a.jsonl"
  assert_status 0
  assert_eq 30 "$(stats_field "$T/db" documents)" "documents"
}

@test "11.13 a link to a missing generation: 74 saying so (index, search, stats); --rebuild recovers" {
  archive "$T/a.jsonl" 30
  index "$T/db" "$T/a.jsonl"
  local gen
  gen=$(readlink "$T/db")
  rm -rf "${T:?}/$gen"
  local msg="points at $gen, which is missing: the database is damaged; rebuild it with --rebuild"
  index "$T/db" "$T/a.jsonl"
  assert_status 74
  assert_contains "$stderr" "$msg"
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" bulletin
  assert_status 74
  assert_contains "$stderr" "$msg"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db"
  assert_status 74
  # Nothing there at all is still "no database" (66).
  run --separate-stderr "$SITREP_SEARCH" --db "$T/nothere" bulletin
  assert_status 66
  index "$T/db" --rebuild "$T/a.jsonl"
  assert_status 0
  assert_eq 30 "$(stats_field "$T/db" documents)" "documents"
}

@test "11.13 a database this user may not read: 77 permission denied, not 'no database'" {
  command -v setpriv >/dev/null || skip "setpriv is needed to run as another user"
  [ "$(id -u)" -eq 0 ] || skip "needs root to run the binaries as nobody"
  local d
  d=$(mktemp -d /tmp/sitrep-perm.XXXXXX)
  chmod 755 "$d"
  archive "$d/a.jsonl" 10
  chmod 644 "$d/a.jsonl"
  index "$d/db" "$d/a.jsonl"
  assert_status 0
  chmod 700 "$d/db.d"
  local as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  run --separate-stderr "${as_nobody[@]}" "$SITREP_SEARCH" --db "$d/db" bulletin
  local search_status=$status search_err=$stderr
  run --separate-stderr "${as_nobody[@]}" "$SITREP_INDEX" --db "$d/db" "$d/a.jsonl"
  local index_status=$status index_err=$stderr
  rm -rf "$d"
  status=$search_status stderr=$search_err
  assert_status 77
  assert_contains "$stderr" "permission denied"
  status=$index_status stderr=$index_err
  assert_status 77
  assert_contains "$stderr" "permission denied"
}

@test "11.14 a failed --compact removes its partial generation; the live one is untouched" {
  archive "$T/a.jsonl" 2000
  index "$T/db" --no-stories "$T/a.jsonl"
  assert_status 0
  local live
  live=$(readlink "$T/db")
  # Files limited to 20 kB: the compacted copy cannot be written (EFBIG, as on a full disk);
  # --no-stories: the run has nothing else to write into the live generation.
  # Under the ASan build: Xapian's own leak on this error path is suppressed (lsan-xapian.supp).
  LSAN_OPTIONS=suppressions=$BATS_TEST_DIRNAME/lsan-xapian.supp \
    run --separate-stderr bash -c 'ulimit -f 40; trap "" XFSZ; exec "$0" --db "$1" --compact --no-stories' \
    "$SITREP_INDEX" "$T/db"
  assert_status 74
  assert_eq "$live" "$(readlink "$T/db")" "the live generation"
  assert_eq "$(basename "$live")" "$(cd "$T/db.d" && ls -d gen-* | tr '\n' ' ' | sed 's/ $//')" \
    "generations left"
  assert_eq 2000 "$(stats_field "$T/db" documents)" "documents"
}

@test "11.3 --prune of a directory whose every file is gone removes nothing without --force" {
  mkdir -p "$T/src/a" "$T/src/b"
  printf '%s\n' '{"id":"a1","title":"Alpha one"}' >"$T/src/a/1.json"
  printf '%s\n' '{"id":"a2","title":"Alpha two"}' >"$T/src/a/2.json"
  printf '%s\n' '{"id":"b1","title":"Beta one"}' >"$T/src/b/1.json"
  index "$T/db" "$T/src/a" "$T/src/b"
  assert_status 0
  # src/a emptied (an unmounted share): nothing of it is removed.
  rm "$T/src/a/1.json" "$T/src/a/2.json"
  index "$T/db" --prune "$T/src/a"
  assert_contains "$output" "0 removed"
  assert_eq 3 "$(stats_field "$T/db" documents)" "documents after pruning an emptied source"
  # Once a file of it is back, the files that are gone are pruned as before.
  printf '%s\n' '{"id":"a3","title":"Alpha three"}' >"$T/src/a/3.json"
  index "$T/db" --prune "$T/src/a"
  assert_contains "$output" "2 removed"
  DB="$T/db"
  assert_eq "a3 b1" "$(sorted_ids 'alpha OR beta')" "what is left"
}

@test "11.15 sitrep-index backup: a compacted copy at DEST that searches, updates and rebuilds" {
  archive "$T/a.jsonl" 200
  index "$T/db" "$T/a.jsonl"
  assert_status 0
  ln -s db "$T/alias"
  run --separate-stderr "$SITREP_INDEX" backup --db "$T/alias" "$T/copy"
  assert_status 0
  assert_contains "$output" "200 documents"
  assert_eq "copy.d/gen-000001" "$(readlink "$T/copy")" "DEST's link"
  assert_eq 200 "$(stats_field "$T/copy" documents)" "documents in the copy"
  assert_eq true "$(stats_field "$T/copy" facet_column)" "facet column in the copy"
  DB="$T/db"
  local want
  want=$(ids --sort newest convoy)
  DB="$T/copy"
  assert_eq "$want" "$(ids --sort newest convoy)" "the same hits"
  # Moved together with DEST.d, it still opens (the link is relative).
  mkdir "$T/moved"
  mv "$T/copy" "$T/copy.d" "$T/moved/"
  assert_eq 200 "$(stats_field "$T/moved/copy" documents)" "documents after moving"
  archive "$T/b.jsonl" 210
  index "$T/moved/copy" "$T/b.jsonl"
  assert_status 0
  assert_contains "$output" "10 added"
  index "$T/moved/copy" --rebuild "$T/b.jsonl"
  assert_status 0
  assert_eq 200 "$(stats_field "$T/db" documents)" "the original"
  # Never over an existing path.
  run --separate-stderr "$SITREP_INDEX" backup --db "$T/db" "$T/moved/copy"
  assert_status 64
  assert_contains "$stderr" "exists"
  assert_eq 210 "$(stats_field "$T/moved/copy" documents)" "the existing DEST"
  # No database: 66, nothing made.
  run --separate-stderr "$SITREP_INDEX" backup --db "$T/nothere" "$T/c2"
  assert_status 66
  [ ! -e "$T/c2" ] && [ ! -e "$T/c2.d" ] && [ ! -e "$T/nothere.d" ] || fail "files were made"
}

@test "11.15 backup takes the writers' lock: 75 while a writer runs, waits with --wait" {
  archive "$T/a.jsonl" 50
  index "$T/db" "$T/a.jsonl"
  start_fifo_writer "$T/fifo" --db "$T/db"
  printf '%s\n' '{"id":"late","title":"Written while the backup waits"}' >&7
  wait_for_lock "$T/db.d"
  run --separate-stderr "$SITREP_INDEX" backup --db "$T/db" "$T/copy"
  assert_status 75
  [ ! -e "$T/copy" ] && [ ! -e "$T/copy.d" ] || fail "a busy backup left files"
  "$SITREP_INDEX" backup --db "$T/db" --wait 30 "$T/copy2" >"$T/b.out" 2>&1 7>&- &
  local bpid=$!
  sleep 0.5
  finish_fifo_writer || fail "the writer failed: $(cat "$T/bg.err")"
  wait "$bpid" || fail "the waiting backup failed: $(cat "$T/b.out")"
  assert_eq 51 "$(stats_field "$T/copy2" documents)" "documents in the copy"
}
