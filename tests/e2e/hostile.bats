#!/usr/bin/env bats
# sitrep-search as a web backend fed whatever a visitor types: hostile queries and option sets,
# generated here from catalogues. Every run must end, within the time limit, with exit status 0 and
# a valid result object, or a documented exit status and a valid error object whose exit_status
# says the same, one error line on stderr and nothing else. The sample archive, plus one article
# with 1500 distinct words (for a wildcard that expands too far), is indexed once for this file.

load helpers

# Exit statuses a hostile request may end with: result, usage, query_syntax/limit_exceeded,
# db_missing, io, timeout. Never 70 (internal error), never killed by `timeout` (124) or a signal.
STATUSES=(0 64 65 66 74 75)
# --timeout-ms defaults to 2000 ms; the watchdog gives up 250 ms later. Process start and a busy
# shared machine get the rest of this bound.
MAX_MS=5000

setup_file() {
  index_sample_once
  # One article with 1500 distinct words zq0001..zq1500: zq* would expand to all of them.
  local words
  words=$(seq -f 'zq%04g' 1 1500 | tr '\n' ' ')
  printf '{"id":"many-words","title":"Many words","body":"%s"}\n' "$words" >"$BATS_FILE_TMPDIR/many.jsonl"
  "$SITREP_INDEX" --db "$DB" "$BATS_FILE_TMPDIR/many.jsonl" >/dev/null 2>&1 ||
    fail "indexing the many-words article failed"
}

setup() {
  common_setup
  R="$T/runs"
  mkdir -p "$R"
  RUNS=0
}

# hrun ARGS...: runs sitrep-search --json ARGS (with --db "$DB" unless NO_DB is set) under
# `timeout 10`, and keeps its stdout, stderr, exit status and wall time in $R/N.* for check_runs.
hrun() {
  RUNS=$((RUNS + 1))
  local n=$RUNS db=(--db "$DB") start end rc=0
  [ -n "${NO_DB:-}" ] && db=()
  printf '%q ' "${db[@]}" "$@" >"$R/$n.cmd"
  start=${EPOCHREALTIME/./}
  timeout 10 "$SITREP_SEARCH" --json "${db[@]}" "$@" >"$R/$n.out" 2>"$R/$n.err" || rc=$?
  end=${EPOCHREALTIME/./}
  echo "$rc" >"$R/$n.rc"
  echo $(((end - start) / 1000)) >"$R/$n.ms"
}

# check_runs MIN: at least MIN runs were made, and every one passes validate_json.py --runs.
check_runs() {
  [ "$RUNS" -ge "$1" ] || fail "only $RUNS runs, expected at least $1"
  local out rc=0
  out=$("$PYTHON" "$VALIDATOR" --runs "$SCHEMA_DIR" "$R" "$MAX_MS" "${STATUSES[@]}" 2>&1) || rc=$?
  [ "$rc" -eq 0 ] || fail "$out"
}

# The JSON output and exit status of run N.
run_out() { cat "$R/$1.out"; }
run_rc() { cat "$R/$1.rc"; }

# repeat TEXT N: TEXT N times.
repeat() {
  local s="" i
  for ((i = 0; i < $2; i++)); do s+=$1; done
  printf '%s' "$s"
}

