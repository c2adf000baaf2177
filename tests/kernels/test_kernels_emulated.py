"""BERTKit's CUDA kernels on a CPU emulation of the CUDA execution model (emulator.h), against
plain loops (kernels_test.cpp): their indexing, reductions and fault reports checked without a
GPU. Needs a C++20 compiler (g++ or clang++); skipped without one."""
import glob
import os
import re
import shutil
import subprocess

import pytest

from conftest import REPO

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = os.path.join(REPO, "Sources", "CCUDAKernels", "kernels")


def test_every_kernel_matches_its_reference_on_the_emulator(tmp_path):
    compiler = shutil.which("g++") or shutil.which("clang++")
    if not compiler:
        pytest.skip("no C++ compiler (g++ or clang++)")
    binary = tmp_path / "kernels_test"
    build = subprocess.run([compiler, "-std=c++20", "-O1", "-pthread", "-I", KERNELS, "-o", str(binary),
                            os.path.join(HERE, "kernels_test.cpp")], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    result = subprocess.run([str(binary)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.endswith("all passed\n"), result.stdout
    checked = {re.match(r"ok +(\w+)", line).group(1) for line in result.stdout.splitlines() if line.startswith("ok ")}
    for path in glob.glob(os.path.join(KERNELS, "*.cu")):
        with open(path, encoding="utf-8") as source:
            for kernel in re.findall(r'^extern "C" __global__ void (\w+)\(', source.read(), re.M):
                if kernel not in ("lamb_update", "lamb_rates", "lamb_apply", "sum_blocks", "sum_doubles"):
                    assert kernel in checked, f"{kernel} ({os.path.basename(path)}) has no check"
    assert {"lamb", "sum_blocks"} <= checked
