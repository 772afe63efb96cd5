#!/usr/bin/env bats
# How sitrep-index reads its SOURCEs when they are damaged, unreadable, endless or odd (issue 11):
# truncated and corrupt gzip, unreadable directories and files, FIFOs and process substitution,
# the per-record size cap, UTF-16/32 input, pretty-printed JSON and JSON arrays.
#
# Without a handler for incomplete input in main.cpp, an incomplete SOURCE is reported as a
# rejected one: exit 1, the message naming FILE:LINE, every good record before the damage indexed.

load helpers

setup_file() {
  require_tools
}

setup() {
  common_setup
}

teardown() {
  # The permission tests leave modes that would stop the clean-up of a non-root run.
  chmod -R u+rwX "$T" 2>/dev/null || true
  validate_deferred
}

# records FIRST LAST: JSON Lines records rFIRST..rLAST, with varied text so that gzip does not
# squeeze them into a few bytes.
records() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    srand(11)
    split("grain port convoy ceasefire shelling drone harbour corridor border talks", w, " ")
    for (i = a; i <= b; i++) {
      body = ""
      for (k = 0; k < 30; k++) body = body w[int(rand() * 10) + 1] int(rand() * 100000) " "
      printf "{\"id\":\"r%d\",\"title\":\"Walrus report %d\",\"body\":\"%s\"}\n", i, i, body
    }
  }'
}

# unprivileged CMD...: runs CMD so that file permissions apply to it. As root, without the
# capabilities that bypass them (the user stays root, so the files made by the test stay usable).
unprivileged() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --bounding-set=-dac_override,-dac_read_search "$@"
  else
    "$@"
  fi
}

# Skips the test when permissions cannot be made to apply (root without setpriv's rights).
require_permissions_apply() {
  mkdir -p "$T/probe"
  chmod 000 "$T/probe"
  if unprivileged ls "$T/probe" >/dev/null 2>&1; then
    chmod 755 "$T/probe"
    skip "file permissions do not apply to this user (root without CAP_SETPCAP)"
  fi
  chmod 755 "$T/probe"
}

# ------------------------------------------------------------------------- 11.1 truncated gzip

@test "11.1 truncated .jsonl.gz: every complete record indexed, the early end named with file:line, exit 1" {
  records 1 2000 | gzip -c >"$T/full.jsonl.gz"
  local size
  size=$(stat -c %s "$T/full.jsonl.gz")
  head -c $((size / 2)) "$T/full.jsonl.gz" >"$T/part.jsonl.gz"
  # The lines a careful reader gets out of it: gzip -d decodes as far as it can.
  local n
  n=$(gzip -dc <"$T/part.jsonl.gz" 2>/dev/null | wc -l)
  [ "$n" -gt 100 ] && [ "$n" -lt 1900 ] || fail "fixture: $n complete lines in the truncated file"
  index "$T/db" "$T/part.jsonl.gz"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: $T/part.jsonl.gz:$((n + 1)): gzip stream ends early (truncated file?); records after line $n are missing"
  assert_eq 1 "$(grep -c '^sitrep-index: error:' <<<"$stderr")" "errors on stderr"
  assert_eq "$n" "$(summary_field 'records read' "$output")" "records read"
  assert_eq "$n" "$(doc_count "$T/db")" "documents"
  DB="$T/db" search_json "id:r$n"
  assert_eq "r$n" "$(jq -r '[.hits[].id] | join(" ")' <<<"$output")" "the last complete record"
}

@test "11.1 corrupt gzip data mid-file: the records before it indexed, the damage named, exit 1" {
  records 1 100 | gzip -c >"$T/bad.jsonl.gz"
  # A second gzip member whose first deflate block has an invalid type.
  printf '\037\213\010\000\000\000\000\000\000\377\377\377\377\377\377\377' >>"$T/bad.jsonl.gz"
  index "$T/db" "$T/bad.jsonl.gz"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: $T/bad.jsonl.gz:101: gzip data is corrupt (invalid block type); records after line 100 are missing"
  assert_eq 100 "$(doc_count "$T/db")" "documents"
}

