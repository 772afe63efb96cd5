#!/usr/bin/env bats
# shellcheck disable=SC2154  # $status/$output/$stderr come from bats `run`
# The JSON contract, version 3 (docs/json.md, docs/design/contract-v3.md), on the sample archive:
# the documentation's examples are valid, counts that say exact are (--count, paging), --get,
# not_found, --serve ids, match-all, --timeline-max, and text output that says what it counts.

load helpers

setup_file() {
  index_sample_once
}

setup() {
  common_setup
}

# count ARGS...: the lines of `sitrep-search --db "$DB" --count ARGS`, space-separated.
count() {
  "$SITREP_SEARCH" --db "$DB" --count "$@" | xargs || echo "<--count failed: $*>"
}

# hits ARGS...: the number of hits of a JSON search (limit 1000).
hits() {
  search_json --limit 1000 "$@" || { echo "<search failed: $*>"; return 1; }
  jq '.hits | length' <<<"$output"
}

QUERIES=(grain 'talks OR ceasefire' '"grain corridor"' Ukraine 'person:zelenskyy' 'peace NEAR talks'
  'Kyiv OR Kiev OR Odesa' -qqqnosuchword nosuchwordanywhere)

@test "the JSON examples of README.md and docs/json.md are valid by the schemas" {
  run "$PYTHON" "$BATS_TEST_DIRNAME/readme_examples.py" "$SITREP_ROOT"
  assert_status 0
  assert_contains "$stderr$output" " 0 problems"
  # And the check fails on an example of version 2 (the README's before this contract).
  mkdir -p "$T/root/docs"
  cp -r "$SITREP_ROOT/schemas" "$T/root/"
  printf '# x\n\n```json\n%s\n```\n' \
    '{"schema_version":2,"query":{"text":"a"},"total":{"estimate":1,"lower_bound":1,"upper_bound":1},"documents":1,"hits":[]}' \
    >"$T/root/README.md"
  run "$PYTHON" "$BATS_TEST_DIRNAME/readme_examples.py" "$T/root" README.md
  assert_status 1
  printf '# x\n\n```json\n{"contract_version":3, ...}\n```\n' >"$T/root/README.md"
  run "$PYTHON" "$BATS_TEST_DIRNAME/readme_examples.py" "$T/root" README.md
  assert_status 1
}

@test "--count prints the exact article count, and stories with --collapse: paging through every hit agrees" {
  local q n articles stories
  for q in "${QUERIES[@]}"; do
    n=$(count -- "$q")
    articles=$(hits -- "$q")
    assert_eq "$articles" "$n" "--count of $q"
    n=$(count --collapse -- "$q")
    stories=$(hits --collapse -- "$q")
    assert_eq "$articles $stories" "$n" "--count --collapse of $q"
    # --count --json: no hits, exact totals.
    search_json --count --collapse -- "$q"
    assert_eq "0 $articles true $stories true stories" \
      "$(jq -r '"\(.hits | length) \(.total.articles.estimate) \(.total.articles.exact) \(.total.stories.estimate) \(.total.stories.exact) \(.total.unit)"' <<<"$output")" \
      "--count --json of $q"
  done
}

@test "a total that says exact equals the hits, with and without collapse, facets, timeline, --exact" {
  local q opts a s
  for q in "${QUERIES[@]}"; do
    a=$(hits -- "$q")
    s=$(hits --collapse -- "$q")
    for opts in "" "--exact" "--facets=default" "--timeline month" "--collapse" "--collapse --exact" \
      "--collapse --facets=person,source" "--collapse --timeline year"; do
      # shellcheck disable=SC2086  # the options are words
      search_json --limit 0 $opts -- "$q"
      jq -e '.total[] | objects | (.exact | not) or (.estimate == .lower_bound and .estimate == .upper_bound)' \
        <<<"$output" >/dev/null || fail "an exact total with bounds apart: $(jq -c .total <<<"$output")"
      jq -e '.total[] | objects | .lower_bound <= .estimate and .estimate <= .upper_bound' \
        <<<"$output" >/dev/null || fail "bounds around the estimate: $(jq -c .total <<<"$output")"
      if jq -e .total.articles.exact <<<"$output" >/dev/null; then
        assert_eq "$a" "$(jq .total.articles.estimate <<<"$output")" "exact articles of $q ($opts)"
      else
        # Not exact: the true number within the bounds.
        jq -e --argjson n "$a" '.total.articles.lower_bound <= $n and $n <= .total.articles.upper_bound' \
          <<<"$output" >/dev/null || fail "articles $a outside the bounds for $q ($opts): $(jq -c .total <<<"$output")"
      fi
      if jq -e '.total.stories.exact' <<<"$output" >/dev/null; then
        assert_eq "$s" "$(jq .total.stories.estimate <<<"$output")" "exact stories of $q ($opts)"
      fi
    done
    # --exact and facets count exactly.
    search_json --limit 0 --exact --collapse -- "$q"
    assert_eq "true true" "$(jq -r '"\(.total.articles.exact) \(.total.stories.exact)"' <<<"$output")" \
      "--exact --collapse of $q"
  done
}

