#!/usr/bin/env bash
# Installs what BERTKit needs on Debian/Ubuntu, and nothing that is already there:
# the C libraries and tools (apt-get, with sudo when not root) and a Python virtual
# environment (.venv) with the compat tests' packages (tests/compat/requirements.txt).
# Safe to run again: it only does what is missing. Needs a Swift 6 toolchain on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  pkg-config bzip2 python3 python3-venv
  libbz2-dev        # bzip2 streams
  libexpat1-dev     # the XML parser
  libcurl4-openssl-dev libssl-dev  # dump downloads and their checksums
  libhdf5-dev libdeflate-dev        # pre-training data files (HDF5, deflated chunks)
  libopenblas-dev   # sgemm for the CPU backend's matrix products
  libopenmpi-dev openmpi-bin        # multi-process training (mpirun) over MPI
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: no Swift toolchain on PATH; install Swift 6 from swift.org and run again" >&2
  exit 1
fi

# The Python environment for the compat tests, rebuilt when its requirements change.
requirements=tests/compat/requirements.txt
stamp=.venv/.requirements.sha256
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "bootstrap: preparing .venv from $requirements"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
  echo "$wanted" > "$stamp"
fi
