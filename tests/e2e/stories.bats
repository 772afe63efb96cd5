#!/usr/bin/env bats
# Story clusters at index time (issue 6): sitrep-index gives every article a story id (value slot
# 8, read here with xapian-delve). The fixture in stories/ (written for this project) is indexed
# with the sample archive as background: one report rewritten by five outlets (r-*), two Odesa
# strikes a week apart (a-*, b-*), two different meetings in Istanbul a day apart (c-*, d-*),
# each reported by two outlets, and ten unrelated articles (f*). stories/update.jsonl holds a
# sixth rewrite of the report, indexed by a later run.

load helpers

FIXTURE="$BATS_TEST_DIRNAME/stories/archive.jsonl"
UPDATE="$BATS_TEST_DIRNAME/stories/update.jsonl"

setup_file() {
  require_tools
  command -v xapian-delve >/dev/null || fail "xapian-delve (xapian-tools) is not installed"
}

setup() {
  common_setup
}

# story_table DB: "ID STORY" for every document, sorted by id (STORY "-" when it has none). Three
# xapian-delve runs: the ids, the docid of each, and the values of slot 8.
story_table() {
  local db=$1 args=()
  local LC_ALL=C  # join needs sort's collation
  while read -r term; do args+=(-t "$term"); done < <(xapian-delve -a "$db" | tr ' ' '\n' | grep '^Q')
  join -a1 -e- -o 1.2,2.2 \
    <(xapian-delve "${args[@]}" "$db" | sed -n "s/^Posting List for term 'Q\(.*\)' .*: \([0-9]*\)$/\2 \1/p" | sort -k1,1) \
    <(xapian-delve -V8 "$db" | sed -n 's/^Value 8 for each document: //p' | tr ' ' '\n' | tr ':' ' ' | sort -k1,1) |
    sort
}

# story_of TABLE ID
story_of() {
  awk -v id="$2" '$1 == id { print $2 }' <<<"$1"
}

# same_story TABLE ID...: all the ids have one story, and it is a 16-digit hex id.
same_story() {
  local table=$1 first
  shift
  first=$(story_of "$table" "$1")
  [[ $first =~ ^[0-9a-f]{16}$ ]] || fail "$1 has no story id: '$first'"
  for id in "$@"; do
    assert_eq "$first" "$(story_of "$table" "$id")" "story of $id (same as $1)"
  done
}

# different_stories TABLE ID...: no two of the ids share a story.
different_stories() {
  local table=$1 n distinct
  shift
  n=$#
  distinct=$(for id in "$@"; do story_of "$table" "$id"; done | sort -u | wc -l)
  assert_eq "$n" "$distinct" "distinct stories of $*"
}

index_fixture() {
  index "$1" --stats-json "$T/stats.json" "${@:2}" "$SAMPLE" "$FIXTURE"
  assert_status 0
}

@test "five rewrites by different outlets form one story; look-alike events form separate ones" {
  index_fixture "$T/db"
  local table
  table=$(story_table "$T/db")
  same_story "$table" r-ledger r-northern r-gar r-harbour r-capital
  same_story "$table" a-ledger a-capital
  same_story "$table" b-northern b-gar
  same_story "$table" c-ledger c-harbour
  same_story "$table" d-gar d-capital
  # Two strikes on Odesa a week apart, two meetings in Istanbul a day apart, and the report.
  different_stories "$table" r-ledger a-ledger b-northern c-ledger d-gar
  # The unrelated articles each have their own story.
  different_stories "$table" r-ledger a-ledger b-northern c-ledger d-gar f1 f2 f3 f4 f5 f6 f7 f8 f9 f10
  # Every document has a story, and --stats-json counts them.
  assert_not_contains "$table" " -" "story table"
  assert_eq "$(doc_count "$T/db")" "$(jq -r .stories_assigned "$T/stats.json")" "stories_assigned"
  assert_eq "$(awk '{ print $2 }' <<<"$table" | sort -u | wc -l)" \
    "$(jq -r .stories_new "$T/stats.json")" "stories_new"
}

@test "a later run's rewrite joins the existing story and changes no other assignment" {
  index_fixture "$T/db"
  local before after
  before=$(story_table "$T/db")
  index "$T/db" --stats-json "$T/stats.json" "$UPDATE"
  assert_status 0
  assert_eq 1 "$(jq -r .stories_assigned "$T/stats.json")" "stories_assigned"
  assert_eq 0 "$(jq -r .stories_new "$T/stats.json")" "stories_new"
  after=$(story_table "$T/db")
  assert_eq "$(story_of "$before" r-ledger)" "$(story_of "$after" r-meridian)" "the new rewrite's story"
  assert_eq "$before" "$(grep -v '^r-meridian ' <<<"$after")" "the other assignments"
  # A rerun with nothing new assigns nothing.
  index "$T/db" --stats-json "$T/stats.json" "$UPDATE"
  assert_status 0
  assert_eq 0 "$(jq -r .stories_assigned "$T/stats.json")" "stories_assigned on a rerun"
}

