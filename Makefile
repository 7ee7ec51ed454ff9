# skewplan - offline Kubernetes upgrade plan and audit analyzer.
# `make` builds ./skewplan; see README.md for the other targets.

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKGS = yaml-0.1 libcjson libpcre2-8
DEB_PKGS = build-essential pkg-config libyaml-dev libcjson-dev libpcre2-dev libcmocka-dev scdoc

WARN = -std=c11 -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wvla -Wwrite-strings -Wformat=2 -fno-common
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

CFLAGS ?= -O2 -g
ALL_CFLAGS = $(WARN) -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS) $(CFLAGS) \
	     -DSKEWPLAN_RULES_DIR='"$(PREFIX)/share/skewplan/rules"'
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRCS := $(sort $(wildcard analyzer/*/*.c))
LIB_SRCS := $(filter-out analyzer/main.c,$(SRCS))
OBJS := $(LIB_SRCS:%.c=build/rel/%.o)
SAN_OBJS := $(LIB_SRCS:%.c=build/san/%.o)
TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=build/san/tests/%)
HDRS := $(wildcard analyzer/*/*.h analyzer/*.h)
FUZZ_TARGETS = version nodes images packages sniff rules metrics audit manifests json_items \
	describe kubeadm_plan configz node_facts json_walk
REPLAY_BINS := $(FUZZ_TARGETS:%=build/san/replay_%)
FUZZ_SECONDS ?= 60
# Seeds of each fuzz target: its fixtures plus every crasher ever found.
seeds_version = fixtures/version fixtures/bad/version tests/corpus/version
seeds_nodes = fixtures/nodes fixtures/bad/nodes tests/corpus/nodes
seeds_images = fixtures/images fixtures/bad/images fixtures/drain fixtures/drain-1.29 tests/corpus/images
seeds_packages = fixtures/packages fixtures/bad/packages tests/corpus/packages
seeds_sniff = fixtures/seed-v1.26.1 fixtures/session fixtures/elided tests/corpus/sniff
seeds_rules = fixtures/bad/rules tests/corpus/rules
seeds_metrics = fixtures/apis-1.24 fixtures/bad/apis tests/corpus/metrics
seeds_audit = fixtures/apis-1.24 fixtures/bad/apis tests/corpus/audit
seeds_manifests = fixtures/apis-manifests tests/corpus/manifests
seeds_json_items = fixtures/nodes tests/corpus/json_items
seeds_describe = fixtures/describe fixtures/bad/describe tests/corpus/describe
seeds_kubeadm_plan = fixtures/kubeadm-plan fixtures/bad/kubeadm-plan tests/corpus/kubeadm_plan
seeds_configz = fixtures/prereq-1.33 fixtures/bad/prereq tests/corpus/configz
seeds_node_facts = fixtures/prereq-1.33 fixtures/bad/prereq tests/corpus/node_facts
seeds_json_walk = fixtures/nodes fixtures/images tests/corpus/json_walk

all: skewplan

# Man pages: written once in scdoc (doc/*.scd), generated here; doc/tidy.awk
# drops the empty paragraphs scdoc writes, which mandoc -Tlint warns about.
MAN_SRCS := $(sort $(wildcard doc/*.scd))
MAN_PAGES := $(MAN_SRCS:doc/%.scd=build/man/%)
man: $(MAN_PAGES)
build/man/%: doc/%.scd doc/tidy.awk
	@command -v scdoc >/dev/null || { echo "make man needs scdoc: apt-get install -y scdoc (or make deps)" >&2; exit 1; }
	@mkdir -p $(dir $@)
	scdoc < $< | awk -f doc/tidy.awk > $@.tmp && mv $@.tmp $@

# The installed rules directory is compiled in: rebuild what uses it when
# PREFIX changes.
build/prefix.stamp: FORCE
	@mkdir -p build
	@[ "$$(cat $@ 2>/dev/null)" = "$(PREFIX)" ] || echo "$(PREFIX)" > $@
build/rel/analyzer/cli/common.o build/san/analyzer/cli/common.o: build/prefix.stamp
FORCE:

skewplan: $(OBJS) build/rel/analyzer/main.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/rel/%.o: %.c $(HDRS) | check-deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: %.c $(HDRS) | check-deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -O1 -c -o $@ $<

build/san/skewplan: $(SAN_OBJS) build/san/analyzer/main.o
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

build/san/tests/%: tests/unit/%.c $(SAN_OBJS) $(HDRS) | check-test-deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) $(CMOCKA_CFLAGS) -Wno-missing-prototypes \
		-o $@ $< $(SAN_OBJS) $(PKG_LIBS) $(CMOCKA_LIBS)

build/san/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz_common.h $(SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) -o $@ tests/fuzz/replay.c $< $(SAN_OBJS) $(PKG_LIBS)

# libFuzzer builds need clang; every library object is rebuilt for them.
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(LIB_SRCS) $(HDRS)
	@command -v clang >/dev/null || { echo "make fuzz needs clang: apt-get install -y clang" >&2; exit 1; }
	@mkdir -p $(dir $@)
	clang $(WARN) -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS) -g -O1 \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(LIB_SRCS) $(PKG_LIBS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p tests/corpus/$$t build/fuzz/work-$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	  ./build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -artifact_prefix=tests/corpus/$$t/crash- build/fuzz/work-$$t \
	    $$(for d in $$(eval echo \$$seeds_$$t); do [ -d $$d ] && echo $$d; done) \
	    2>&1 | tail -3 || exit 1; \
	done

# One unit binary by name: make tests/unit/test_madison
tests/unit/test_%: build/san/tests/test_%
	ASAN_OPTIONS=detect_leaks=1 ./$<

check-deps:
	@pkg-config --exists $(PKGS) || { \
	  echo "skewplan: missing build dependencies; as root run:" >&2; \
	  echo "  apt-get update && apt-get install -y $(DEB_PKGS)" >&2; \
	  echo "(or: make deps)" >&2; exit 1; }

check-test-deps: check-deps
	@pkg-config --exists cmocka || { \
	  echo "skewplan: missing test dependency cmocka; as root run:" >&2; \
	  echo "  apt-get update && apt-get install -y libcmocka-dev" >&2; exit 1; }

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "deps: all installed"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "deps: missing:$$missing; run as root:" >&2; \
	  echo "  apt-get update && apt-get install -y$$missing" >&2; exit 1; fi; \
	echo "apt-get update && apt-get install -y$$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing

# The seed: a 3-node kubeadm cluster at v1.26.1, as of the day of its
# upgrade to v1.26.3 (../shared/seeds/000_73223e0e9ccdd222.txt).
# npm's @action-validator/cli checks examples/ci/'s GitHub workflow against
# the workflow schema (tests/ci_examples.sh).
# Tools tests/report_checks.sh uses when present: a JUnit reader, headless
# Chromium and poppler for the HTML runbook as PDF, and Microsoft's SARIF
# validator from npm. .ci/run installs them; without them those checks
# skip, and a skip fails make test (SKEWPLAN_ALLOW_SKIP=1 allows it outside CI).
# python3 runs the runbook replay (tests/replay/replay.py); mandoc lints the man pages;
# python3-jsonschema and python3-yaml check Code Quality reports and the CI examples.
TEST_DEB_PKGS = python3 python3-junitparser python3-jsonschema python3-yaml chromium poppler-utils mandoc
test-deps: deps
	@set -e; missing=""; for p in $(TEST_DEB_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" != 0 ]; then \
	  echo "test-deps: missing:$$missing; run as root:" >&2; \
	  echo "  apt-get update && apt-get install -y$$missing" >&2; exit 1; fi; \
	if [ -n "$$missing" ]; then apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing || \
	  { echo "test-deps: could not install$$missing: make test needs them (SKEWPLAN_ALLOW_SKIP=1 skips their checks outside CI)" >&2; \
	    [ "$${SKEWPLAN_ALLOW_SKIP:-0}" = 1 ] || exit 1; }; fi; \
	command -v action-validator >/dev/null 2>&1 || \
	  npm install -g --no-fund --no-audit @action-validator/cli@0.6.0 || \
	  { sleep 10; npm install -g --no-fund --no-audit @action-validator/cli@0.6.0; } || \
	  { echo "test-deps: npm could not install @action-validator/cli: make test needs it (SKEWPLAN_ALLOW_SKIP=1 skips its checks outside CI)" >&2; \
	    [ "$${SKEWPLAN_ALLOW_SKIP:-0}" = 1 ] || exit 1; }; \
	command -v sarif-multitool >/dev/null 2>&1 || \
	  npm install -g --no-fund --no-audit @microsoft/sarif-multitool || \
	  { sleep 10; npm install -g --no-fund --no-audit @microsoft/sarif-multitool; } || \
	  { echo "test-deps: npm could not install @microsoft/sarif-multitool: make test needs it (SKEWPLAN_ALLOW_SKIP=1 skips its checks outside CI)" >&2; \
	    [ "$${SKEWPLAN_ALLOW_SKIP:-0}" = 1 ] || exit 1; }; \
	echo "test-deps: done"

# deps runs first, then a fresh make reads the pkg-config flags: this make
# computed them when it read the Makefile, before deps installed anything.
demo: deps
	$(MAKE) skewplan
	./skewplan audit --as-of 2023-03-20 --fail-on never fixtures/seed-v1.26.1
	./skewplan plan --to latest-patch --as-of 2023-03-20 fixtures/seed-v1.26.1

# As for demo: a fresh make after deps, so that the flags see what it installed.
test: deps
	@$(MAKE) --no-print-directory test-run

test-run: $(TEST_BINS) $(REPLAY_BINS) build/san/skewplan skewplan
	@sh tests/run_all.sh build/san ./skewplan

test-bins: $(TEST_BINS) build/san/skewplan

# The first `make demo` on a machine without the -dev packages
# (tests/fresh_demo.sh): removes those installed, runs make demo in a fresh
# clone, reinstalls them. Root, Debian; other builds on the machine fail
# meanwhile, so .ci/run runs it on its own machine after make test. make test
# runs its --dry-run, which simulates the missing packages with stand-ins.
test-fresh:
	@sh tests/fresh_demo.sh

# The .deb end to end (tests/deb_test.sh): dpkg-buildpackage in a fresh
# clone, lintian, dpkg -i, the seed audited from / with the installed rules,
# man pages, completions, skewplan-capture, then dpkg -r. Root; installs
# debhelper and lintian when missing.
DEB_TEST_PKGS = debhelper lintian man-db
test-deb: deps
	@missing=""; for p in $(DEB_TEST_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "test-deb: needs root (dpkg -i) and$$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@sh tests/deb_test.sh
# The users' pastes in ../shared/captures (outside the project; its own
# shapes are fixtures/real/): every case.yaml's expect: against
# `skewplan inspect -f json`. Not part of make test; fails when absent.
SHARED_CAPTURES ?= ../shared/captures
test-captures: build/san/skewplan
	@SKEWPLAN=build/san/skewplan python3 tests/captures/check.py $(SHARED_CAPTURES)

# The planner's exhaustive search over every generated cluster; `make test`
# runs a fixed quarter of them (tests/unit/test_plan_search.c).
test-search: deps
	@$(MAKE) --no-print-directory build/san/tests/test_plan_search
	SKEWPLAN_SEARCH=full ./build/san/tests/test_plan_search

# One-line mutations of the analyzer (tests/mutations.txt), each built and
# run against the fast suites in a scratch copy: lists the survivors.
mutate: deps
	@sh tests/mutate.sh $(LINES)

# Rewrites the expected files of CASES (default: all) and prints the diff.
golden-update: build/san/skewplan
	SKEWPLAN=build/san/skewplan sh tests/run_golden.sh --update $(CASES)

bench: skewplan
	bash tests/bench/run.sh ./skewplan

VALGRIND = SKEWPLAN_NO_JIT=1 valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect
valgrind: skewplan
	$(VALGRIND) ./skewplan inspect -f json fixtures/seed-v1.26.1 >/dev/null
	$(VALGRIND) ./skewplan audit --as-of 2023-03-20 fixtures/seed-v1.26.1 >/dev/null
	$(VALGRIND) ./skewplan plan --to latest-patch --as-of 2023-03-20 fixtures/seed-v1.26.1 >/dev/null
	@echo "valgrind: no errors, no leaks"

lint:
	@! grep -nE '\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|strtok)\s*\(' $(SRCS) | grep -v snprintf

check-layout:
	@sh tests/check_layout.sh

fmt-check:
	@if command -v clang-format >/dev/null; then \
	  clang-format --dry-run --Werror $(SRCS) 2>/dev/null || echo "fmt-check: differences (hint only)"; \
	else echo "fmt-check: clang-format not installed"; fi

install: skewplan man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/skewplan \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 skewplan $(DESTDIR)$(PREFIX)/bin/skewplan
	install -m 755 tools/capture.sh $(DESTDIR)$(PREFIX)/bin/skewplan-capture
	install -m 755 tools/kubectl-skewplan $(DESTDIR)$(PREFIX)/bin/kubectl-skewplan
	cp -R rules $(DESTDIR)$(PREFIX)/share/skewplan/
	install -m 755 tools/capture.sh $(DESTDIR)$(PREFIX)/share/skewplan/capture.sh
	install -m 644 $(filter %.1,$(MAN_PAGES)) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(filter %.5,$(MAN_PAGES)) $(DESTDIR)$(PREFIX)/share/man/man5/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 644 contrib/completions/skewplan.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/skewplan
	install -m 644 contrib/completions/skewplan.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/skewplan-capture
	install -m 644 contrib/completions/_skewplan $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_skewplan
	install -m 644 contrib/completions/skewplan.fish \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/skewplan.fish

clean:
	rm -rf build skewplan

.PHONY: FORCE fuzz all man deps test-deps demo test test-run test-bins test-fresh test-deb test-captures test-search mutate golden-update bench valgrind lint check-layout \
	fmt-check install clean check-deps check-test-deps
