# Sourced by the scripts that start a private stack of their own (make
# bench, faults, security, soak): `stack_env NAME PORT` points the stack
# at var/NAME and 127.0.0.1:PORT (KC_<NAME>_VAR and <NAME>_PORT override
# them), the optimised build, sample data, quiet logs and rate limits no
# load reaches; `stack_fresh NAME` starts it on a new instance and stops it
# when the script ends.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 2

stack_env() {	# stack_env NAME PORT
	local up
	up=$(echo "$1" | tr '[:lower:]' '[:upper:]')
	eval "export KC_VAR=\${KC_${up}_VAR:-$top/var/$1}"
	eval "export PORT=\${${up}_PORT:-$2}"
	export KC_URL=http://127.0.0.1:$PORT
	export KC_BIN=$top/build KC_DEMO=1 KC_LOG_QUIET=1
	export KC_APPLY_RATE=1000000r/m KC_APPLY_BURST=100000
	export KC_LOGIN_RATE=1000000r/m KC_LOGIN_BURST=100000
}

stack_fresh() {	# stack_fresh NAME: a new instance, stopped on exit
	bash nginx/stack.sh stop >/dev/null 2>&1
	rm -rf "$KC_VAR"
	trap 'bash nginx/stack.sh stop >/dev/null 2>&1' EXIT
	bash nginx/stack.sh start >/dev/null 2>&1 ||
		{ echo "$1: stack did not start"; exit 1; }
}
