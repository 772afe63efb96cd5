#!/usr/bin/env bats
# Issue 11, item 18 (dates): the date formats news exports write (RFC 2822 / RSS, ISO 8601 offsets
# without a colon, compact ISO 8601, epoch seconds and milliseconds) are indexed on their UTC day;
# an unusable date is a warning naming file:line and the value, and the record is kept undated.

load helpers

# One record per format; every body says "dispatch" so one query finds them all, and the name of
# its group (rfc, iso, epoch, bad, plain).
write_archive() {
  local f=$1
  {
    # RFC 2822 / RSS
    echo '{"id":"rfc-gmt","title":"r1","body":"dispatch rfc","published":"Fri, 21 Nov 2025 10:00:00 GMT"}'
    echo '{"id":"rfc-plus","title":"r2","body":"dispatch rfc","published":"Fri, 21 Nov 2025 10:00:00 +0000"}'
    echo '{"id":"rfc-minus","title":"r3","body":"dispatch rfc","published":"Fri, 21 Nov 2025 22:30:00 -0500"}'
    echo '{"id":"rfc-est","title":"r4","body":"dispatch rfc","published":"Fri, 21 Nov 2025 20:00:00 EST"}'
    echo '{"id":"rfc-noweekday","title":"r5","body":"dispatch rfc","published":"21 Nov 2025 10:00 GMT"}'
    echo '{"id":"rfc-oneday","title":"r6","body":"dispatch rfc","published":"Mon, 1 Dec 2025 09:05:00 PDT"}'
    echo '{"id":"rfc-east","title":"r7","body":"dispatch rfc","published":"Sat, 22 Nov 2025 01:30:00 +0300"}'
    echo '{"id":"rfc-leap","title":"r8","body":"dispatch rfc","published":"Thu, 29 Feb 2024 23:59:59 -0100"}'
    # ISO 8601 with an offset without a colon, and compact ISO 8601
    echo '{"id":"iso-nocolon","title":"i1","body":"dispatch iso","published":"2025-11-21T10:00:00+0000"}'
    echo '{"id":"iso-nocolon-west","title":"i2","body":"dispatch iso","published":"2025-11-21T01:00:00+0530"}'
    echo '{"id":"compact-date","title":"c1","body":"dispatch iso","published":"20251121"}'
    echo '{"id":"compact-utc","title":"c2","body":"dispatch iso","published":"20251121T100000Z"}'
    echo '{"id":"compact-offset","title":"c3","body":"dispatch iso","published":"20251121T013000+0200"}'
    # Unix epoch: a JSON number or a string of digits; 12-13 digits are milliseconds
    echo '{"id":"epoch-number","title":"e1","body":"dispatch epoch","published":1763719200}'
    echo '{"id":"epoch-string","title":"e2","body":"dispatch epoch","published":"1763782200"}'
    echo '{"id":"epoch-ms","title":"e3","body":"dispatch epoch","published":1763719200123}'
    # Unusable: kept without a date, with a warning
    echo '{"id":"bad-zone","title":"b1","body":"dispatch bad","published":"Fri, 21 Nov 2025 10:00:00 CET"}'
    echo '{"id":"bad-weekday","title":"b2","body":"dispatch bad","published":"Sat, 21 Nov 2025 10:00:00 GMT"}'
    echo '{"id":"bad-epoch","title":"b3","body":"dispatch bad","published":17637192000}'
    # The existing ISO 8601 form, unchanged
    echo '{"id":"iso-plain","title":"p1","body":"dispatch plain","published":"2025-11-21T23:30:00-02:00"}'
  } >"$f"
}

setup_file() {
  require_tools
  export ARCHIVE="$BATS_FILE_TMPDIR/dates.jsonl" DB="$BATS_FILE_TMPDIR/db"
  write_archive "$ARCHIVE"
  # The outcome is checked by the tests, so a baseline that rejects records fails them, not setup.
  local rc=0
  "$SITREP_INDEX" --db "$DB" "$ARCHIVE" >"$BATS_FILE_TMPDIR/index.out" \
    2>"$BATS_FILE_TMPDIR/index.err" || rc=$?
  echo "$rc" >"$BATS_FILE_TMPDIR/index.rc"
}

setup() {
  common_setup
}

# published ID...: "id published" of each id, one per line, in the order given ("null" undated).
published() {
  search_json --limit 1000 dispatch || return 1
  local id
  for id in "$@"; do
    jq -r --arg id "$id" '.hits[] | select(.id == $id) | "\(.id) \(.published)"' <<<"$output"
  done
}

# line_of ID: the archive line of a record.
line_of() {
  grep -n "\"id\":\"$1\"" "$ARCHIVE" | cut -d: -f1
}

