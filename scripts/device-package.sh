#!/usr/bin/env bash
# Packages bertkit for a GPU machine that has CUDA but no Swift toolchain: a release build with
# the Swift standard library linked in (swift build -c release --static-swift-stdlib), stripped,
# with the shared libraries it needs that are not glibc's (ldd's list: OpenBLAS, HDF5, curl and
# their dependencies), in one xz archive, device/bertkit.tar.xz, and device/run.sh, which
# unpacks it once into $TMPDIR and runs bertkit with those libraries found first. CUDA itself
# is not packaged: bertkit opens the machine's libcuda, libcublasLt and libnvrtc at run time.
#
#   scripts/device-package.sh          # then, on the GPU machine:
#   device/run.sh selftest --device cuda
#
# libstdc++ and libgcc_s go in lib/fallback/, used only where the machine has none (CUDA's own
# libraries may need a newer libstdc++ than this machine's). The binary needs the glibc of the
# build machine or newer. Fails when the folder exceeds 64 MiB (what a device run can carry).
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --static-swift-stdlib
binary=.build/release/bertkit
out=device
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/bin" "$staging/lib/fallback"
strip -o "$staging/bin/bertkit" "$binary"

# The libraries ldd resolves, less glibc's own (the loader, libc, libm, libpthread, libdl,
# librt, libresolv, libutil), which must come from the machine that runs the binary.
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r name path; do
  case "$name" in
    libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|libresolv.so.*|libutil.so.*|ld-linux*) continue ;;
    libstdc++.so.*|libgcc_s.so.*) cp -L "$path" "$staging/lib/fallback/$name" ;;
    *) cp -L "$path" "$staging/lib/$name" ;;
  esac
done

rm -rf "$out"
mkdir -p "$out"
tar -C "$staging" -cf - bin lib | xz -T0 -9 > "$out/bertkit.tar.xz"
cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# Runs the packaged bertkit (made by scripts/device-package.sh): unpacks bertkit.tar.xz once
# into $TMPDIR (outside this folder, which must stay small enough to carry), then runs
# bin/bertkit with the packaged libraries first on LD_LIBRARY_PATH (libstdc++ and libgcc_s only
# where the machine has none).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
wanted=$(sha256sum "$here/bertkit.tar.xz" | cut -d' ' -f1)
unpacked="${TMPDIR:-/tmp}/bertkit-device-${wanted:0:16}"
if [ "$(cat "$unpacked/.archive.sha256" 2>/dev/null)" != "$wanted" ]; then
  rm -rf "$unpacked"
  mkdir -p "$unpacked"
  xz -dc "$here/bertkit.tar.xz" | tar -C "$unpacked" -xf -
  echo "$wanted" > "$unpacked/.archive.sha256"
fi
libraries="$unpacked/lib"
for fallback in "$unpacked"/lib/fallback/*; do
  if ! /sbin/ldconfig -p 2>/dev/null | grep -q "^[[:space:]]*$(basename "$fallback") .*x86-64"; then
    libraries="$libraries:$unpacked/lib/fallback"
    break
  fi
done
export LD_LIBRARY_PATH="$libraries${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$unpacked/bin/bertkit" "$@"
RUN
chmod +x "$out/run.sh"

size=$(du -sb "$out" | cut -f1)
echo "device-package: $out/ holds $(ls "$out" | tr '\n' ' ')($((size / 1024 / 1024)) MiB, $(tar -tJf "$out/bertkit.tar.xz" | grep -c '^lib/.*\.so') libraries)"
if [ "$size" -gt $((64 * 1024 * 1024)) ]; then
  echo "device-package: $out/ exceeds 64 MiB" >&2
  exit 1
fi
