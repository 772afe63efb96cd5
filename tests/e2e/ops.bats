#!/usr/bin/env bats
# What an admin installs and runs (issue 11, cases 15 and 17): the cron wrapper under cron's
# environment, the logrotate snippet, man pages, shell completion, `cmake --install`, and the
# Operations recipes of docs/operations.md.
#
# The man page and install tests need the CMake build directory: SITREP_BUILD_DIR, else the one
# SITREP_INDEX was built in (build/indexer/sitrep-index -> build).

load helpers

WRAPPER_SRC="$SITREP_ROOT/scripts/cron/sitrep-reindex"
COMPLETION="$SITREP_ROOT/completions/sitrep.bash"
ZSH_COMPLETION="$SITREP_ROOT/completions/_sitrep"

setup_file() {
  require_tools
}

setup() {
  common_setup
}

# build_dir: prints the CMake build directory of the binaries under test.
build_dir() {
  local b=${SITREP_BUILD_DIR:-$(cd "$(dirname "$SITREP_INDEX")/.." && pwd)}
  if [ ! -f "$b/CMakeCache.txt" ]; then
    fail "no CMake build directory at $b (set SITREP_BUILD_DIR)"
    return 1
  fi
  echo "$b"
}

# config FILE DB SOURCES: a sitrep-reindex settings file logging to $T/log.
config() {
  cat >"$1" <<CONF
SITREP_DB=$2
SITREP_SOURCES="$3"
SITREP_LOG=$T/log/reindex.log
SITREP_WAIT=0
CONF
}

# cron_run WRAPPER ARGS...: runs WRAPPER as cron does: an empty environment, PATH=/usr/bin:/bin.
cron_run() {
  run --separate-stderr env -i PATH=/usr/bin:/bin "$@"
}

