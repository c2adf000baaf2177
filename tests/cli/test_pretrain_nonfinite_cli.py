"""`bertkit pretrain` when training diverges: steps whose loss or gradient is not finite are
skipped and counted, a checkpoint is never written after one, and after max_skipped_steps in
a row the run stops naming the last good checkpoint."""
import json
import os
import struct
import subprocess

import pytest


@pytest.fixture(scope="module")
def data(bertkit, tmp_path_factory):
    demo = tmp_path_factory.mktemp("demo")
    subprocess.run([bertkit, "demo", "--output", str(demo), "--force", "--steps", "0"], check=True, capture_output=True)
    return str(demo / "hdf5" / "128_20")


def pretrain(bertkit, data, run_dir, *args):
    return subprocess.run([bertkit, "pretrain", "--model", "tiny", "--data", data, "--run-dir", str(run_dir),
                           "--target-batch-size", "4", "--accumulation-steps", "1", "--optimizer", "adamw",
                           "--threads", "2", "--quiet", *map(str, args)], capture_output=True, text=True)


def finite_safetensors(path):
    """Whether every F32 value of a safetensors file is finite."""
    with open(path, "rb") as file:
        size = struct.unpack("<Q", file.read(8))[0]
        header = json.loads(file.read(size))
        data = file.read()
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        values = struct.unpack(f"<{(end - begin) // 4}f", data[begin:end])
        if not all(abs(value) < float("inf") for value in values):  # NaN fails the comparison too
            return False
    return True


def test_a_diverging_run_stops_after_max_skipped_steps_with_its_last_good_checkpoint(bertkit, data, tmp_path):
    run_dir = tmp_path / "run"
    # Two sane steps and a checkpoint, then a learning rate so large that the weights blow up.
    first = pretrain(bertkit, data, run_dir, "--max-steps", 2, "--checkpoint-interval", 2, "--learning-rate", "1e-3")
    assert first.returncode == 0, first.stderr
    config = run_dir / "diverge.yaml"
    config.write_text("learning_rate: 1.0e+30\nmax_steps: 40\ncheckpoint_interval: 3\nmax_skipped_steps: 4\n"
                      "warmup_proportion: 0\nschedule: constant\n")
    result = subprocess.run([bertkit, "pretrain", "--run-dir", str(run_dir), "--resume", "--config", str(config),
                             "--quiet"], capture_output=True, text=True)
    assert result.returncode == 1
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith("error: 4 steps in a row had a non-finite loss or gradient: stopping at step ")
    skipped = [int(line.split()[1]) for line in (run_dir / "log.txt").read_text().splitlines()
               if line.startswith("step ") and line.endswith(" skipped")]
    assert len(skipped) == 4 and skipped == list(range(skipped[0], skipped[0] + 4))
    # A checkpoint follows only finite steps: every one precedes the first skipped step, and
    # the newest is the one named.
    steps = sorted(int(name.split("_")[1]) for name in os.listdir(run_dir / "checkpoints"))
    assert steps[0] == 2 and steps[-1] < skipped[0]
    last_good = run_dir / "checkpoints" / f"step_{steps[-1]}"
    assert f"The last good checkpoint is {last_good}." in error
    for step in steps:
        assert finite_safetensors(run_dir / "checkpoints" / f"step_{step}" / "model.safetensors")
        assert finite_safetensors(run_dir / "checkpoints" / f"step_{step}" / "optimizer.safetensors")
