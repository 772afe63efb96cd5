#!/usr/bin/env bats
# End-to-end tests of entity filters, facets and timelines (sitrep-search) on the sample archive,
# indexed once for this file. Every JSON output is validated against the schema (search_json).

load helpers

setup_file() {
  index_sample_once
}

setup() {
  common_setup
}

# check_facets FACET OPTIONS... -- QUERY: for every value of FACET over the matches of QUERY (with
# OPTIONS), its filter (the value's `filter`) ANDed to QUERY finds as many articles as the value's
# count; the values of a single-valued facet and its missing count add up to the total. With
# --collapse among the OPTIONS, the facet counts stories: each value's stories equal the stories
# `--count --collapse` finds for the filtered query, and its articles the articles.
check_facets() {
  local facet=$1
  shift
  local opts=() plain=() query collapse=""
  while [ "$1" != "--" ]; do
    opts+=("$1")
    if [ "$1" = --collapse ]; then collapse=1; else plain+=("$1"); fi
    shift
  done
  shift
  query="$*"
  search_json --limit 0 --facet-limit 1000 --facets="$facet" "${opts[@]}" -- "$query" || return 1
  local facets total unit
  facets=$output
  total=$(jq .total.articles.estimate <<<"$facets")
  jq -e '.total.articles.exact == true' <<<"$facets" >/dev/null || fail "total not exact for $query"
  unit=$(jq -r --arg f "$facet" '.facets[$f].unit' <<<"$facets")
  local want=articles
  [ -z "$collapse" ] || want=stories
  assert_eq "$want" "$unit" "unit of $facet" || return 1
  local n values
  n=$(jq --arg f "$facet" '.facets[$f].values | length' <<<"$facets")
  [ "$n" -gt 0 ] || fail "facet $facet of \"$query\" has no values"
  values=$(jq -r --arg f "$facet" '.facets[$f].values[] | "\(.articles)\t\(.count)\t\(.stories // "-")\t\(.filter)"' <<<"$facets")
  local articles count stories filter hits counted sum=0
  # One --count (--collapse) per value: its exact article (and story) count, which e2e.contract and
  # quality.counts check against the hits paged through; a paged search per value here made this
  # the slowest suite (220 s under ASan).
  while IFS=$'\t' read -r articles count stories filter; do
    [ -n "$filter" ] || fail "facet $facet of \"$query\": a value without a filter" || return 1
    counted=$("$SITREP_SEARCH" --db "$DB" --count ${collapse:+--collapse} "${plain[@]}" -- "($query) $filter") ||
      fail "--count of \"($query) $filter\" failed" || return 1
    hits=$(head -n1 <<<"$counted")
    assert_eq "$hits" "$articles" "articles of $facet $filter for \"$query\" (${opts[*]})" || return 1
    if [ -n "$collapse" ]; then
      counted=$(tail -n1 <<<"$counted")
      assert_eq "$counted" "$stories" "stories of $facet $filter for \"$query\" (${opts[*]})" || return 1
      assert_eq "$stories" "$count" "count of $facet $filter in stories" || return 1
    else
      assert_eq "$articles" "$count" "count of $facet $filter in articles" || return 1
      sum=$((sum + count))
    fi
  done <<<"$values"
  # Single-valued facets partition the matching articles: values + missing = total.
  if [ -z "$collapse" ]; then
    case "$facet" in
      source | lang | year | month | day)
        local rest
        rest=$(jq --arg f "$facet" '.facets[$f].missing' <<<"$facets")
        assert_eq "$total" "$((sum + rest))" "$facet values + missing for \"$query\""
        ;;
    esac
  fi
}

# check_timeline INTERVAL OPTIONS... -- QUERY: the timeline's articles and undated sum to the
# number of hits, each period's count is in the timeline's unit.
check_timeline() {
  local interval=$1
  shift
  local opts=()
  while [ "$1" != "--" ]; do
    opts+=("$1")
    shift
  done
  shift
  search_json --limit 0 --timeline "$interval" "${opts[@]}" -- "$*" || return 1
  local sum total hits
  sum=$(jq '([.timeline.periods[].articles] | add // 0) + .timeline.undated' <<<"$output")
  total=$(jq .total.articles.estimate <<<"$output")
  jq -e 'all(.timeline.periods[]; .count == .articles and .start <= .end)' <<<"$output" >/dev/null ||
    fail "timeline ($interval) of \"$*\": a count that is not the articles, or a bad period" || return 1
  hits=$(ids "${opts[@]}" -- "$*" | wc -w)
  assert_eq "$hits" "$total" "total of \"$*\"" || return 1
  assert_eq "$total" "$sum" "timeline ($interval) sum of \"$*\""
}

