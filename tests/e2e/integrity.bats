#!/usr/bin/env bats
# Issue 11, cases 7 and 8: a damaged database never answers wrongly with exit 0.
#   7: Xapian 1.4 reads a missing or unreadable position.glass or docdata.glass as an empty table
#      (phrases became AND queries, every hit "(untitled)", stats said OK): searches and stats now
#      check the tables and fail with 74 (77 when a table may not be read).
#   8: the facet column had no checksum (a damaged one gave invented facet values): now a damaged
#      column is ignored, facets are counted from the documents as without a column, and stats
#      says "damaged".

load helpers

setup_file() {
  require_tools
}

setup() {
  common_setup
}

# A small archive of our own: "crude oil" as a phrase in 4 articles, both words apart in 3 more,
# neither in 2. Every body differs (a line an outlet repeats is boilerplate, not indexed).
write_archive() {
  local f=$1 i
  local phrase=("Prices of crude oil rose as tankers waited off the coast."
    "The ministry said crude oil exports doubled in spring."
    "Insurers raised premiums for ships carrying crude oil through the strait."
    "A pipeline leak spilled crude oil near the northern border.")
  local apart=("The oil terminal reopened and crude shipments resumed."
    "Crude prices fell while the oil ministry met traders."
    "Oil workers went on strike; crude output dropped by a third.")
  local other=("Grain exports continued from the port."
    "The harvest was the largest in ten years.")
  : >"$f"
  for i in 0 1 2 3; do
    printf '{"id":"phrase-%d","source":"Wire","title":"Energy report %d","published":"2024-03-0%d","language":"en","body":"%s"}\n' \
      "$i" "$i" "$((i + 1))" "${phrase[$i]}" >>"$f"
  done
  for i in 0 1 2; do
    printf '{"id":"apart-%d","source":"Desk","title":"Refinery note %d","published":"2024-03-1%d","language":"en","body":"%s"}\n' \
      "$i" "$i" "$i" "${apart[$i]}" >>"$f"
  done
  for i in 0 1; do
    printf '{"id":"other-%d","source":"Desk","title":"Harvest note %d","published":"2024-03-2%d","language":"en","body":"%s"}\n' \
      "$i" "$i" "$i" "${other[$i]}" >>"$f"
  done
}

# make_db: indexes the archive into $T/db and sets GEN to its generation directory.
make_db() {
  write_archive "$T/archive.jsonl"
  index "$T/db" "$T/archive.jsonl"
  assert_status 0
  GEN=$(readlink -f "$T/db")
  [ -f "$GEN/iamglass" ] || fail "no glass database at $GEN"
}

# total QUERY: the number of hits of a JSON search of $T/db, exit 0 required.
total() {
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" --json --limit 100 -- "$1"
  [ "$status" -eq 0 ] || { echo "<exit $status: $stderr>"; return 1; }
  jq ".hits | length" <<<"$output"
}

@test "11.7 intact database: the phrase matches 4, both words 7, stats says tables ok" {
  make_db
  assert_eq 4 "$(total '"crude oil"')" "phrase hits"
  assert_eq 7 "$(total 'crude oil')" "AND hits"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db" --json
  assert_status 0
  assert_eq ok "$(jq -r .tables <<<"$output")" "tables"
  assert_eq 0 "$(jq '.damaged_tables | length' <<<"$output")" "damaged tables"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db"
  assert_status 0
  assert_contains "$output" "tables          ok"
}

@test "11.7 missing position.glass: a phrase search fails with 74 naming the table, instead of answering as AND" {
  make_db
  rm "$GEN/position.glass"
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" -- '"crude oil"'
  assert_status 74
  assert_eq "" "$output" "stdout"
  assert_contains "$stderr" "sitrep-search: error: database table $GEN/position.glass is missing: the database is damaged; rebuild it with sitrep-index --rebuild"
  # Every search, not only phrases, and the JSON error too.
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" --json -- oil
  assert_status 74
  assert_eq io "$(jq -r .error.code <<<"$output")" "JSON error code"
}

@test "11.7 missing docdata.glass: searches fail with 74 instead of showing every hit untitled" {
  make_db
  rm "$GEN/docdata.glass"
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" -- oil
  assert_status 74
  assert_not_contains "$output" "(untitled)" "stdout"
  assert_contains "$stderr" "$GEN/docdata.glass is missing: the database is damaged"
}

@test "11.7 stats of a database without position.glass: exit 74, the table named in text, JSON and stderr" {
  make_db
  rm "$GEN/position.glass"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db"
  assert_status 74
  assert_contains "$output" "tables          DAMAGED: position.glass missing; rebuild with sitrep-index --rebuild"
  assert_contains "$stderr" "sitrep-index: error: database table $GEN/position.glass is missing"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db" --json
  assert_status 74
  assert_eq damaged "$(jq -r .tables <<<"$output")" "tables"
  assert_eq "position.glass missing" "$(jq -r '.damaged_tables[] | "\(.table) \(.problem)"' <<<"$output")" "damaged tables"
  # Documents are still counted: the report is complete apart from the verdict.
  assert_eq 9 "$(jq .documents <<<"$output")" "documents"
}

@test "11.7 stats without docdata.glass and with a truncated termlist.glass: both named, exit 74" {
  make_db
  rm "$GEN/docdata.glass"
  truncate -s 0 "$GEN/termlist.glass"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db" --json
  assert_status 74
  assert_eq "docdata.glass missing;termlist.glass truncated" \
    "$(jq -r '[.damaged_tables[] | "\(.table) \(.problem | split(" ")[0])"] | join(";")' <<<"$output")" \
    "damaged tables"
}

