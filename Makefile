# dropsight: the two commands a fresh machine needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT_BUILD_FLAGS ?=

.PHONY: setup build build-debug run test bench soak chaos install clean
CHAOS_MINUTES ?= 10
CHAOS_TEST_MINUTES ?= 2

setup:
	@scripts/setup

build: setup
	swift build -c release $(SWIFT_BUILD_FLAGS) --product dropsight
	swift build -c release $(SWIFT_BUILD_FLAGS) --product gemini-emulator

build-debug: setup
	swift build $(SWIFT_BUILD_FLAGS)

## run: set up, build in release mode, and run the daemon in the foreground on the example
## configuration (watching ./inbox); without GEMINI_API_KEY it runs against the local emulator.
run: build
	@scripts/run-local

## test: set up and run every test (the formatter's lint first, then the Swift tests, the google-genai SDK suite against the emulator,
## the systemd unit checks, the real-systemd test when root, and a 2-minute chaos run on the debug build).
test: setup
	swift format lint --strict --recursive Sources Tests Package.swift
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	scripts/sdk-test
	scripts/check-units
	scripts/systemd-test
	swift test --skip-build $(SWIFT_BUILD_FLAGS)
	chaos/run --bin .build/debug --minutes $(CHAOS_TEST_MINUTES)

## install: the release binary, both units (@BINDIR@ replaced), the system user (sysusers.d, created at once
## unless DESTDIR is set), the man page, and the example
## configuration as /etc/dropsight/dropsight.toml unless one is there. PREFIX=/usr/local, DESTDIR= for packaging.
## bench: release builds, then every benchmark script; each prints its numbers (see README "Benchmarks").
bench: build
	bench/run-bench
	bench/upload-rss
	bench/rate-limit
	bench/reconcile
	bench/overlay
	bench/batch

## soak: release builds, then 15 minutes of photos trickling in while dropsight's memory is sampled (bench/soak).
soak: build
	bench/soak

## chaos: release builds, then the chaos run (CHAOS_MINUTES=10: 1,000 files; see README "Chaos run").
chaos: build
	chaos/run --bin .build/release --minutes $(CHAOS_MINUTES)

install: build
	install -D -m 0755 .build/release/dropsight $(DESTDIR)$(PREFIX)/bin/dropsight
	install -d -m 0755 $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/systemd/user
	sed 's|@BINDIR@|$(PREFIX)/bin|g' systemd/dropsight.service > $(DESTDIR)$(PREFIX)/lib/systemd/system/dropsight.service
	sed 's|@BINDIR@|$(PREFIX)/bin|g' systemd/user/dropsight.service > $(DESTDIR)$(PREFIX)/lib/systemd/user/dropsight.service
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/dropsight.service $(DESTDIR)$(PREFIX)/lib/systemd/user/dropsight.service
	install -D -m 0644 systemd/dropsight.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/dropsight.conf
	@if [ -z "$(DESTDIR)" ] && command -v systemd-sysusers >/dev/null; then \
		systemd-sysusers $(PREFIX)/lib/sysusers.d/dropsight.conf; \
	fi
	install -D -m 0644 docs/dropsight.1 $(DESTDIR)$(PREFIX)/share/man/man1/dropsight.1
	install -d -m 0755 $(DESTDIR)/etc/dropsight
	@if [ -e $(DESTDIR)/etc/dropsight/dropsight.toml ]; then \
		echo "keeping the existing $(DESTDIR)/etc/dropsight/dropsight.toml"; \
	else \
		install -m 0644 etc/dropsight/dropsight.example.toml $(DESTDIR)/etc/dropsight/dropsight.toml; \
	fi
	@echo "next: put the API key in /etc/dropsight/api-key (0600), edit /etc/dropsight/dropsight.toml,"
	@echo "      'systemctl edit dropsight' for ReadWritePaths=, then 'systemctl daemon-reload && systemctl enable --now dropsight'"

clean:
	rm -rf .build .run
