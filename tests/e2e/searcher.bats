#!/usr/bin/env bats
# End-to-end tests of sitrep-search on the sample archive (indexed once for this file).

load helpers

setup_file() {
  index_sample_once
}

setup() {
  common_setup
}

# ISO timestamps of the hits as sortable strings (a plain date counts as 00:00:00Z; undated as
# "undated"), one per line, in result order.
published_keys() {
  jq -r '.hits[] | if .published == null then "undated"
                   elif (.published | length) == 10 then .published + "T00:00:00Z"
                   else .published end' <<<"$output"
}

@test "a word query returns ranked hits with consistent ranks and scores" {
  search_json grain
  assert_eq "Query(Zgrain)" "$(jq -r .query.parsed <<<"$output")" "parsed query"
  assert_eq 52 "$(jq .documents <<<"$output")" "documents"
  # Four articles: a fifth names grain only in its "Read more:" list of links, which is
  # boilerplate (boilerplate.bats).
  assert_eq "articles 4 true" "$(jq -r '"\(.total.unit) \(.total.articles.estimate) \(.total.articles.exact)"' <<<"$output")" "total"
  assert_eq 4 "$(jq '.hits | length' <<<"$output")" "hits"
  # The two articles with grain in the title and body rank first.
  assert_eq "blackseacourier-2022-0722 meridian-2023-0717" \
    "$(jq -r '[.hits[0:2][].id] | sort | join(" ")' <<<"$output")" "top two"
  assert_eq "1 2 3 4" "$(jq -r '[.hits[].rank] | map(tostring) | join(" ")' <<<"$output")" "ranks"
  jq -e '[.hits[].score] | . == (sort | reverse) and all(. > 0)' <<<"$output" >/dev/null ||
    fail "scores are not positive and non-increasing: $(jq -c '[.hits[].score]' <<<"$output")"
  # Stemming: grains / Grain find the same documents.
  local a b
  a=$(sorted_ids grain)
  b=$(sorted_ids Grains)
  assert_eq "$a" "$b" "grain vs Grains"
}

@test "all words must match (--default-op and); the default ranks them first" {
  local both ukr
  both=$(sorted_ids --default-op and witkoff putin)
  assert_eq "eurogazette-2025-0212 eurogazette-2025-1201 gulfdispatch-explainer-witkoff kyivledger-2025-0412" "$both"
  # Issue 14: by default (auto) any word matches, the articles with both first.
  assert_eq "$both" "$(ids witkoff putin | cut -d' ' -f1-4 | tr ' ' '\n' | sort | xargs)" "auto: both first"
}

@test "a phrase finds exactly the article with those words in that order" {
  assert_eq "blackseacourier-2022-0722" "$(ids '"grain corridor through the Black Sea"')"
  # Same words, another order: no phrase match.
  assert_eq "" "$(ids '"Black Sea through the grain corridor"')"
}

@test "title: restricts to headlines" {
  assert_eq "eurogazette-2025-1201 gulfdispatch-explainer-witkoff kyivledger-2025-0412" "$(sorted_ids title:witkoff)"
  # witkoff appears in more bodies than titles.
  [ "$(sorted_ids witkoff | wc -w)" -gt 3 ] || fail "witkoff should match bodies too"
  assert_eq "blackseacourier-2022-0722 meridian-2023-0717" "$(sorted_ids 'title:"grain deal"')"
}

@test "source: with a quoted multi-word name" {
  assert_eq "kyivledger-2022-0301 kyivledger-2023-0320 kyivledger-2024-0806 kyivledger-2025-0412 kyivledger-2026-0124" \
    "$(sorted_ids 'source:"Kyiv Ledger"')"
  search_json --limit 100 'source:"Kyiv Ledger"'
  assert_eq '["Kyiv Ledger"]' "$(jq -c '[.hits[].source] | unique' <<<"$output")" "sources of hits"
}

