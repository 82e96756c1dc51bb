# BorderNet — the two commands a newcomer needs are `make run` and `make test`.
# Both install the missing system libraries first (Debian/Ubuntu, apt-get), then build with SwiftPM.

SWIFT ?= swift
SYSTEM_PACKAGES := libsodium-dev libzmq3-dev libsqlite3-dev pkg-config
# For Tests/DeployTests and `make package`: systemd-analyze (unit checks), python3-seccomp (runs the
# node under the units' seccomp filters), sqlite3 (online backups in docs/OPERATIONS.md),
# dpkg-dev (dpkg-shlibdeps: the package's Depends).
SYSTEM_PACKAGES += systemd python3-seccomp sqlite3 dpkg-dev
# For Tests/Browser (the web console in a real browser, docs/CONSOLE.md "Browser tests"): Debian's
# Chromium (Playwright drives /usr/bin/chromium; `playwright install` is never run: it downloads a
# browser), Arabic and Latin fonts for the screenshots, python3-venv for the Playwright virtualenv.
SYSTEM_PACKAGES += chromium chromium-driver fonts-noto-core python3-venv
# For Tests/Browser/deploy_test.py (the console as deployed: docs/CONSOLE.md, Deployment): nginx runs
# the shipped Deploy/nginx site in front of it, openssl makes its test certificate.
SYSTEM_PACKAGES += nginx openssl
# apt-get needs root; use sudo when we are not root and it exists.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)
BINARY := .build/debug/bordernet
# Playwright for Python and the STIX tools (stix2, stix2-validator), pinned in
# Tests/Browser/requirements.txt, in a virtualenv made when missing (or when the pins change).
BROWSER_VENV := .build/browser-venv
# The browser test files, run one after the other by `make test` and `make browser-test`
# (webauthn_test.py: the second factor with Chromium's virtual authenticator).
BROWSER_TESTS := console_test.py webauthn_test.py audit_pages_test.py deploy_test.py search_test.py
# The checks with other tools' own clients (docs/STIX.md, docs/TAXII.md: the OASIS STIX validator and
# stix2, MISP's converter misp-stix, the TAXII client taxii2-client), in the same virtualenv, run after
# the browser tests by `make test` and `make browser-test`.
INTEROP_TESTS := Tests/Interop/stix_test.py Tests/Interop/misp_test.py Tests/Interop/taxii_test.py
# Runs each of BROWSER_TESTS and INTEROP_TESTS; fails when one failed, after running all.
RUN_BROWSER_TESTS = browser_failed=0; for file in $(BROWSER_TESTS:%=Tests/Browser/%) $(INTEROP_TESTS); do \
	  echo "=== $$file"; $(BROWSER_VENV)/bin/python $$file || browser_failed=1; \
	done; [ "$$browser_failed" = 0 ]
# After a browser run whose output is in .build/browser-output.log: what failed, under its file.
REPORT_BROWSER_FAILURES = echo "--- browser tests that failed (the whole output is in .build/browser-output.log; docs/CONSOLE.md) ---"; \
	grep -v 'warning:' .build/browser-output.log | \
	awk '/^=== /{file=$$0; n=0; next} /^FAILED|error:/{if (file != shown) print file; shown=file; n=5} n > 0 {print; n--}' | tail -80

.PHONY: help deps build test browser-test run clean-demo bench names-eval format clean fuzz mutate

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-11s %s\n", $$1, $$2}'

deps: ## Install the system libraries that are missing (apt-get update only when something must be installed)
	@command -v $(SWIFT) >/dev/null || { echo "error: Swift 6 is required (https://www.swift.org/install/linux/); 'swift' is not on PATH" >&2; exit 1; }
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "System packages present: $(SYSTEM_PACKAGES)"; \
	fi

build: deps ## Build the bordernet executable (debug)
	$(SWIFT) build

# Fuzzing (Fuzz/, docs/FUZZING.md): `make fuzz` runs every target FUZZ_SECONDS; `make test` replays
# the saved crash inputs and fuzzes each target FUZZ_BRIEF_SECONDS, so a crash found once stays a test.
FUZZ_SECONDS ?= 600
FUZZ_BRIEF_SECONDS ?= 5

