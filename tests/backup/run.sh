#!/usr/bin/env bash
# make backup-test: a private stack (var/backup, port 18380, the optimised
# build, sample data) under a write load; a backup taken during it,
# restored beside (var/backup-restore, port 18381) and checked; then a
# point-in-time recovery (tests/backup/backup.test.mjs). Stops both stacks.
set -uo pipefail
source "$(dirname "$0")/../stack-env.sh"
stack_env backup 18380
export KC_WORKERS=2
export KC_RESTORE_VAR=${KC_RESTORE_VAR:-$top/var/backup-restore}
export RESTORE_PORT=${RESTORE_PORT:-18381}
stack_fresh backup
rm -rf "$KC_RESTORE_VAR"
stop_restored() { KC_VAR=$KC_RESTORE_VAR bash nginx/stack.sh stop >/dev/null 2>&1; }
trap 'stop_restored; bash nginx/stack.sh stop >/dev/null 2>&1' EXIT
node --test --test-reporter=spec tests/backup/backup.test.mjs