@test "lang: filters by given or detected language" {
  assert_eq "dniproherald-2022-1011 dniproherald-2024-0224 dniproherald-2025-0602 dniproherald-2025-1115 dniproherald-2026-0203 kyivledger-2023-0320" \
    "$(sorted_ids lang:uk)"
  assert_eq "mws-2023-0518 mws-2025-1121 mws-2026-0124 u-17018b1e769be07c vestnik-2022-0905 vestnik-2024-0305 vestnik-2025-0516 vestnik-analytics-sanctions" \
    "$(sorted_ids lang:ru)"
  assert_eq "alsharq-2022-1120 alsharq-2023-1009 alsharq-2026-0125 gulfdispatch-2025-0312" "$(sorted_ids lang:ar)"
  local l
  for l in uk ru ar; do
    search_json --limit 100 "lang:$l"
    assert_eq "[\"$l\"]" "$(jq -c '[.hits[].language] | unique' <<<"$output")" "languages of lang:$l hits"
  done
  # A filter combines with words.
  assert_eq "mws-2026-0124 vestnik-2024-0305" "$(sorted_ids 'lang:ru Абу-Даби')"
  assert_eq "" "$(ids 'lang:uk Абу-Даби')" "lang:uk Абу-Даби"
}

@test "id: finds one article" {
  assert_eq "meridian-2026-0124" "$(ids id:meridian-2026-0124)"
  assert_eq "u-17018b1e769be07c" "$(ids id:u-17018b1e769be07c)"
  assert_eq "" "$(ids id:no-such-article)"
}

@test "date: range returns exactly the articles published in it" {
  assert_eq "alsharq-2026-0125 atlantic-2026-0125 eurogazette-2026-0125 gulfdispatch-2026-0124 kyivledger-2026-0124 meridian-2026-0124 mws-2026-0124" \
    "$(sorted_ids date:2026-01-01..2026-01-31)"
  search_json --limit 100 date:2026-01-01..2026-01-31
  local p
  while read -r p; do
    [[ "$p" > "2026-01-01" || "$p" == "2026-01-01" ]] && [[ "$p" < "2026-02" ]] ||
      fail "published $p outside 2026-01-01..2026-01-31"
  done < <(jq -r '.hits[].published' <<<"$output")
  # date:YYYY and open-ended ranges.
  assert_eq 9 "$(sorted_ids date:2024 | wc -w)" "articles of 2024"
  assert_eq 49 "$(sorted_ids date:..9999 | wc -w)" "dated articles"
  assert_eq "blackseacourier-2026-0210 c-5d11a72578139814 dniproherald-2026-0203" "$(sorted_ids date:2026-02..)"
}

@test "--since and --until restrict every hit to the range (UTC)" {
  search_json --limit 100 --since 2026-01-01 --until 2026-01-31 talks
  assert_eq "2026-01-01" "$(jq -r .query.since <<<"$output")" "query.since"
  assert_eq "2026-01-31" "$(jq -r .query.until <<<"$output")" "query.until"
  local n
  n=$(jq '.hits | length' <<<"$output")
  [ "$n" -ge 3 ] || fail "expected several January 2026 talks articles, got $n"
  local p
  while read -r p; do
    [[ "$p" != null && ( "$p" > "2026-01-01" || "$p" == "2026-01-01" ) && "$p" < "2026-02" ]] ||
      fail "published $p outside --since 2026-01-01 --until 2026-01-31"
  done < <(jq -r '.hits[].published' <<<"$output")
  # The same without the bounds finds talks in other months too.
  search_json --limit 100 talks
  [ "$(jq '.hits | length' <<<"$output")" -gt "$n" ] || fail "bounds did not narrow the result"
  # --until alone: nothing after it, and undated articles are excluded.
  search_json --limit 100 --until 2022 'date:..9999 OR ceasefire OR talks'
  while read -r p; do
    [[ "$p" != null && "$p" < "2023" ]] || fail "published $p not on or before 2022"
  done < <(jq -r '.hits[].published' <<<"$output")
  # A day bound includes the whole day in UTC (kyivledger-2026-0124 is 2026-01-24T19:15:00Z).
  assert_contains "$(ids --since 2026-01-24 --until 2026-01-24 prisoner)" kyivledger-2026-0124
}