# The fuzz targets are built and run in the background while the Swift tests run: the tests' longest
# part is the Debian package's release build (Tests/DeployTests), which leaves a core mostly idle.
# They run at nice 19, so that the tests (whose live HTTP clients wait at most 20 s for an answer)
# always have the CPU first. Their output is printed when both are done. The console's tests (live
# HTTP clients that wait at most 20 s for an answer, on Swift's cooperative pool of one thread per
# core) run in a second invocation, after the others: tests that block their thread for minutes
# (the deployment walk-through, the release build of the package, regions of node processes)
# could otherwise hold both threads of a 2-core machine while a console test waits for an answer.
test: deps $(BROWSER_VENV)/installed ## Build and run every test, each fuzz target briefly, then the browser and STIX interoperability tests (on failure, the failures are repeated at the end)
	@mkdir -p .build; rm -f .build/test-status .build/fuzz-status .build/fuzz-output.log .build/browser-status
	@{ { $(SWIFT) build --build-tests && { \
	    { { SWIFT=$(SWIFT) nice -n 19 Fuzz/fuzz.sh build && FUZZ_BRIEF_SECONDS=$(FUZZ_BRIEF_SECONDS) nice -n 19 Fuzz/fuzz.sh brief; } \
	      > .build/fuzz-output.log 2>&1; echo $$? > .build/fuzz-status; } & \
	    $(SWIFT) test --skip-build --skip ConsoleTests; status=$$?; \
	    $(SWIFT) test --skip-build --filter ConsoleTests || status=1; wait; [ "$$status" = 0 ]; }; } 2>&1; \
	  echo $$? > .build/test-status; } | tee .build/test-output.log; \
	[ -f .build/fuzz-status ] || { echo "not built: the fuzz targets were not run" > .build/fuzz-output.log; echo 1 > .build/fuzz-status; }; \
	echo "=== fuzz targets (Fuzz/fuzz.sh brief, run beside the tests)"; cat .build/fuzz-output.log; \
	{ { $(SWIFT) build --product bordernet && { $(RUN_BROWSER_TESTS); }; } 2>&1; \
	  echo $$? > .build/browser-status; } | tee .build/browser-output.log; \
	status=$$(cat .build/test-status 2>/dev/null || echo 1); fuzz_status=$$(cat .build/fuzz-status); browser_status=$$(cat .build/browser-status 2>/dev/null || echo 1); \
	if [ "$$status" != 0 ]; then \
	  echo "--- what failed (the whole output is in .build/test-output.log) ---"; \
	  grep -E -A6 'recorded an issue|error:' .build/test-output.log | grep -v 'prohibited flag' | tail -80; \
	fi; \
	if [ "$$fuzz_status" != 0 ]; then \
	  echo "--- fuzz targets that failed (the whole output is in .build/fuzz-output.log; docs/FUZZING.md) ---"; \
	  grep -E '^fuzz .*FAILED|^    |error:' .build/fuzz-output.log | grep -v 'warning:' | tail -80; \
	fi; \
	if [ "$$browser_status" != 0 ]; then $(REPORT_BROWSER_FAILURES); fi; \
	[ "$$status" = 0 ] && [ "$$fuzz_status" = 0 ] && [ "$$browser_status" = 0 ]

browser-test: deps $(BROWSER_VENV)/installed ## Only the browser tests of the web console and its audit pages (Tests/Browser; real nodes, headless Chromium) and the STIX interoperability tests (Tests/Interop)
	$(SWIFT) build --product bordernet
	@mkdir -p .build
	@{ { $(RUN_BROWSER_TESTS); } 2>&1; echo $$? > .build/browser-status; } | tee .build/browser-output.log; \
	browser_status=$$(cat .build/browser-status); \
	if [ "$$browser_status" != 0 ]; then $(REPORT_BROWSER_FAILURES); fi; \
	[ "$$browser_status" = 0 ]

