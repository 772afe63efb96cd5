#!/usr/bin/env bats
# shellcheck disable=SC2154  # $status/$output/$stderr come from bats `run`
# The front ends over one library (issue 12): the defaults and limits of the numeric settings are
# defined once and each binary's --help is generated from them; a library error names its setting
# neutrally and each front end phrases it in its own words (sitrep-search's options, the JSON keys
# of its --serve requests); one exit-status table generates both --help footers, and README.md's
# table has a row for each status.

load helpers

setup_file() {
  index_sample_once
}

setup() {
  common_setup
}

# serve_one REQUEST: the answer of `sitrep-search --serve` to one request line, in $output.
serve_one() {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve <<<"$1"
  assert_status 0
}

# cli ARGS...: `sitrep-search --db "$DB" --json ARGS`, the error message in $message, the code in
# $code.
cli() {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json "$@"
  message=$(jq -r '.error.message // ""' <<<"$output")
  code=$(jq -r .error.code <<<"$output")
}

# serve_err REQUEST: the error of the --serve answer to REQUEST in $message and $code.
serve_err() {
  serve_one "$1"
  message=$(jq -r '.error.message // ""' <<<"$output")
  code=$(jq -r .error.code <<<"$output")
}

# help_range BINARY OPTION: "MIN MAX DEFAULT" from "(MIN to MAX, default DEFAULT)" of OPTION in
# BINARY's --help.
help_range() {
  # CLI11 writes an option's description on its line, or on the next when the names are long.
  "$1" --help | grep -A1 -E "^ +(-[a-z],)?$2 " | tr '\n' ' ' |
    grep -oE '\([0-9.]+ to [0-9.]+, default [0-9.]+\)' | head -n 1 |
    sed -E 's/\(([0-9.]+) to ([0-9.]+), default ([0-9.]+)\)/\1 \2 \3/'
}