@test "--sort newest and oldest order by published date, undated last" {
  local keys
  search_json --limit 100 --sort newest ceasefire
  assert_eq newest "$(jq -r .query.sort <<<"$output")" "query.sort"
  keys=$(published_keys)
  assert_eq "undated" "$(tail -n1 <<<"$keys")" "last of newest (atlantic-analysis-ceasefire-line is undated)"
  assert_eq "$(grep -v undated <<<"$keys" | sort -r)" "$(grep -v undated <<<"$keys")" "newest order"
  assert_eq "c-5d11a72578139814" "$(jq -r '.hits[0].id' <<<"$output")" "newest ceasefire article"

  search_json --limit 100 --sort oldest ceasefire
  keys=$(published_keys)
  assert_eq "undated" "$(tail -n1 <<<"$keys")" "last of oldest"
  assert_eq "$(grep -v undated <<<"$keys" | sort)" "$(grep -v undated <<<"$keys")" "oldest order"
  assert_eq "meridian-2025-0311" "$(jq -r '.hits[0].id' <<<"$output")" "oldest ceasefire article"

  # Over the whole archive: 49 dated then the 3 undated.
  search_json --limit 100 --sort oldest 'date:..9999 OR witkoff OR ceasefire OR санкции'
  keys=$(published_keys)
  assert_eq "$(grep -v undated <<<"$keys" | sort)" "$(grep -v undated <<<"$keys")" "oldest order, all"
  assert_eq "kyivledger-2022-0301" "$(jq -r '.hits[0].id' <<<"$output")" "oldest article"
  local first_undated
  first_undated=$(grep -n undated <<<"$keys" | head -n1 | cut -d: -f1)
  assert_eq "" "$(tail -n +"${first_undated:-1}" <<<"$keys" | grep -v undated)" "dated after undated"
}

@test "--limit and --offset page without overlap" {
  local all p1 p2 p3
  all=$(search_json --limit 12 ukraine && jq -r '[.hits[].id] | join(" ")' <<<"$output")
  assert_eq 12 "$(wc -w <<<"$all")" "first 12 hits"
  p1=$(search_json --limit 4 --offset 0 ukraine && jq -r '[.hits[].id] | join(" ")' <<<"$output")
  p2=$(search_json --limit 4 --offset 4 ukraine && jq -r '[.hits[].id] | join(" ")' <<<"$output")
  p3=$(search_json --limit 4 --offset 8 ukraine && jq -r '[.hits[].id] | join(" ")' <<<"$output")
  assert_eq "$all" "$p1 $p2 $p3" "pages concatenated"
  assert_eq 12 "$(tr ' ' '\n' <<<"$p1 $p2 $p3" | sort -u | wc -l)" "distinct ids over the pages"
  search_json --limit 4 --offset 4 ukraine
  assert_eq "5 6 7 8" "$(jq -r '[.hits[].rank] | map(tostring) | join(" ")' <<<"$output")" "ranks of page 2"
  assert_eq 4 "$(jq .query.offset <<<"$output")" "query.offset"
  assert_eq 4 "$(jq .query.limit <<<"$output")" "query.limit"
  # Paging also holds for a date sort.
  all=$(search_json --sort newest --limit 6 'date:..9999' && jq -r '[.hits[].id] | join(" ")' <<<"$output")
  p1=$(search_json --sort newest --limit 3 'date:..9999' && jq -r '[.hits[].id] | join(" ")' <<<"$output")
  p2=$(search_json --sort newest --limit 3 --offset 3 'date:..9999' && jq -r '[.hits[].id] | join(" ")' <<<"$output")
  assert_eq "$all" "$p1 $p2" "newest pages"
  # --limit 0 gives counts only; an offset past the end gives no hits.
  search_json --limit 0 ukraine
  assert_eq 0 "$(jq '.hits | length' <<<"$output")" "hits with --limit 0"
  [ "$(jq .total.articles.estimate <<<"$output")" -gt 12 ] || fail "estimate with --limit 0 should still count"
  search_json --offset 100000 ukraine
  assert_eq 0 "$(jq '.hits | length' <<<"$output")" "hits past the end"
}

@test "apostrophe variants: Moscow’s and Moscow's" {
  local a b
  a=$(sorted_ids "Moscow’s")
  b=$(sorted_ids "Moscow's")
  assert_eq "$a" "$b" "Moscow’s vs Moscow's"
  local id
  for id in mws-2022-0402 mws-2024-0925 atlantic-2026-0125; do
    assert_contains "$a" "$id" "hits for Moscow’s"
  done
}

@test "abbreviation variants: U.S. and US" {
  local a b
  a=$(sorted_ids U.S.)
  b=$(sorted_ids US)
  assert_eq "$a" "$b" "U.S. vs US"
  assert_contains "$a" meridian-2025-0311 "hits for U.S."
  assert_contains "$a" kyivledger-2026-0124 "hits for U.S."
}

@test "number variants: 1,300 and 1300" {
  assert_eq "blackseacourier-2022-0722 gulfdispatch-2024-0410 kyivledger-2022-0301" "$(sorted_ids 1,300)"
  assert_eq "blackseacourier-2022-0722 gulfdispatch-2024-0410 kyivledger-2022-0301" "$(sorted_ids 1300)"
}

