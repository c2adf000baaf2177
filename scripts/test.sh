#!/usr/bin/env bash
# Runs every test: bootstraps what is missing, builds, runs the Swift tests, then the
# Python compat tests that hold BERTKit against the reference tools (tokenizers, nltk,
# wikiextractor, h5py, …). Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build
swift test 2>&1
# The command-line and compat tests train small models: they run the release build.
swift build -c release
export BERTKIT="$PWD/.build/release/bertkit"
.venv/bin/python -m pytest tests -q -rs