@test "paging by an exact count never lands on an empty page, and the page after it is empty" {
  local q n pages
  for q in 'talks OR ceasefire' Ukraine -qqqnosuchword; do
    for collapse in --no-collapse --collapse; do
      search_json --limit 0 --exact "$collapse" -- "$q"
      n=$(jq '.total[.total.unit].estimate' <<<"$output")
      pages=$(((n + 4) / 5))
      search_json --limit 5 --offset $(((pages - 1) * 5)) --exact "$collapse" -- "$q"
      [ "$(jq '.hits | length' <<<"$output")" -gt 0 ] || fail "last page ($pages of $q $collapse) is empty"
      assert_eq "$n" "$(jq '.hits[-1].rank' <<<"$output")" "rank of the last hit of $q $collapse"
      search_json --limit 5 --offset $((pages * 5)) --exact "$collapse" -- "$q"
      assert_eq 0 "$(jq '.hits | length' <<<"$output")" "the page after the last"
    done
  done
}

@test "--get returns the stored article, as text and JSON, the same in --serve" {
  search_json --limit 1 -- '"grain corridor"'
  local id title story
  id=$(jq -r '.hits[0].id' <<<"$output")
  title=$(jq -r '.hits[0].title' <<<"$output")
  story=$(jq -r '.hits[0].story' <<<"$output")
  assert_eq blackseacourier-2022-0722 "$id" "the hit"
  search_json --get "$id"
  assert_eq "3 $id $title" "$(jq -r '"\(.contract_version) \(.article.id) \(.article.title)"' <<<"$output")" "article"
  assert_contains "$(jq -r .article.body <<<"$output")" "grain corridor" "body"
  assert_eq "$(grep -F "\"$id\"" "$SAMPLE" | jq -r .body)" "$(jq -r .article.body <<<"$output")" \
    "the body as in the record"
  assert_eq "Black Sea Courier en 2022-07-22" \
    "$(jq -r '.article | "\(.source) \(.language) \(.published[0:10])"' <<<"$output")" "metadata"
  assert_eq "$story" "$(jq -r .article.story <<<"$output")" "story"
  jq -e '.article | .story_size >= 1 and (.entities.place | any(.id == "odesa" and .filter == "place:odesa"))' \
    <<<"$output" >/dev/null || fail "story size or entities: $(jq -c '.article | del(.body)' <<<"$output")"
  # The boilerplate lines are those of --explain.
  local got
  got=$(jq -c .article.boilerplate <<<"$output")
  search_json --explain "$id"
  assert_eq "$(jq -c .explain.suppressed <<<"$output")" "$got" "boilerplate vs --explain"
  # --serve gives the same object, with the request's id.
  local one
  one=$("$SITREP_SEARCH" --db "$DB" --json --get "$id")
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve <<<"{\"id\":\"a1\",\"get\":\"$id\"}"
  assert_status 0
  assert_eq "$(jq -cS '.id = "a1"' <<<"$one")" "$(jq -cS . <<<"$output")" "--serve get"
  # Text: the title, the metadata line, the body.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --get "$id"
  assert_status 0
  assert_eq "$title" "$(head -n1 <<<"$output")" "text title"
  assert_contains "$output" "Black Sea Courier | 2022-07-22"
  assert_contains "$output" "grain corridor"
}

