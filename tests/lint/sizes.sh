#!/usr/bin/env bash
# make lint: the longest C source files and functions of cgi/, and a
# failure past the limits (files 800 lines, functions 80 lines; tests and
# generated files are not counted). Functions are found by the code's
# style(9) layout: the name at the start of a line, the body from a "{"
# alone at the start of a line to the next "}" alone at the start of one.
set -euo pipefail
cd "$(dirname "$0")/../.."
FILE_MAX=${LINT_FILE_MAX:-800}
FUNC_MAX=${LINT_FUNC_MAX:-80}
SHOW=${LINT_SHOW:-8}
files=$(find cgi -name '*.c' -o -name '*.h' | sort)
bad=0

echo "== longest files (limit $FILE_MAX lines)"
# shellcheck disable=SC2086
wc -l $files | grep -v ' total$' | sort -rn >/tmp/kc-lint-files.$$
head -n "$SHOW" /tmp/kc-lint-files.$$ | sed 's/^/   /'
over=$(awk -v m="$FILE_MAX" '$1 > m' /tmp/kc-lint-files.$$)
if [ -n "$over" ]; then echo "   over the limit:"; echo "$over" | sed 's/^/     /'; bad=1; fi

echo "== longest functions (limit $FUNC_MAX lines)"
# shellcheck disable=SC2086
awk '
FNR == 1 { name = ""; start = 0 }
/^[A-Za-z_][A-Za-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name) }
/^\{/ && name != "" { start = FNR }
/^\}/ && start > 0 { printf "%d %s:%d %s\n", FNR - start + 1, FILENAME, start, name; start = 0; name = "" }
' $(echo "$files" | grep '\.c$') | sort -rn >/tmp/kc-lint-funcs.$$
head -n "$SHOW" /tmp/kc-lint-funcs.$$ | sed 's/^/   /'
over=$(awk -v m="$FUNC_MAX" '$1 > m' /tmp/kc-lint-funcs.$$)
if [ -n "$over" ]; then echo "   over the limit:"; echo "$over" | sed 's/^/     /'; bad=1; fi
rm -f /tmp/kc-lint-files.$$ /tmp/kc-lint-funcs.$$
[ "$bad" = 0 ] && echo "lint: every file and function within the limits"
exit "$bad"
