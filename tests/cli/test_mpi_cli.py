"""`bertkit` under `mpirun`: data-parallel pre-training over MPI equals one process with the
accumulation of all of them, `data create` shares its shards and writes the same files, and a
process that dies or fails ends the whole run in bounded time, which `--resume` then continues.

Every test starts two processes with one thread each (`mpirun --oversubscribe -np 2`, which
two cores hold) and is skipped when `mpirun` is not installed (scripts/bootstrap.sh installs
Open MPI). As root, Open MPI needs OMPI_ALLOW_RUN_AS_ROOT and its confirmation, set here."""
import json
import os
import re
import signal
import subprocess
import time
from types import SimpleNamespace

import pytest

from mpi_launch import ENVIRONMENT, mpirun, requires_mpirun, run, run_ok

h5py = pytest.importorskip("h5py", reason="h5py is not installed (pip install -r tests/compat/requirements.txt)")
numpy = pytest.importorskip("numpy", reason="numpy is not installed (pip install -r tests/compat/requirements.txt)")
safetensors_numpy = pytest.importorskip("safetensors.numpy",
                                        reason="safetensors is not installed (pip install -r tests/compat/requirements.txt)")

pytestmark = requires_mpirun
ROWS = 64
# The relative difference bf16 gradients make after 4 steps: measured 3.2e-5.
BF16_TOLERANCE = 1e-3


def step_records(run_dir):
    """Each step's log line after `step N `, by step (the line written last)."""
    found = {}
    for line in (run_dir / "log.txt").read_text().splitlines():
        match = re.match(r"^step (\d+) (.*)$", line)
        if match:
            found[int(match.group(1))] = re.sub(r" sequences_per_second=\S+", "", match.group(2))
    return found


