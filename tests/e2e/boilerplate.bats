#!/usr/bin/env bats
# Boilerplate (docs/design/boilerplate.md): lines recurring across an outlet's articles and lines
# matching the built-in patterns stop matching by default, while the same words in real article
# text still match; --include-boilerplate finds them; snippets leave them out; --explain lists them
# with the reason; --serve takes include_boilerplate and explain; counts kept in the database
# judge articles read later from standard input.
#
# tests/data/boilerplate/archive.jsonl: Harbour Wire, 8 articles, each ending with the same
# membership appeal and evening-digest box, two of them quoting the same harbour master; Steppe
# Post, 3 articles, one of which says "become a member" and "evening digest" in its real text and
# one of which carries a one-off appeal, a photo credit and a "Read more:" list.

load helpers

FIXTURE="$SITREP_ROOT/tests/data/boilerplate/archive.jsonl"
MORE="$SITREP_ROOT/tests/data/boilerplate/more.jsonl"
HW="hw-01 hw-02 hw-03 hw-04 hw-05 hw-06 hw-07 hw-08"

setup_file() {
  require_tools
  export DB="$BATS_FILE_TMPDIR/db"
  "$SITREP_INDEX" --db "$DB" "$FIXTURE" >"$BATS_FILE_TMPDIR/index.out" 2>"$BATS_FILE_TMPDIR/index.err" ||
    fail "indexing the boilerplate fixture failed: $(cat "$BATS_FILE_TMPDIR/index.err")"
}

setup() {
  common_setup
}

@test "an outlet's recurring appeal no longer matches; the same words in real text still do" {
  assert_eq "sp-01" "$(sorted_ids '"become a member"')" "phrase, default"
  assert_eq "sp-01" "$(sorted_ids member)" "a word, default"
  assert_eq "sp-01" "$(sorted_ids evening digest)" "the digest box, default"
  assert_eq "" "$(sorted_ids limits)" "a word only the appeal has"
  # The outlet's own text is untouched: its name in the appeal is gone, its reporting is not.
  assert_eq "hw-02 hw-05" "$(sorted_ids '"the port will stay open"')" "a quote two articles share"
  assert_eq "hw-08" "$(sorted_ids pilots estuary)" "reporting"
}

@test "--include-boilerplate searches the boilerplate too" {
  assert_eq "$HW sp-01" "$(sorted_ids --include-boilerplate '"become a member"')" "phrase"
  assert_eq "$HW" "$(sorted_ids --include-boilerplate limits)" "a word only the appeal has"
  assert_eq "$HW sp-01" "$(sorted_ids --include-boilerplate 'evening AND digests')" "stems"
  # A phrase may run from the article's text into its boilerplate.
  assert_eq "hw-08" "$(sorted_ids --include-boilerplate '"frost holds keep the harbour wire"')" \
    "across the boundary"
  assert_eq "" "$(sorted_ids '"frost holds keep the harbour wire"')" "across, default"
}

@test "snippets leave boilerplate lines out, unless it is searched" {
  search_json --limit 20 harbour
  assert_eq "hw-02 hw-05 hw-08" "$(jq -r '[.hits[].id] | sort | join(" ")' <<<"$output")" "hits"
  local snippets
  snippets=$(jq -r '.hits[].snippet_text' <<<"$output")
  assert_not_contains "$snippets" "member" "default snippets"
  assert_not_contains "$snippets" "digest" "default snippets"
  assert_contains "$snippets" "Harbour pilots warned" "default snippets"
  search_json --limit 20 --include-boilerplate limits
  assert_contains "$(jq -r '.hits[0].snippet_html' <<<"$output")" "without <mark>limits</mark>" \
    "snippet with --include-boilerplate"
  # Text output too.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" pilots
  assert_status 0
  assert_contains "$output" "Harbour [pilots] warned"
  assert_not_contains "$output" "become a member"
}