@test "--recluster gives the same assignment for the same input, and needs no SOURCE" {
  index_fixture "$T/db"
  local before
  before=$(story_table "$T/db")
  index "$T/db" --recluster --stats-json "$T/stats.json"
  assert_status 0
  assert_eq "$(doc_count "$T/db")" "$(jq -r .stories_assigned "$T/stats.json")" "reassigned"
  assert_eq "$before" "$(story_table "$T/db")" "assignment after --recluster"
  # A rebuild from the same input too.
  index "$T/db" --rebuild "$SAMPLE" "$FIXTURE"
  assert_status 0
  assert_eq "$before" "$(story_table "$T/db")" "assignment after --rebuild"
}

@test "--no-stories leaves documents without a story; the next run assigns them" {
  index_fixture "$T/db" --no-stories
  assert_eq 0 "$(jq -r .stories_assigned "$T/stats.json")" "stories_assigned"
  local table
  table=$(story_table "$T/db")
  assert_eq "$(doc_count "$T/db")" "$(grep -c ' -$' <<<"$table")" "documents without a story"
  # What a killed run leaves is the same: documents without a story, assigned by the next run.
  index "$T/db" --stats-json "$T/stats.json" "$FIXTURE"
  assert_status 0
  assert_eq "$(doc_count "$T/db")" "$(jq -r .stories_assigned "$T/stats.json")" "assigned later"
  table=$(story_table "$T/db")
  same_story "$table" r-ledger r-northern r-gar r-harbour r-capital
  different_stories "$table" r-ledger a-ledger b-northern c-ledger d-gar
}

@test "--story-window: a narrower window splits the rewrites published on different days" {
  index_fixture "$T/db" --story-window 0
  local table
  table=$(story_table "$T/db")
  # r-ledger, r-northern and r-gar appeared on 10 March, r-harbour and r-capital on the 11th.
  same_story "$table" r-ledger r-northern r-gar
  same_story "$table" r-harbour r-capital
  different_stories "$table" r-ledger r-harbour
}

@test "story options: --help documents them; bad values and conflicts are usage errors" {
  run --separate-stderr "$SITREP_INDEX" --help
  assert_status 0
  assert_contains "$output" "--recluster"
  assert_contains "$output" "--no-stories"
  assert_contains "$output" "--story-window"
  index "$T/db" --story-window -1 "$FIXTURE"
  assert_status 64
  index "$T/db" --story-window days "$FIXTURE"
  assert_status 64
  index "$T/db" --recluster --no-stories
  assert_status 64
  [ ! -e "$T/db" ] || fail "a usage error created the database"
}

@test "sitrep-search: --collapse shows the report once with the other four outlets; --story lists all five, oldest first" {
  index_fixture "$T/db"
  DB="$T/db"
  local table story
  table=$(story_table "$T/db")
  story=$(story_of "$table" r-ledger)
  # Without --collapse, JSON lists every article, each with its story.
  search_json --limit 100 Izmail grain terminal
  assert_eq 5 "$(jq '[.hits[] | select(.id | startswith("r-"))] | length' <<<"$output")" "rewrites"
  assert_eq "$story" "$(jq -r '.hits[] | select(.id == "r-gar") | .story' <<<"$output")" "hit story"
  assert_eq false "$(jq -r .query.collapse <<<"$output")" "query.collapse"
  # Collapsed: one hit for the story, the other four counted with their outlets.
  search_json --limit 100 --collapse Izmail grain terminal
  assert_eq true "$(jq -r .query.collapse <<<"$output")" "query.collapse"
  assert_eq 1 "$(jq --arg s "$story" '[.hits[] | select(.story == $s)] | length' <<<"$output")" \
    "hits of the story"
  local hit
  hit=$(jq -c --arg s "$story" '.hits[] | select(.story == $s)' <<<"$output")
  assert_eq 4 "$(jq .collapsed.others <<<"$hit")" "others"
  # The outlets of the four rewrites not shown (five outlets, one each).
  local shown want
  shown=$(jq -r .source <<<"$hit")
  want=$(printf '%s\n' "Capital Bulletin" "Global Affairs Review" "Harbour Times" "Kyiv Ledger" \
    "Northern Dispatch" | grep -vxF "$shown" | paste -sd '|')
  assert_eq "$want" "$(jq -r '.collapsed.outlets | join("|")' <<<"$hit")" "other outlets"
  # Text output collapses by default and says how many more; --no-collapse shows them all.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 100 Izmail grain terminal
  assert_status 0
  assert_contains "$output" "+ 4 more in this story from: "
  assert_contains "$output" "--story $story"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 100 --no-collapse Izmail grain terminal
  assert_status 0
  assert_not_contains "$output" "more in this story"
  # --story: the five rewrites, oldest first, without a query; a query narrows them.
  search_json --story "$story"
  assert_eq "$(jq -r '[.hits[].id] | sort | join(" ")' <<<"$output")" \
    "r-capital r-gar r-harbour r-ledger r-northern" "articles of the story"
  assert_eq oldest "$(jq -r .query.sort <<<"$output")" "--story sorts oldest first"
  jq -e '[.hits[].published] | . == sort' <<<"$output" >/dev/null || fail "not oldest first: $output"
  # Three of the five rewrites name Romania; the others are left out.
  search_json --story "$story" -- Romania
  assert_eq "r-capital r-gar r-ledger" "$(jq -r '[.hits[].id] | sort | join(" ")' <<<"$output")" \
    "the story's articles naming Romania"
  # A malformed story id is a usage error.
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json --story not-a-story
  assert_status 64
  assert_eq usage "$(jq -r .error.code <<<"$output")" "error code"
}