@test "11.1 truncated gzip on standard input is named <stdin>:LINE" {
  records 1 2000 | gzip -c | head -c 30000 >"$T/part.gz"
  local n
  n=$(gzip -dc <"$T/part.gz" 2>/dev/null | wc -l)
  run --separate-stderr bash -c 'cat "$1" | timeout 20 "$SITREP_INDEX" --db "$2" -' _ "$T/part.gz" "$T/db"
  assert_status 1
  assert_contains "$stderr" "<stdin>:$((n + 1)): gzip stream ends early (truncated file?); records after line $n are missing"
  assert_eq "$n" "$(doc_count "$T/db")" "documents"
}

# ------------------------------------------------------------------- 11.2 unreadable directory

@test "11.2 unreadable subdirectory and files: each named with its error, the rest indexed, exit 1" {
  require_permissions_apply
  mkdir -p "$T/tree/a" "$T/tree/b/deeper"
  records 1 1 >"$T/tree/top.jsonl"
  records 2 4 >"$T/tree/a/a.jsonl"
  records 5 5 >"$T/tree/a/secret.jsonl"
  records 6 8 >"$T/tree/b/b.jsonl"
  records 9 9 >"$T/tree/b/deeper/d.jsonl"
  records 10 12 >"$T/locked.jsonl"
  chmod 000 "$T/tree/b" "$T/tree/a/secret.jsonl" "$T/locked.jsonl"
  # A directory and, named directly, an unreadable file.
  run --separate-stderr unprivileged "$SITREP_INDEX" --db "$T/db" "$T/tree" "$T/locked.jsonl"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: $T/tree/b: cannot read directory: Permission denied"
  assert_contains "$stderr" "sitrep-index: error: $T/tree/a/secret.jsonl: cannot open: Permission denied"
  assert_contains "$stderr" "sitrep-index: error: $T/locked.jsonl: cannot open: Permission denied"
  assert_eq 3 "$(grep -c '^sitrep-index: error:' <<<"$stderr")" "errors on stderr"
  assert_eq 4 "$(doc_count "$T/db")" "documents"
}

# --------------------------------------------------------------- 11.11 FIFOs, pipes, signals

@test "11.11 a FIFO as SOURCE is read once and indexed completely (the prescan does not eat it)" {
  mkfifo "$T/feed"
  records 1 25 >"$T/in.jsonl"
  cat "$T/in.jsonl" >"$T/feed" &
  local writer=$!
  run --separate-stderr timeout 20 "$SITREP_INDEX" --db "$T/db" "$T/feed"
  kill "$writer" 2>/dev/null || true
  wait "$writer" || true
  assert_status 0
  assert_eq 25 "$(summary_field 'records read' "$output")" "records read"
  assert_eq 25 "$(doc_count "$T/db")" "documents"
}

@test "11.11 one SIGTERM ends a run waiting on a FIFO nobody writes to: exit 143 within seconds" {
  mkfifo "$T/silent"
  "$SITREP_INDEX" --db "$T/db" "$T/silent" >"$T/out" 2>"$T/err" &
  local pid=$! i
  sleep 1
  kill -0 "$pid" 2>/dev/null || fail "sitrep-index ended before the signal: $(cat "$T/err")"
  kill -TERM "$pid"
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    wait "$pid" || true
    fail "sitrep-index still running 5 s after SIGTERM"
  fi
  local rc=0
  wait "$pid" || rc=$?
  assert_eq 143 "$rc" "exit status"
  assert_contains "$(cat "$T/err")" "stopped by SIGTERM"
}

@test "11.11 process substitution <(...) and /dev/stdin: indexed, errors named by the path given" {
  records 1 10 >"$T/in.jsonl"
  printf '%s\n' '{"id":"ok","title":"fine"}' '{nope' >"$T/bad.jsonl"
  run --separate-stderr bash -c 'timeout 20 "$SITREP_INDEX" --db "$1" <(gzip -c "$2") <(cat "$3")' \
    _ "$T/db" "$T/in.jsonl" "$T/bad.jsonl"
  assert_status 1
  assert_eq 11 "$(summary_field 'records read' "$output")" "records read"
  assert_eq 11 "$(doc_count "$T/db")" "documents"
  [[ "$stderr" =~ sitrep-index:\ error:\ /dev/fd/[0-9]+:2:\ malformed\ JSON ]] ||
    fail "the bad line is not named /dev/fd/N:2" "$stderr"
  run --separate-stderr bash -c 'cat "$2" "$3" | timeout 20 "$SITREP_INDEX" --db "$1" /dev/stdin' \
    _ "$T/db2" "$T/in.jsonl" "$T/bad.jsonl"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: /dev/stdin:12: malformed JSON"
  assert_eq 11 "$(doc_count "$T/db2")" "documents from /dev/stdin"
}