@test "--explain lists an article's suppressed lines and why" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --explain hw-02
  assert_status 0
  assert_contains "$output" "2 of 4 lines of the body are boilerplate"
  assert_contains "$output" "line 5 (recurs in 8 of 8 articles of this source):"
  assert_contains "$output" "Keep the Harbour Wire reporting: become a member"
  assert_not_contains "$output" "the harbour master said"
  search_json --explain sp-02
  assert_eq "sp-02 6 5" "$(jq -r '.explain | "\(.id) \(.lines) \(.suppressed | length)"' <<<"$output")" \
    "id, lines, suppressed"
  assert_eq "pattern:credit pattern:donation pattern:related list:related list:related" \
    "$(jq -r '[.explain.suppressed[] | "\(.reason):\(.pattern)"] | join(" ")' <<<"$output")" \
    "reasons"
  assert_eq "Photo: Steppe Post archive" "$(jq -r '.explain.suppressed[0].text' <<<"$output")" \
    "text"
  assert_eq "1 5 7 8 9" "$(jq -r '[.explain.suppressed[].line] | map(tostring) | join(" ")' <<<"$output")" \
    "line numbers"
  search_json --explain hw-01
  assert_eq "recurring 8 8" \
    "$(jq -r '.explain.suppressed[0] | "\(.reason) \(.count) \(.articles)"' <<<"$output")" \
    "counts"
  # An article with no boilerplate.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --explain sp-03
  assert_status 0
  assert_contains "$output" "No boilerplate: all 1 lines of the body are searched."
  search_json --explain sp-03
  assert_eq 0 "$(jq '.explain.suppressed | length' <<<"$output")" "none"
}

@test "--explain errors: unknown id, a query as well, bad --serve values" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json --explain no-such-id
  assert_status 66
  printf '%s' "$output" | validate_json
  assert_eq not_found "$(jq -r .error.code <<<"$output")" "code of an unknown id"
  assert_contains "$(jq -r .error.message <<<"$output")" "no-such-id"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json --explain hw-01 harbour
  assert_status 64
  printf '%s' "$output" | validate_json
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --explain ''
  assert_status 64  # an empty id is a usage error, before any lookup
  run --separate-stderr "$SITREP_SEARCH" --db "$BATS_TEST_TMPDIR/none" --explain hw-01
  assert_status 66
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve <<'EOF'
{"query":"limits","include_boilerplate":true,"limit":0}
{"query":"limits","limit":0}
{"explain":"sp-02"}
{"query":"limits","include_boilerplate":"yes"}
{"explain":7}
{"explain":"nope"}
{"query":"x","explain":"hw-01"}
EOF
  assert_status 0
  printf '%s\n' "$output" | validate_json
  # The three good requests are valid by the request schema.
  printf '%s\n' '{"query":"limits","include_boilerplate":true,"limit":0}' '{"query":"limits","limit":0}' \
    '{"explain":"sp-02"}' >"$BATS_TEST_TMPDIR/requests.jsonl"
  "$PYTHON" "$VALIDATOR" "$SCHEMA_DIR/serve-request.schema.json" "$BATS_TEST_TMPDIR/requests.jsonl" ||
    fail "good requests do not match serve-request.schema.json"
  printf '%s\n' '{"explain":7}' >"$BATS_TEST_TMPDIR/bad.jsonl"
  ! "$PYTHON" "$VALIDATOR" "$SCHEMA_DIR/serve-request.schema.json" "$BATS_TEST_TMPDIR/bad.jsonl" \
    2>/dev/null || fail "a bad explain request matches serve-request.schema.json"
  assert_eq "8 0 5 usage usage not_found usage" \
    "$(jq -r 'if .error then .error.code elif .explain then (.explain.suppressed | length) else .total.articles.estimate end' <<<"$output" | tr '\n' ' ' | sed 's/ $//')" \
    "serve answers"
}

