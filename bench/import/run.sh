#!/usr/bin/env bash
# The import benchmark (Alopex COPY FROM against DuckDB, LanceDB and the page
# cache); arguments go to bench/import/run.mjs (e.g. --engines duckdb,lancedb).
# See bench/README.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec node "$here/run.mjs" "$@"
