#!/usr/bin/env bash
# The 道德银行 ledger benchmark on a fresh, empty, migrated database of each kind (default: both):
# PostgreSQL database gongzhi_bench_bank on 127.0.0.1 (dropped and created), SQLite file
# bench/results/gongzhi_bench_bank.sqlite3. Prints each database's tables; JSON in bench/results/<db>-bank.json.
#   bench/bank.sh [sqlite|postgres ...]
#   RUNS=5 PER_CLIENT=100 MODES=threads,processes FLOWS=ledger,counter bench/bank.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
. bench/_fresh_db.sh
for which in "${@:-postgres sqlite}"; do
  for db in $which; do
    fresh_db "$db" gongzhi_bench_bank
    .venv/bin/python bench/bank.py --runs "${RUNS:-5}" --per-client "${PER_CLIENT:-100}" --modes "${MODES:-threads,processes}" \
      --flows "${FLOWS:-ledger,counter}" --json "bench/results/$db-bank.json"
  done
done
