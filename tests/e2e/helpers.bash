# Shared setup for the end-to-end suites (bats >= 1.8). Load with `load helpers`.
# shellcheck shell=bash disable=SC2120,SC2154  # $status/$stderr come from bats `run`
#
# Environment (set by tests/CMakeLists.txt; defaults suit a local `scripts/build`):
#   SITREP_ROOT    repository root
#   SITREP_INDEX   path of sitrep-index
#   SITREP_SEARCH  path of sitrep-search

bats_require_minimum_version 1.5.0

: "${SITREP_ROOT:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${SITREP_INDEX:=$SITREP_ROOT/build/indexer/sitrep-index}"
: "${SITREP_SEARCH:=$SITREP_ROOT/build/searcher/sitrep-search}"
export SITREP_ROOT SITREP_INDEX SITREP_SEARCH

SAMPLE="$SITREP_ROOT/data/sample/archive.jsonl"
SCHEMA_DIR="$SITREP_ROOT/schemas"  # search-result.schema.json, search-error.schema.json
VALIDATOR="$BATS_TEST_DIRNAME/validate_json.py"
PYTHON=/usr/bin/python3

# Fails the current test (or setup_file) with a message on stderr.
fail() {
  printf '%s\n' "$@" >&2
  return 1
}

# Checks that the binaries and tools the suites need are there; called from setup_file.
require_tools() {
  [ -x "$SITREP_INDEX" ] || fail "sitrep-index not found at $SITREP_INDEX (build with scripts/build)"
  [ -x "$SITREP_SEARCH" ] || fail "sitrep-search not found at $SITREP_SEARCH (build with scripts/build)"
  [ -r "$SAMPLE" ] || fail "sample archive missing: $SAMPLE"
  command -v jq >/dev/null || fail "jq is not installed"
  "$PYTHON" -c 'import jsonschema' 2>/dev/null ||
    fail "$PYTHON has no jsonschema module: apt-get install -y python3-jsonschema"
}

# Indexes the sample archive once per .bats file into $BATS_FILE_TMPDIR/db and exports DB.
# Call from setup_file.
index_sample_once() {
  require_tools
  export DB="$BATS_FILE_TMPDIR/db"
  if [ ! -d "$DB" ]; then
    "$SITREP_INDEX" --db "$DB" "$SAMPLE" >"$BATS_FILE_TMPDIR/index.out" 2>"$BATS_FILE_TMPDIR/index.err" ||
      fail "indexing the sample archive failed: $(cat "$BATS_FILE_TMPDIR/index.err")"
  fi
}

# Per-test scratch directory; tests cd nowhere, they use $T.
common_setup() {
  export T="$BATS_TEST_TMPDIR"
  # Never let a colour setting of the caller change output under test.
  unset NO_COLOR
}

