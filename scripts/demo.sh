#!/usr/bin/env bash
# Runs the demo: bootstraps what is missing, builds BERTKit (release), and runs
# `bertkit demo`, the whole pipeline on the sample corpus bundled in the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build -c release
exec .build/release/bertkit demo --force "$@"
