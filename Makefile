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
#   make backup     a hot backup (mariadb-backup) of the instance into
#                   var/backups/<date>/ (BACKUP_DIR; KC_DB_SOCKET or
#                   KC_DB_HOST+KC_DB_PORT for another server, e.g. a cluster node)
#   make restore DIR=...   that backup into a fresh instance under KC_VAR
#                   (FORCE=1 moves a non-empty one aside; UNTIL='YYYY-MM-DD
#                   HH:MM:SS' replays the binary log up to then), started
#   make backup-test       a backup under load, restored beside and checked
#   make cluster    three Galera nodes, two application nodes and nginx on
#                   127.0.0.1 (nginx/cluster.sh; PORT, default 8090);
#                   make cluster-stop stops it (the data stays in var/cluster)
#   make cluster-test  faults of a cluster under load (tests/cluster/faults.sh),
#                   then a full-cluster restart after every node was SIGKILLed
#   make cluster-bench throughput over two application nodes against one, the
#                   same reads and writes in interleaved rounds: for information
#                   only (2 cores, cannot scale here; tests/cluster/bench.sh)
#   make lint       longest files and functions; fails past 800 / 80 lines
#   make stock      make test and make run in a stock Debian 12 chroot (root)
#   make install    programs, pages, SQL and service files under $(DESTDIR)$(PREFIX)
#   make clean      remove build output (not var/: that is the data)

# Compiler and flags; the programs find the private instance under var/
# through KC_SRCDIR unless the environment says otherwise.
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN      = -Wall -Wextra -Werror
PKGS      = fcgi libmariadb json-c libsodium libutf8proc liboath libqrencode libpng libcurl
CPPFLAGS  = -std=c11 -D_GNU_SOURCE -DKC_SRCDIR='"$(CURDIR)"' -Icgi/lib \
            $(shell pkg-config --cflags $(PKGS))
LDLIBS    = $(shell pkg-config --libs $(PKGS)) -lcsv
# Sanitizer build used by the test suite (same sources, build-san/).
SANFLAGS  = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined
# libFuzzer build (clang) of the library and tests/fuzz/fuzz_*.c, for make fuzz.
FUZZ_CC   = clang
FUZZFLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
# Port of `make run`, and where install puts things.
PORT     ?= 8080
PREFIX   ?= /usr/local
DESTDIR  ?=

