# Buurtbel. `make run` and `make test` install whatever is missing first (scripts/setup.sh).
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/e2e/node_modules/.bin:$(PATH)

# Flags for the server, e.g. make run ARGS="--addr 0.0.0.0:8080 --database /srv/buurtbel.sqlite3"
ARGS ?=

.PHONY: help setup build run test dev dev-server size bench audit clean

help:
	@echo "make run         build the app (release) and serve it with the API on http://127.0.0.1:8080"
	@echo "make test        every test: fmt, clippy, cargo test, wasm tests, journeys in three engines, dates"
	@echo "make dev         trunk serve on http://127.0.0.1:8081 (proxies /api to make dev-server)"
	@echo "make dev-server  the server alone (debug build) on http://127.0.0.1:8080"
	@echo "make size        transfer size of the built app (raw, gzip, brotli)"
	@echo "make bench       the project's benchmarks, printing their figures"
	@echo "make audit       Lighthouse (mobile) on every page of the release build"

setup:
	@scripts/setup.sh

build: setup
	@scripts/build.sh

run: build
	cargo run --locked --profile server -p buurtbel-server -- $(ARGS)

# The setup is the first stage of the tests, so its time is counted with theirs.
test:
	@scripts/test.sh

dev: setup
	@. scripts/wasm-env.sh && wasm_env trunk serve

dev-server:
	cargo run --locked -p buurtbel-server -- $(ARGS)

size: build
	@scripts/size.sh

bench: setup
	@scripts/bench.sh

audit: build
	@cargo build --locked -p buurtbel-server
	@scripts/audit.sh

clean:
	cargo clean
	rm -rf dist