@test "counts kept in the database judge articles read later from standard input" {
  local db="$BATS_TEST_TMPDIR/db"
  run "$SITREP_INDEX" --db "$db" "$FIXTURE"
  assert_status 0
  run "$SITREP_INDEX" --db "$db" - <"$MORE"
  assert_status 0
  assert_contains "$output" "2 records read: 2 added"
  DB="$db"
  assert_eq "sp-01" "$(sorted_ids '"become a member"')" "default"
  assert_eq "$HW hw-09 hw-10 sp-01" "$(sorted_ids --include-boilerplate '"become a member"')" \
    "include"
  search_json --explain hw-10
  # The 8 articles in the database when the run began, plus the 2 of this run counted by the
  # prescan: since issue 11 standard input is read twice too (a spooled copy), like a file.
  assert_eq "recurring 10 10" \
    "$(jq -r '.explain.suppressed[0] | "\(.reason) \(.count) \(.articles)"' <<<"$output")" \
    "stored counts + the article"
  # From files, a later run's prescan counts only the records not yet in the database: the 8
  # already there are counted once (by their line terms), the 2 new ones by the prescan.
  local db2="$BATS_TEST_TMPDIR/db2"
  run "$SITREP_INDEX" --db "$db2" "$FIXTURE"
  assert_status 0
  run "$SITREP_INDEX" --db "$db2" "$FIXTURE" "$MORE"
  assert_status 0
  assert_contains "$output" "13 records read: 2 added, 0 updated, 11 unchanged"
  DB="$db2"
  search_json --explain hw-10
  assert_eq "recurring 10 10" \
    "$(jq -r '.explain.suppressed[0] | "\(.reason) \(.count) \(.articles)"' <<<"$output")" \
    "stored counts + the prescan's"
}

@test "--no-boilerplate indexes every line as text; bad input still never crashes" {
  local db="$BATS_TEST_TMPDIR/db"
  run "$SITREP_INDEX" --db "$db" --no-boilerplate "$FIXTURE"
  assert_status 0
  DB="$db"
  assert_eq "$HW sp-01" "$(sorted_ids '"become a member"')" "no detection"
  # Hostile bodies: empty lines only, a lone bullet, a huge line, control characters, a list
  # header at the end, invalid UTF-8 is rejected by the reader.
  {
    printf '%s\n' '{"id":"h1","source":"X","title":"t","body":"\n\n\n \n"}'
    printf '%s\n' '{"id":"h2","source":"X","title":"t","body":"Read more:"}'
    printf '%s\n' '{"id":"h3","source":"X","title":"t","body":"a\nRead more:\n- \n-\n•"}'
    printf '{"id":"h4","source":"X","title":"t","body":"%s\\nPhoto: x"}\n' "$(yes word | head -n 20000 | tr '\n' ' ')"
    printf '%s\n' '{"id":"h5","source":"X","title":"t","body":"\u0001\u0002\nSubscribe now\r\n\u2028x"}'
    printf '{"id":"h6","source":"X","title":"t","body":"bad \xff\\nx"}\n'
    for i in 1 2 3 4 5; do
      printf '{"id":"r%s","source":"X","title":"t","body":"Same line everywhere here.\\nSame line everywhere here.\\nunique %s"}\n' "$i" "$i"
    done
  } >"$BATS_TEST_TMPDIR/hostile.jsonl"
  run --separate-stderr "$SITREP_INDEX" --db "$BATS_TEST_TMPDIR/h" "$BATS_TEST_TMPDIR/hostile.jsonl"
  assert_status 1
  # shellcheck disable=SC2154  # $stderr comes from bats `run --separate-stderr`
  assert_contains "$stderr" "hostile.jsonl:6"
  DB="$BATS_TEST_TMPDIR/h"
  for id in h1 h2 h3 h4 h5 r1; do
    search_json --explain "$id"
  done
  # r1..r5 repeat one line in 5 of X's 10 articles (threshold 4): suppressed, twice in each.
  search_json --explain r1
  assert_eq "recurring recurring" "$(jq -r '[.explain.suppressed[].reason] | join(" ")' <<<"$output")" \
    "a repeated line"
  assert_eq "" "$(sorted_ids everywhere)" "default"
  assert_eq "r1 r2 r3 r4 r5" "$(sorted_ids --include-boilerplate everywhere)" "include"
}
