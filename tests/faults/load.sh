#!/usr/bin/env bash
# make faults: a private stack (var/faults, port 18093, the optimised
# build), a mixed load (browse and search products, dashboard, register)
# and, while it runs, repeated SIGKILLs of workers and a MariaDB outage;
# then kc-import killed with SIGKILL at random points of a large file and
# re-run. Prints a table: fault, requests, errors, acknowledged writes,
# writes found afterwards. FAULT_SECONDS sets the length of each phase.
set -uo pipefail
source "$(dirname "$0")/../stack-env.sh"
stack_env faults 18093
export KC_WORKERS=2
stack_fresh faults
node tests/faults/load.mjs
