# Cairn's two entry points, `make run` and `make test`, and the pieces they share.
# Each target installs what it needs when it is missing and skips what is there.
# Builds go to a persistent target folder outside the clone, so CI runs stay warm.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CARGO_TARGET_DIR ?= $(HOME)/.cache/cairn/target

# The wasm-bindgen CLI must match the crate in Cargo.lock to the patch. Its own lock file
# names a crate the registry no longer serves, so an unlocked install is the fallback.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3 }' Cargo.lock)
# Trunk 0.22 needs rustc 1.96.1; 0.21 builds on this toolchain.
TRUNK_VERSION := 0.21.14
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build client client-debug tools wasm-target wasm-bindgen trunk chromium \
	e2e-deps web-deps unit e2e lint size bench-stix bench-import bench-scale bench-search bench-graph bench-dashboard fuzz

## Build everything in release mode and start the platform on the embedded store.
run: build
	$(CARGO_TARGET_DIR)/release/cairn serve

## Release build: the WASM client into dist/ and the `cairn` binary.
build: tools
	trunk build --release
	cargo build --release -p cairn-server

## Every test: unit and integration (cargo), then the browser tests.
test: tools chromium e2e-deps unit e2e

unit:
	cargo test

e2e: client-debug
	cargo build -p cairn-server
	cd end2end && CAIRN_BIN=$(CARGO_TARGET_DIR)/debug/cairn CAIRN_WEB_ROOT=$(CURDIR)/dist npm test

client-debug: tools
	trunk build

## Formatting and lints for the server crates and the WASM client.
lint: wasm-target
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy -p cairn-frontend -p cairn-app --features cairn-app/csr --target wasm32-unknown-unknown -- -D warnings

## The release client's size: WASM + JS, gzipped (budget 1.5 MB).
size: tools
	trunk build --release
	@wasm=$$(ls dist/*.wasm) js=$$(ls dist/*.js); \
	total=$$(cat $$wasm $$js | gzip -9 | wc -c); \
	awk -v w=$$(stat -c %s $$wasm) -v j=$$(stat -c %s $$js) -v t=$$total 'BEGIN { \
		printf "wasm %d bytes, js %d bytes; gzipped together: %d bytes (%.2f MB of the 1.5 MB budget)\n", w, j, t, t / 1e6 }'

## Parse + validate Enterprise ATT&CK in memory; prints objects/s and the ratio to Python.
bench-stix:
	cargo run --release -p cairn-stix --example bench -- ../shared/corpus/attack/enterprise-attack.json.xz

## Enterprise ATT&CK into an empty embedded store: raw batch INSERT baseline, import, re-import.
bench-import:
	cargo build --release -p cairn-server
	$(CARGO_TARGET_DIR)/release/cairn bench-import ../shared/corpus/attack/enterprise-attack.json.xz

## A generated store of BENCH_OBJECTS objects: import against the raw baseline, then read latencies and memory.
BENCH_OBJECTS ?= 1000000
bench-scale:
	cargo build --release -p cairn-server
	$(CARGO_TARGET_DIR)/release/cairn bench-scale --objects $(BENCH_OBJECTS) $(if $(BENCH_KEEP),--keep $(BENCH_KEEP))

## Every widget kind and the home dashboard at the store, on the store `make bench-scale BENCH_KEEP=DIR` kept;
## then the home dashboard in Chromium on the same store.
bench-dashboard: tools e2e-deps chromium
	cargo build --release -p cairn-server
	$(CARGO_TARGET_DIR)/release/cairn bench-dashboard $(BENCH_KEEP)/cairn
	trunk build --release
	cd end2end && CAIRN_BIN=$(CARGO_TARGET_DIR)/release/cairn CAIRN_WEB_ROOT=$(CURDIR)/dist \
		node bench-dashboard.mjs surrealkv://$(BENCH_KEEP)/cairn

## Search from the keystroke in Chromium, on the store `make bench-scale BENCH_KEEP=DIR` kept.
bench-search:
	cargo build --release -p cairn-server
	trunk build --release
	cd end2end && CAIRN_BIN=$(CARGO_TARGET_DIR)/release/cairn CAIRN_WEB_ROOT=$(CURDIR)/dist \
		node bench-search.mjs surrealkv://$(BENCH_KEEP)/cairn

## A 2,000-node, 5,000-edge investigation in Chromium: time to interactive and panning frames,
## against a 200-node baseline in the same run.
bench-graph: tools e2e-deps chromium
	cargo build --release -p cairn-server
	trunk build --release
	cd end2end && CAIRN_BIN=$(CARGO_TARGET_DIR)/release/cairn CAIRN_WEB_ROOT=$(CURDIR)/dist node bench-graph.mjs

## Fuzz the bundle reader and the pattern parser, a minute each (cargo-fuzz on stable
## through RUSTC_BOOTSTRAP, since cargo-fuzz needs nightly flags).
FUZZ_SECONDS ?= 60
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	cd stix/fuzz && for target in bundle pattern; do \
		RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(CARGO_TARGET_DIR)/fuzz cargo fuzz run $$target -- -max_total_time=$(FUZZ_SECONDS) || exit 1; \
	done

tools: wasm-target wasm-bindgen trunk web-deps

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

wasm-bindgen:
	@[ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN_VERSION)" ] || \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked || \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

trunk:
	@[ "$$(trunk --version 2>/dev/null)" = "trunk $(TRUNK_VERSION)" ] || \
		cargo install trunk --version $(TRUNK_VERSION) --locked

chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

e2e-deps:
	@[ -d end2end/node_modules/playwright-core ] || (cd end2end && npm ci --no-audit --no-fund)

## The browser libraries Cairn serves (cytoscape.js and its extensions), from the npm registry.
web-deps:
	@[ frontend/node_modules/.package-lock.json -nt frontend/package-lock.json ] || (cd frontend && npm ci --no-audit --no-fund)
