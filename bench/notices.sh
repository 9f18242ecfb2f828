#!/usr/bin/env bash
# The public 公开栏 benchmark (five years of a 社区's notices) on a fresh, empty, migrated database of
# each kind (default: both): PostgreSQL database gongzhi_bench_notices on 127.0.0.1 (dropped and
# created), SQLite file bench/results/gongzhi_bench_notices.sqlite3. JSON in bench/results/<db>-notices.json.
#   bench/notices.sh [sqlite|postgres ...]        RUNS=7 PER_YEAR=3000 OTHERS=99 bench/notices.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
. bench/_fresh_db.sh
for which in "${@:-postgres sqlite}"; do
  for db in $which; do
    fresh_db "$db" gongzhi_bench_notices
    .venv/bin/python bench/notices.py --runs "${RUNS:-7}" --per-year "${PER_YEAR:-3000}" --others "${OTHERS:-99}" --json "bench/results/$db-notices.json"
  done
done
