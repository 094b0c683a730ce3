#!/usr/bin/env bash
# make stock: `make test` and `make run` the way a newcomer meets them, on a
# stock Debian 12: a root made with `debootstrap --variant=minbase bookworm`,
# plus Debian's build-essential git curl nodejs npm (Node.js 18) and nothing
# else; a fresh clone of this checkout's HEAD in it; then, as root inside
# the chroot, `make test` (which installs the rest through cgi/deps.sh) and
# `make run` until /api/health answers. Not part of `make test`: it needs
# root, debootstrap and some 2 GB, and takes a long while.
#
# Settings (environment): STOCK_ROOT (the root, default var/stockroot; kept
# between runs, only the clone is renewed), STOCK_MIRROR and STOCK_SECURITY
# (the Debian mirrors, default deb.debian.org's), TEST_PORT (make test's port, 18080),
# STOCK_RUN_PORT (make run's port, 8150), STOCK_REF (the commit to clone,
# default HEAD: an older one shows what a fix changed).
# Prints both figures; the logs stay in tests/out/stock/. Unmounts what it
# mounted and stops every process left inside the root, whatever happens.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ROOT=${STOCK_ROOT:-$top/var/stockroot}
MIRROR=${STOCK_MIRROR:-http://deb.debian.org/debian}
SECURITY=${STOCK_SECURITY:-http://deb.debian.org/debian-security}
TPORT=${TEST_PORT:-18080}
RPORT=${STOCK_RUN_PORT:-8150}
OUT=$top/tests/out/stock
SRC=/root/khuyencong
REF=$(git -C "$top" rev-parse --verify "${STOCK_REF:-HEAD}^{commit}") || exit 1
[ "$(id -u)" = 0 ] || { echo "stock: run as root (debootstrap, chroot, mount)" >&2; exit 1; }
command -v debootstrap >/dev/null ||
	{ echo "stock: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
mkdir -p "$OUT"
ROOT=$(mkdir -p "$ROOT" && cd "$ROOT" && pwd -P)

# A clean environment, but for this machine's own CAs (a TLS-inspecting
# proxy's: see below); none on an ordinary machine.
in_root() { chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt} "$@"; }

# Every process whose root is the chroot: only this script starts any.
inside() {
	local p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] && echo "${p#/proc/}"
	done
}
cleanup() {
	local pids n
	for n in 1 2 3 4 5 6 7 8 9 10; do
		pids=$(inside)
		[ -n "$pids" ] || break
		# shellcheck disable=SC2086
		kill $([ "$n" -gt 5 ] && echo -KILL) $pids 2>/dev/null
		sleep 1
	done
	for m in dev/pts dev sys proc; do
		mountpoint -q "$ROOT/$m" && umount "$ROOT/$m"
	done
}
trap cleanup EXIT

echo "== stock Debian 12 root in $ROOT"
if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
	debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$OUT/debootstrap.log" 2>&1 ||
		{ tail -20 "$OUT/debootstrap.log"; exit 1; }
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# The sources of an installed Debian 12 (debootstrap writes only the first).
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY bookworm-security main
EOF
# Certificate authorities this machine added for itself (a TLS-inspecting
# proxy's, without which npm cannot reach its registry from here).
mkdir -p "$ROOT/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/" 2>/dev/null
# A chroot has no init: keep the packages' services (mariadb, nginx on port
# 80) from starting in it, as Debian's chroot guides do.
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOT/proc"
mount -t sysfs sys "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"

echo "== apt-get install build-essential git curl nodejs npm (Debian's own)"
in_root bash -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -q &&
	apt-get upgrade -y -q && apt-get install -y -q build-essential git curl nodejs npm &&
	update-ca-certificates' >"$OUT/apt.log" 2>&1 ||
	{ tail -20 "$OUT/apt.log"; exit 1; }
echo "   node $(in_root node --version), npm $(in_root npm --version)"

echo "== a fresh clone of ${REF:0:12} in $SRC"
rm -rf "${ROOT:?}$SRC"
git clone -q --no-checkout "$top" "$ROOT$SRC" && git -C "$ROOT$SRC" checkout -q "$REF" || exit 1

echo "== make test (TEST_PORT=$TPORT), log in $OUT/test.log"
in_root bash -c "cd $SRC && TEST_PORT=$TPORT make test" >"$OUT/test.log" 2>&1
test_rc=$?
tail -1 "$OUT/test.log" | sed 's/^/   /'
grep -E '^failed:' "$OUT/test.log" | sed 's/^/   /'

echo "== make run PORT=$RPORT, then GET /api/health"
in_root bash -c "cd $SRC && exec make run PORT=$RPORT" >"$OUT/run.log" 2>&1 &
runpid=$!
health=""
for _ in $(seq 1 120); do
	kill -0 "$runpid" 2>/dev/null || break
	health=$(curl -s -m 2 "http://127.0.0.1:$RPORT/api/health") && [ -n "$health" ] && break
	health=""
	sleep 1
done
echo "   ${health:-no answer (see $OUT/run.log)}"
in_root bash -c "cd $SRC && make stop" >>"$OUT/run.log" 2>&1
wait
run_rc=1
grep -q '"status":"ok"' <<<"$health" && run_rc=0
[ "$test_rc" -eq 0 ] && [ "$run_rc" -eq 0 ]
