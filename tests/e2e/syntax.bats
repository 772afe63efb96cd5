#!/usr/bin/env bats
# Issue 14: a query the parser cannot read as written is query_syntax with a message saying what
# is wrong, never a silently different query (Xapian 1.4's QueryParser reparses such a query with
# its operators read as words). The property test over generated queries is
# tests/unit/test_query_property.cpp; this runs the real binary on the sample archive.

load helpers

setup_file() {
  index_sample_once
}

setup() {
  common_setup
}

# syntax_err QUERY WORD: the search is query_syntax (exit 65) and its message names WORD.
syntax_err() {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json -- "$1"
  assert_status 65
  printf '%s' "$output" | validate_json
  assert_eq query_syntax "$(jq -r .error.code <<<"$output")" "error.code for $1"
  assert_contains "$(jq -r .error.message <<<"$output")" "$2"
}

@test "NEAR and ADJ take single words: a phrase, hyphenated word, wildcard or filter is query_syntax" {
  syntax_err 'grain OR (corridor NEAR/5 black-sea)' 'hyphenated word black-sea'
  syntax_err 'grain NEAR "black sea"' 'phrase "black sea"'
  syntax_err '"black sea" ADJ/3 grain' 'ADJ/3 joins single words'
  syntax_err 'grain NEAR corrid*' 'wildcard corrid*'
  syntax_err 'grain NEAR source:meridian' 'filter source:meridian'
  syntax_err 'grain NEAR (sea OR port)' 'group in parentheses'
  syntax_err 'grain NEAR sea ADJ port' 'cannot mix NEAR and ADJ'
  # Single words still run, and so does the rest of the query around them.
  search_json 'grain OR (corridor NEAR/5 black)'
  assert_contains "$(jq -r .query.parsed <<<"$output")" "NEAR 6"
  search_json 'ships grain NEAR/3 corridor'  # a word before a NEAR chain (QueryParser refused it)
  assert_contains "$(jq -r .query.parsed <<<"$output")" "NEAR 4"
}

@test "NEAR/N and ADJ/N: N from 1 to 999, else query_syntax naming the operator" {
  search_json 'grain NEAR/999 corridor'
  assert_contains "$(jq -r .query.parsed <<<"$output")" "NEAR 1000"
  search_json 'grain ADJ/1 corridor'
  syntax_err 'grain NEAR/1000 corridor' 'NEAR/1000'
  syntax_err 'grain NEAR/0 corridor' 'NEAR/0'
  syntax_err 'grain ADJ/05 corridor' 'ADJ/5'
  syntax_err 'grain NEAR/x corridor' 'NEAR/x'
}

@test "operators keep their meaning where QueryParser used to reparse the query" {
  # A ')' that closes nothing is dropped; '-' after an operator excludes; -date: excludes a range.
  local a b
  a=$(sorted_ids 'grain OR corridor')
  b=$(sorted_ids 'grain OR corridor )')
  assert_eq "$a" "$b" "unmatched )"
  search_json 'grain OR -corridor sea'
  assert_contains "$(jq -r .query.parsed <<<"$output")" "AND_NOT"
  search_json 'grain -date:2022'
  assert_contains "$(jq -r .query.parsed <<<"$output")" "AND_NOT VALUE_RANGE"
}

@test "a typographic quote inside an ASCII-quoted phrase is text, not the end of the phrase" {
  local a b
  search_json '"power plants. “Everyone wants"'
  assert_contains "$(jq -r .query.parsed <<<"$output")" "PHRASE 4"
  a=$(sorted_ids '"power plants. “Everyone wants"')
  b=$(sorted_ids '"power plants everyone wants"')
  [ -n "$b" ] || fail "the sample archive has no article with the phrase"
  assert_eq "$b" "$a" "phrase with a curly quote inside"
}
