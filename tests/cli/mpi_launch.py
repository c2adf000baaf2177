"""Starting `bertkit` under `mpirun` in the tests: the command line, the environment Open MPI
needs as root, and the mark that skips a test module when `mpirun` is not installed."""
import os
import shutil
import subprocess

import pytest

MPIRUN = shutil.which("mpirun")
requires_mpirun = pytest.mark.skipif(MPIRUN is None, reason="mpirun is not installed (Open MPI: apt-get install "
                                                          "openmpi-bin libopenmpi-dev, or scripts/bootstrap.sh)")
ENVIRONMENT = {**os.environ, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}


def mpirun(processes, *commands):
    """The command line that starts `processes` processes of each command (lists of bertkit's
    arguments, several for MPMD: rank order follows them)."""
    line = [MPIRUN, "--oversubscribe", "--bind-to", "none"]
    for index, command in enumerate(commands):
        line += ([":"] if index else []) + ["-np", str(processes), *map(str, command)]
    return line


def run(line, timeout=600):
    """Runs `line` (its items made strings) with Open MPI allowed to run as root."""
    return subprocess.run([str(item) for item in line], capture_output=True, text=True, env=ENVIRONMENT, timeout=timeout)


def run_ok(line):
    result = run(line)
    assert result.returncode == 0, result.stderr
    return result
