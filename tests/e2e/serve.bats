#!/usr/bin/env bats
# sitrep-search --serve: one JSON request a line on stdin, one JSON line each on stdout, the same
# objects as the one-shot --json, bad lines answered and survived, end of input ends it with 0,
# and a database that changes (commit, --rebuild) or appears is seen by the next request.

load helpers

REQUEST_SCHEMA="$SITREP_ROOT/schemas/serve-request.schema.json"

setup_file() {
  index_sample_once
}

setup() {
  common_setup
}

# serve ARGS... < requests: runs sitrep-search --db "$DB" --serve ARGS with stdout and stderr apart.
serve() {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve "$@"
}

# line N: the Nth line (1-based) of $output.
line() {
  sed -n "${1}p" <<<"$output"
}

# one_shot ARGS...: the one-shot `sitrep-search --db "$DB" --json ARGS` output (any exit status).
one_shot() {
  "$SITREP_SEARCH" --db "$DB" --json "$@" 2>/dev/null || true
}

# validate_requests FILE: every line of FILE is a valid request by schemas/serve-request.schema.json.
validate_requests() {
  local out rc=0
  out=$("$PYTHON" "$VALIDATOR" "$REQUEST_SCHEMA" "$1" 2>&1) || rc=$?
  [ "$rc" -eq 0 ] || fail "requests do not match $REQUEST_SCHEMA (validator exit $rc):" "$out"
}

@test "one session: good and bad requests answered in order, one valid JSON line each, exit 0" {
  long=$(head -c 70000 /dev/zero | tr '\0' a)
  {
    echo '{"query":"grain","limit":3}'
    echo 'this is not JSON'
    echo '{"query":"grain","limit":5000}'
    echo ''
    echo '{"query":"grain","colour":true}'
    echo '{"query":7}'
    echo '[1,2]'
    echo "{\"query\":\"$long\"}"
    echo '{"query":"grain AND"}'
    echo '{"limit":2}'
    echo '{"query":"\"grain corridor\"","sort":"newest","limit":2,"since":"2022","until":null}'
    echo '{"query":"grain","limit":-1}'
    echo '{"query":"grain","since":"2024-13"}'
    printf '%s\r\n' '{"query":"Odesa","limit":1}'
    printf '%s' '{"query":"grain","limit":0}' # the last line has no newline
  } >"$T/requests"
  serve <"$T/requests"
  assert_status 0
  assert_eq "" "$stderr" "stderr"
  assert_eq 15 "$(wc -l <<<"$output")" "response lines"
  printf '%s\n' "$output" | validate_json
  # Each answer, in the order asked.
  assert_eq "grain 3" "$(line 1 | jq -r '"\(.query.text) \(.hits | length)"')" "1"
  assert_eq "usage 64" "$(line 2 | jq -r '"\(.error.code) \(.error.exit_status)"')" "2"
  assert_eq "limit_exceeded 65" "$(line 3 | jq -r '"\(.error.code) \(.error.exit_status)"')" "3"
  assert_eq "usage empty request line" "$(line 4 | jq -r '"\(.error.code) \(.error.message)"')" "4"
  assert_eq "usage" "$(line 5 | jq -r .error.code)" "5"
  assert_contains "$(line 5 | jq -r .error.message)" "colour" "5: names the unknown key"
  assert_eq "usage query must be a string" "$(line 6 | jq -r '"\(.error.code) \(.error.message)"')" "6"
  assert_eq "usage" "$(line 7 | jq -r .error.code)" "7"
  assert_eq "limit_exceeded" "$(line 8 | jq -r .error.code)" "8: over 64 KiB"
  assert_eq "query_syntax 65" "$(line 9 | jq -r '"\(.error.code) \(.error.exit_status)"')" "9"
  # No query: every article (match-all).
  assert_eq "2 52" "$(line 10 | jq -r '"\(.hits | length) \(.total.articles.estimate)"')" "10: no query"
  assert_eq 'newest 2022 null' \
    "$(line 11 | jq -r '"\(.query.sort) \(.query.since) \(.query.until)"')" "11"
  assert_eq "usage" "$(line 12 | jq -r .error.code)" "12: negative limit"
  assert_eq "usage" "$(line 13 | jq -r .error.code)" "13: bad date"
  assert_eq "Odesa 1" "$(line 14 | jq -r '"\(.query.text) \(.hits | length)"')" "14: CRLF"
  assert_eq "grain 0 4" "$(line 15 | jq -r '"\(.query.text) \(.hits | length) \(.total.articles.estimate)"')" \
    "15: no newline at the end"
}

