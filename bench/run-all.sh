#!/usr/bin/env bash
# Runs every benchmark (each bench/*/run.sh, in name order), or only those
# named: bench/run-all.sh groupby_join. Arguments after -- go to each
# benchmark (e.g. -- --engines duckdb). Exits non-zero if any failed, after
# running the rest. `make bench` installs the peers and builds Alopex first.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
names=()
while (($# > 0)) && [[ $1 != -- ]]; do
  names+=("$1")
  shift
done
[[ ${1:-} == -- ]] && shift

if ((${#names[@]} == 0)); then
  for script in "$here"/*/run.sh; do
    name=$(basename "$(dirname "$script")")
    [[ $name == lib || $name == peers || $name == results ]] || names+=("$name")
  done
fi

failed=()
for name in "${names[@]}"; do
  if [[ ! -x $here/$name/run.sh ]]; then
    echo "bench: no benchmark '$name' (bench/$name/run.sh)" >&2
    failed+=("$name")
    continue
  fi
  "$here/$name/run.sh" "$@" || failed+=("$name")
  echo
done

if ((${#failed[@]} > 0)); then
  echo "bench: failed: ${failed[*]}" >&2
  exit 1
fi
echo "bench: ${#names[@]} benchmark(s) done; results in bench/results/"