@pytest.fixture(scope="module")
def data(bertkit, tmp_path_factory):
    """The demo's shards, vocabulary and phase-1 data, and a directory of ROWS files of one
    instance each (the first ROWS instances of the demo's first training file), with tiny BERT
    model files without dropout and with BERT's (0.1)."""
    work = tmp_path_factory.mktemp("mpi-data")
    demo = work / "demo"
    result = subprocess.run([bertkit, "demo", "--output", str(demo), "--force", "--steps", "0", "--threads", "2"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    hdf5 = demo / "hdf5" / "128_20"
    single_rows = work / "single-rows"
    single_rows.mkdir()
    with h5py.File(hdf5 / "training.0.hdf5", "r") as source:
        assert int(source.attrs["instances"]) >= ROWS
        vocabulary_size = int(source.attrs["vocab_size"])
        for row in range(ROWS):
            with h5py.File(single_rows / f"training.{row:03d}.hdf5", "w") as target:
                for key, value in source.attrs.items():
                    target.attrs[key] = value
                target.attrs["instances"] = 1
                for name, dataset in source.items():
                    target.create_dataset(name, data=dataset[row:row + 1])
    sizes = (f"vocab_size: {vocabulary_size}\nhidden_size: 128\nnum_hidden_layers: 2\nnum_attention_heads: 2\n"
             "intermediate_size: 512\nmax_position_embeddings: 512\n")
    model = work / "tiny-no-dropout.yaml"
    model.write_text(sizes + "hidden_dropout_prob: 0\nattention_probs_dropout_prob: 0\n")
    dropout_model = work / "tiny.yaml"
    dropout_model.write_text(sizes)
    return SimpleNamespace(work=work, shards=demo / "shards", vocab=demo / "vocab.txt", training=hdf5,
                           single_rows=single_rows, model=model, dropout_model=dropout_model)


def pretrain(bertkit, data, run_dir, *extra, model=None):
    """`bertkit pretrain` of the tiny model (without dropout unless `model` says) on the
    one-row files, 1 thread."""
    return [str(value) for value in [bertkit, "pretrain", "--model", model or data.model, "--data", data.single_rows,
                                     "--run-dir", run_dir, "--learning-rate", 1e-2, "--threads", 1, *extra]]


def test_two_processes_train_as_one_with_twice_the_accumulation(bertkit, data, tmp_path):
    """Two processes of 2 micro-batches of 2 sequences a step give the weights of one process
    of 4 micro-batches of 2, to 1e-6.

    Same data order: the files hold one instance each, so a file step serves one row. At file
    step f, rank r of 2 reads the file at shuffled index (2f + r) mod n, the single process the
    one at f: the ranks' four rows of step k are the shuffled indices 8k, 8k+2, 8k+4, 8k+6 and
    8k+1, …, 8k+7, the single process's 8k … 8k+7, the same eight sequences. The ranks stay in
    the first half of their epoch (8 steps × 4 rows = 32 of the 64 files), where neither reads
    a file twice. A step's losses are the mean over its masked tokens and sentences, however
    they are split into micro-batches, so only the order of the floating-point sums differs.
    The model has no dropout (the processes would draw the same masks for different rows).
    Measured: at most 3e-7 relative (per tensor, in norm)."""
    steps = ["--max-steps", 8, "--checkpoint-interval", 8]
    two = tmp_path / "two"
    result = run_ok(mpirun(2, pretrain(bertkit, data, two, "--target-batch-size", 4, "--accumulation-steps", 2, *steps)))
    one = tmp_path / "one"
    run_ok(pretrain(bertkit, data, one, "--target-batch-size", 8, "--accumulation-steps", 4, *steps))

    # Rank 0 alone prints the summary and writes the run directory.
    assert len(result.stdout.splitlines()) == 1 and result.stdout.startswith("pretrain steps=8 step=8/8 ")
    assert "2 processes: 8 sequences per step" in (two / "log.txt").read_text()
    assert len(list((two / "tensorboard").iterdir())) == 1

    # Per tensor, the difference's norm within 1e-6 of the tensor's. Not the attention keys'
    # biases: their gradient is 0 (adding q·b to every score of a softmax row changes nothing),
    # so both runs fill them with rounding noise that LAMB scales up to the learning rate.
    ours = safetensors_numpy.load_file(str(two / "checkpoints" / "step_8" / "model.safetensors"))
    reference = safetensors_numpy.load_file(str(one / "checkpoints" / "step_8" / "model.safetensors"))
    assert sorted(ours) == sorted(reference)
    compared = [name for name in reference if not name.endswith("attention.self.key.bias")]
    assert len(compared) == len(reference) - 2
    for name in compared:
        difference = float(numpy.linalg.norm(ours[name] - reference[name]) / numpy.linalg.norm(reference[name]))
        assert difference <= 1e-6, f"{name}: relative difference {difference:.3g}"
    # The logged losses are the whole step's: those of the single process, to float rounding.
    two_steps, one_steps = step_records(two), step_records(one)
    assert sorted(two_steps) == sorted(one_steps) == list(range(1, 9))
    for step in range(1, 9):
        ours_fields = dict(field.split("=") for field in two_steps[step].split(" "))
        reference_fields = dict(field.split("=") for field in one_steps[step].split(" "))
        for key in ("loss", "mlm_loss", "nsp_loss", "grad_norm"):
            assert float(ours_fields[key]) == pytest.approx(float(reference_fields[key]), rel=1e-5), (step, key)
    # Each rank's data position: 32 one-row files of its epoch served.
    position = '{"epoch": 0, "file_step": 32, "row": 0, "rows_served": 32}'
    state = (two / "checkpoints" / "step_8" / "state.json").read_text()
    assert f'"data_positions": [{position}, {position}]' in state, state


def test_bf16_gradients_train_close_to_fp32_ones(bertkit, data, tmp_path):
    """`allreduce_dtype: bf16` sums the gradients in bfloat16: the weights differ from the fp32
    reduction's (the option is in effect) but stay close to them (8 bits of precision in each
    gradient, normalised by LAMB)."""
    runs = {}
    for dtype in ("fp32", "bf16"):
        config = tmp_path / f"{dtype}.yaml"
        config.write_text(f"allreduce_dtype: {dtype}\n")
        run_dir = tmp_path / dtype
        run_ok(mpirun(2, pretrain(bertkit, data, run_dir, "--config", config, "--target-batch-size", 4,
                                  "--accumulation-steps", 2, "--max-steps", 4, "--checkpoint-interval", 4)))
        assert f'allreduce_dtype: "{dtype}"' in (run_dir / "config.yaml").read_text()
        runs[dtype] = safetensors_numpy.load_file(str(run_dir / "checkpoints" / "step_4" / "model.safetensors"))
    weights = "bert.encoder.layer.0.attention.output.dense.weight"
    difference = float(numpy.linalg.norm(runs["bf16"][weights] - runs["fp32"][weights])
                       / numpy.linalg.norm(runs["fp32"][weights]))
    print(f"\nbf16 against fp32 all-reduce after 4 steps: {weights} differs by {difference:.3g} (relative, in norm)")
    assert 1e-6 < difference < BF16_TOLERANCE


def test_data_create_under_two_processes_writes_the_same_files(bertkit, data, tmp_path):
    arguments = [bertkit, "data", "create", data.shards, "--vocab", data.vocab, "--dupe-factor", 2, "--threads", 1]
    result = run_ok(mpirun(2, [*arguments, "--output", tmp_path / "two"]))
    run_ok([str(value) for value in [*arguments, "--output", tmp_path / "one", "--quiet"]])
    names = sorted(os.listdir(tmp_path / "one"))
    assert len(names) > 2 and sorted(os.listdir(tmp_path / "two")) == names
    for name in names:
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes(), name
    # One summary line, from rank 0, counting every process's files.
    summary = [line for line in result.stderr.splitlines() if " instances from " in line]
    assert len(summary) == 1 and f" in {len(names)} file(s)" in summary[0], result.stderr


def ranks_of(mpirun_pid):
    """The bertkit processes started by the mpirun of `mpirun_pid`, by rank."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/environ", "rb") as environ:
                variables = dict(item.split(b"=", 1) for item in environ.read().split(b"\0") if b"=" in item)
        except OSError:
            continue
        if int(fields[1]) == mpirun_pid and b"OMPI_COMM_WORLD_RANK" in variables:
            found[int(variables[b"OMPI_COMM_WORLD_RANK"])] = int(entry)
    return found


def alive(pid):
    """Whether process `pid` runs (a zombie does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"no {what} after {timeout} s")


def test_a_killed_rank_ends_the_run_and_resume_continues_it(bertkit, data, tmp_path):
    """SIGKILL to rank 1 after the checkpoint of step 5: mpirun ends rank 0 and exits non-zero
    within 60 s; `--resume` under two processes then repeats steps 6 to 10 of an uninterrupted
    two-process run exactly (every process's data position and dropout generator come back:
    the model has dropout); a single process resuming that continues at the next epoch."""
    # A constant learning rate without warm-up: the schedule does not depend on max_steps, so
    # the run stopped by the kill follows the 10-step reference.
    config = tmp_path / "constant.yaml"
    config.write_text("schedule: constant\nwarmup_proportion: 0\n")
    flags = ["--config", config, "--target-batch-size", 4, "--accumulation-steps", 2, "--checkpoint-interval", 5]
    reference = tmp_path / "reference"
    run_ok(mpirun(2, pretrain(bertkit, data, reference, *flags, "--max-steps", 10, model=data.dropout_model)))

    run_dir = tmp_path / "killed"
    process = subprocess.Popen(mpirun(2, pretrain(bertkit, data, run_dir, *flags, "--max-steps", 10_000, model=data.dropout_model)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENVIRONMENT)
    try:
        wait_for(lambda: (run_dir / "checkpoints" / "step_5").exists() or process.poll() is not None, 120, "checkpoint 5")
        assert process.poll() is None, process.stderr.read()
        ranks = ranks_of(process.pid)
        assert sorted(ranks) == [0, 1], ranks
        killed = time.monotonic()
        os.kill(ranks[1], signal.SIGKILL)
        process.wait(timeout=60)
        print(f"\nmpirun ended {time.monotonic() - killed:.1f} s after rank 1 was killed, with {process.returncode}")
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    wait_for(lambda: not alive(ranks[0]), 10, "end of rank 0")

    resumed = run_ok(mpirun(2, pretrain(bertkit, data, run_dir, *flags, "--max-steps", 10, "--resume",
                                         model=data.dropout_model)))
    log = (run_dir / "log.txt").read_text()
    resumed_at = int(re.findall(r"resuming phase 1 at step (\d+)", log)[-1])
    assert resumed_at >= 5 and "step=10/10" in resumed.stdout
    ours, expected = step_records(run_dir), step_records(reference)
    for step in range(resumed_at + 1, 11):
        assert ours[step] == expected[step], f"step {step}"
    # The two ranks draw apart, and each took up its own generator: at step 10 both are where
    # the uninterrupted run's are.
    generators = [json.loads((directory / "checkpoints" / "step_10" / "state.json").read_text())["dropout_generators"]
                  for directory in (run_dir, reference)]
    assert generators[0] == generators[1] and len(generators[0]) == 2 and generators[0][0] != generators[0][1]

    # One process cannot take up two processes' positions: it starts the next epoch, and says so.
    alone = run_ok(pretrain(bertkit, data, run_dir, *flags, "--max-steps", 12, "--resume", model=data.dropout_model))
    assert "step=12/12" in alone.stdout
    assert ("the checkpoint was written by 2 process(es), this run has 1: the order of files depends on their number, "
            "so the data starts afresh at epoch 1") in (run_dir / "log.txt").read_text()


def test_a_failing_rank_ends_the_others_waiting_for_it(bertkit, data, tmp_path):
    """Rank 1 (MPMD: its own command line) is given data that does not exist: it reports the
    error with its rank and aborts the run, so rank 0, which waits for it in a collective,
    ends too, within 60 s."""
    run_dir = tmp_path / "run"
    good = pretrain(bertkit, data, run_dir, "--target-batch-size", 4, "--accumulation-steps", 2, "--max-steps", 100)
    bad = list(good)
    bad[bad.index("--data") + 1] = str(tmp_path / "missing")
    started = time.monotonic()
    result = run(mpirun(1, good, bad), timeout=60)
    assert result.returncode != 0
    assert time.monotonic() - started < 60
    assert f"error: rank 1: {tmp_path / 'missing'}: no such directory" in result.stderr, result.stderr
    assert "error: rank 0" not in result.stderr