@test "hostile queries: each gets a valid result or a valid error, in time" {
  local q d
  local -a queries=(
    # Unbalanced quotes (straight, curly, guillemets) and parentheses.
    '"' '""' '"""' '"grain' 'grain"' '"grain corridor' '“grain' '”grain”' '«grain' 'grain»' '„'
    '(' ')' '()' '(grain' 'grain)' ')grain(' '((((grain' ')))' '(((' '(grain))' '((grain)'
    '("grain)' '"(grain"' '( ( ( ) ) )'
    # Operators alone, in stacks, at the edges, in the wrong case.
    'AND' 'OR' 'NOT' 'XOR' 'NEAR' 'ADJ' 'NEAR/5' 'AND OR NOT' 'NOT NOT grain' 'grain AND'
    'AND grain' 'grain AND AND grain' 'grain OR OR grain' 'grain AND NOT corridor'
    'grain NOT NOT corridor' 'grain XOR XOR' '(AND)' '(grain AND)' 'grain NEAR' 'NEAR grain'
    'grain NEAR/0 corridor' 'grain NEAR/999 corridor' 'grain NEAR/99999 corridor'
    'grain ADJ/9999 corridor' 'grain NEAR/-1 corridor' 'grain NEAR/x corridor' 'and or not'
    '+' '-' '+-' '-+' '++grain' '--grain' '+-+-grain' '-+-+grain' 'grain -' 'grain +'
    '- grain' '-(grain)' '-"grain corridor"' '-grain -corridor' 'NOT grain' 'NOT (grain OR sea)'
    "$(repeat 'grain AND ' 300)grain" "$(repeat 'NOT ' 200)grain" "$(repeat '+' 500)grain"
    "$(repeat '-' 500)grain" "$(repeat 'OR ' 400)"
    # Deep nesting (the limit is 32).
    "$(repeat '(' 10)grain$(repeat ')' 10)" "$(repeat '(' 32)grain$(repeat ')' 32)"
    "$(repeat '(' 33)grain$(repeat ')' 33)" "$(repeat '(' 1000)grain$(repeat ')' 1000)"
    "$(repeat '(' 2000)" "$(repeat ')' 2000)" "$(repeat '(grain OR ' 30)sea$(repeat ')' 30)"
    "$(repeat '("' 500)"
    # Wildcards.
    '*' '**' '*grain' 'g*' 'zq*' 'zq0*' 'zq00*' 'zq000*' 'grai*' 'g*r*a*i*n' 'title:g*'
    '"grain*"' 'grain* corridor*' "$(repeat 'g* ' 9)" "$(repeat 'zq0* ' 8)" 'person:z*'
    # Field prefixes: unknown, empty, odd values.
    'foo:bar' 'xyz:"a b"' 'http://example.com/a?b=c' 'title:' 'source:' 'person:' 'place:'
    'org:' 'entity:' 'id:' 'lang:' 'date:' 'person:""' 'id:"a b"' 'id:(x)' 'lang:klingon'
    'lang:"' 'source:"' 'title:"' 'TITLE:grain' 'Title:"grain corridor"' ':grain' 'grain:'
    '::::' 'person:zelenskyy person:' 'source:*' 'date:*' 'id:*'
    # Dates.
    'date:2025-13-45' 'date:2025-02-30' 'date:2024-02-29' 'date:0000-00-00' 'date:9999-12-31'
    'date:0000' 'date:..' 'date:...' 'date:2026..2025' 'date:-1' 'date:2025-1-1' 'date:2025/01/01'
    'date:99999999999999999999' 'date:2025-01-01T00:00:00Z' 'date:2024..' 'date:..2024'
    'date:2024-03..2024-02' 'date:yesterday' 'date:"2024"' 'date:2024..2025..2026'
    # Control characters and odd Unicode (NUL cannot be in an argument vector).
    $'grain\tcorridor' $'grain\ncorridor' $'grain\rcorridor' $'\x01\x02\x03' $'grain\x1b[31m'
    $'\x7f' $'gr\x08ain' $'"grain\ncorridor"' $'date:"2025\n-01"' $'id:"x\ny"'
    $'grain\u202ecorridor' $'\u200b\u200b' $'\ufeffgrain' $'\U0001F600' $'e\u0301\u0301\u0301'
    "$(repeat $'a\u0301' 500)" '中文 新闻' 'الحبوب' 'Зеленський' $'\uFFFD' $'\uFFFF'
    # Invalid UTF-8.
    $'\xff' $'grain \xfe' $'\xc3' $'\xc3(' $'\xed\xa0\x80' $'\xc0\xaf' $'\xf4\x90\x80\x80'
    $'\xe2\x80' $'"\xff"' $'date:\xff'
    # Markup, injection-looking and format-looking text.
    '<script>alert(1)</script>' '"><img src=x onerror=alert(1)>' '&amp; &lt;' "'; DROP TABLE x; --"
    '%s%s%s%n' '${HOME}' '$(id)' '`id`' '{{7*7}}' '\' '\\\\' '../../etc/passwd' '1e308' '0x41'
    # Empty after analysis.
    ' ' '   ' '!!!' '...' '???' '-- --' '()()()' '""""""'
  )
  for q in "${queries[@]}"; do hrun -- "$q"; done
  # Length: exactly the maximum, one byte over, far over.
  hrun -- "$(repeat 'grain ' 682)sea "
  hrun -- "$(repeat 'grain ' 682)sea  "
  hrun -- "$(repeat 'x' 4096)"
  hrun -- "$(repeat 'x' 4097)"
  hrun -- "$(repeat 'grain ' 20000)"
  # A query beginning with '-' without '--' is a usage error, not an option.
  hrun -grain
  hrun -grain corridor
  hrun --grain
  # Many separate query arguments.
  # shellcheck disable=SC2046  # one argument per word
  hrun -- $(repeat 'grain ' 1000)
  check_runs 200
}