LIB_SRC   = $(wildcard cgi/lib/*.c)
PROG_SRC  = $(wildcard cgi/*.c)
# A program made of one file per resource: cgi/<name>/main.c and the rest.
PROG_DIRS = $(patsubst cgi/%/main.c,%,$(wildcard cgi/*/main.c))
TOOL_SRC  = $(wildcard cgi/tools/*.c)
TEST_SRC  = $(wildcard tests/unit/test_*.c)
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz_*.c)
HDRS      = $(wildcard cgi/lib/*.h)
# What the unit tests and fuzz targets share (kc_test.h, fuzz.h, ...).
TEST_HDRS = $(wildcard tests/unit/*.h tests/fuzz/*.h)

# The programs of a folder take their files through secondary expansion.
.SECONDEXPANSION:

# build_tree DIR EXTRA-FLAGS [COMPILER]: the library, programs and unit tests.
define build_tree
$(1)/libkc.a: $$(patsubst cgi/lib/%.c,$(1)/lib/%.o,$$(LIB_SRC))
	$$(AR) rcs $$@ $$^
$(1)/lib/%.o: cgi/lib/%.c $$(HDRS) | $(1)/lib
	$(or $(3),$$(CC)) $$(CPPFLAGS) $$(CFLAGS) $(2) $$(WARN) -c $$< -o $$@
$(1)/kc-%: cgi/%.c $(1)/libkc.a $$(HDRS)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $(2) $$(WARN) $$< $(1)/libkc.a $$(LDLIBS) $(2) -o $$@
$(1)/kc-%: cgi/tools/%.c $(1)/libkc.a $$(HDRS)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $(2) $$(WARN) $$< $(1)/libkc.a $$(LDLIBS) $(2) -o $$@
$(1)/kc-%: cgi/%/main.c $$$$(wildcard cgi/%/*.c cgi/%/*.h) $(1)/libkc.a $$(HDRS)
	$$(CC) $$(CPPFLAGS) -Icgi/$$* $$(CFLAGS) $(2) $$(WARN) \
	    $$(filter %.c,$$^) $(1)/libkc.a $$(LDLIBS) $(2) -o $$@
$(1)/tests/%: tests/unit/%.c $(1)/libkc.a $$(HDRS) $$(TEST_HDRS) | $(1)/tests
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $(2) -Wall -Wextra -Werror $$< $(1)/libkc.a \
	    $$(LDLIBS) $$(shell pkg-config --libs cmocka) $(2) -o $$@
$(1)/lib $(1)/tests:
	mkdir -p $$@
endef

PROGS     = $(patsubst cgi/%.c,kc-%,$(PROG_SRC)) $(addprefix kc-,$(PROG_DIRS)) \
            $(patsubst cgi/tools/%.c,kc-%,$(TOOL_SRC))
TESTS     = $(patsubst tests/unit/%.c,%,$(TEST_SRC))

.PHONY: all build build-san build-fuzz deps npm run stop cluster cluster-stop cluster-test cluster-bench test test-repeat lint stock bench bench-import fuzz security faults soak backup restore backup-test install clean
all: build

$(eval $(call build_tree,build,))
$(eval $(call build_tree,build-san,$(SANFLAGS)))
$(eval $(call build_tree,build-fuzz,$(FUZZFLAGS),$(FUZZ_CC)))

# A fuzz target: its source linked with the library built as above (one list
# of library sources: LIB_SRC); tests/fuzz/run.sh builds and runs them.
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/libkc.a $(HDRS) $(TEST_HDRS)
	$(FUZZ_CC) $(CPPFLAGS) $(CFLAGS) $(subst fuzzer-no-link,fuzzer,$(FUZZFLAGS)) $(WARN) \
	    $< build-fuzz/libkc.a $(LDLIBS) -o $@

build: $(addprefix build/,$(PROGS)) $(addprefix build/tests/,$(TESTS))
build-san: $(addprefix build-san/,$(PROGS)) $(addprefix build-san/tests/,$(TESTS))
build-fuzz: $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRC))

# Missing Debian packages, through the project's one script.
deps:
	@bash cgi/deps.sh

# Front-end libraries (public/) and the test packages (tests/: the browser
# driver, the Frictionless validators), from npm; again when the lock changes.
npm:
	@bash public/build.sh
	@cd tests && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; }

run: deps
	@$(MAKE) --no-print-directory build npm
	@KC_DEMO=1 PORT=$(PORT) bash nginx/stack.sh run

stop:
	@bash nginx/stack.sh stop

# The same programs over a Galera cluster and two application nodes.
CLUSTER_PORT ?= 8090
cluster: deps
	@$(MAKE) --no-print-directory build npm
	@PORT=$(CLUSTER_PORT) bash nginx/cluster.sh run

cluster-stop:
	@PORT=$(CLUSTER_PORT) bash nginx/cluster.sh stop

# Faults of a cluster under load (tests/cluster/faults.sh): a cluster of
# its own in var/cluster-test on CLUSTER_TEST_PORT.
CLUSTER_TEST_PORT ?= 18090
cluster-test: deps
	@$(MAKE) --no-print-directory build npm
	@CLUSTER_PORT=$(CLUSTER_TEST_PORT) bash tests/cluster/faults.sh

# Two application nodes against one (tests/cluster/bench.sh): a cluster of
# its own in var/cluster-bench on CLUSTER_BENCH_PORT and that port + 15.
CLUSTER_BENCH_PORT ?= 18070
cluster-bench: deps
	@bash cgi/deps.sh bench
	@$(MAKE) --no-print-directory build npm
	@CLUSTER_PORT=$(CLUSTER_BENCH_PORT) bash tests/cluster/bench.sh

test: deps
	@$(MAKE) --no-print-directory build build-san npm
	@bash tests/run.sh

# The suite N times in a row (tests/repeat.sh): does it give one answer?
N ?= 5
test-repeat: deps
	@$(MAKE) --no-print-directory build build-san npm
	@bash tests/repeat.sh $(N)

# Sizes: the longest files and functions, and a failure past the limits.
lint:
	@bash tests/lint/sizes.sh

bench:
	@bash cgi/deps.sh bench
	@$(MAKE) --no-print-directory build build/bench-bare npm
	@bash tests/bench/run.sh | tee tests/bench/RESULTS.md.tmp
	@{ printf '# Latest make bench output\n\n```\n'; cat tests/bench/RESULTS.md.tmp; printf '```\n'; } >tests/bench/RESULTS.md; rm -f tests/bench/RESULTS.md.tmp

# The benchmarks' yardstick: a bare libfcgi + Connector/C + json-c program.
build/bench-bare: tests/bench/bare.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $< $(LDLIBS) -o $@

bench-import:
	@bash cgi/deps.sh bench
	@$(MAKE) --no-print-directory build
	@bash tests/bench/import.sh

# libFuzzer targets (clang), FUZZ_SECONDS each (default 60).
fuzz: deps
	@bash tests/fuzz/run.sh

# sqlmap against every endpoint with parameters, and plain-HTTP attack checks.
security:
	@bash cgi/deps.sh security
	@$(MAKE) --no-print-directory build npm
	@bash tests/security/run.sh

# Faults under a mixed load: worker kills, a database outage, killed imports.
faults: deps
	@$(MAKE) --no-print-directory build npm
	@bash tests/faults/load.sh

# Hot backups and their restore (sql/backup.sh). The restored stack
# listens on PORT.
backup:
	@bash sql/backup.sh backup

restore:
	@UNTIL="$(UNTIL)" FORCE="$(FORCE)" PORT=$(PORT) bash sql/backup.sh restore "$(DIR)"

# A backup taken under a write load, restored beside and checked, and a
# point-in-time recovery (tests/backup/run.sh).
backup-test: deps
	@$(MAKE) --no-print-directory build npm
	@bash tests/backup/run.sh

# Memory: RSS of every worker under a long mixed load (SOAK_SECONDS), and
# valgrind memcheck over one worker of each program during the HTTP tests.
soak:
	@bash cgi/deps.sh soak
	@$(MAKE) --no-print-directory build npm
	@bash tests/soak/run.sh

# make test and make run as a newcomer meets them: a debootstrap'ed Debian 12
# with only build-essential git curl nodejs npm, a fresh clone of HEAD.
stock:
	@bash tests/stock/run.sh

install: build npm
	@bash nginx/install.sh "$(DESTDIR)" "$(PREFIX)"

clean:
	rm -rf build build-san build-fuzz