# complete_words WORD...: the bash completions (sorted, space-separated) for the command line
# WORD... with the cursor at the end of the last WORD, through the function `complete` registered.
complete_words() {
  local fn
  fn=$(complete -p "$1" 2>/dev/null | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
  [ -n "$fn" ] || { echo "<no completion registered for $1>"; return 1; }
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMP_LINE="$*"
  COMP_POINT=${#COMP_LINE}
  COMPREPLY=()
  "$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}

# long_options BINARY [SUBCOMMAND]: the long options BINARY's --help lists, one a line.
long_options() {
  "$@" --help | sed -nE 's/^  (-[a-zA-Z], ?)?(--[a-z][a-z0-9-]*).*/\2/p' | sort -u
}

@test "11.17 sitrep-reindex --help and -h: the usage, exit 0" {
  run --separate-stderr "$WRAPPER_SRC" --help
  assert_status 0
  assert_contains "$output" "Usage: sitrep-reindex [-c CONFIG]"
  assert_contains "$output" "SITREP_SOURCES"
  assert_contains "$output" "/var/log/sitrep"
  assert_eq "" "$stderr" "stderr of --help"
  local help=$output
  run --separate-stderr "$WRAPPER_SRC" -h
  assert_status 0
  assert_eq "$help" "$output" "-h and --help"
}

@test "11.17 sitrep-reindex: an unknown option or a missing CONFIG is exit 64 with a message" {
  run --separate-stderr "$WRAPPER_SRC" --bogus
  assert_status 64
  assert_eq "" "$output" "stdout"
  assert_contains "$stderr" "sitrep-reindex: unknown option or argument '--bogus'"
  run --separate-stderr "$WRAPPER_SRC" stray
  assert_status 64
  assert_contains "$stderr" "'stray'"
  run --separate-stderr "$WRAPPER_SRC" -c
  assert_status 64
  assert_contains "$stderr" "-c needs a CONFIG file"
  run --separate-stderr "$WRAPPER_SRC" --config "$T/nothere.conf"
  assert_status 64
  assert_contains "$stderr" "cannot read config $T/nothere.conf"
}

@test "11.17 sitrep-reindex under env -i PATH=/usr/bin:/bin: finds the sitrep-index beside it, indexes, silent" {
  mkdir -p "$T/bin" "$T/src" "$T/links"
  cp "$WRAPPER_SRC" "$T/bin/"
  ln -s "$SITREP_INDEX" "$T/bin/sitrep-index"  # beside it (a link: the binary is large)
  # Called through a link elsewhere (as from /usr/local/bin): still the binary beside the script.
  ln -s "$T/bin/sitrep-reindex" "$T/links/sitrep-reindex"
  "$PYTHON" "$MAKE_ARCHIVE" 5 >"$T/src/a.jsonl"
  config "$T/reindex.conf" "$T/db" "$T/src"
  cron_run "$T/links/sitrep-reindex" -c "$T/reindex.conf"
  assert_status 0
  assert_eq "" "$output" "stdout"
  assert_eq "" "$stderr" "stderr"
  local log
  log=$(cat "$T/log/reindex.log")
  assert_contains "$log" "5 records read: 5 added"
  assert_contains "$log" "$T/bin/sitrep-index --db $T/db --wait 0 --stats-json $T/log/reindex-stats.json --prune -- $T/src (exit 0)"
  # --prune is on by default, --force never unless asked for in SITREP_EXTRA.
  assert_not_contains "$log" "--force"
  jq -e '.added == 5' "$T/log/reindex-stats.json" >/dev/null || fail "stats: $(cat "$T/log/reindex-stats.json")"
  assert_eq 5 "$("$SITREP_INDEX" stats --db "$T/db" --json | jq -r .documents)" "documents"
  # No sitrep-index beside it nor on PATH: a clear message, exit 64.
  mkdir "$T/alone"
  cp "$WRAPPER_SRC" "$T/alone/"
  cron_run "$T/alone/sitrep-reindex" -c "$T/reindex.conf"
  assert_status 64
  assert_contains "$stderr" "sitrep-index is neither beside $T/alone/sitrep-reindex nor on PATH (/usr/bin:/bin): set SITREP_INDEX"
}

@test "11.17 sitrep-reindex: a setting in the environment wins over CONFIG (the crontab's Sunday SITREP_COMPACT=1)" {
  mkdir -p "$T/src"
  "$PYTHON" "$MAKE_ARCHIVE" 3 >"$T/src/a.jsonl"
  config "$T/reindex.conf" "$T/db" "$T/src"
  printf 'SITREP_INDEX=%s\nSITREP_COMPACT=0\nSITREP_PRUNE=1\n' "$SITREP_INDEX" >>"$T/reindex.conf"
  cron_run SITREP_COMPACT=1 SITREP_PRUNE=0 "$WRAPPER_SRC" -c "$T/reindex.conf"
  assert_status 0
  assert_eq "" "$stderr" "stderr"
  local log
  log=$(grep '^== ' "$T/log/reindex.log")
  assert_contains "$log" " --compact -- $T/src (exit 0)"
  assert_not_contains "$log" "--prune"
  # Without them in the environment, the file's settings hold.
  cron_run "$WRAPPER_SRC" -c "$T/reindex.conf"
  assert_status 0
  assert_contains "$(grep '^== ' "$T/log/reindex.log" | tail -n1)" " --prune -- $T/src (exit 0)"
}

@test "11.17 sitrep-reindex under env -i: a failing run prints the exit status and the tail; a log it cannot write is 64" {
  mkdir -p "$T/bin"
  cp "$WRAPPER_SRC" "$T/bin/"
  ln -s "$SITREP_INDEX" "$T/bin/sitrep-index"  # beside it (a link: the binary is large)
  config "$T/reindex.conf" "$T/db" "$T/nothere"
  cron_run "$T/bin/sitrep-reindex" -c "$T/reindex.conf"
  assert_status 66
  assert_eq "" "$output" "stdout"
  assert_contains "$stderr" "sitrep-reindex: sitrep-index exited 66 for $T/db (log: $T/log/reindex.log)"
  assert_contains "$stderr" "$T/nothere"  # sitrep-index's own message, from the tail
  assert_contains "$(cat "$T/log/reindex.log")" "(exit 66)"
  # The log cannot be made (a file where its directory should be): before any indexing.
  : >"$T/file"
  echo "SITREP_LOG=$T/file/reindex.log" >>"$T/reindex.conf"
  cron_run "$T/bin/sitrep-reindex" -c "$T/reindex.conf"
  assert_status 64
  assert_contains "$stderr" "cannot write the log $T/file/reindex.log"
}

@test "11.17 logrotate snippet: logrotate -d accepts it, a forced rotation rotates and recreates the log" {
  local lr
  lr=$(PATH=$PATH:/usr/sbin:/sbin command -v logrotate) || fail "logrotate is not installed (scripts/install-deps)"
  mkdir "$T/log"
  echo "== a run" >"$T/log/reindex.log"
  echo '{}' >"$T/log/reindex-stats.json"
  # The snippet as shipped, for this test's user and directory.
  sed "s#/var/log/sitrep#$T/log#; s/sitrep sitrep/$(id -un) $(id -gn)/g" \
    "$SITREP_ROOT/scripts/cron/sitrep.logrotate" >"$T/sitrep.logrotate"
  grep -q "$T/log/\*.log" "$T/sitrep.logrotate" || fail "the snippet does not name /var/log/sitrep/*.log"
  run "$lr" -d -s "$T/state" "$T/sitrep.logrotate"
  assert_status 0
  assert_not_contains "$output" "error"
  run "$lr" -f -s "$T/state" "$T/sitrep.logrotate"
  assert_status 0
  assert_eq "== a run" "$(cat "$T/log/reindex.log.1")" "rotated log"
  [ -f "$T/log/reindex.log" ] && [ ! -s "$T/log/reindex.log" ] || fail "no new empty log"
  assert_eq "640" "$(stat -c %a "$T/log/reindex.log")" "mode of the new log"
  assert_eq '{}' "$(cat "$T/log/reindex-stats.json")" "the stats are not rotated"
}

@test "11.17 man pages: generated by the build from --help, render with man -l" {
  local b
  b=$(build_dir)
  run cmake --build "$b" --target man
  assert_status 0
  local page name
  declare -A expect=([sitrep-index]=--commit-every [sitrep-search]=--timeout-ms [sitrep-reindex]=SITREP_SOURCES)
  for name in sitrep-index sitrep-search sitrep-reindex; do
    page="$b/man/$name.1"
    [ -s "$page" ] || fail "no man page $page"
    run env MANWIDTH=80 man -l "$page"
    assert_status 0
    assert_contains "$output" "${name^^}(1)"
    assert_contains "$output" "$name - "
    assert_contains "$output" "--help"
    assert_contains "$output" "${expect[$name]}"
    assert_contains "$output" "SEE ALSO"
    assert_not_contains "$output" "$b" "$name.1 (a build path)"
  done
}

@test "11.17 cmake --install: binaries, wrapper, man pages, completions and examples in place; the wrapper runs" {
  local b inst="$T/inst"
  b=$(build_dir)
  cmake --build "$b" --target man >/dev/null  # up to date (and configured) as an admin's build is
  run cmake --install "$b" --prefix "$inst"
  assert_status 0
  local f
  for f in bin/sitrep-index bin/sitrep-search bin/sitrep-reindex; do
    [ -x "$inst/$f" ] || fail "not installed: $f"
  done
  for f in share/man/man1/sitrep-index.1 share/man/man1/sitrep-search.1 share/man/man1/sitrep-reindex.1 \
    share/bash-completion/completions/sitrep-index share/bash-completion/completions/sitrep-search \
    share/bash-completion/completions/sitrep-reindex \
    share/zsh/site-functions/_sitrep share/doc/sitrep/examples/crontab.example \
    share/doc/sitrep/examples/reindex.conf.example share/doc/sitrep/examples/sitrep.logrotate \
    share/sitrep/schemas/search-result.schema.json; do
    [ -s "$inst/$f" ] || fail "not installed: $f"
  done
  # The installed wrapper, under cron's environment, runs the installed sitrep-index.
  mkdir "$T/src"
  "$PYTHON" "$MAKE_ARCHIVE" 3 >"$T/src/a.jsonl"
  config "$T/reindex.conf" "$T/db" "$T/src"
  cron_run "$inst/bin/sitrep-reindex" -c "$T/reindex.conf"
  assert_status 0
  assert_eq "" "$stderr" "stderr"
  assert_contains "$(cat "$T/log/reindex.log")" "== "
  assert_contains "$(cat "$T/log/reindex.log")" "$inst/bin/sitrep-index --db"
}

@test "11.17 bash completion: options, values, files and subcommands" {
  # shellcheck source=/dev/null
  source "$COMPLETION"
  assert_eq "--timeline --timeline-max --timeout-ms" "$(complete_words sitrep-search --ti)" "sitrep-search --ti"
  assert_eq "newest oldest relevance" "$(complete_words sitrep-search --sort '')" "--sort values"
  assert_eq "newest" "$(complete_words sitrep-search --sort = ne)" "--sort=ne"
  assert_eq "--sort=newest" "$(COMP_WORDBREAKS=' ' complete_words sitrep-search --sort=ne)" "--sort=ne in one word"
  assert_eq "auto day month quarter week year" "$(complete_words sitrep-search --timeline '')" "--timeline values"
  assert_eq "always auto never" "$(complete_words sitrep-search --color '')" "--color values"
  assert_eq "day default lang month org person place source year" \
    "$(complete_words sitrep-search --facets '')" "--facets values"
  assert_eq "person,place" "$(complete_words sitrep-search --facets = person,p)" "--facets=person,p"
  assert_eq "--prune" "$(complete_words sitrep-index --pr)" "sitrep-index --pr"
  assert_eq "--force" "$(complete_words sitrep-index --fo)" "sitrep-index --fo"
  assert_eq "--version" "$(complete_words sitrep-search --vers)" "sitrep-search --vers"
  assert_eq "--json" "$(complete_words sitrep-index stats --js)" "sitrep-index stats --js"
  # Files for SOURCE and --db; subcommands before the first SOURCE.
  mkdir -p "$T/data/archive.db.d"
  : >"$T/data/a.jsonl"
  assert_eq "$T/data/a.jsonl" "$(complete_words sitrep-index "$T/data/a.j")" "SOURCE"
  assert_eq "$T/data/archive.db.d" "$(complete_words sitrep-index --db "$T/data/arch")" "--db"
  assert_eq "$T/data/a.jsonl" "$(complete_words sitrep-index -- "$T/data/a.")" "SOURCE after --"
  assert_eq "stats" "$(complete_words sitrep-index st)" "subcommand"
  assert_eq "backup" "$(complete_words sitrep-index ba)" "subcommand"
  assert_eq "" "$(complete_words sitrep-search ukr)" "query words"
  assert_eq "--config" "$(complete_words sitrep-reindex --co)" "sitrep-reindex --co"
  assert_eq "$T/data/a.jsonl" "$(complete_words sitrep-reindex -c "$T/data/a.")" "sitrep-reindex -c"
}

@test "11.17 bash completion offers every long option and value list of --help (both binaries and the wrapper, every subcommand)" {
  # shellcheck source=/dev/null
  source "$COMPLETION"
  local bin name opt sub offered line values
  for bin in "$SITREP_INDEX" "$SITREP_SEARCH" "$WRAPPER_SRC"; do
    name=$(basename "$bin")
    offered=" $(complete_words "$name" -) "
    for opt in $(long_options "$bin"); do
      assert_contains "$offered" " $opt " "$name completion of -"
    done
    # Options with a fixed set of values (CLI11 prints TEXT:{a,b,c}): the same set is offered.
    while read -r opt values; do
      assert_eq "$(tr ',' '\n' <<<"$values" | sort | tr '\n' ' ' | sed 's/ $//')" \
        "$(complete_words "$name" "$opt" '')" "$name $opt values"
    done < <("$bin" --help | sed -nE 's/^  (-[a-zA-Z],)?(--[a-z][a-z0-9-]*) [A-Z]+:\{([^}]*)\}.*/\2 \3/p')
    for sub in $("$bin" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'); do
      assert_contains " $(complete_words "$name" "${sub:0:2}") " " $sub " "$name subcommand"
      offered=" $(complete_words "$name" "$sub" -) "
      for opt in $(long_options "$bin" "$sub"); do
        assert_contains "$offered" " $opt " "$name $sub completion of -"
      done
    done
  done
}

@test "11.17 zsh completion names every long option of --help (both binaries and the wrapper)" {
  [ -s "$ZSH_COMPLETION" ] || fail "no $ZSH_COMPLETION"
  head -n1 "$ZSH_COMPLETION" | grep -qx '#compdef sitrep-index sitrep-search sitrep-reindex' || fail "bad #compdef line"
  if command -v zsh >/dev/null; then zsh -n "$ZSH_COMPLETION" || fail "zsh -n: syntax error"; fi
  local bin opt sub
  for bin in "$SITREP_INDEX" "$SITREP_SEARCH" "$WRAPPER_SRC"; do
    for opt in $(long_options "$bin"); do
      grep -qE -- "'(\([^)]*\))?\*?(\{-[a-z]\+?,)?$opt[=+]?[]\[}']" "$ZSH_COMPLETION" || grep -qE -- "[{,]$opt[=+]?\}" "$ZSH_COMPLETION" ||
        fail "$(basename "$bin") $opt is not in $ZSH_COMPLETION"
    done
    for sub in $("$bin" --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'); do
      grep -q "($sub)" "$ZSH_COMPLETION" || fail "subcommand $sub is not in $ZSH_COMPLETION"
    done
  done
}

@test "11.15 Operations: a database copied or moved with its DB.d (as docs/operations.md says) searches from its new place" {
  mkdir -p "$T/a" "$T/copy" "$T/moved"
  "$PYTHON" "$MAKE_ARCHIVE" 4 >"$T/a.jsonl"
  index "$T/a/db" "$T/a.jsonl"
  assert_status 0
  # `du -sh DB` measures the link; -L or DB.d the database.
  [ "$(du -sLk "$T/a/db" | cut -f1)" -gt 0 ] || fail "du -sL DB is 0"
  cp -a "$T/a/db" "$T/a/db.d" "$T/copy/"
  assert_eq 4 "$("$SITREP_INDEX" stats --db "$T/copy/db" --json | jq -r .documents)" "documents in the copy"
  mv "$T/a/db" "$T/a/db.d" "$T/moved/"
  index "$T/moved/db" "$T/a.jsonl"
  assert_status 0
  assert_eq 4 "$("$SITREP_INDEX" stats --db "$T/moved/db" --json | jq -r .documents)" "documents after the move"
  # docs/operations.md documents the layout, the copy, the move and the backup command.
  local ops
  ops=$(cat "$SITREP_ROOT/docs/operations.md")
  assert_contains "$ops" "DB.d/gen-"
  assert_contains "$ops" "du -sh DB.d"
  assert_contains "$ops" "sitrep-index backup --db DB DEST"
  assert_contains "$ops" "cp -a DB DB.d"
  assert_contains "$ops" "/etc/sitrep/reindex.conf"
  assert_contains "$ops" "cmake --install"
}