@test "every spelling of a person finds the same articles" {
  local want
  want=$(sorted_ids person:zelenskyy)
  [ -n "$want" ] || fail "person:zelenskyy finds nothing"
  for q in 'person:Зеленский' 'person:Зеленський' 'person:"Volodymyr Zelensky"' \
    'person:Zelenskiy' 'person:Zelensky' 'person:ZELENSKYY' 'person:«Volodymyr Zelensky»'; do
    assert_eq "$want" "$(sorted_ids "$q")" "$q vs person:zelenskyy"
  done
  want=$(sorted_ids 'person:"Yuri Ushakov"')
  [ -n "$want" ] || fail "person:\"Yuri Ushakov\" finds nothing"
  assert_eq "$want" "$(sorted_ids 'person:"Yury Ushakov"')" "Yury vs Yuri Ushakov"
  assert_eq "$want" "$(sorted_ids person:ushakov)" "surname alone"
  assert_eq "$want" "$(sorted_ids person:Ушаков)" "Ушаков"
}

@test "every spelling of a place finds the same articles" {
  local want
  want=$(sorted_ids place:Kyiv)
  [ -n "$want" ] || fail "place:Kyiv finds nothing"
  for q in place:Kiev place:Київ place:Киев place:kyiv; do
    assert_eq "$want" "$(sorted_ids "$q")" "$q vs place:Kyiv"
  done
}

@test "an entity id from the JSON output finds the articles it was counted in" {
  search_json --facets=person,place,org --limit 0 -- person:zelenskyy
  local id
  id=$(jq -r '.facets.person.values[0].value' <<<"$output")
  assert_eq volodymyr-zelensky "$id" "top person of person:zelenskyy"
  assert_eq "$(sorted_ids person:zelenskyy)" "$(sorted_ids "person:$id")" "by id"
  assert_eq "$(sorted_ids person:zelenskyy)" "$(sorted_ids "entity:$id")" "entity: by id"
}

@test "hits list their entities by type with display names" {
  search_json --limit 1000 -- person:zelenskyy
  jq -e '.hits | length > 0' <<<"$output" >/dev/null || fail "no hits"
  jq -e 'all(.hits[]; any(.entities.person[]; .id == "volodymyr-zelensky" and .name != ""))' \
    <<<"$output" >/dev/null || fail "a hit of person:zelenskyy does not list Zelensky"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 3 -- person:zelenskyy
  assert_status 0
  assert_contains "$output" "People: "
}

@test "unknown names match nothing and are not errors; empty values are" {
  search_json -- person:nosuchpersonanywhere
  assert_eq 0 "$(jq '.hits | length' <<<"$output")" "hits"
  assert_eq "$(sorted_ids place:Kyiv)" "$(sorted_ids -- place:Kyiv -person:nosuchpersonanywhere)"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json -- 'person:""'
  assert_status 65
  printf '%s' "$output" | validate_json
}

@test "entity filters combine with words, operators, dates and other filters" {
  local all zel ush both either
  zel=$(sorted_ids person:zelenskyy)
  ush=$(sorted_ids person:ushakov)
  all=$(sorted_ids -- -qqqnosuchword)
  both=$(comm -12 <(tr ' ' '\n' <<<"$zel") <(tr ' ' '\n' <<<"$ush") | xargs)
  either=$(sort -u <(tr ' ' '\n' <<<"$zel $ush") | xargs)
  assert_eq "$both" "$(sorted_ids person:zelenskyy person:ushakov)" "AND"
  assert_eq "$both" "$(sorted_ids person:zelenskyy AND person:ushakov)" "explicit AND"
  assert_eq "$either" "$(sorted_ids person:zelenskyy OR person:ushakov)" "OR"
  assert_eq "$(comm -23 <(tr ' ' '\n' <<<"$zel") <(tr ' ' '\n' <<<"$ush") | xargs)" \
    "$(sorted_ids -- person:zelenskyy -person:ushakov)" "-person:"
  assert_eq "$(comm -23 <(tr ' ' '\n' <<<"$all") <(tr ' ' '\n' <<<"$zel") | xargs)" \
    "$(sorted_ids -- -person:zelenskyy)" "exclusion only"
  assert_eq "$(sorted_ids -- -person:zelenskyy)" "$(sorted_ids NOT person:zelenskyy)" "NOT"
  # Dates: date: and --since/--until narrow the same way.
  assert_eq "$(sorted_ids person:zelenskyy date:2025..)" "$(sorted_ids --since 2025 person:zelenskyy)"
  local dated
  dated=$(sorted_ids person:zelenskyy date:2025..)
  for id in $dated; do
    assert_contains " $zel " " $id " "date-filtered hits are Zelensky hits"
  done
  # Words and other filters.
  assert_eq "$(comm -12 <(sorted_ids talks | tr ' ' '\n') <(tr ' ' '\n' <<<"$zel") | xargs)" \
    "$(sorted_ids talks person:zelenskyy)" "word AND person:"
  assert_eq "$(comm -12 <(sorted_ids lang:uk | tr ' ' '\n') <(tr ' ' '\n' <<<"$zel") | xargs)" \
    "$(sorted_ids '(person:zelenskyy) lang:uk')" "person: lang:"
}

