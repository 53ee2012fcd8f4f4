#!/usr/bin/env bash
# The Delta insert / time-travel benchmark; arguments go to
# bench/delta_insert/run.mjs (e.g. --engines duckdb). See bench/README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec node "$here/run.mjs" "$@"
