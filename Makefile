# dropsight: the two commands a fresh machine needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT_BUILD_FLAGS ?=

.PHONY: setup build build-debug run test swift-test sdk-test units-test systemd-test bench chaos install clean

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

## test: set up and run every test (Swift tests, the google-genai SDK suite against the emulator,
## the systemd unit checks, and the real-systemd test when root).
test: setup
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	scripts/sdk-test
	scripts/check-units
	scripts/systemd-test
	swift test --skip-build $(SWIFT_BUILD_FLAGS)

install: build
	install -D -m 0755 .build/release/dropsight $(DESTDIR)$(PREFIX)/bin/dropsight
	install -D -m 0755 .build/release/gemini-emulator $(DESTDIR)$(PREFIX)/bin/gemini-emulator
	install -D -m 0644 systemd/dropsight.service $(DESTDIR)/etc/systemd/system/dropsight.service
	install -D -m 0644 systemd/user/dropsight.service $(DESTDIR)$(PREFIX)/lib/systemd/user/dropsight.service
	sed -i 's|@BINDIR@|$(PREFIX)/bin|g' $(DESTDIR)/etc/systemd/system/dropsight.service $(DESTDIR)$(PREFIX)/lib/systemd/user/dropsight.service
	@if [ -e $(DESTDIR)/etc/dropsight/dropsight.toml ]; then \
		echo "keeping existing $(DESTDIR)/etc/dropsight/dropsight.toml"; \
	else \
		install -D -m 0644 etc/dropsight/dropsight.example.toml $(DESTDIR)/etc/dropsight/dropsight.toml; \
	fi

clean:
	rm -rf .build .run
