"""How `bertkit selftest --device cuda` and `--device cuda` behave: every kernel compiles with
NVRTC for Ampere and Hopper (no GPU needed: the nvidia-cuda-nvrtc wheel in .venv), a machine
without a CUDA driver gets one clear error line, and on a machine with a GPU every kernel and a
training step agree with the CPU backend (skipped elsewhere)."""
import ctypes
import glob
import os
import re
import subprocess
import sys

import pytest

from conftest import REPO

KERNELS = os.path.join(REPO, "Sources", "CCUDAKernels", "kernels")
ARCHITECTURES = ["sm_80", "sm_90", "sm_90a"]


def kernel_names():
    """{file name: [kernel, …]} read from the sources, as the command must list them."""
    names = {}
    for path in sorted(glob.glob(os.path.join(KERNELS, "*.cu"))):
        with open(path, encoding="utf-8") as source:
            names[os.path.basename(path)] = re.findall(r'^extern "C" __global__ void (\w+)\(', source.read(), re.M)
    return names


def driver_present():
    try:
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def nvrtc():
    """The libnvrtc of the nvidia-cuda-nvrtc wheel that scripts/bootstrap.sh installs in .venv."""
    site = os.path.join(os.path.dirname(os.path.dirname(sys.executable)), "lib")
    found = sorted(glob.glob(os.path.join(site, "python3*", "site-packages", "nvidia", "*", "lib", "libnvrtc.so.1[23]")))
    if not found:
        pytest.skip("no NVRTC wheel in the Python environment (tests/compat/requirements.txt: nvidia-cuda-nvrtc)")
    return found[-1]


def selftest(bertkit, *args, env=None):
    return subprocess.run([bertkit, "selftest", *args], capture_output=True, text=True, env=env, cwd=REPO)


def compile_lines(stdout):
    """{(arch, file): (status, [kernel, …], cached)} from the `compiled ARCH FILE: …` lines."""
    lines = {}
    for line in stdout.splitlines():
        match = re.fullmatch(r"(compiled|missing) (sm_\w+) (\S+\.cu): ([\w ]+?)( \(cached\))?", line)
        if match:
            lines[(match.group(2), match.group(3))] = (match.group(1), match.group(4).split(), bool(match.group(5)))
    return lines


def test_every_kernel_compiles_for_ampere_and_hopper(bertkit, nvrtc, tmp_path):
    env = dict(os.environ, BERTKIT_NVRTC=nvrtc, XDG_CACHE_HOME=str(tmp_path))
    result = selftest(bertkit, "--device", "cuda", "--compile-only", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"nvrtc 1"), result.stdout
    expected = kernel_names()
    assert sum(map(len, expected.values())) >= 25
    lines = compile_lines(result.stdout)
    assert set(lines) == {(arch, name) for arch in ARCHITECTURES for name in expected}
    for (arch, name), (status, kernels, cached) in lines.items():
        assert (status, kernels, cached) == ("compiled", expected[name], False), (arch, name)
    cubins = os.listdir(tmp_path / "bertkit" / "kernels")
    assert len(cubins) == len(lines) and all(re.fullmatch(r"[0-9a-f]{64}-sm_\w+\.cubin", name) for name in cubins)

    # The second run takes every cubin from the cache.
    again = selftest(bertkit, "--compile-only", "--arch", "sm_90a", env=env)
    assert again.returncode == 0, again.stderr
    assert {key: value[2] for key, value in compile_lines(again.stdout).items()} == {("sm_90a", name): True for name in expected}


def test_wheel_in_the_project_environment_is_found_without_being_named(bertkit, nvrtc, tmp_path):
    if not nvrtc.startswith(os.path.join(REPO, ".venv")):
        pytest.skip("the NVRTC wheel is not in the project's .venv")
    env = {key: value for key, value in os.environ.items() if key != "BERTKIT_NVRTC"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    result = selftest(bertkit, "--compile-only", "--arch", "sm_80", env=env)
    assert result.returncode == 0, result.stderr
    assert os.path.realpath(result.stdout.split("\n")[0].split(" ", 2)[2]) == os.path.realpath(nvrtc)


def test_bad_architecture_is_refused(bertkit, nvrtc, tmp_path):
    env = dict(os.environ, BERTKIT_NVRTC=nvrtc, XDG_CACHE_HOME=str(tmp_path))
    result = selftest(bertkit, "--compile-only", "--arch", "compute_90", env=env)
    assert result.returncode != 0
    assert result.stderr.strip() == "error: 'compute_90' is not a GPU architecture (sm_80, sm_90a, …)"


def test_missing_nvrtc_is_named(bertkit, tmp_path):
    env = dict(os.environ, BERTKIT_NVRTC=str(tmp_path / "absent.so"), LD_LIBRARY_PATH="", CUDA_HOME=str(tmp_path))
    result = subprocess.run([bertkit, "selftest", "--compile-only"], capture_output=True, text=True, env=env, cwd=tmp_path)
    if result.returncode == 0:
        pytest.skip("an NVRTC is installed system-wide")
    assert result.stderr.startswith("error: NVRTC not found (libnvrtc.so.13, libnvrtc.so.12 in the loader's path")


@pytest.mark.skipif(driver_present(), reason="a CUDA driver is present")
@pytest.mark.parametrize("command", [["selftest", "--device", "cuda"],
                                     ["bench", "train-step", "--model", "tiny", "--batch-size", "2", "--seq-length", "8",
                                      "--steps", "1", "--device", "cuda"]])
def test_without_a_driver_cuda_says_so_cleanly(bertkit, command):
    result = subprocess.run([bertkit, *command], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("error: no CUDA driver (libcuda.so.1 not found): "
                             "--device cuda needs an NVIDIA GPU and its driver\n")


@pytest.mark.skipif(driver_present(), reason="a CUDA driver is present")
def test_without_a_driver_the_default_device_is_the_cpu(bertkit):
    result = subprocess.run([bertkit, "bench", "train-step", "--model", "tiny", "--batch-size", "2", "--seq-length", "8",
                             "--steps", "1", "--warmup-steps", "0"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert " device=cpu " in result.stdout


@pytest.mark.skipif(not driver_present(), reason="no CUDA driver (libcuda.so.1 not found)")
def test_gpu_agrees_with_the_cpu(bertkit, tmp_path):
    result = selftest(bertkit, "--device", "cuda", env=dict(os.environ, XDG_CACHE_HOME=str(tmp_path)))
    checks = [line for line in result.stdout.splitlines() if line.startswith(("ok ", "FAIL"))]
    assert result.returncode == 0 and result.stdout.endswith("selftest passed\n"), result.stdout + result.stderr
    assert len(checks) >= 30 and all(line.startswith("ok ") for line in checks)
    assert sum("step:" in line for line in checks) == 4


@pytest.mark.skipif(not driver_present(), reason="no CUDA driver (libcuda.so.1 not found)")
def test_gpu_bench_reports_device_memory(bertkit):
    result = subprocess.run([bertkit, "bench", "train-step", "--model", "tiny", "--batch-size", "4", "--seq-length", "32",
                             "--steps", "2", "--device", "cuda"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    fields = dict(field.split("=", 1) for field in result.stdout.split()[1:])
    assert fields["device"] == "cuda" and float(fields["peak_device_mb"]) > 1 and float(fields["loss"]) > 0