@test "hyphen variants: Ukraine‑Russia‑U.S. with U+2011 and with ASCII hyphens" {
  assert_eq "meridian-2026-0124" "$(ids 'Ukraine‑Russia‑U.S.')"
  assert_eq "meridian-2026-0124" "$(ids 'Ukraine-Russia-U.S.')"
}

@test "Cyrillic words: Одеса and Зеленський" {
  # In lower case: the words alone (capitalised, a name also matches its entity: suggest.bats).
  assert_eq "dniproherald-2025-1115" "$(ids одеса)"
  assert_eq "dniproherald-2022-1011 dniproherald-2024-0224 dniproherald-2025-0602 dniproherald-2026-0203 kyivledger-2023-0320" \
    "$(sorted_ids зеленський)"
}

@test "OR, NOT, + and - operators" {
  local w p z either wnp
  w=$(sorted_ids witkoff)
  p=$(sorted_ids putin)
  z=$(sorted_ids zelensky)
  # OR is the union.
  either=$(sorted_ids witkoff OR zelensky)
  assert_eq "$(tr ' ' '\n' <<<"$w $z" | sort -u | xargs)" "$either" "witkoff OR zelensky"
  # NOT is the difference.
  wnp=$(sorted_ids witkoff NOT putin)
  assert_eq "$(comm -23 <(tr ' ' '\n' <<<"$w") <(tr ' ' '\n' <<<"$p") | xargs)" "$wnp" "witkoff NOT putin"
  assert_eq "atlantic-2025-1219 atlantic-2026-0125 eurogazette-2026-0125 gulfdispatch-2026-0124 kyivledger-2026-0124 meridian-2026-0124" "$wnp"
  # +word -word means the same.
  assert_eq "$wnp" "$(sorted_ids -- +witkoff -putin)" "+witkoff -putin"
  # AND is the intersection.
  assert_eq "$(comm -12 <(tr ' ' '\n' <<<"$w") <(tr ' ' '\n' <<<"$p") | xargs)" "$(sorted_ids witkoff AND putin)" "witkoff AND putin"
  # Lower-case or is an ordinary word, not an operator.
  assert_eq "" "$(ids --default-op and witkoff or zelensky)" "lower-case or"
}

@test "- and NOT apply to filters too (source:, lang:)" {
  local talks ledger uk
  talks=$(sorted_ids talks)
  ledger=$(sorted_ids 'source:"Kyiv Ledger"')
  uk=$(sorted_ids lang:uk)
  assert_eq "$(comm -23 <(tr ' ' '\n' <<<"$talks") <(tr ' ' '\n' <<<"$ledger") | xargs)" \
    "$(sorted_ids -- 'talks -source:"Kyiv Ledger"')" "talks -source:"
  assert_eq "$(sorted_ids -- 'talks -source:"Kyiv Ledger"')" \
    "$(sorted_ids 'talks NOT source:"Kyiv Ledger"')" "talks NOT source:"
  assert_eq "$(comm -23 <(tr ' ' '\n' <<<"$talks") <(tr ' ' '\n' <<<"$uk") | xargs)" \
    "$(sorted_ids -- talks -lang:uk)" "talks -lang:uk"
}

@test "a query starting with '-' works after --" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --json --limit 100 -- -putin witkoff
  assert_status 0
  printf '%s' "$output" | validate_json
  assert_eq "-putin witkoff" "$(jq -r .query.text <<<"$output")" "query.text"
  assert_eq "atlantic-2025-1219 atlantic-2026-0125 eurogazette-2026-0125 gulfdispatch-2026-0124 kyivledger-2026-0124 meridian-2026-0124" \
    "$(jq -r '[.hits[].id] | sort | join(" ")' <<<"$output")"
}

@test "text output shows titles and [marks] the matches when not a tty" {
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" --limit 2 '"grain corridor"'
  assert_status 0
  # Xapian's bounds agree (1 to 1): the count is exact, so no "about".
  assert_contains "$output" "Results 1-1 of 1 article in 1 story for: \"grain corridor\""
  assert_contains "$output" "1. Grain deal signed in Istanbul, Odesa ports to reopen"
  assert_contains "$output" "Black Sea Courier | 2022-07-22 | en | blackseacourier-2022-0722 | score "
  assert_contains "$output" "https://blackseacourier.example/2022/07/22/grain-deal-signed"
  assert_contains "$output" "[grain] [corridor]"
  assert_not_contains "$output" $'\033' "piped text output"
  run --separate-stderr "$SITREP_SEARCH" --db "$DB" nosuchwordanywhere
  assert_status 0
  assert_contains "$output" "No articles match: nosuchwordanywhere (52 articles searched)"
  assert_not_contains "$output" "matches"
}