@test "11.11 a pipe read twice that cannot be copied (TMPDIR unusable): an I/O error naming the directory" {
  records 1 3 >"$T/in.jsonl"
  run --separate-stderr bash -c 'TMPDIR="$3" timeout 20 "$SITREP_INDEX" --db "$1" <(cat "$2")' \
    _ "$T/db" "$T/in.jsonl" "$T/no-such-dir"
  assert_status 74
  assert_contains "$stderr" "sitrep-index: error: /dev/fd/"
  assert_contains "$stderr" "can be read only once, and its temporary copy cannot be created in $T/no-such-dir: No such file or directory"
  assert_contains "$stderr" "set TMPDIR"
}

# ----------------------------------------------------------------- 11.12 one cap per record

@test "11.12 a .txt or .json file over 64 MiB is refused by its size, without reading it; the others indexed" {
  mkdir -p "$T/dir"
  printf 'Huge title\n' >"$T/dir/huge.txt"
  truncate -s 65M "$T/dir/huge.txt"
  printf '{"id":"h","title":"x"}' >"$T/dir/huge.json"
  truncate -s 66M "$T/dir/huge.json"
  printf 'Small title\nbody\n' >"$T/dir/small.txt"
  index "$T/db" "$T/dir"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: $T/dir/huge.txt: the file is 65.0 MiB (68157440 bytes), more than the 64 MiB one record may have"
  assert_contains "$stderr" "sitrep-index: error: $T/dir/huge.json: the file is 66.0 MiB (69206016 bytes), more than the 64 MiB one record may have; if it is an array of records, convert it to JSON Lines with: jq -c '.[]' $T/dir/huge.json"
  assert_eq 1 "$(doc_count "$T/db")" "documents"
}

@test "11.12 a .txt FIFO is read up to the cap only" {
  mkfifo "$T/stream.txt"
  { printf 'Title\n'; head -c $((65 << 20)) /dev/zero | tr '\0' a; } >"$T/stream.txt" 2>/dev/null &
  local writer=$!
  run --separate-stderr timeout 30 "$SITREP_INDEX" --db "$T/db" --no-boilerplate "$T/stream.txt"
  wait "$writer" || true
  assert_status 65
  assert_contains "$stderr" "sitrep-index: error: $T/stream.txt: larger than the 64 MiB one record may have"
}

# ------------------------------------------------------------------------- 11.13 UTF-16/32

@test "11.13 UTF-16 and UTF-32 input is refused once per file with an iconv hint; a UTF-8 BOM is fine" {
  records 1 3 | iconv -f UTF-8 -t UTF-16 >"$T/bom16.jsonl"
  records 4 6 | iconv -f UTF-8 -t UTF-16LE >"$T/le16.jsonl"
  records 7 9 | iconv -f UTF-8 -t UTF-32BE >"$T/be32.jsonl"
  { printf '\357\273\277'; records 10 12; } >"$T/bom8.jsonl"
  { printf '\357\273\277'; printf '{"id":"j","title":"BOM json"}'; } >"$T/bom8.json"
  { printf '\357\273\277'; printf 'BOM title\nbody\n'; } >"$T/bom8.txt"
  index "$T/db" "$T/bom16.jsonl" "$T/le16.jsonl" "$T/be32.jsonl" "$T/bom8.jsonl" "$T/bom8.json" "$T/bom8.txt"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: $T/bom16.jsonl: the file is UTF-16 (little-endian), not UTF-8; convert it with: iconv -f UTF-16 -t UTF-8"
  assert_contains "$stderr" "sitrep-index: error: $T/le16.jsonl: the file is UTF-16 (little-endian), not UTF-8; convert it with: iconv -f UTF-16LE -t UTF-8"
  assert_contains "$stderr" "sitrep-index: error: $T/be32.jsonl: the file is UTF-32 (big-endian), not UTF-8; convert it with: iconv -f UTF-32BE -t UTF-8"
  assert_eq 3 "$(grep -c '^sitrep-index: error:' <<<"$stderr")" "errors on stderr"
  assert_eq 5 "$(doc_count "$T/db")" "documents"
  DB="$T/db" search_json 'title:BOM'
  assert_eq "BOM title" "$(jq -r '[.hits[].title] | sort | .[1]' <<<"$output")" "the .txt title, without the mark"
}

