#!/usr/bin/env bash
# make test: lint, then the whole suite against the real embedded PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export DEBUG="${DEBUG:-1}"
# Tests get their own instance (database, Redis, models) beside any `make run` one.
export OTT_VAR_DIR="${TEST_VAR_DIR:-$PWD/var/test}"
if [ -z "${MOVIELENS_SOURCE:-}" ] && [ -d ../shared/data/ml-100k ]; then
  export MOVIELENS_SOURCE="$(cd ../shared/data/ml-100k && pwd)"
fi

bash scripts/ensure-browser.sh
ruff check .
ruff format --check .
# Security lint: any high-severity finding fails the run.
bandit -q -r accounts catalog ottsite recommender experiments survey benchmarks \
  -x "*/tests/*,*/migrations/*" --severity-level high
# The 25 slowest tests, so the next slow test is seen the day it lands.
python -m pytest --durations=25 "$@"
