#!/usr/bin/env bash
# Runs demo/demo.sql on a fresh database directory, demo/.out/db, section by
# section ("-- == N. Title"), printing each section's SQL before what the shell
# answers. One `alopex demo/.out/db` process reads the sections on its standard
# input; a section whose title ends in "[reopen]" gets a new process, to show
# that the tables are on disk. Stops at the first section that fails, unless
# --keep-going is given. `make demo` builds the shell first.
#
#   demo/run.sh [--keep-going] [--format table|csv|jsonl|...]
#
# ALOPEX=path picks another binary (default build/release/alopex), DEMO_SQL
# another script.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"  # the demo's lake paths are relative to the repository
alopex=${ALOPEX:-$repo/build/release/alopex}
script=${DEMO_SQL:-$repo/demo/demo.sql}
out=$repo/demo/.out
db=$out/db

keep_going=0
format=table
while (($# > 0)); do
  case "$1" in
    --keep-going) keep_going=1 ;;
    --format)
      format=${2:?--format needs a value}
      shift
      ;;
    -h | --help)
      sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "demo/run.sh: unknown argument '$1'" >&2
      exit 2
      ;;
  esac
  shift
done

if [[ ! -x $alopex ]]; then
  echo "demo/run.sh: $alopex is not built; run 'make demo' (or 'make build' first)" >&2
  exit 1
fi

if [[ -t 1 ]]; then
  bold=$'\e[1m' dim=$'\e[2m' red=$'\e[31m' reset=$'\e[0m'
else
  bold='' dim='' red='' reset=''
fi

rm -rf "$out"
mkdir -p "$out/sections"

# Split the script at its "-- == N. Title" lines: sections/NN.sql, and the
# titles in order in sections/titles.
awk -v dir="$out/sections" '
  /^-- == [0-9]+\. / {
    n++
    file = sprintf("%s/%02d.sql", dir, n)
    title = $0
    sub(/^-- == /, "", title)
    print title > (dir "/titles")
    printf "" > file
    next
  }
  n > 0 { print > file }
' "$script"
[[ -s $out/sections/titles ]] || { echo "demo/run.sh: no '-- == N. Title' sections in $script" >&2; exit 1; }

# ---------------------------------------------------------------- the shell process

# The shell reads a FIFO and writes another. After a section's SQL, run.sh sends
# a marker query in CSV and reads the shell's output up to the marker's value.
# The shell exits at the first failing statement, so end of output before the
# marker means the section failed.
mkfifo "$out/to_shell" "$out/from_shell"
trap '' PIPE
pid=
to_shell=
from_shell=

start_shell() {
  "$alopex" --format "$format" "$db" < "$out/to_shell" > "$out/from_shell" 2>&1 &
  pid=$!
  exec {to_shell}> "$out/to_shell"
  exec {from_shell}< "$out/from_shell"
}

# stop_shell: closes its input and returns its exit status.
stop_shell() {
  local status=0
  [[ -n $pid ]] || return 0
  exec {to_shell}>&- {from_shell}<&-
  wait "$pid" || status=$?
  pid=
  return "$status"
}

# run_section FILE N: sends the section, echoes the answer; 0 when it all ran.
run_section() {
  local marker="alopex-demo-end-of-section-$2" line status
  {
    {
      cat "$1"
      printf '\n.format csv\nSELECT '"'%s'"' AS alopex_demo_marker;\n.format %s\n' "$marker" "$format"
    } >&"$to_shell"
  } 2> /dev/null || true
  while true; do
    status=0
    IFS= read -r -t 600 -u "$from_shell" line || status=$?
    if ((status > 128)); then
      echo "${red}demo: no answer from alopex in 600 s${reset}" >&2
      kill "$pid" 2> /dev/null || true
      return 1
    elif ((status != 0)); then
      return 1  # the shell exited: a statement failed
    fi
    [[ $line == alopex_demo_marker ]] && continue
    [[ $line == "$marker" ]] && return 0
    printf '%s\n' "$line"
  done
}

# ---------------------------------------------------------------- the sections

ran=0
failed=0
to_come=0
n=0
while IFS= read -r title; do
  n=$((n + 1))
  file=$(printf '%s/sections/%02d.sql' "$out" "$n")
  echo
  echo "${bold}== $title${reset}"
  # A section of comments only is one still to come.
  if ! grep -qv -e '^[[:space:]]*--' -e '^[[:space:]]*$' "$file"; then
    to_come=$((to_come + 1))
    sed -n 's/^-- \{0,1\}/  /p' "$file" | sed "s/^/${dim}/;s/\$/${reset}/"
    continue
  fi
  if [[ $title == *"[reopen]" ]]; then
    stop_shell || true
  fi
  [[ -n $pid ]] || start_shell
  # The SQL, without trailing blank lines, then what the shell printed.
  sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$file" | sed "s/^/${dim}  /;s/\$/${reset}/"
  echo
  if run_section "$file" "$n"; then
    ran=$((ran + 1))
  else
    failed=$((failed + 1))
    stop_shell || true
    echo "${red}demo: section '$title' failed${reset}" >&2
    ((keep_going)) || break
  fi
done < "$out/sections/titles"

shell_status=0
stop_shell || shell_status=$?
rm -f "$out/to_shell" "$out/from_shell"
if ((shell_status != 0 && failed == 0)); then
  echo "${red}demo: alopex exited with status $shell_status${reset}" >&2
  failed=1
fi

echo
echo "demo: $ran sections ran, $failed failed, $to_come still to come; the database is in ${db#"$repo"/}"
((failed == 0))