# ------------------------------------------------------- 11.18 pretty-printed JSON and arrays

@test "11.18 pretty-printed JSON fed as .jsonl: one message with a jq hint, its records indexed" {
  printf '%s\n' '[' '  {' '    "id": "p1",' '    "title": "Pretty one"' '  },' \
    '  {"id": "p2", "title": "Pretty two"},' '  {' '    "id": "p3",' '    "title": "Pretty three"' \
    '  }' ']' >"$T/pretty.jsonl"
  printf '%s\n' '{' '  "id": "o1",' '  "title": "Pretty object"' '}' >"$T/object.jsonl"
  index "$T/db" "$T/pretty.jsonl" "$T/object.jsonl"
  assert_status 0
  assert_eq 2 "$(wc -l <<<"$stderr")" "lines on stderr"
  assert_contains "$stderr" "sitrep-index: warning: $T/pretty.jsonl: this is one JSON document spread over many lines, not JSON Lines (one record per line); convert it with: jq -c '.[]' $T/pretty.jsonl"
  assert_contains "$stderr" "sitrep-index: warning: $T/object.jsonl: this is one JSON document spread over many lines, not JSON Lines (one record per line); convert it with: jq -c . $T/object.jsonl"
  assert_eq 4 "$(doc_count "$T/db")" "documents"
}

@test "11.18 a pretty-printed document that does not parse: one error with the hint, not one per line" {
  {
    printf '%s\n' '['
    for i in $(seq 1 200); do printf '  {"id": "x%d", "title": "t"},\n' "$i"; done
    # A brace is missing: the brackets do not match, so it is not one document.
    printf '%s\n' '  {"id": "last", "title": "t"' ']'
  } >"$T/broken.jsonl"
  index "$T/db" "$T/broken.jsonl"
  assert_status 65
  # The one error, and that the failed first run created no database.
  assert_eq 2 "$(wc -l <<<"$stderr")" "lines on stderr"
  assert_contains "$stderr" "nothing could be indexed, so no database was created"
  assert_contains "$stderr" "sitrep-index: error: $T/broken.jsonl: this is one JSON document spread over many lines"
  assert_contains "$stderr" "jq -c '.[]' $T/broken.jsonl; it cannot be read as one: malformed JSON"
}

@test "11.18 a .json array: each element a record, a bad element named by line and index" {
  printf '%s\n' '[' '  {"id": "a1", "title": "Array one"},' '  42,' \
    '  {"id": "a3", "title": 7},' '  {' '    "id": "a4",' '    "title": "Array four"' '  }' ']' \
    >"$T/arr.json"
  index "$T/db" "$T/arr.json"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: $T/arr.json:3: array element 2: record is not a JSON object but number"
  assert_contains "$stderr" "sitrep-index: error: $T/arr.json:4: array element 3: field \"title\" must be a string, not number"
  assert_eq 2 "$(grep -c '^sitrep-index: error:' <<<"$stderr")" "errors on stderr"
  assert_eq 2 "$(doc_count "$T/db")" "documents"
  DB="$T/db" search_json 'id:a1 OR id:a4'
  assert_eq "a1 a4" "$(jq -r '[.hits[].id] | sort | join(" ")' <<<"$output")" "indexed ids"
}

@test "11.18 a truncated .json array: the complete elements indexed, the early end named" {
  printf '%s\n' '[' '  {"id": "t1", "title": "One"},' '  {"id": "t2", "title": "Two"},' \
    '  {"id": "t3", "ti' >"$T/cut.json"
  index "$T/db" "$T/cut.json"
  assert_status 1
  assert_contains "$stderr" "sitrep-index: error: $T/cut.json:5: the JSON array is not closed: the file ends early (truncated?); records after element 2 are missing"
  assert_eq 2 "$(doc_count "$T/db")" "documents"
}