$(BROWSER_VENV)/installed: Tests/Browser/requirements.txt
	rm -rf $(BROWSER_VENV)
	python3 -m venv $(BROWSER_VENV)
	$(BROWSER_VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/Browser/requirements.txt
	touch $@

fuzz: deps ## Build the fuzz targets (Fuzz/) and run each FUZZ_SECONDS (default 600) under ASan, 2 GiB RSS limit; docs/FUZZING.md
	SWIFT=$(SWIFT) Fuzz/fuzz.sh build
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/fuzz.sh run

# Mutation testing (Tests/Mutations/README.md): each small bug of Tests/Mutations/*.mutation is put
# into the sources in turn, the tests meant to catch it run, the file is put back. Not part of
# `make test` (it rebuilds once per mutation). MUTATE_FULL=1 also runs the whole suite for a mutation
# its focused tests miss; MUTATE_ONLY=name,... picks mutations; MUTATE_BUILD_PREFIX is put before
# every swift build/test (e.g. "flock -o /tmp/bn-build.lock" on a shared machine).
mutate: deps ## Put each mutation of Tests/Mutations/ in, run the tests meant to catch it, revert; print caught or not, by which test
	SWIFT=$(SWIFT) Tests/Mutations/mutate.py

run: deps build ## Build and run a demo region in .demo/: the 10 states' nodes exchange sample bulletins (Ctrl-C stops it)
	$(BINARY) demo

clean-demo: ## Remove the demo region (.demo/: keys, stores, logs)
	rm -rf .demo

BENCH_PACKAGES := python3-zmq python3-nacl libsqlite3-dev gcc wrk

bench: deps ## Release build, then every benchmark (and the reference peers of ../shared/bench if present); writes bench-results.json
	@missing=""; \
	for package in $(BENCH_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing benchmark packages:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
	$(SWIFT) build -c release --product bordernet
	$(SWIFT) build -c release --product bordernet-bench
	.build/release/bordernet-bench --out bench-results.json

# The name matcher's evaluation (docs/NAMES.md): arabic-name-romanizer 0.2.0's wheel is downloaded
# with pip (no dependencies, never installed, never committed), its names.sqlite3 exported as TSV
# with sqlite3, and NamesEval (release build) prints the figures; NAMES_EVAL_FLAGS adds --sweep,
# --arab, --failures N, --development (that split alone) or --set NAME=VALUE (one cost).
NAMES_DATA := .build/names-data
NAMES_WHEEL := $(NAMES_DATA)/arabic_name_romanizer-0.2.0-py3-none-any.whl
NAMES_WHEEL_SHA256 := f70b89614d9b5866dcf911d098c5e45d2b1f559461f238e8c5259b731fcf2a7e
NAMES_EVAL_FLAGS ?=

$(NAMES_WHEEL):
	@mkdir -p $(NAMES_DATA)
	python3 -m pip download arabic-name-romanizer==0.2.0 --no-deps --only-binary=:all: -d $(NAMES_DATA)
	echo "$(NAMES_WHEEL_SHA256)  $(NAMES_WHEEL)" | sha256sum -c - || { rm -f $(NAMES_WHEEL); echo "error: the wheel is not the one docs/NAMES.md measured" >&2; exit 1; }

$(NAMES_DATA)/units.tsv: $(NAMES_WHEEL)
	cd $(NAMES_DATA) && python3 -c "import zipfile; zipfile.ZipFile('arabic_name_romanizer-0.2.0-py3-none-any.whl').extract('arabic_name_romanizer/resources/names.sqlite3', 'wheel')"
	sqlite3 -separator "$$(printf '\t')" $(NAMES_DATA)/wheel/arabic_name_romanizer/resources/names.sqlite3 \
	  "SELECT arabic_key, latin, country, role, count, source FROM units" > $(NAMES_DATA)/units.tsv
	sqlite3 -separator "$$(printf '\t')" $(NAMES_DATA)/wheel/arabic_name_romanizer/resources/names.sqlite3 \
	  "SELECT arabic_key, latin, country, latin_lang, count, source FROM full_names" > $(NAMES_DATA)/full_names.tsv

names-eval: $(NAMES_DATA)/units.tsv ## Measure the name matcher on arabic-name-romanizer's attested spellings (docs/NAMES.md); writes .build/names-eval.txt
	$(SWIFT) build -c release --product NamesEval
	.build/release/NamesEval $(NAMES_DATA)/units.tsv $(NAMES_DATA)/full_names.tsv $(NAMES_EVAL_FLAGS) | tee .build/names-eval.txt

format: ## Format the Swift sources with swift format
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

package: deps ## Build bordernet_<version>_<arch>.deb (release, static Swift runtime; Deploy/package.sh)
	SWIFT=$(SWIFT) Deploy/package.sh

.PHONY: package

clean: ## Remove build output
	rm -rf .build
	rm -rf .build-fuzz
	rm -rf .build-release
