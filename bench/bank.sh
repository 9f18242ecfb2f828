#!/usr/bin/env bash
# The 道德银行 ledger benchmark on a fresh database of each kind (default: both).
#   bench/bank.sh [sqlite|postgres ...]      Results: bench/results/<db>-bank.json
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
. bench/_fresh_db.sh
for which in "${@:-sqlite postgres}"; do
  for db in $which; do
    fresh_db "$db" gongzhi_bank
    .venv/bin/python bench/bank.py --runs "${RUNS:-5}" --json "bench/results/$db-bank.json"
  done
done
