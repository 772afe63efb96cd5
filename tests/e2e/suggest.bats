#!/usr/bin/env bats
# End-to-end tests of name variants in plain queries and "did you mean" suggestions
# (docs/query-language.md, "Name variants and spelling suggestions") on the sample archive,
# indexed once for this file. Every JSON output is validated against the schema (search_json).

load helpers

setup_file() {
  index_sample_once
}

setup() {
  common_setup
}

@test "a misspelt name gets a suggestion in JSON, never applied; a query that finds enough does not" {
  search_json -- Uskakov
  assert_eq 0 "$(jq '.hits | length' <<<"$output")" "hits"
  assert_eq Ushakov "$(jq -r .query.suggestion <<<"$output")" "suggestion"
  assert_eq Uskakov "$(jq -r .query.text <<<"$output")" "text"
  # The suggestion finds articles.
  [ -n "$(ids -- Ushakov)" ] || fail "Ushakov finds nothing"
  # Enough articles, or nothing to correct: no suggestion.
  for q in Witkoff Zelensky 'Ushakov OR Witkof' xyzzyq 'source:Witkof'; do
    search_json -- "$q"
    assert_eq false "$(jq '.query | has("suggestion")' <<<"$output")" "$q" || return 1
  done
}

@test "the text output says: Did you mean" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" -- Witkof
  assert_status 0
  assert_contains "$output" "No articles match: Witkof"
  assert_contains "$output" "Did you mean: Witkoff"
}

@test "the suggestion keeps the query's operators, phrases and case" {
  search_json -- 'Uskakov AND Witkof'
  assert_eq 'Ushakov AND Witkoff' "$(jq -r .query.suggestion <<<"$output")" "operators"
  search_json -- '"Yuri Uskakov"'
  assert_eq '"Yuri Ushakov"' "$(jq -r .query.suggestion <<<"$output")" "phrase"
  search_json -- 'person:Witkof'
  assert_eq 'person:Witkoff' "$(jq -r .query.suggestion <<<"$output")" "entity name"
}

@test "--serve offers the suggestion too" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve <<<'{"query":"Uskakov"}'
  assert_status 0
  printf '%s\n' "$output" | validate_json
  assert_eq Ushakov "$(jq -r .query.suggestion <<<"$output")" "suggestion"
}

@test "name variants: Zelenskiy Miami finds what Zelensky Miami finds" {
  local want
  want=$(sorted_ids -- 'Zelensky Miami')
  [ -n "$want" ] || fail "Zelensky Miami finds nothing"
  assert_eq "$want" "$(sorted_ids -- 'Zelenskiy Miami')" "Zelenskiy Miami"
  assert_eq "$want" "$(sorted_ids -- 'Зеленський Miami')" "Зеленський Miami"
}

@test "name variants: a snippet marks the entity's own names, not a first name it shares with another" {
  # Zelensky's aliases include "Vladimir Zelensky"; "Vladimir" alone names Putin as much as him.
  search_json --limit 50 -- 'Zelenskiy Miami'
  local marked
  marked=$(jq -r '[.hits[].snippet[] | select(.highlight) | .text | ascii_downcase] | unique | join(" ")' <<<"$output")
  assert_contains "$marked" "miami" "marked words"
  assert_contains "$marked" "zelensky" "marked words"
  assert_not_contains "$marked" "vladimir" "marked words"
}

@test "name variants: a name in any spelling finds every article about its entity; a lower-case or all-capitals word is only a word" {
  local pair word filter found id
  for pair in 'Kiev|place:kyiv' 'Путин|person:vladimir-putin' 'Zelenskiy|person:volodymyr-zelensky'; do
    word=${pair%%|*}
    filter=${pair#*|}
    found=" $(ids -- "$word") "
    for id in $(ids -- "$filter"); do
      [[ $found == *" $id "* ]] || fail "$word misses $id of $filter" || return 1
    done
    search_json -- "$word"
    assert_contains "$(jq -r .query.parsed <<<"$output")" "SYNONYM" "$word parsed" || return 1
  done
  search_json -- Kiev
  assert_contains "$(jq -r .query.parsed <<<"$output")" "XELkyiv" "Kiev"
  for q in kiev KIEV; do
    search_json -- "$q"
    assert_not_contains "$(jq -r .query.parsed <<<"$output")" "XEL" "$q" || return 1
  done
}
