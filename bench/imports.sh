#!/usr/bin/env bash
# Time importing one 100,000-row residents sheet three ways, on SQLite and on PostgreSQL.
#   bench/imports.sh [sqlite|postgres ...]     (default: both; extra options via IMPORTS_ARGS)
# Each database is created empty and migrated; bench/imports.py builds the place tree and the
# sheet (cached in bench/results/), then times. Results: bench/results/imports-<db>.{json,txt}.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
. bench/_fresh_db.sh
PY=.venv/bin/python
for which in "${@:-sqlite postgres}"; do
  for db in $which; do
    fresh_db "$db" bench_imports
    echo "== $db: imports ($(uptime))"
    # shellcheck disable=SC2086
    $PY bench/imports.py --json "bench/results/imports-$db.json" ${IMPORTS_ARGS:-} 2>&1 | tee "bench/results/imports-$db.txt"
  done
done
