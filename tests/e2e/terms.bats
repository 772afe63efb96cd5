#!/usr/bin/env bats
# The one term scheme (issue 12): the query language reads quotes and dashes as the indexer's
# Tokenizer does. Every double quote the Tokenizer maps to '"' (“ ” „ ‟ « » ‹ › ″ ＂) delimits a
# phrase, and every minus or dash it maps to '-' (− U+2212, – en dash, ‐ hyphen, ...) before a
# word excludes it, like ASCII '-'.
#
# Fixture, written here: t-1 says "Kremlin denies" as a phrase and mentions talks; t-2 has both
# words apart and mentions talks; t-3 names the Kremlin without talks.

load helpers

setup_file() {
  require_tools
  export DB="$BATS_FILE_TMPDIR/db"
  cat >"$BATS_FILE_TMPDIR/terms.jsonl" <<'EOF'
{"id": "t-1", "source": "Test Wire", "title": "Kremlin denies report", "published": "2024-03-01", "language": "en", "body": "The Kremlin denies that any talks took place in Geneva."}
{"id": "t-2", "source": "Test Wire", "title": "Geneva talks", "published": "2024-03-02", "language": "en", "body": "Nobody denies that the Kremlin sent a delegation to the talks."}
{"id": "t-3", "source": "Test Wire", "title": "Kremlin silent", "published": "2024-03-03", "language": "en", "body": "The Kremlin said nothing on Sunday."}
EOF
  "$SITREP_INDEX" --db "$DB" "$BATS_FILE_TMPDIR/terms.jsonl" >"$BATS_FILE_TMPDIR/index.out" \
    2>"$BATS_FILE_TMPDIR/index.err" ||
    fail "indexing the fixture failed: $(cat "$BATS_FILE_TMPDIR/index.err")"
}

setup() {
  common_setup
}

@test "the ASCII forms: a quoted phrase, and -word excludes" {
  assert_eq "t-1" "$(sorted_ids '"kremlin denies"')" "ASCII phrase"
  assert_eq "t-1 t-2" "$(sorted_ids --default-op and kremlin denies)" "the two words"
  assert_eq "t-3" "$(sorted_ids 'kremlin -talks')" "ASCII minus"
}

@test "every double quote the Tokenizer knows delimits a phrase" {
  local q
  # U+201F, fullwidth U+FF02, single guillemets U+2039/U+203A, curly U+201C/U+201D, «», „“
  for q in '‟kremlin denies‟' '＂kremlin denies＂' '‹kremlin denies›' '“kremlin denies”' \
    '«kremlin denies»' '„kremlin denies“' '″kremlin denies″'; do
    assert_eq "t-1" "$(sorted_ids "$q")" "phrase $q"
    search_json "$q"
    assert_contains "$(jq -r .query.parsed <<<"$output")" "PHRASE" "parsed query of $q"
  done
}

@test "a Unicode minus or dash before a word excludes it like -" {
  local q
  # U+2212 minus sign, U+2013 en dash, U+2010 hyphen, U+FE63 small and U+FF0D fullwidth hyphen-minus
  for q in 'kremlin −talks' 'kremlin –talks' 'kremlin ‐talks' 'kremlin ﹣talks' 'kremlin －talks'; do
    assert_eq "t-3" "$(sorted_ids "$q")" "exclusion $q"
  done
  # A dash standing alone, or inside a word, is no operator.
  assert_eq "t-1 t-2" "$(sorted_ids --default-op and 'kremlin – talks')" "a lone dash"
}

@test "Unicode quotes work after a field and inside a group" {
  assert_eq "t-1" "$(sorted_ids 'title:‟kremlin denies‟')" "title phrase"
  assert_eq "t-1 t-2 t-3" "$(sorted_ids 'source:＂Test Wire＂')" "quoted source value"
  assert_eq "t-3" "$(sorted_ids '(kremlin −‟kremlin denies‟ −delegation)')" "excluded phrase in a group"
}