@test "unknown ids: not_found, exit 66, for --get, --explain and --story, and in --serve" {
  local opt
  for opt in --get --explain; do
    run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json "$opt" no-such-article
    assert_status 66
    printf '%s' "$output" | validate_json
    assert_eq "not_found 66" "$(jq -r '"\(.error.code) \(.error.exit_status)"' <<<"$output")" "$opt"
    assert_eq 1 "$(wc -l <<<"$stderr")" "one error line for $opt"
    run --separate-stderr "$SITREP_SEARCH" --db "$DB" "$opt" no-such-article
    assert_status 66
    assert_eq "" "$output" "text stdout of $opt"
  done
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json --story 0123456789abcdef
  assert_status 66
  assert_eq not_found "$(jq -r .error.code <<<"$output")" "--story of no article"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve <<<'{"id":9,"get":"no-such-article"}'
  assert_status 0
  printf '%s' "$output" | validate_json
  assert_eq "9 not_found 66" "$(jq -r '"\(.id) \(.error.code) \(.error.exit_status)"' <<<"$output")" "--serve"
}

@test "--serve echoes a request's id in its answer, result or error; not for a line that is not JSON" {
  local long
  long=$(printf 'x%.0s' $(seq 1 201))
  {
    echo '{"id":"page-1","query":"grain","limit":1}'
    echo '{"id":12345678901234,"query":"grain AND"}'
    echo '{"id":"k","query":"grain","colour":true}'
    echo 'not json'
    echo '{"id":[1],"query":"grain"}'
    echo "{\"id\":\"$long\",\"query\":\"grain\"}"
    echo '{"query":"grain","limit":0}'
    echo '{"id":"<b>&\"","explain":"blackseacourier-2022-0722"}'
    echo '{"id":-3,"query":"grain","limit":5000}'
    echo '{"id":1.5,"query":"grain"}'
  } >"$T/requests"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve <"$T/requests"
  assert_status 0
  assert_eq 10 "$(wc -l <<<"$output")" "answers"
  printf '%s\n' "$output" | validate_json
  assert_eq 'page-1 1
12345678901234 query_syntax
k usage
null usage
null usage
null usage
null 0
<b>&" explain
-3 limit_exceeded
null usage' "$(jq -r '"\(.id) \(if .error then .error.code elif .explain then "explain" else (.hits | length) end)"' <<<"$output")" \
    "ids and answers"
  assert_contains "$(sed -n 6p <<<"$output" | jq -r .error.message)" "200 bytes"
  # A one-shot search never has an id.
  search_json --limit 1 grain
  assert_eq false "$(jq 'has("id")' <<<"$output")" "one-shot id"
  # The request schema knows the id too.
  printf '%s\n' '{"id":"page-1","query":"grain"}' '{"id":7,"get":"x"}' >"$T/good"
  "$PYTHON" "$VALIDATOR" "$SITREP_ROOT/schemas/serve-request.schema.json" "$T/good" ||
    fail "serve-request.schema.json refuses an id"
}

@test "match-all: no query lists every article, undated included; --sort newest the latest" {
  search_json --limit 1000
  assert_eq "52 52 true" "$(jq -r '"\(.hits | length) \(.total.articles.estimate) \(.total.articles.exact)"' <<<"$output")" \
    "every article"
  jq -e 'any(.hits[]; .published == null)' <<<"$output" >/dev/null || fail "no undated article listed"
  assert_eq "" "$(jq -r .query.text <<<"$output")" "query.text"
  search_json --sort newest --limit 5
  assert_eq "$(grep -v '^$' "$SAMPLE" | jq -r '.published // empty' | sort -r | head -n1 | cut -c1-10)" \
    "$(jq -r '.hits[0].published[0:10]' <<<"$output")" "the newest article first"
  jq -e '[.hits[].published] | . == (sort | reverse)' <<<"$output" >/dev/null ||
    fail "not newest first: $(jq -c '[.hits[].published]' <<<"$output")"
  # With dates and facets: the articles of the dates; the whole archive's facets.
  search_json --since 2025 --limit 1000
  jq -e 'all(.hits[]; .published >= "2025")' <<<"$output" >/dev/null || fail "--since with no query"
  assert_eq "$(hits -- 'date:2025..')" "$(jq '.hits | length' <<<"$output")" "--since 2025 vs date:2025.."
  search_json --facets=lang --limit 0
  assert_eq 52 "$(jq '([.facets.lang.values[].count] | add) + .facets.lang.missing' <<<"$output")" "languages of all"
  # --serve: {} and an empty query alike.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve <<<$'{}\n{"query":"","sort":"newest","limit":3}'
  assert_status 0
  assert_eq "10 3" "$(jq -r '.hits | length' <<<"$output" | xargs)" "--serve match-all"
  # Text output says what it lists.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --sort newest --no-collapse --exact --limit 3
  assert_status 0
  assert_contains "$(head -n1 <<<"$output")" "Latest articles: 1-3 of 52 articles"
}