@test "facet counts equal the counts of each value's filter run as its own query" {
  for facet in person place org source lang year month; do
    check_facets "$facet" -- -qqqnosuchword
    check_facets "$facet" -- talks OR ceasefire
  done
  for facet in person place source year; do
    check_facets "$facet" -- person:zelenskyy
  done
  check_facets day -- ceasefire
}

@test "with --collapse, facets count stories, and each value's articles and stories are its filter's" {
  for facet in person place source lang year; do
    check_facets "$facet" --collapse -- -qqqnosuchword
    check_facets "$facet" --collapse -- talks OR ceasefire
  done
  # No value counts more than the total of its unit.
  search_json --limit 0 --collapse --facets --facet-limit 1000 -- -qqqnosuchword
  jq -e '.total.stories.estimate as $s | .total.articles.estimate as $a |
    all(.facets[]; .unit == "stories" and all(.values[]; .count == .stories and .stories <= $s and .articles <= $a and .stories <= .articles))' \
    <<<"$output" >/dev/null || fail "a facet value over its total: $(jq -c '.total' <<<"$output")"
}

@test "a source whose name holds quotes and a backslash is selected by its filter" {
  printf '%s\n' '{"id":"q-1","source":"Smith \"Quote\" & Co","title":"Walrus report","body":"A walrus was seen."}' \
    '{"id":"q-2","source":"Back\\slash News","title":"Walrus again","body":"Another walrus."}' \
    '{"id":"q-3","source":"Walrus Weekly","title":"Walrus elsewhere","body":"A third walrus."}' >"$T/quotes.jsonl"
  run "$SITREP_INDEX" --db "$T/db" "$T/quotes.jsonl"
  assert_status 0
  DB="$T/db" search_json --limit 0 --facets=source walrus
  local filter facets=$output
  for value in 'Smith "Quote" & Co' 'Back\slash News'; do
    filter=$(jq -r --arg v "$value" '.facets.source.values[] | select(.value == $v) | .filter' <<<"$facets")
    [ -n "$filter" ] || fail "no filter for source $value: $(jq -c .facets.source <<<"$facets")"
    assert_eq "$value" "$(jq -r --arg v "$value" '.facets.source.values[] | select(.value == $v) | .label' <<<"$facets")" "label"
    DB="$T/db" search_json --limit 10 -- "walrus $filter"
    assert_eq "$value" "$(jq -r '[.hits[].source] | unique | join("|")' <<<"$output")" "hits of $filter"
  done
}

@test "facet counts respect NOT, date: and --since/--until" {
  for facet in person source month; do
    check_facets "$facet" -- Ukraine NOT date:2025
    check_facets "$facet" --since 2025-01-01 -- Ukraine -person:zelenskyy
    check_facets "$facet" --until 2025-06 -- '(talks OR peace) -lang:ru'
  done
}

@test "facet values: top N by count then value, names from the lexicon, undated apart" {
  search_json --limit 0 --facets --facet-limit 3 -- -qqqnosuchword
  assert_eq '["person","place","org","source","lang","year"]' "$(jq -c .query.facets <<<"$output")" \
    "default facets"
  assert_eq 3 "$(jq .query.facet_limit <<<"$output")" "facet_limit"
  for f in person place org source lang year; do
    jq -e --arg f "$f" '.facets[$f].values | length <= 3' <<<"$output" >/dev/null ||
      fail "$f has more than 3 values"
    jq -e --arg f "$f" '.facets[$f].values | . == (sort_by(-.count, .value))' \
      <<<"$output" >/dev/null || fail "$f values are not ordered by count then value"
  done
  jq -e '.facets.person.values | all(.label != .value and .filter == "person:" + .value)' <<<"$output" >/dev/null ||
    fail "person display names missing: $(jq -c .facets.person <<<"$output")"
  # The sample has undated articles: counted apart, never given a year.
  jq -e '.facets.year.missing > 0' <<<"$output" >/dev/null || fail "no undated count"
  jq -e '.facets.lang.values | all(.filter == "lang:" + .value and .label != .value)' <<<"$output" >/dev/null ||
    fail "lang values: $(jq -c .facets.lang <<<"$output")"
  jq -e '.facets.year.values | all(.filter == "date:" + .value)' <<<"$output" >/dev/null ||
    fail "year values: $(jq -c .facets.year <<<"$output")"
  assert_eq 52 "$(jq '.total.articles.estimate' <<<"$output")" "total"
}

