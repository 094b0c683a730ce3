#!/usr/bin/env bash
# make install DESTDIR=... PREFIX=...: the production layout. Nothing here
# depends on `make run` or on the checkout.
#   $PREFIX/lib/khuyencong/kc-*        FastCGI programs
#   $PREFIX/bin/kc-import, kc-admin     command-line tools
#   $PREFIX/share/khuyencong/public     pages, scripts, vendor libraries
#   $PREFIX/share/khuyencong/sql        migrations, grants, reference data, instance.sh
#   /etc/nginx/sites-available/khuyencong.conf and /etc/nginx/khuyencong/*.conf
#   /lib/systemd/system/khuyencong@.{socket,service}, khuyencong-notify.service
set -euo pipefail
DESTDIR=${1:-}
PREFIX=${2:-/usr/local}
top=$(cd "$(dirname "$0")/.." && pwd)
LIBEXEC=$PREFIX/lib/khuyencong
SHARE=$PREFIX/share/khuyencong
RUN=/run/khuyencong
NGX=/etc/nginx/khuyencong

install -d "$DESTDIR$LIBEXEC" "$DESTDIR$PREFIX/bin" "$DESTDIR$SHARE" \
	"$DESTDIR$NGX" "$DESTDIR/etc/nginx/sites-available" "$DESTDIR/lib/systemd/system"
for p in "$top"/cgi/*.c "$top"/cgi/*/main.c; do
	[ -e "$p" ] || continue
	case $p in */main.c) n=kc-$(basename "$(dirname "$p")") ;; *) n=kc-$(basename "$p" .c) ;; esac
	install -m 0755 "$top/build/$n" "$DESTDIR$LIBEXEC/$n"
done
for p in "$top"/cgi/tools/*.c; do
	[ -e "$p" ] || continue
	n=kc-$(basename "$p" .c)
	install -m 0755 "$top/build/$n" "$DESTDIR$PREFIX/bin/$n"
done
rm -rf "$DESTDIR$SHARE/public" "$DESTDIR$SHARE/sql"
cp -r "$top/public" "$DESTDIR$SHARE/public"
rm -rf "$DESTDIR$SHARE/public/node_modules" "$DESTDIR$SHARE/public/package.json" \
	"$DESTDIR$SHARE/public/package-lock.json" "$DESTDIR$SHARE/public/build.sh"
mkdir -p "$DESTDIR$SHARE/sql"
cp -r "$top/sql/migrations" "$top/sql/data" "$top/sql/grants.sql" "$top/sql/instance.sh" "$top/sql/backup.sh" "$DESTDIR$SHARE/sql/"
cp -r "$top/nginx/errors" "$DESTDIR$SHARE/errors"

render() {
	sed -e "s|@RUN@|$RUN|g" -e "s|@PORT@|80|g" -e "s|@LISTEN@|0.0.0.0|g" \
	    -e "s|@PUBLIC@|$SHARE/public|g" -e "s|@CACHE@|/var/cache/nginx/khuyencong|g" \
	    -e "s|@ERRORS@|$SHARE/errors|g" -e "s|@NGINX@|$NGX|g" \
	    -e "s|@APPLY_RATE@|30r/m|g" -e "s|@APPLY_BURST@|10|g" \
	    -e "s|@LOGIN_RATE@|10r/m|g" -e "s|@LOGIN_BURST@|5|g" \
	    -e "s|@LIBEXEC@|$LIBEXEC|g" -e '/#dev$/d' "$1"
}
render "$top/nginx/site.conf.in" >"$DESTDIR/etc/nginx/sites-available/khuyencong.conf"
render "$top/nginx/fastcgi.conf" >"$DESTDIR$NGX/fastcgi.conf"
render "$top/nginx/security-headers.conf" >"$DESTDIR$NGX/security-headers.conf"
for u in khuyencong@.socket khuyencong@.service khuyencong-notify.service; do
	render "$top/nginx/systemd/$u" >"$DESTDIR/lib/systemd/system/$u"
done
echo "installed under ${DESTDIR:-/}: see README.md, 'Production'"