@test "11.7 an unreadable position.glass: exit 77 (permission), not an answer" {
  make_db
  # Root reads every file: run the binaries as nobody over a copy it may enter.
  local dir
  dir=$(mktemp -d /tmp/sitrep-integrity.XXXXXX)
  cp -a "$T/db" "$T/db.d" "$dir/"
  chmod -R a+rX "$dir"
  chmod 000 "$(readlink -f "$dir/db")/position.glass"
  local as=()
  if [ "$(id -u)" -eq 0 ]; then as=(setpriv --reuid=65534 --regid=65534 --clear-groups --); fi
  run --separate-stderr "${as[@]}" "$SITREP_SEARCH" --db "$dir/db" -- '"crude oil"'
  local search_status=$status search_err=$stderr
  run --separate-stderr "${as[@]}" "$SITREP_INDEX" stats --db "$dir/db"
  local stats_status=$status stats_err=$stderr
  rm -rf "$dir"
  status=$search_status stderr=$search_err assert_status 77
  assert_contains "$search_err" "position.glass is unreadable (Permission denied): the database is damaged"
  status=$stats_status stderr=$stats_err assert_status 77
  assert_contains "$stats_err" "position.glass is unreadable (Permission denied)"
}

@test "11.7 an empty database lacks position.glass and docdata.glass: not damage" {
  # Glass creates a table's file at its first entry. (Made with Xapian's own tool, so the test
  # does not depend on what sitrep-index does with empty input.)
  xapian-metadata set "$T/db" note empty
  [ ! -e "$T/db/position.glass" ] || fail "expected glass to create position.glass lazily"
  [ ! -e "$T/db/docdata.glass" ] || fail "expected glass to create docdata.glass lazily"
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" --json -- oil
  assert_status 0
  assert_eq 0 "$(jq .total.articles.estimate <<<"$output")" "hits"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db" --json
  assert_status 0
  assert_eq ok "$(jq -r .tables <<<"$output")" "tables"
}

@test "11.7 --rebuild recovers a database that lost position.glass" {
  make_db
  rm "$GEN/position.glass"
  index "$T/db" --rebuild "$T/archive.jsonl"
  assert_status 0
  assert_eq 4 "$(total '"crude oil"')" "phrase hits after the rebuild"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db"
  assert_status 0
}

# facets QUERY DB: the facets and timeline of a search, as compact JSON.
facets_of() {
  run --separate-stderr "$SITREP_SEARCH" --db "$2" --json --limit 0 --facet-limit 1000 \
    --facets=person,place,org,source,lang,month --timeline=day -- "$1"
  [ "$status" -eq 0 ] || { echo "<exit $status: $stderr>"; return 1; }
  jq -c '{facets, timeline}' <<<"$output"
}

# The facet column file of the live generation of a database.
column_of() {
  local gen
  gen=$(readlink -f "$1")
  ls "$gen"/facets-*.col
}

@test "11.8 a damaged facet column is ignored: facets equal those counted without it; stats says damaged" {
  index "$T/db" "$SAMPLE"
  assert_status 0
  local col query='Kyiv OR Moscow OR grain OR sanctions OR ceasefire OR talks'
  col=$(column_of "$T/db")
  [ -f "$col" ] || fail "no facet column"
  local intact
  intact=$(facets_of "$query" "$T/db")
  # Overwrite the first bytes of the column's blob (entity ids and names, sources, languages): the
  # header stays valid, so a reader without a checksum shows invented values.
  "$PYTHON" - "$col" <<'EOF'
import struct, sys
path = sys.argv[1]
with open(path, "r+b") as f:
    head = f.read(120)
    off_blob = struct.unpack_from("<Q", head, 104)[0]
    f.seek(off_blob)
    f.write(b"Xx#!")
EOF
  local damaged
  damaged=$(facets_of "$query" "$T/db")
  assert_eq "$intact" "$damaged" "facets with a damaged column"
  # The same as a database without the column (counted from the documents' values).
  mv "$col" "$T/column.saved"
  assert_eq "$intact" "$(facets_of "$query" "$T/db")" "facets without a column"
  mv "$T/column.saved" "$col"

  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db" --json
  assert_status 0
  assert_eq damaged "$(jq -r .facet_column_state <<<"$output")" "facet_column_state"
  assert_eq false "$(jq -r .facet_column <<<"$output")" "facet_column"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db"
  assert_status 0
  assert_contains "$output" "facet column    damaged, ignored"

  # The next run writes a good column again.
  index "$T/db" "$SAMPLE"
  assert_status 0
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db" --json
  assert_eq present "$(jq -r .facet_column_state <<<"$output")" "facet_column_state after a run"
  assert_eq "$intact" "$(facets_of "$query" "$T/db")" "facets after the run"
}

@test "11.8 a flipped byte in the column's records: facet counts equal the documents' counts" {
  index "$T/db" "$SAMPLE"
  assert_status 0
  local col query='Kyiv OR Moscow OR grain OR sanctions OR ceasefire OR talks'
  col=$(column_of "$T/db")
  local intact
  intact=$(facets_of "$query" "$T/db")
  # Flip every byte of the records section's first 64 bytes (days, sources, entity numbers).
  "$PYTHON" - "$col" <<'EOF'
import struct, sys
path = sys.argv[1]
with open(path, "r+b") as f:
    head = f.read(120)
    off_records = struct.unpack_from("<Q", head, 64)[0]
    f.seek(off_records)
    data = f.read(64)
    f.seek(off_records)
    f.write(bytes(b ^ 0x5A for b in data))
EOF
  assert_eq "$intact" "$(facets_of "$query" "$T/db")" "facets with damaged records"
  run --separate-stderr "$SITREP_INDEX" stats --db "$T/db" --json
  assert_eq damaged "$(jq -r .facet_column_state <<<"$output")" "facet_column_state"
}
