#!/usr/bin/env bash
# Build the district-scale demo from scratch and time the pages, on SQLite and on PostgreSQL.
#   bench/district.sh [sqlite|postgres ...]     (default: both)
# Results: bench/results/<db>-build.txt (build log with /usr/bin/time) and <db>-pages.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
PY=.venv/bin/python
RUNS="${RUNS:-7}"
SEED="${SEED:-1}"
for db in "${@:-sqlite postgres}"; do
  for which in $db; do
    case "$which" in
      sqlite)
        rm -f /tmp/gongzhi_bench.sqlite3*
        export DATABASE_URL=sqlite:////tmp/gongzhi_bench.sqlite3 ;;
      postgres)
        dropdb -h 127.0.0.1 -U postgres --if-exists gongzhi_bench
        createdb -h 127.0.0.1 -U postgres gongzhi_bench
        export DATABASE_URL=postgres://postgres@127.0.0.1:5432/gongzhi_bench ;;
    esac
    echo "== $which: migrate"
    $PY manage.py migrate --noinput >/dev/null
    echo "== $which: build the district demo (seed $SEED)"
    /usr/bin/time -v $PY manage.py demo --scale district --seed "$SEED" > "bench/results/$which-build.txt" 2>&1
    grep -E "Elapsed|Maximum resident" "bench/results/$which-build.txt"
    tail -5 "bench/results/$which-build.txt" | head -3
    echo "== $which: pages ($RUNS runs each)"
    $PY bench/pages.py --runs "$RUNS" --json "bench/results/$which-pages.json"
  done
done