@test "colour only on a terminal, and NO_COLOR turns it off" {
  command -v script >/dev/null || skip "script(1) from util-linux is needed to get a terminal"
  local cmd
  printf -v cmd '%q ' "$SITREP_SEARCH" --db "$DB" --limit 1 grain
  run script -qec "$cmd" /dev/null
  assert_status 0
  assert_contains "$output" $'\033[1;33m' "terminal output without NO_COLOR"
  NO_COLOR=1 run script -qec "$cmd" /dev/null
  assert_status 0
  assert_contains "$output" "[grain]" "terminal output with NO_COLOR"
  assert_not_contains "$output" $'\033' "terminal output with NO_COLOR"
  # NO_COLOR on a pipe: still no escapes.
  NO_COLOR=1 run "$SITREP_SEARCH" --db "$DB" --limit 3 grain
  assert_not_contains "$output" $'\033' "piped output with NO_COLOR"
}

@test "--json output validates for a spread of queries" {
  local q
  for q in grain '"grain corridor"' title:witkoff 'source:"Kyiv Ledger"' lang:ar id:meridian-2026-0124 \
    date:2026-01 'witkoff OR zelensky' Зеленський 'Ukraine‑Russia‑U.S.' 'peace NEAR talks' 'wit*' nosuchword; do
    search_json --limit 50 "$q" || fail "query: $q"
  done
  search_json --sort oldest --since 2025 --until 2025-12 --limit 3 --offset 1 talks
  assert_eq '{"text":"talks","sort":"oldest","offset":1,"limit":3,"since":"2025","until":"2025-12"}' \
    "$(jq -c '.query | {text, sort, offset, limit, since, until}' <<<"$output")" "query echo"
  search_json 'nosuchword'
  assert_eq '{"articles":{"estimate":0,"exact":true,"lower_bound":0,"upper_bound":0},"unit":"articles"}' \
    "$(jq -cS .total <<<"$output")" "total of no match"
  # Entity filters, facets and timelines (tests/e2e/facets.bats tests what they mean).
  for q in person:zelenskyy 'place:"Kyiv"' org:nato entity:ushakov person:nosuchperson; do
    search_json --limit 50 "$q" || fail "query: $q"
  done
  search_json --facets --timeline week --limit 2 talks
  search_json --facets=person,place,org,source,lang,year,month,day --facet-limit 1 --timeline day \
    --limit 0 talks
  search_json --facets --timeline month nosuchword
  search_json --limit 50 grain
  jq -e '.hits | all(.entities | keys == ["org","other","person","place"])' <<<"$output" \
    >/dev/null || fail "hits without an entities object"
}

@test "every snippet shows and marks a matched word when the body contains one" {
  search_json --limit 20 grain
  # Every hit of grain contains the word in its body, so every snippet should show it.
  local bad
  bad=$(jq -r '.hits[] | select(.snippet_html | test("<mark>[Gg]rain</mark>") | not) | .id' <<<"$output")
  assert_eq "" "$bad" "hits whose snippet does not mark grain"
  # The only occurrence of "iron" is the 36th word of blackseacourier-2026-0210.
  search_json iron
  assert_eq "blackseacourier-2026-0210" "$(jq -r '[.hits[].id] | join(" ")' <<<"$output")" "hits for iron"
  assert_contains "$(jq -r '.hits[0].snippet_html' <<<"$output")" "<mark>iron</mark>" "snippet for iron"
  assert_eq iron "$(jq -r '[.hits[0].snippet[] | select(.highlight) | .text] | join(" ")' <<<"$output")" \
    "highlighted fragments for iron"
}

@test "snippet of a phrase query marks the phrase words" {
  search_json '"grain corridor through the Black Sea"'
  assert_contains "$(jq -r '[.hits[0].snippet[] | select(.highlight) | .text] | join(" ")' <<<"$output")" \
    "grain corridor through the Black Sea" "highlighted fragments"
  assert_contains "$(jq -r '.hits[0].snippet_html' <<<"$output")" \
    "<mark>grain</mark> <mark>corridor</mark> <mark>through</mark> <mark>the</mark> <mark>Black</mark> <mark>Sea</mark>"
}

