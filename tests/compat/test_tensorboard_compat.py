"""`bertkit pretrain`'s TensorBoard event files read by TensorBoard itself
(`EventAccumulator`): the scalar tags, their steps, and values equal to the float32 values of
the run's log.txt; a run stopped by SIGTERM or SIGKILL and resumed reads as one run, each step
once."""
import os
import re
import signal
import subprocess
import time

import pytest

np = pytest.importorskip("numpy")
event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator",
                                        reason="tensorboard is not installed (pip install -r tests/compat/requirements.txt)")

TRAIN_TAGS = ["train/loss", "train/mlm_loss", "train/nsp_loss", "train/learning_rate", "train/grad_norm",
              "train/sequences_per_second"]
VALIDATION_TAGS = ["validation/mlm_loss", "validation/mlm_accuracy", "validation/nsp_loss", "validation/nsp_accuracy"]
STEPS = 20


@pytest.fixture(scope="module")
def demo(bertkit, tmp_path_factory):
    """The demo's phase-1 data: training and validation files in one directory."""
    output = tmp_path_factory.mktemp("tensorboard") / "demo"
    result = subprocess.run([bertkit, "demo", "--output", str(output), "--force", "--steps", "0",
                             "--threads", "2"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return str(output / "hdf5" / "128_20")


def arguments(demo, run_dir):
    return ["pretrain", "--model", "tiny", "--data", demo, "--validation-data", demo, "--run-dir", str(run_dir),
            "--target-batch-size", "8", "--accumulation-steps", "2", "--learning-rate", "1e-2",
            "--max-steps", str(STEPS), "--checkpoint-interval", "10", "--threads", "2"]


def logged(log_text, prefix, tag_prefix):
    """{tag: {step: value text}} of the log's `prefix` lines, the last line of a step winning."""
    values = {}
    for line in log_text.splitlines():
        match = re.match(rf"^{prefix} (\d+) (.*)$", line)
        if match:
            for field in match.group(2).split(" "):
                key, value = field.split("=", 1)
                values.setdefault(tag_prefix + key, {})[int(match.group(1))] = value
    return values


def check_events(run_dir, started, files):
    """The event files of `run_dir` against its log."""
    directory = run_dir / "tensorboard"
    names = sorted(os.listdir(directory))
    assert len(names) == files and all(name.startswith("events.out.tfevents.") for name in names)
    accumulator = event_accumulator.EventAccumulator(str(directory), size_guidance={event_accumulator.SCALARS: 0})
    accumulator.Reload()
    assert sorted(accumulator.Tags()["scalars"]) == sorted(TRAIN_TAGS + VALIDATION_TAGS)

    log = (run_dir / "log.txt").read_text()
    train = logged(log, "step", "train/")
    validation = logged(log, "validation step", "validation/")
    for tags, expected_steps, log_values in ((TRAIN_TAGS, list(range(1, STEPS + 1)), train),
                                             (VALIDATION_TAGS, [10, 20], validation)):
        for tag in tags:
            events = accumulator.Scalars(tag)
            assert [event.step for event in events] == expected_steps, tag
            for event in events:
                assert np.float32(event.value) == np.float32(log_values[tag][event.step]), (tag, event.step)
                assert started - 1 <= event.wall_time <= time.time() + 1
    assert all(float(value) > 0 for value in train["train/loss"].values())


def test_scalars_read_back_as_logged(bertkit, demo, tmp_path):
    run_dir = tmp_path / "run"
    started = time.time()
    result = subprocess.run([bertkit, *arguments(demo, run_dir)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    check_events(run_dir, started, files=1)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_resumed_run_reads_as_one(bertkit, demo, tmp_path, stop):
    """SIGTERM writes a checkpoint at the step it stops; SIGKILL leaves the events of steps 11 to
    13 in the first file (flushed every step here) beyond the step-10 checkpoint, which the
    resumed run's restart event makes TensorBoard drop."""
    run_dir = tmp_path / "run"
    config = tmp_path / "flush.yaml"
    config.write_text("log_interval: 1\n")
    started = time.time()
    with open(tmp_path / "first.err", "w") as stderr:
        process = subprocess.Popen([bertkit, *arguments(demo, run_dir), "--config", str(config)],
                                   stdout=subprocess.DEVNULL, stderr=stderr)
        log = run_dir / "log.txt"
        deadline = time.monotonic() + 120
        while not (log.exists() and re.search(r"^step 13 ", log.read_text(), re.MULTILINE)):
            assert process.poll() is None and time.monotonic() < deadline, "the run ended before step 13"
            time.sleep(0.005)
        process.send_signal(stop)
        assert process.wait(timeout=60) == (128 + stop if stop == signal.SIGTERM else -stop)
    result = subprocess.run([bertkit, "pretrain", "--run-dir", str(run_dir), "--resume"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    check_events(run_dir, started, files=2)