@test "hostile option sets: each gets a valid result or a valid error, in time" {
  local opt v
  local -a numbers=(-1 0 1 1000 1001 100000 100001 99999999999999999999 -99999999999999999999
    9223372036854775807 -9223372036854775808 1e3 0x10 '' ' 5' abc 5abc 3.5 +5 '-0')
  for opt in --limit --offset --facet-limit --timeout-ms; do
    for v in "${numbers[@]}"; do hrun "$opt" "$v" --facets=source -- grain; done
  done
  for v in bogus '' RELEVANCE newest oldest 'newest,oldest'; do hrun --sort "$v" grain; done
  for v in 2025-13-45 '' 9999 0000 2025-02-30 -1 yesterday 2025 2025-01 '2025-01-01T00:00'; do
    hrun --since "$v" grain
    hrun --until "$v" grain
  done
  hrun --since 2026 --until 2022 grain
  for v in bogus '' ',,,' 'person,person' "$(repeat 'person,' 500)" 'default' 'year,month,day' \
    '<script>'; do
    hrun --facets="$v" -- grain
  done
  for v in year '' month week day; do hrun --timeline "$v" -- grain; done
  hrun --frobnicate grain
  hrun -x grain
  hrun --json=yes grain
  hrun --limit
  hrun grain --limit
  hrun --limit 1 --limit 2 grain
  hrun --db "$T/nothere" grain
  NO_DB=1 hrun grain
  NO_DB=1 hrun --db '' grain
  NO_DB=1 hrun --db /dev/null grain
  NO_DB=1 hrun --db "$SAMPLE" grain
  NO_DB=1 hrun --db "$T" grain
  hrun --facets=default --timeline day --limit 1000 --offset 0 -- 'grain OR the OR a OR of'
  hrun --timeout-ms 1 --facets=default --timeline day -- 'the OR a OR of OR grain'
  hrun --offset 100000 --limit 1000 -- grain
  check_runs 100
}

@test "limits: the documented maxima are accepted, one more is limit_exceeded" {
  # 4096 bytes, then 4097 ("grain " is 6 bytes).
  hrun -- "$(repeat 'grain ' 682)sea "
  hrun -- "$(repeat 'grain ' 682)sea  "
  hrun -- "$(repeat '(' 32)grain$(repeat ')' 32)"
  hrun -- "$(repeat '(' 33)grain$(repeat ')' 33)"
  hrun -- "$(repeat 'g* ' 8)"
  hrun -- "$(repeat 'g* ' 9)"
  hrun -- 'zq000*'
  hrun -- 'zq*'
  hrun --limit 1000 --offset 100000 -- grain
  hrun --limit 1001 -- grain
  check_runs 10
  assert_eq 0 "$(run_rc 1)" "4096 bytes"
  assert_eq limit_exceeded "$(run_out 2 | jq -r .error.code)" "4097 bytes"
  assert_eq 0 "$(run_rc 3)" "32 levels"
  assert_eq query_syntax "$(run_out 4 | jq -r .error.code)" "33 levels"
  assert_contains "$(run_out 4)" "nested more than 32"
  assert_eq 0 "$(run_rc 5)" "8 wildcards"
  assert_eq limit_exceeded "$(run_out 6 | jq -r .error.code)" "9 wildcards"
  # zq000* expands to 9 words and finds the article; zq* would be 1500 words.
  assert_eq many-words "$(run_out 7 | jq -r '.hits[0].id')" "zq000*"
  assert_eq limit_exceeded "$(run_out 8 | jq -r .error.code)" "zq*"
  assert_contains "$(run_out 8)" "more than 1000 words"
  assert_eq 0 "$(run_rc 9)" "--limit 1000 --offset 100000"
  assert_eq limit_exceeded "$(run_out 10 | jq -r .error.code)" "--limit 1001"
}

@test "hostile input that has a meaning gets it" {
  hrun -- -grain
  hrun -- '"grain corridor'
  hrun -- $'grain\tcorridor'
  hrun -- 'grain AND AND corridor'
  hrun -- 'date:2025-13-45'
  hrun -- 'nosuchprefix:grain'
  check_runs 6
  # A leading '-' after '--' excludes, so everything but the grain articles matches.
  assert_eq 0 "$(run_rc 1)" "-grain"
  [ "$(run_out 1 | jq .total.articles.estimate)" -gt 40 ] || fail "-grain matched too little: $(run_out 1)"
  # An unclosed quote runs to the end: the phrase.
  assert_eq 0 "$(run_rc 2)" "unclosed quote"
  assert_eq "$(run_out 2 | jq -c '[.hits[].id]')" \
    "$(hrun -- '"grain corridor"' && run_out $RUNS | jq -c '[.hits[].id]')" "unclosed quote = phrase"
  # A control character is a space.
  assert_eq "$(run_out 3 | jq -c '[.hits[].id]')" \
    "$(hrun -- 'grain corridor' && run_out $RUNS | jq -c '[.hits[].id]')" "tab = space"
  assert_eq query_syntax "$(run_out 4 | jq -r .error.code)" "operator stack"
  assert_contains "$(run_out 4)" "follows operator AND"
  assert_eq query_syntax "$(run_out 5 | jq -r .error.code)" "bad date"
  # An unknown prefix is text: its words are searched.
  assert_eq 0 "$(run_rc 6)" "unknown prefix"
}
