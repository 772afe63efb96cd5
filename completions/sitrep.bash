# bash completion for sitrep-index, sitrep-search and sitrep-reindex.
# Installed as share/bash-completion/completions/sitrep-index, .../sitrep-search and
# .../sitrep-reindex (bash-completion loads it on the first TAB after any of the names); or source
# it from ~/.bashrc. Needs nothing but bash.
#
# The option lists below follow the binaries' --help; tests/e2e/ops.bats fails when an option of
# --help (or a value list such as {relevance,newest,oldest}) is missing here.

_sitrep_index_opts='-h --help --version --db -j --threads --commit-every --wait --rebuild --compact
  --prune --force --delete --stats-json --entities --no-entities --no-stories --recluster
  --story-window --no-boilerplate'
_sitrep_index_args='--db -j --threads --commit-every --wait --delete --stats-json --entities
  --story-window'
_sitrep_index_subcommands='stats backup'
_sitrep_stats_opts='-h --help --db --json'
_sitrep_stats_args='--db'
_sitrep_backup_opts='-h --help --db --wait'
_sitrep_backup_args='--db --wait'
_sitrep_search_opts='-h --help --version --db --json -n --limit --offset --sort --since --until
  --facets --facet-limit --timeline --timeline-max --timeout-ms --collapse --no-collapse --story
  --include-boilerplate --explain --get --count --exact --default-op --serve --color'
_sitrep_search_args='--db -n --limit --offset --sort --since --until --facets --facet-limit
  --timeline --timeline-max --timeout-ms --story --explain --get --default-op --color'
_sitrep_reindex_opts='-h --help -c --config'
_sitrep_reindex_args='-c --config'
_sitrep_facets='person place org source lang year month day'

# _sitrep_reply WORDS CUR: COMPREPLY = the WORDS starting with CUR.
_sitrep_reply() {
  local IFS=$' \t\n'
  # shellcheck disable=SC2207  # compgen prints one word a line; none contains a space
  COMPREPLY=($(compgen -W "$1" -- "$2"))
}

# _sitrep_files CUR: file and directory names (SOURCEs, databases, FILE arguments).
_sitrep_files() {
  local IFS=$'\n'
  compopt -o filenames 2>/dev/null
  # shellcheck disable=SC2207
  COMPREPLY=($(compgen -f -- "$1"))
}

# _sitrep_in LIST WORD: true when WORD is one of the words of LIST.
_sitrep_in() {
  [[ " ${1//$'\n'/ } " == *" $2 "* ]]
}

# _sitrep_value OPT CUR: completes the value of option OPT; returns 1 when OPT takes none of ours.
_sitrep_value() {
  local opt=$1 cur=$2
  case $opt in
    --db | --stats-json | --entities | -c | --config) _sitrep_files "$cur" ;;
    --sort) _sitrep_reply 'relevance newest oldest' "$cur" ;;
    --default-op) _sitrep_reply 'auto and or' "$cur" ;;
    --timeline) _sitrep_reply 'day week month quarter year auto' "$cur" ;;
    --color) _sitrep_reply 'auto always never' "$cur" ;;
    --facets)
      # A comma-separated list: complete its last element, keep the ones before.
      local done='' left=' ' w
      [[ $cur == *,* ]] && done=${cur%,*},
      for w in $_sitrep_facets; do [[ ,$done == *,$w,* ]] || left+="$w "; done
      _sitrep_reply "$left" "${cur##*,}"
      [ -z "$done" ] && _sitrep_reply "default $_sitrep_facets" "$cur"
      [ -n "$done" ] && for w in "${!COMPREPLY[@]}"; do COMPREPLY[w]=$done${COMPREPLY[w]}; done
      compopt -o nospace 2>/dev/null
      ;;
    *) COMPREPLY=() ;;  # numbers, dates, ids: nothing to offer
  esac
}

# _sitrep_complete OPTS ARGS POSITIONAL: the shared logic. OPTS are the options, ARGS those that
# take a value, POSITIONAL "files" when operands are files (sitrep-index), else "none".
_sitrep_complete() {
  local opts=$1 args=$2 positional=$3
  local cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]} prev='' opt i
  ((cword > 0)) && prev=${COMP_WORDS[cword - 1]}
  COMPREPLY=()
  # --opt=value: split at '=' by bash (COMP_WORDBREAKS), or one word when '=' is not a break.
  if [ "$cur" = = ]; then
    _sitrep_value "$prev" ''
    return
  elif [ "$prev" = = ] && ((cword > 1)); then
    _sitrep_value "${COMP_WORDS[cword - 2]}" "$cur"
    return
  elif [[ $cur == --*=* ]]; then
    opt=${cur%%=*}
    _sitrep_value "$opt" "${cur#*=}"
    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$opt=${COMPREPLY[i]}; done
    return
  fi
  # After "--" every word is an operand.
  for ((i = 1; i < cword; i++)); do
    if [ "${COMP_WORDS[i]}" = -- ]; then
      [ "$positional" = files ] && _sitrep_files "$cur"
      return
    fi
  done
  if _sitrep_in "$args" "$prev"; then
    _sitrep_value "$prev" "$cur"
  elif [[ $cur == -* ]]; then
    _sitrep_reply "$opts" "$cur"
  elif [ "$positional" = files ]; then
    _sitrep_files "$cur"
  fi
}

_sitrep_index() {
  local i w
  # A subcommand (stats, backup) as the first operand switches to its options.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in
      stats) _sitrep_complete "$_sitrep_stats_opts" "$_sitrep_stats_args" none; return ;;
      backup) _sitrep_complete "$_sitrep_backup_opts" "$_sitrep_backup_args" files; return ;;
      --) break ;;
      -*) ;;
      =) ;;
      *) [ "${COMP_WORDS[i - 1]}" = = ] || _sitrep_in "$_sitrep_index_args" "${COMP_WORDS[i - 1]}" || break ;;
    esac
  done
  _sitrep_complete "$_sitrep_index_opts" "$_sitrep_index_args" files
  # Before any operand, the subcommands are offered beside the SOURCE files.
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  if ((i == COMP_CWORD)) && [[ $cur != -* && $cur != = && $prev != = ]] &&
    ! _sitrep_in "$_sitrep_index_args" "$prev"; then
    local IFS=$' \t\n'
    # shellcheck disable=SC2207
    COMPREPLY+=($(compgen -W "$_sitrep_index_subcommands" -- "$cur"))
  fi
}

_sitrep_search() {
  _sitrep_complete "$_sitrep_search_opts" "$_sitrep_search_args" none
}

_sitrep_reindex() {
  _sitrep_complete "$_sitrep_reindex_opts" "$_sitrep_reindex_args" none
}

complete -F _sitrep_index sitrep-index
complete -F _sitrep_search sitrep-search
complete -F _sitrep_reindex sitrep-reindex
