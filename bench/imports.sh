#!/usr/bin/env bash
# Time importing one 100,000-row residents sheet three ways, on SQLite and on PostgreSQL.
#   bench/imports.sh [sqlite|postgres ...]     (default: both; extra options via IMPORTS_ARGS)
# Each database is created empty and migrated; bench/imports.py builds the place tree and the
# sheet (cached in bench/results/), then times. Results: bench/results/imports-<db>.{json,txt}.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
PY=.venv/bin/python
for which in "${@:-sqlite postgres}"; do
  for db in $which; do
    case "$db" in
      sqlite)
        rm -f bench/results/imports.sqlite3 bench/results/imports.sqlite3-*
        export DATABASE_URL=sqlite:////work/main/bench/results/imports.sqlite3 ;;
      postgres)
        dropdb -h 127.0.0.1 -U postgres --if-exists bench_imports
        createdb -h 127.0.0.1 -U postgres bench_imports
        export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_imports ;;
    esac
    echo "== $db: migrate"
    $PY manage.py migrate --noinput >/dev/null
    echo "== $db: imports ($(uptime))"
    # shellcheck disable=SC2086
    $PY bench/imports.py --json "bench/results/imports-$db.json" ${IMPORTS_ARGS:-} 2>&1 | tee "bench/results/imports-$db.txt"
  done
done
