"""`bertkit selftest --device cuda` on stand-ins for the CUDA driver and cuBLASLt (fake_cuda/:
kernels on the CPU emulator, naive bf16 products) with the real NVRTC: CUDABackend end to end
without a GPU (argument lists, grids, memory, copies, the products' layouts, a training step of
tiny BERT and tiny CharacterBERT against the CPU). Slow (tens of minutes on two cores: one
thread per emulated CUDA thread), so it runs only with BERTKIT_EMULATED_SELFTEST=1."""
import glob
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = os.path.join(REPO, "Sources", "CCUDAKernels", "kernels")


@pytest.mark.skipif(os.environ.get("BERTKIT_EMULATED_SELFTEST") != "1",
                    reason="slow: set BERTKIT_EMULATED_SELFTEST=1 to run the self-test on the emulated GPU")
def test_selftest_passes_on_the_emulated_gpu(bertkit, tmp_path):
    compiler = shutil.which("g++") or shutil.which("clang++")
    if not compiler:
        pytest.skip("no C++ compiler (g++ or clang++)")
    site = os.path.join(os.path.dirname(os.path.dirname(sys.executable)), "lib")
    if not glob.glob(os.path.join(site, "python3*", "site-packages", "nvidia", "*", "lib", "libnvrtc.so.1[23]")):
        pytest.skip("no NVRTC wheel in the Python environment (tests/compat/requirements.txt: nvidia-cuda-nvrtc)")
    for source, name in (("driver.cpp", "libcuda.so.1"), ("cublaslt.cpp", "libcublasLt.so.13")):
        build = subprocess.run([compiler, "-std=c++20", "-O2", "-fPIC", "-shared", "-pthread", "-I", KERNELS, "-I", HERE,
                                f"-Wl,-soname,{name}", "-o", str(tmp_path / name), os.path.join(HERE, "fake_cuda", source)],
                               capture_output=True, text=True)
        assert build.returncode == 0, build.stderr
    env = dict(os.environ, LD_LIBRARY_PATH=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "cache"))
    result = subprocess.run([bertkit, "selftest", "--device", "cuda"], capture_output=True, text=True, env=env, cwd=REPO)
    assert result.stdout.startswith("device Emulated GPU (sm_90a"), result.stdout + result.stderr
    assert result.returncode == 0 and result.stdout.endswith("selftest passed\n"), result.stdout + result.stderr