@test "18 dates: the archive indexes with exit 0, every record kept, 3 warnings" {
  run cat "$BATS_FILE_TMPDIR/index.out"
  local out=$output err
  err=$(cat "$BATS_FILE_TMPDIR/index.err")
  assert_eq 0 "$(cat "$BATS_FILE_TMPDIR/index.rc")" "sitrep-index exit status (stderr: $err)"
  assert_eq 20 "$(summary_field added "$out")" "added"
  assert_eq 0 "$(summary_field rejected "$out")" "rejected"
  assert_eq 3 "$(summary_field warnings "$out")" "warnings"
}

@test "18 RFC 2822 / RSS dates (GMT, +0000, -0500, EST, PDT, no weekday, one-digit day, leap day) land on their UTC day" {
  assert_eq "rfc-gmt 2025-11-21T10:00:00Z
rfc-plus 2025-11-21T10:00:00Z
rfc-minus 2025-11-22T03:30:00Z
rfc-est 2025-11-22T01:00:00Z
rfc-noweekday 2025-11-21T10:00:00Z
rfc-oneday 2025-12-01T16:05:00Z
rfc-east 2025-11-21T22:30:00Z
rfc-leap 2024-03-01T00:59:59Z" \
    "$(published rfc-gmt rfc-plus rfc-minus rfc-est rfc-noweekday rfc-oneday rfc-east rfc-leap)"
  # The day terms too: an evening west of UTC is the next UTC day, a night east of it the day before.
  assert_eq "rfc-est rfc-minus" "$(sorted_ids 'rfc date:2025-11-22')" "date:2025-11-22"
  assert_eq "rfc-east rfc-gmt rfc-noweekday rfc-plus" \
    "$(sorted_ids 'rfc date:2025-11-21')" "date:2025-11-21"
  assert_eq "rfc-leap" "$(sorted_ids 'rfc date:2024-03-01')" "date:2024-03-01"
}

@test "18 ISO 8601 offsets without a colon and compact ISO 8601 (20251121, 20251121T100000Z) land on their UTC day" {
  assert_eq "iso-nocolon 2025-11-21T10:00:00Z
iso-nocolon-west 2025-11-20T19:30:00Z
compact-date 2025-11-21
compact-utc 2025-11-21T10:00:00Z
compact-offset 2025-11-20T23:30:00Z" \
    "$(published iso-nocolon iso-nocolon-west compact-date compact-utc compact-offset)"
  assert_eq "compact-offset iso-nocolon-west" "$(sorted_ids 'iso date:2025-11-20')" \
    "date:2025-11-20"
  assert_eq "compact-date compact-utc iso-nocolon" \
    "$(sorted_ids 'iso date:20251121')" "date:20251121"
}

@test "18 epoch seconds (JSON number or string of digits) and milliseconds land on their UTC day" {
  assert_eq "epoch-number 2025-11-21T10:00:00Z
epoch-string 2025-11-22T03:30:00Z
epoch-ms 2025-11-21T10:00:00Z" "$(published epoch-number epoch-string epoch-ms)"
  assert_eq "epoch-ms epoch-number" "$(sorted_ids 'epoch date:2025-11-21')" \
    "date:2025-11-21"
}

@test "18 --timeline day counts every format on its UTC day" {
  search_json --limit 0 --timeline day dispatch
  assert_eq "2024-03-01 1
2025-11-20 2
2025-11-21 9
2025-11-22 4
2025-12-01 1" "$(jq -r '.timeline.periods[] | select(.count > 0) | "\(.period) \(.count)"' <<<"$output")" "periods"
  assert_eq 3 "$(jq -r .timeline.undated <<<"$output")" "undated"
}

@test "18 unusable dates: a warning naming file:line, the value and the reason; the record kept undated" {
  local err
  err=$(cat "$BATS_FILE_TMPDIR/index.err")
  assert_contains "$err" "sitrep-index: warning: $ARCHIVE:$(line_of bad-zone): unparseable \"published\" \"Fri, 21 Nov 2025 10:00:00 CET\", indexed without a date: unknown time zone \"CET\""
  assert_contains "$err" "$ARCHIVE:$(line_of bad-weekday): unparseable \"published\" \"Sat, 21 Nov 2025 10:00:00 GMT\", indexed without a date: the weekday \"Sat\" does not match the date"
  assert_contains "$err" "$ARCHIVE:$(line_of bad-epoch): unparseable \"published\" \"17637192000\", indexed without a date: a number of 11 digits"
  assert_eq 3 "$(grep -c 'unparseable "published"' <<<"$err")" "date warnings"
  assert_eq "bad-zone null
bad-weekday null
bad-epoch null" "$(published bad-zone bad-weekday bad-epoch)"
}

@test "18 the existing ISO 8601 form keeps its UTC day" {
  assert_eq "iso-plain 2025-11-22T01:30:00Z" "$(published iso-plain)"
  assert_eq "iso-plain" "$(sorted_ids 'plain date:2025-11-22')" "date:2025-11-22"
}
