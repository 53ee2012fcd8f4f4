# Entry points for people and CI. Each target first runs scripts/setup, which
# installs whatever is missing (Debian packages, npm test peers) and is silent
# and quick when nothing is; so a fresh clone needs nothing but `make`.
#
#   make build    release build; the shell is build/release/alopex
#   make test     release build of every target, unit tests + SQL logic tests,
#                 closing with one "N passed, N failed[, N skipped]" line
#   make demo     build, then demo/run.sh
#   make bench    bench peers, build, then bench/run-all.sh
#   make asan     AddressSanitizer + UBSan build (build/asan), then every test
#   make debug    debug build of every target (build/debug)
#   make clean    remove build/ and the demo's output
#   make distclean  also the npm peers and the generated benchmark data
#
# JOBS=n sets the build's parallel jobs (default: every core).

SHELL := /bin/bash
JOBS ?= $(shell nproc)
export JOBS

.PHONY: all setup setup-bench build test demo bench asan debug clean distclean help

all: build

help:
	@sed -n '5,16p' Makefile | sed 's/^# \{0,1\}//'

setup:
	@scripts/setup

setup-bench:
	@scripts/setup --bench

build: setup
	@scripts/build release alopex

test: setup
	@scripts/build release
	@scripts/run-tests --preset release

demo: build
	@demo/run.sh

bench: setup-bench
	@scripts/build release alopex
	@bench/run-all.sh

asan: setup
	@scripts/build asan
	@scripts/run-tests --preset asan

debug: setup
	@scripts/build debug

clean:
	rm -rf build demo/.out

distclean: clean
	rm -rf tests/peers/node_modules bench/peers/node_modules bench/.data
