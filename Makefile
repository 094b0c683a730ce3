# khuyencong — build, run and test.
#
#   make run        install missing packages, build, start the private stack
#                   (MariaDB under var/, FastCGI programs, nginx) in the foreground
#   make stop       stop a running `make run` (the data stays under var/)
#   make test       every test, against private servers of its own
#   make test-repeat N=5   the whole suite N times, each run's result and
#                   which tests failed in how many runs
#   make bench      throughput and latency figures, with ratios to a baseline
#   make fuzz       libFuzzer targets for the parsers, FUZZ_SECONDS each
#   make security   sqlmap and plain-HTTP attack checks against a private stack
#   make faults     faults under load;  make soak: memory growth and valgrind
#   make install    programs, pages, SQL and service files under $(DESTDIR)$(PREFIX)
#   make clean      remove build output (not var/: that is the data)

# Compiler and flags; the programs find the private instance under var/
# through KC_SRCDIR unless the environment says otherwise.
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN      = -Wall -Wextra -Werror
PKGS      = fcgi libmariadb json-c libsodium libutf8proc
CPPFLAGS  = -std=c11 -D_GNU_SOURCE -DKC_SRCDIR='"$(CURDIR)"' -Icgi/lib \
            $(shell pkg-config --cflags $(PKGS))
LDLIBS    = $(shell pkg-config --libs $(PKGS)) -lcsv
# Sanitizer build used by the test suite (same sources, build-san/).
SANFLAGS  = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
# Port of `make run`, and where install puts things.
PORT     ?= 8080
PREFIX   ?= /usr/local
DESTDIR  ?=

LIB_SRC   = $(wildcard cgi/lib/*.c)
PROG_SRC  = $(wildcard cgi/*.c)
TOOL_SRC  = $(wildcard cgi/tools/*.c)
TEST_SRC  = $(wildcard tests/unit/test_*.c)
HDRS      = $(wildcard cgi/lib/*.h)

define build_tree
$(1)/libkc.a: $$(patsubst cgi/lib/%.c,$(1)/lib/%.o,$$(LIB_SRC))
	$$(AR) rcs $$@ $$^
$(1)/lib/%.o: cgi/lib/%.c $$(HDRS) | $(1)/lib
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $(2) $$(WARN) -c $$< -o $$@
$(1)/kc-%: cgi/%.c $(1)/libkc.a $$(HDRS)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $(2) $$(WARN) $$< $(1)/libkc.a $$(LDLIBS) $(2) -o $$@
$(1)/kc-%: cgi/tools/%.c $(1)/libkc.a $$(HDRS)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $(2) $$(WARN) $$< $(1)/libkc.a $$(LDLIBS) $(2) -o $$@
$(1)/tests/%: tests/unit/%.c $(1)/libkc.a $$(HDRS) | $(1)/tests
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $(2) -Wall -Wextra -Werror $$< $(1)/libkc.a \
	    $$(LDLIBS) $$(shell pkg-config --libs cmocka) $(2) -o $$@
$(1)/lib $(1)/tests:
	mkdir -p $$@
endef

PROGS     = $(patsubst cgi/%.c,kc-%,$(PROG_SRC)) $(patsubst cgi/tools/%.c,kc-%,$(TOOL_SRC))
TESTS     = $(patsubst tests/unit/%.c,%,$(TEST_SRC))

.PHONY: all build build-san deps npm run stop test test-repeat bench bench-import fuzz security faults soak install clean
all: build

$(eval $(call build_tree,build,))
$(eval $(call build_tree,build-san,$(SANFLAGS)))

build: $(addprefix build/,$(PROGS)) $(addprefix build/tests/,$(TESTS))
build-san: $(addprefix build-san/,$(PROGS)) $(addprefix build-san/tests/,$(TESTS))

# Missing Debian packages, through the project's one script.
deps:
	@bash cgi/deps.sh

# Front-end libraries (public/) and the browser-test driver (tests/), from npm.
npm:
	@bash public/build.sh
	@cd tests && { [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; }

run: deps
	@$(MAKE) --no-print-directory build npm
	@KC_DEMO=1 PORT=$(PORT) bash nginx/stack.sh run

stop:
	@bash nginx/stack.sh stop

test: deps
	@$(MAKE) --no-print-directory build build-san npm
	@bash tests/run.sh

# The suite N times in a row (tests/repeat.sh): does it give one answer?
N ?= 5
test-repeat: deps
	@$(MAKE) --no-print-directory build build-san npm
	@bash tests/repeat.sh $(N)

bench: deps
	@$(MAKE) --no-print-directory build build/bench-bare npm
	@bash tests/bench/run.sh

# The benchmarks' yardstick: a bare libfcgi + Connector/C + json-c program.
build/bench-bare: tests/bench/bare.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $< $(LDLIBS) -o $@

bench-import: deps
	@$(MAKE) --no-print-directory build
	@bash tests/bench/import.sh

# libFuzzer targets (clang), FUZZ_SECONDS each (default 60).
fuzz: deps
	@bash tests/fuzz/run.sh

# sqlmap against every endpoint with parameters, and plain-HTTP attack checks.
security: deps
	@$(MAKE) --no-print-directory build npm
	@bash tests/security/run.sh

# Faults under a mixed load: worker kills, a database outage, killed imports.
faults: deps
	@$(MAKE) --no-print-directory build npm
	@bash tests/faults/load.sh

# Memory: RSS of every worker under a long mixed load (SOAK_SECONDS), and
# valgrind memcheck over one worker of each program during the HTTP tests.
soak: deps
	@$(MAKE) --no-print-directory build npm
	@bash tests/soak/run.sh

install: build npm
	@bash nginx/install.sh "$(DESTDIR)" "$(PREFIX)"

clean:
	rm -rf build build-san build-fuzz