@test "answers are exactly the one-shot --json objects for the same options" {
  {
    echo '{"query":"grain","limit":3,"offset":1}'
    echo '{"query":"Kyiv OR Kiev","sort":"oldest","since":"2023-01","until":"2025"}'
    echo '{"query":"ceasefire","facets":["person","source","year"],"facet_limit":3,"timeline":"month","limit":2}'
    echo '{"query":"ceasefire","facets":["default"],"limit":0}'
    echo '{"query":"grain","limit":5000}'
    echo '{"query":"\"unclosed"}'
    echo '{"query":"-grain","limit":2}'
  } >"$T/requests"
  validate_requests <(head -n 4 "$T/requests")
  serve <"$T/requests"
  assert_status 0
  assert_eq "$(one_shot --limit 3 --offset 1 grain)" "$(line 1)" "1"
  assert_eq "$(one_shot --sort oldest --since 2023-01 --until 2025 -- Kyiv OR Kiev)" "$(line 2)" "2"
  assert_eq "$(one_shot --facets person,source,year --facet-limit 3 --timeline month --limit 2 -- ceasefire)" \
    "$(line 3)" "3"
  assert_eq "$(one_shot --facets=default --limit 0 ceasefire)" "$(line 4)" "4"
  # The same error; its message names the setting by the request's key (frontends.bats).
  assert_eq "$(one_shot --limit 5000 grain | jq -c 'del(.error.message)')" \
    "$(line 5 | jq -c 'del(.error.message)')" "5"
  assert_eq "$(one_shot '"unclosed')" "$(line 6)" "6"
  assert_eq "$(one_shot --limit 2 -- -grain)" "$(line 7)" "7"
}

@test "end of input at once: no output, exit 0" {
  serve </dev/null
  assert_status 0
  assert_eq "" "$output" "stdout"
}

@test "--serve takes no query and no search options" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve grain </dev/null
  assert_status 64
  assert_eq usage "$(jq -r .error.code <<<"$output")" "code"
  printf '%s' "$output" | validate_json
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve --limit 3 </dev/null
  assert_status 64
  assert_eq usage "$(jq -r .error.code <<<"$output")" "code"
  # --json is allowed: the answers are JSON anyway.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --serve --json <<<'{"query":"grain","limit":1}'
  assert_status 0
  assert_eq 1 "$(jq '.hits | length' <<<"$output")" "hits"
}

@test "the request schema accepts what the server accepts and its examples" {
  printf '%s\n' '{"query":"grain"}' \
    '{"query":"a b","limit":0,"offset":100000,"sort":"relevance","since":null,"until":"2024-02","facets":[],"facet_limit":1000,"timeline":null,"timeout_ms":500}' \
    >"$T/good"
  validate_requests "$T/good"
  jq -c '.examples[]' "$REQUEST_SCHEMA" >"$T/examples"
  assert_eq 8 "$(wc -l <"$T/examples")" "examples"
  validate_requests "$T/examples"
  serve <"$T/examples"
  assert_status 0
  assert_eq 0 "$(jq -s '[.[] | select(.error)] | length' <<<"$output")" "errors for the examples"
  # And refuses what the server refuses.
  printf '%s\n' '{"query":"grain","colour":true}' >"$T/bad"
  run "$PYTHON" "$VALIDATOR" "$REQUEST_SCHEMA" "$T/bad"
  assert_status 1
}

# A session fed through a fifo, so the test can act between requests. start_session; ask LINE;
# ... ; end_session. Answers accumulate in $T/answers; ask waits for its answer.
start_session() {
  mkfifo "$T/in"
  "$SITREP_SEARCH" --db "$1" --serve <"$T/in" >"$T/answers" 2>"$T/serve.err" &
  SERVE_PID=$!
  exec 8>"$T/in"
  ASKED=0
}

ask() {
  echo "$1" >&8
  ASKED=$((ASKED + 1))
  local i
  for i in $(seq 1 500); do
    [ "$(wc -l <"$T/answers")" -ge "$ASKED" ] && return 0
    sleep 0.02
  done
  fail "no answer to request $ASKED ($1) within 10 s"
}

# answer N: the Nth answer of the session.
answer() {
  sed -n "${1}p" "$T/answers"
}

end_session() {
  exec 8>&-
  local rc=0
  wait "$SERVE_PID" || rc=$?
  assert_eq 0 "$rc" "exit status of the server"
  assert_eq "" "$(cat "$T/serve.err")" "stderr of the server"
}

@test "a database that appears, is updated and is rebuilt is seen by the next request" {
  head -n 10 "$SAMPLE" >"$T/ten.jsonl"
  head -n 20 "$SAMPLE" >"$T/twenty.jsonl"
  start_session "$T/db"
  ask '{"query":"the","limit":0}'
  assert_eq db_missing "$(answer 1 | jq -r .error.code)" "before the database exists"
  "$SITREP_INDEX" --db "$T/db" "$T/ten.jsonl" >/dev/null
  ask '{"query":"the","limit":0}'
  assert_eq 10 "$(answer 2 | jq .documents)" "after the first build"
  # An update run commits into the live generation.
  "$SITREP_INDEX" --db "$T/db" "$T/twenty.jsonl" >/dev/null
  ask '{"query":"the","limit":0}'
  assert_eq 20 "$(answer 3 | jq .documents)" "after an update"
  # A rebuild switches the link to a new generation and removes the old one.
  "$SITREP_INDEX" --db "$T/db" --rebuild "$T/ten.jsonl" >/dev/null
  ask '{"query":"the","limit":0}'
  assert_eq 10 "$(answer 4 | jq .documents)" "after --rebuild"
  ask 'garbage'
  ask '{"query":"the","limit":1}'
  assert_eq 1 "$(answer 6 | jq '.hits | length')" "after a bad line"
  end_session
  validate_json "$T/answers"
}