# validate_json [FILE]: validates one JSON document (or JSON Lines) from FILE or stdin against
# the schemas: an object with a top-level "error" key against schemas/search-error.schema.json,
# any other against schemas/search-result.schema.json; fails the test with the validator's
# messages when invalid.
validate_json() {
  local out rc=0
  if [ $# -gt 0 ]; then
    out=$("$PYTHON" "$VALIDATOR" "$SCHEMA_DIR" "$1" 2>&1) || rc=$?
  else
    out=$("$PYTHON" "$VALIDATOR" "$SCHEMA_DIR" - 2>&1) || rc=$?
  fi
  if [ "$rc" -ne 0 ]; then
    fail "JSON does not match the schemas in $SCHEMA_DIR (validator exit $rc):" "$out"
  fi
}

# search_json ARGS...: runs sitrep-search --db "$DB" --json ARGS, requires exit 0, validates the
# output against the schema and leaves it in $output (stderr is kept apart in $stderr).
search_json() {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json "$@"
  if [ "$status" -ne 0 ]; then
    fail "sitrep-search --json $* exited $status: $stderr"
    return 1
  fi
  # Validated at the end of the test, all of its outputs by one validator process (one per search
  # made a suite like facets.bats spend most of its time starting Python): validate_deferred.
  if [ -z "${BATS_TEST_TMPDIR:-}" ]; then  # setup_file: no test to defer to
    printf '%s' "$output" | validate_json
    return
  fi
  printf '%s\n' "$output" >>"$BATS_TEST_TMPDIR/deferred.jsonl"
  printf '%s\n' "$*" >>"$BATS_TEST_TMPDIR/deferred.cmd"
}

# validate_deferred: validates every output search_json collected in this test (teardown, in
# helpers.bash; a suite with its own teardown calls it); fails the test naming the searches.
validate_deferred() {
  local file="$BATS_TEST_TMPDIR/deferred.jsonl" out rc=0
  [ -s "$file" ] || return 0
  out=$("$PYTHON" "$VALIDATOR" "$SCHEMA_DIR" "$file" 2>&1) || rc=$?
  rm -f "$file"
  if [ "$rc" -ne 0 ]; then
    fail "JSON does not match the schemas in $SCHEMA_DIR (validator exit $rc):" "$out" \
      "the searches, one per line of output in this order:" "$(cat -n "$BATS_TEST_TMPDIR/deferred.cmd")"
    return 1
  fi
}

teardown() {
  validate_deferred
}

# ids ARGS...: the hit ids of a JSON search (limit 1000), space-separated, in result order.
# Used inside $(...), where a failure cannot fail the test: a failed search prints a marker that
# no expected value contains, so the comparison that uses it fails instead.
ids() {
  search_json --limit 1000 "$@" || { echo "<search failed: $*>"; return 1; }
  jq -r '[.hits[].id] | join(" ")' <<<"$output"
}

# sorted_ids ARGS...: the same, sorted, one line.
sorted_ids() {
  search_json --limit 1000 "$@" || { echo "<search failed: $*>"; return 1; }
  jq -r '[.hits[].id] | sort | join(" ")' <<<"$output"
}

# doc_count DBDIR: number of documents in a Xapian database (via xapian-delve).
doc_count() {
  xapian-delve "$1" | sed -n 's/^number of documents = //p'
}

# assert_eq EXPECTED ACTUAL [WHAT]
assert_eq() {
  if [ "$1" != "$2" ]; then
    fail "${3:-value} mismatch" "  expected: $1" "  actual:   $2"
  fi
}

# assert_contains HAYSTACK NEEDLE [WHAT]
assert_contains() {
  case "$1" in
    *"$2"*) return 0 ;;
  esac
  fail "${3:-output} does not contain: $2" "--- it was:" "$1"
}

# assert_not_contains HAYSTACK NEEDLE [WHAT]
assert_not_contains() {
  case "$1" in
    *"$2"*) fail "${3:-output} unexpectedly contains: $2" "--- it was:" "$1" ;;
  esac
  return 0
}

# assert_status EXPECTED: checks $status from the last `run`.
assert_status() {
  if [ "$status" -ne "$1" ]; then
    fail "exit status: expected $1, got $status" "--- stdout:" "$output" "--- stderr:" "${stderr:-}"
  fi
}

# summary_field NAME TEXT: the number before NAME in the indexer's summary line
# ("N records read: A added, U updated, C unchanged, R rejected, W warnings ...").
summary_field() {
  sed -n "s/.*[^0-9]\([0-9][0-9]*\) $1[ ,:].*/\1/p" <<<"$2" | head -n1
}

# index DB ARGS...: runs sitrep-index --db DB ARGS with stdout and stderr apart.
index() {
  local db=$1
  shift
  run --separate-stderr "$SITREP_INDEX" --db "$db" "$@"
}

# The archive generator shared by the suites that need many records.
MAKE_ARCHIVE="$BATS_TEST_DIRNAME/make_archive.py"

# archive FILE N [REVISION EVERY]: N generated records r-00001..r-N (make_archive.py), every
# EVERY-th at REVISION, written to FILE.
archive() {
  if [ $# -gt 2 ]; then
    "$PYTHON" "$MAKE_ARCHIVE" "$2" --revision "$3" --every "$4" >"$1"
  else
    "$PYTHON" "$MAKE_ARCHIVE" "$2" >"$1"
  fi
}

# stats_field DB FIELD: one field of `sitrep-index stats --json`.
stats_field() {
  "$SITREP_INDEX" stats --db "$1" --json | jq -r ".$2"
}
