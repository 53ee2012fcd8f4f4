#!/usr/bin/env bash
# The file-format benchmark (Parquet scan and write, CSV scan); arguments go to bench/lib/bench.mjs
# (e.g. --engines duckdb). See bench/README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec node "$here/../lib/bench.mjs" "$here" "$@"