@test "timelines sum to the total, for every interval and with filters" {
  for interval in month week day quarter year; do
    check_timeline "$interval" -- -qqqnosuchword
    check_timeline "$interval" -- talks OR ceasefire
    check_timeline "$interval" --since 2024-06 -- person:zelenskyy
    check_timeline "$interval" -- Ukraine NOT date:2025
  done
  check_timeline month -- nosuchwordanywhere
}

@test "a timeline lists every period from first to last, zero ones included, in order" {
  search_json --limit 0 --timeline month -- -qqqnosuchword
  jq -e '.timeline.interval == "month"' <<<"$output" >/dev/null || fail "interval"
  local periods first last n expected
  periods=$(jq -r '.timeline.periods[].period' <<<"$output")
  first=$(head -n1 <<<"$periods")
  last=$(tail -n1 <<<"$periods")
  n=$(wc -l <<<"$periods")
  expected=$(((10#${last:0:4} - 10#${first:0:4}) * 12 + 10#${last:5:2} - 10#${first:5:2} + 1))
  assert_eq "$expected" "$n" "months from $first to $last"
  assert_eq "$periods" "$(sort <<<"$periods")" "order"
  jq -e '.timeline.periods[0].count > 0 and .timeline.periods[-1].count > 0' <<<"$output" \
    >/dev/null || fail "first and last periods must have matches"
  search_json --limit 0 --timeline week -- -qqqnosuchword
  jq -e 'all(.timeline.periods[].period; test("^[0-9]{4}-W[0-5][0-9]$"))' <<<"$output" \
    >/dev/null || fail "week periods are not ISO weeks"
}

@test "text mode: facets and a '#' bar chart when not on a terminal" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --facets=year,source --timeline month \
    --limit 1 -- talks
  assert_status 0
  # Text output collapses: facets and timeline count stories.
  [[ "$output" =~ Facets\ over\ [0-9,]+\ stories\ \([0-9,]+\ articles\),\ in\ stories: ]] ||
    fail "facets header: $output"
  assert_contains "$output" "  year  "
  assert_contains "$output" "Stories per month:"
  assert_not_contains "$output" "matches"
  assert_contains "$output" "#"
  assert_contains "$output" "undated"
  assert_not_contains "$output" "█"
}

@test "text mode on a terminal: the timeline is drawn with Unicode blocks" {
  command -v script >/dev/null || skip "script(1) from util-linux is needed to get a terminal"
  local cmd
  printf -v cmd '%q ' "$SITREP_SEARCH" --db "$DB" --timeline month --limit 0 -- -qqqnosuchword
  NO_COLOR=1 run script -qec "$cmd" /dev/null
  assert_status 0
  assert_contains "$output" "Stories per month:"
  assert_contains "$output" "█"
  assert_not_contains "$output" "#"
}

@test "bad facet options are usage errors" {
  for args in "--facets=bogus" "--facets=person,bogus" "--facet-limit 0" "--timeline decade" \
    "--timeline month --timeline-max 1" "--timeline-max 10"; do
    # shellcheck disable=SC2086  # split the option and its value
    run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json $args -- talks
    assert_status 64
    printf '%s' "$output" | validate_json
    assert_eq usage "$(jq -r .error.code <<<"$output")" "code for $args"
  done
  # A bare --facets takes the next word as its list: the message says to use '--'.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --facets talks
  assert_status 64
  assert_contains "$stderr" "'--'"
  # --facets=default and --facets -- QUERY both mean the default list.
  search_json --facets=default --limit 0 talks
  assert_eq '["person","place","org","source","lang","year"]' "$(jq -c .query.facets <<<"$output")"
  assert_eq talks "$(jq -r .query.text <<<"$output")" "query text"
  search_json --facets --limit 0 -- talks
  assert_eq '["person","place","org","source","lang","year"]' "$(jq -c .query.facets <<<"$output")"
}
