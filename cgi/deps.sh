#!/usr/bin/env bash
# Install the Debian packages that building, running and testing need,
# when some are missing. Run as root (or through sudo). Idempotent.
#   cgi/deps.sh [security] [soak] [bench]
# With `security` also sqlmap (make security), with `soak` also valgrind
# (make soak), with `bench` also python3 (the benchmarks' data
# generators): tools for those checks only, kept off the machines that
# only build, run and test the site.
set -euo pipefail
PKGS=(
	build-essential pkg-config
	# clang with its runtimes (libFuzzer, ASan, UBSan) for the fuzz targets;
	# libclang-rt-dev follows the version of Debian's default clang.
	clang libclang-rt-dev
	libfcgi-dev libfcgi-bin spawn-fcgi multiwatch
	libmariadb-dev mariadb-server mariadb-client
	# make backup, make restore (sql/backup.sh) and make cluster (Galera,
	# its state transfer by mariabackup over socat).
	galera-4 mariadb-backup socat
	libjson-c-dev libcsv-dev libsodium-dev libutf8proc-dev libcmocka-dev
	liboath-dev libqrencode-dev libpng-dev
	# The tests' QR decoder (award labels, tests/http/verify.test.mjs).
	zbar-tools
	# kc-notify: SMTP to the relay and HTTP to the SMS gateway.
	libcurl4-openssl-dev
	nginx-light
	chromium
	wrk time
	# The notification tests' local SMTP server (tests/http/notify-*).
	python3-aiosmtpd
)
for extra in "$@"; do
	case $extra in
	security) PKGS+=(sqlmap) ;;
	soak) PKGS+=(valgrind) ;;
	bench) PKGS+=(python3) ;;
	*) echo "deps: unknown group '$extra' (security, soak, bench)" >&2; exit 2 ;;
	esac
done
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# Node.js with npm (Debian's, or one the machine already has) for the
# front-end libraries and the browser tests.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# libfcgi must carry the CVE-2025-23016 fix (Debian 2.4.2-2+deb12u1 or later).
if dpkg-query -W -f='${Version}' libfcgi0ldbl >/dev/null 2>&1; then
	v=$(dpkg-query -W -f='${Version}' libfcgi0ldbl)
	dpkg --compare-versions "$v" ge 2.4.2-2+deb12u1 || missing+=(libfcgi0ldbl)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# policy-rc.d keeps the system mariadb/nginx services from starting.
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
v=$(dpkg-query -W -f='${Version}' libfcgi0ldbl)
dpkg --compare-versions "$v" ge 2.4.2-2+deb12u1 ||
	{ echo "deps: libfcgi $v lacks the CVE-2025-23016 fix" >&2; exit 1; }