@test "strings are plain text: snippet fragments, snippet_text and snippet_html agree" {
  search_json --limit 100 'Moscow’s OR witkoff OR grain OR ceasefire OR Зеленський'
  [ "$(jq '.hits | length' <<<"$output")" -gt 10 ] || fail "too few hits to check"
  local bad
  # The fragments concatenated are snippet_text; snippet_html is them escaped, the highlighted
  # ones in <mark>; every snippet highlights something.
  bad=$(jq -r '.hits[] | select(([.snippet[].text] | join("")) != .snippet_text) | .id' <<<"$output")
  assert_eq "" "$bad" "hits whose fragments differ from snippet_text"
  bad=$(jq -r 'def esc: gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;") | gsub("\""; "&quot;") | gsub("'"'"'"; "&#39;");
    .hits[] | select(([.snippet[] | if .highlight then "<mark>" + (.text | esc) + "</mark>" else (.text | esc) end] | join("")) != .snippet_html) | .id' <<<"$output")
  assert_eq "" "$bad" "hits whose snippet_html is not the escaped fragments"
  assert_eq "" "$(jq -r '.hits[] | select(any(.snippet[]; .highlight) | not) | .id' <<<"$output")" \
    "hits without a highlighted fragment"
  # Markup and ampersands in an article come back verbatim, never HTML-escaped.
  printf '%s\n' '{"id":"html-1","title":"Markup <script>alert(1)</script> & \"quotes\" test","source":"<img src=x onerror=alert(1)> & Sons","url":"https://x.example/?a=1&b=\"><script>","body":"The page said <script>alert(\"x\")</script> & AT&T'"'"'s <b>bold</b> <img src=x onerror=alert(2)> quokka claim."}' >"$T/html.jsonl"
  run "$SITREP_INDEX" --db "$T/db" "$T/html.jsonl"
  assert_status 0
  DB="$T/db" search_json --facets=source,lang quokka
  assert_eq 'Markup <script>alert(1)</script> & "quotes" test' "$(jq -r '.hits[0].title' <<<"$output")" "title"
  assert_eq '<img src=x onerror=alert(1)> & Sons' "$(jq -r '.hits[0].source' <<<"$output")" "source"
  assert_eq '<img src=x onerror=alert(1)> & Sons' "$(jq -r '.facets.source.values[0].value' <<<"$output")" "source facet"
  assert_eq '<img src=x onerror=alert(1)> & Sons' "$(jq -r '.facets.source.values[0].label' <<<"$output")" "source label"
  assert_eq 'https://x.example/?a=1&b="><script>' "$(jq -r '.hits[0].url' <<<"$output")" "url"
  assert_eq 'The page said <script>alert("x")</script> & AT&T'"'"'s <b>bold</b> <img src=x onerror=alert(2)> quokka claim.' \
    "$(jq -r '.hits[0].snippet_text' <<<"$output")" "snippet_text"
  assert_eq 'The page said &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; AT&amp;T&#39;s &lt;b&gt;bold&lt;/b&gt; &lt;img src=x onerror=alert(2)&gt; <mark>quokka</mark> claim.' \
    "$(jq -r '.hits[0].snippet_html' <<<"$output")" "snippet_html, the one escaped field"
  # No HTML reference in any string but snippet_html.
  assert_eq "" "$(jq -r '[paths(strings) as $p | select($p[-1] != "snippet_html") | getpath($p) | select(test("&(amp|lt|gt|quot|#39);"))] | join("|")' <<<"$output")" \
    "strings with HTML references"
  # The query text and an error message quoting it are plain too.
  DB="$T/db" search_json -- 'quokka <script>'
  assert_eq 'quokka <script>' "$(jq -r .query.text <<<"$output")" "query.text"
  run --separate-stderr "$SITREP_SEARCH" --db "$T/db" --json -- 'date:<script>'
  assert_status 65
  printf '%s' "$output" | validate_json
  assert_contains "$(jq -r .error.message <<<"$output")" "date:<script>"
}

@test "prefix wildcard and proximity" {
  assert_eq "$(sorted_ids witkoff)" "$(sorted_ids 'witk*')" "witk*"
  local near
  near=$(sorted_ids 'prisoner NEAR/3 exchange')
  assert_contains "$near" meridian-2026-0124
  # NEAR narrows the AND of the same words.
  [ "$(wc -w <<<"$near")" -le "$(sorted_ids prisoner exchange | wc -w)" ] || fail "NEAR matched more than AND"
}