@test "--timeline-max widens the interval until the periods fit; auto is the finest within it" {
  local n
  for n in 2 3 5 12 40; do
    search_json --limit 0 --timeline day --timeline-max "$n" -- -qqqnosuchword
    jq -e --argjson n "$n" '.timeline | (.periods | length) <= $n and .requested == "day"' <<<"$output" \
      >/dev/null || fail "more than $n periods: $(jq -c '.timeline | {interval, requested, n: (.periods | length)}' <<<"$output")"
    assert_eq "$n" "$(jq .query.timeline_max <<<"$output")" "query.timeline_max"
    # Periods in order, each from start to end, not overlapping; articles add up.
    jq -e '.timeline.periods | all(.start <= .end) and (to_entries | all(.key == 0 or .value.start > $p[.key - 1].end))' \
      --argjson p "$(jq -c .timeline.periods <<<"$output")" <<<"$output" >/dev/null ||
      fail "periods out of order: $(jq -c '[.timeline.periods[] | [.start, .end]]' <<<"$output")"
    assert_eq 52 "$(jq '([.timeline.periods[].articles] | add) + .timeline.undated' <<<"$output")" "articles of $n periods"
  done
  search_json --limit 0 --timeline auto -- -qqqnosuchword
  jq -e '.timeline | .requested == "auto" and (.periods | length) <= 60 and .interval != "auto"' <<<"$output" \
    >/dev/null || fail "auto: $(jq -c '.timeline | {interval, requested, n: (.periods | length)}' <<<"$output")"
  # The sample spans 2022-2026: days do not fit in 60, months do.
  assert_eq month "$(jq -r .timeline.interval <<<"$output")" "auto interval"
  search_json --limit 0 --timeline auto --timeline-max 5 -- -qqqnosuchword
  assert_eq "year" "$(jq -r .timeline.interval <<<"$output")" "auto within 5"
  # Quarter and year labels.
  search_json --limit 0 --timeline quarter -- -qqqnosuchword
  jq -e 'all(.timeline.periods[].period; test("^[0-9]{4}-Q[1-4]$"))' <<<"$output" >/dev/null || fail "quarter labels"
}

@test "text output counts articles and stories, never bare matches" {
  local out
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 2 -- talks OR ceasefire
  assert_status 0
  out=$output
  # Collapsed by default: articles in stories, each exact or "about" with its bounds.
  [[ "$(head -n1 <<<"$out")" =~ ^Results\ 1-2\ of\ (about\ )?[0-9,]+\ articles\ (\(between\ [0-9,]+\ and\ [0-9,]+\)\ )?in\ (about\ )?[0-9,]+\ stories(\ \(between\ [0-9,]+\ and\ [0-9,]+\))?\ for:\ talks\ OR\ ceasefire$ ]] ||
    fail "header: $(head -n1 <<<"$out")"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --no-collapse --exact --limit 2 -- talks OR ceasefire
  assert_eq "Results 1-2 of $(count -- talks OR ceasefire) articles for: talks OR ceasefire" "$(head -n1 <<<"$output")" \
    "exact, no collapse"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --collapse --facets=lang --timeline year --limit 1 -- talks OR ceasefire
  assert_status 0
  assert_contains "$output" "Facets over $(count --collapse -- talks OR ceasefire | cut -d' ' -f2) stories"
  assert_contains "$output" "Stories per year"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --no-collapse --facets=lang --timeline year --limit 1 -- talks OR ceasefire
  assert_contains "$output" "Facets over $(count -- talks OR ceasefire) articles:"
  assert_contains "$output" "Articles per year"
  out+=$output
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" nosuchwordanywhere
  out+=$output
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 0 grain
  out+=$output
  if grep -qiw 'matches' <<<"$out"; then
    fail "a bare \"matches\" in: $(grep -iw matches <<<"$out")"
  fi
}
