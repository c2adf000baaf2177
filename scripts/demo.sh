#!/usr/bin/env bash
# Runs the demo: bootstraps what is missing, builds BERTKit (release), and runs
# `bertkit demo`, the whole pipeline on the sample corpus bundled in the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build -c release
# OpenBLAS chooses the kernels of this CPU unless OPENBLAS_CORETYPE forces others; some
# environments force a generic kernel, which makes the demo's pre-training several times slower.
unset OPENBLAS_CORETYPE
exec .build/release/bertkit demo --force "$@"