@test "sitrep-search --help gives each number's range and default, and they are the ones enforced" {
  local opt key min max def
  for pair in --limit:limit --offset:offset --facet-limit:facet_limit --timeout-ms:timeout_ms; do
    opt=${pair%%:*} key=${pair#*:}
    read -r min max def <<<"$(help_range "$SITREP_SEARCH" "$opt")"
    [ -n "$def" ] || fail "$opt: no '(MIN to MAX, default D)' in --help"
    cli "$opt" "$max" --facets=source -- grain
    assert_status 0
    cli "$opt" $((max + 1)) --facets=source -- grain
    assert_eq "limit_exceeded" "$code" "$opt $((max + 1))"
    assert_eq "$opt must be between $min and $max (got $((max + 1)))" "$message" "$opt message"
    cli "$opt" $((min - 1)) --facets=source -- grain
    assert_eq "usage" "$code" "$opt $((min - 1))"
    # --serve: the same outcome, the setting named by its key.
    serve_err "{\"query\":\"grain\",\"facets\":[\"source\"],\"$key\":$((max + 1))}"
    assert_eq "limit_exceeded" "$code" "--serve $key $((max + 1))"
    assert_eq "\"$key\" must be between $min and $max (got $((max + 1)))" "$message" "$key message"
    serve_err "{\"query\":\"grain\",\"facets\":[\"source\"],\"$key\":$((min - 1))}"
    assert_eq "usage" "$code" "--serve $key $((min - 1))"
  done
  # The defaults, as the JSON result reports them.
  search_json --facets=source -- grain
  read -r min max def <<<"$(help_range "$SITREP_SEARCH" --facet-limit)"
  assert_eq "$def" "$(jq .query.facet_limit <<<"$output")" "default facet_limit"
}

@test "--facet-limit over its maximum: limit_exceeded on the command line and in --serve alike" {
  cli --facet-limit 1001 --facets=person -- grain
  assert_status 65
  assert_eq "limit_exceeded" "$code" "command line"
  local cli_message=$message
  serve_err '{"query":"grain","facets":["person"],"facet_limit":1001}'
  assert_eq "limit_exceeded 65" "$code $(jq .error.exit_status <<<"$output")" "--serve"
  assert_eq "${cli_message//--facet-limit/\"facet_limit\"}" "$message" "the same message, its own name"
  serve_err '{"query":"grain","facets":["person"],"facet_limit":0}'
  assert_eq "usage" "$code" "--serve facet_limit 0"
}

@test "--serve names settings by their JSON keys, never by a command-line option" {
  local request expect
  while IFS='|' read -r request expect; do
    serve_err "$request"
    assert_contains "$message" "$expect" "$request"
    assert_not_contains "$message" "--" "$request: no option named"
  done <<'EOF_REQUESTS'
{"query":"grain","limit":5000}|"limit" must be between 0 and 1000 (got 5000)
{"query":"grain","offset":-1}|"offset" must be between 0 and 100000 (got -1)
{"query":"grain","timeout_ms":0}|"timeout_ms" must be between 1 and 60000 (got 0)
{"query":"grain","since":"2024-13"}|"since": invalid date "2024-13"
{"query":"grain","until":"yesterday"}|"until": invalid date "yesterday"
{"query":"grain","facets":["bogus"]}|"facets": unknown facet "bogus"
{"query":"grain","timeline":"decade"}|"timeline" must be day, week, month, quarter, year or auto
{"query":"grain","timeline":"month","timeline_max":1}|"timeline_max" must be between 2 and 1000 (got 1)
{"query":"grain","timeline_max":10}|"timeline_max" goes with a timeline
{"query":"grain","sort":"best"}|"sort" must be relevance, newest or oldest
{"story":"xyz"}|"story": "xyz" is not a story id
{"explain":"no-such-article"}|no article with id "no-such-article"
EOF_REQUESTS
}

@test "the command line names the same settings by their options" {
  local args expect
  while IFS='|' read -r args expect; do
    # shellcheck disable=SC2086  # split the options
    cli $args
    assert_contains "$message" "$expect" "$args"
  done <<'EOF_ARGS'
--limit 5000 grain|--limit must be between 0 and 1000 (got 5000)
--offset -1 grain|--offset must be between 0 and 100000 (got -1)
--timeout-ms 0 grain|--timeout-ms must be between 1 and 60000 (got 0)
--since 2024-13 grain|--since: invalid date "2024-13"
--until yesterday grain|--until: invalid date "yesterday"
--facets=bogus grain|--facets: unknown facet "bogus"
--story xyz|--story: "xyz" is not a story id
--explain no-such-article|no article with id "no-such-article"
--timeline month --timeline-max 1 grain|--timeline-max must be between 2 and 1000 (got 1)
EOF_ARGS
  # A bare --facets takes the next word as its list: the command line says to use '--'.
  cli --facets grain
  assert_contains "$message" "a query after a bare --facets goes after '--'"
  serve_err '{"query":"grain","facets":["grain"]}'
  assert_not_contains "$message" "bare" "--serve has no bare --facets"
}

@test "sitrep-index --help gives each number's range and default, and enforces the range" {
  local opt min max def
  for opt in --threads --commit-every --wait --story-window; do
    read -r min max def <<<"$(help_range "$SITREP_INDEX" "$opt")"
    [ -n "$def" ] || fail "$opt: no '(MIN to MAX, default D)' in --help"
    run --separate-stderr "$SITREP_INDEX" --db "$T/db" "$opt" "$max" --recluster
    [ "$status" -ne 64 ] || fail "$opt $max refused: $stderr"
    run --separate-stderr "$SITREP_INDEX" --db "$T/db" "$opt" "${max%%.*}1" --recluster
    assert_status 64
  done
}

# exit_rows BINARY: the statuses BINARY's --help lists under "Exit status:", one a line.
exit_rows() {
  "$1" --help | sed -n '/^Exit status:/,/^$/s/^  \([0-9][0-9]*\) .*/\1/p'
}

@test "one exit-status table: both --help footers list it, README.md has a row for every status" {
  local bin code
  for bin in "$SITREP_INDEX" "$SITREP_SEARCH"; do
    [ "$(exit_rows "$bin" | wc -l)" -ge 8 ] || fail "$bin --help: no exit-status table"
  done
  assert_eq "0 1 64 65 66 70 74 75 77 78 130 143" "$(exit_rows "$SITREP_INDEX" | tr '\n' ' ' | sed 's/ $//')" \
    "sitrep-index statuses"
  assert_eq "0 64 65 66 70 74 75 77 78" "$(exit_rows "$SITREP_SEARCH" | tr '\n' ' ' | sed 's/ $//')" \
    "sitrep-search statuses"
  for code in $( (exit_rows "$SITREP_INDEX"; exit_rows "$SITREP_SEARCH") | sort -nu); do
    grep -qE "^\| ([0-9]+, )*$code(, [0-9]+)* \|" "$SITREP_ROOT/README.md" ||
      fail "README.md's exit-status table has no row for $code"
  done
}
