#!/usr/bin/env bash
# Build the district-scale demo from scratch and time the pages and the compliance table, on
# SQLite and on PostgreSQL.
#   bench/district.sh [sqlite|postgres ...]     (default: both)
# Results: bench/results/<db>-build.txt (build log with /usr/bin/time), <db>-pages.json and
# <db>-partylife.json, <db>-points.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
. bench/_fresh_db.sh
PY=.venv/bin/python
RUNS="${RUNS:-7}"
SEED="${SEED:-1}"
for db in "${@:-sqlite postgres}"; do
  for which in $db; do
    fresh_db "$which" gongzhi_bench
    echo "== $which: build the district demo (seed $SEED)"
    /usr/bin/time -v $PY manage.py demo --scale district --seed "$SEED" > "bench/results/$which-build.txt" 2>&1
    grep -E "Elapsed|Maximum resident" "bench/results/$which-build.txt"
    tail -5 "bench/results/$which-build.txt" | head -3
    echo "== $which: pages ($RUNS runs each)"
    $PY bench/pages.py --runs "$RUNS" --json "bench/results/$which-pages.json"
    echo "== $which: compliance table ($RUNS runs each)"
    $PY bench/partylife.py --runs "$RUNS" --json "bench/results/$which-partylife.json"
    echo "== $which: points rankings ($RUNS runs each)"
    $PY bench/points.py --runs "$RUNS" --json "bench/results/$which-points.json"
  done
done
