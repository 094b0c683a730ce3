#!/usr/bin/env bash
# make faults: a private stack (var/faults, port 18093, the optimised
# build), a mixed load (browse and search products, dashboard, register)
# and, while it runs, repeated SIGKILLs of workers and a MariaDB outage;
# then kc-import killed with SIGKILL at random points of a large file and
# re-run. Prints a table: fault, requests, errors, acknowledged writes,
# writes found afterwards. FAULT_SECONDS sets the length of each phase.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export KC_VAR=${KC_FAULTS_VAR:-$top/var/faults}
export PORT=${FAULTS_PORT:-18093}
export KC_URL=http://127.0.0.1:$PORT
export KC_BIN=$top/build KC_WORKERS=2 KC_DEMO=1 KC_LOG_QUIET=1
export KC_APPLY_RATE=1000000r/m KC_APPLY_BURST=100000 KC_LOGIN_RATE=1000000r/m KC_LOGIN_BURST=100000
bash nginx/stack.sh stop >/dev/null 2>&1
rm -rf "$KC_VAR"
trap 'bash nginx/stack.sh stop >/dev/null 2>&1' EXIT
bash nginx/stack.sh start >/dev/null 2>&1 || { echo "faults: stack did not start"; exit 1; }
node tests/faults/load.mjs
