"""How `bertkit pretrain` behaves at the command line: tiny BERT and CharacterBERT runs on the
bundled sample corpus whose validation loss falls, the run directory (config.yaml, log.txt,
checkpoints, state.json), exact resume after SIGKILL, SIGTERM and SIGINT, and the errors of
bad data, a damaged checkpoint, an unknown configuration key and a reused run directory.

The data is made once per module (`bertkit demo`, then CharacterBERT's from the same
shards). Every run uses --threads 2, so that its numbers are those of any other run of the
same configuration, bit for bit."""
import json
import math
import os
import re
import shutil
import signal
import subprocess
import time
from types import SimpleNamespace

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (pip install -r tests/compat/requirements.txt)")
h5py = pytest.importorskip("h5py", reason="h5py is not installed (pip install -r tests/compat/requirements.txt)")

THREADS = 2
SUMMARY = re.compile(r"^pretrain( [^ =]+=[^ ]+)+$")


def pretrain(bertkit, *args):
    return subprocess.run([bertkit, "pretrain", *map(str, args)], capture_output=True, text=True)


def run_ok(bertkit, *args):
    result = pretrain(bertkit, *args)
    assert result.returncode == 0, result.stderr
    return result


def summary(stdout):
    """The fields of the final `pretrain …` line (the only line on standard output)."""
    lines = stdout.splitlines()
    assert len(lines) == 1 and SUMMARY.match(lines[0]), stdout
    return dict(field.split("=", 1) for field in lines[0].split(" ")[1:])


def records(log_text, prefix, ignored):
    """Each step's records of `prefix` ("step" or "validation step") in the log, in the order
    written: {step: [{key: value text}, …]} without the keys in `ignored` (timings)."""
    found = {}
    for line in log_text.splitlines():
        match = re.match(rf"^{prefix} (\d+) (.*)$", line)
        if match:
            fields = dict(field.split("=", 1) for field in match.group(2).split(" "))
            found.setdefault(int(match.group(1)), []).append({k: v for k, v in fields.items() if k not in ignored})
    return found


def steps(log_text):
    return records(log_text, "step", {"sequences_per_second"})


def validations(log_text):
    return records(log_text, "validation step", {"seconds"})


def last(found):
    """For each step, the record written last."""
    return {step: lines[-1] for step, lines in found.items()}


def instances(directory, split):
    return sum(int(h5py.File(os.path.join(directory, name), "r").attrs["instances"])
               for name in os.listdir(directory) if split in name)


@pytest.fixture(scope="module")
def data(bertkit, tmp_path_factory):
    """The demo's phase-1 data (8 training files, 4,000-token WordPiece vocabulary), a small
    validation set (the demo's first validation shard, dupe factor 2) and CharacterBERT data
    from the same shards (a 4,000-word MLM vocabulary)."""
    work = tmp_path_factory.mktemp("pretrain-data")
    demo = work / "demo"
    result = subprocess.run([bertkit, "demo", "--output", str(demo), "--force", "--steps", "0",
                             "--threads", str(THREADS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    validation_shard = work / "validation-shard"
    validation_shard.mkdir()
    shutil.copy(demo / "shards" / "validation.0.txt", validation_shard / "validation.0.txt")

    def create(*args):
        result = subprocess.run([bertkit, "data", "create", *map(str, args), "--threads", str(THREADS), "--quiet"],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    create(validation_shard, "--vocab", demo / "vocab.txt", "--dupe-factor", 2, "--output", work / "validation")
    mlm_vocab = work / "mlm_vocab.txt"
    result = subprocess.run([bertkit, "vocab", "mlm", str(demo / "shards"), "--output", str(mlm_vocab),
                             "--max-vocabulary-size", "4000", "--threads", str(THREADS), "--quiet"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    create(demo / "shards", "--character-bert", "--mlm-vocab", mlm_vocab, "--output", work / "cb")
    create(validation_shard, "--character-bert", "--mlm-vocab", mlm_vocab, "--dupe-factor", 2,
           "--output", work / "cb-validation")
    return SimpleNamespace(work=work, training=str(demo / "hdf5" / "128_20"), validation=str(work / "validation"),
                           shards=demo / "shards", vocab=demo / "vocab.txt",
                           cb_training=str(work / "cb"), cb_validation=str(work / "cb-validation"))


def tiny(data, run_dir, steps=30, interval=10):
    """The flags of a tiny BERT run on the demo's data: LAMB at 1e-2, 16 sequences per step in
    2 micro-batches of 8."""
    return ["--model", "tiny", "--data", data.training, "--validation-data", data.validation, "--run-dir", run_dir,
            "--target-batch-size", 16, "--accumulation-steps", 2, "--learning-rate", 1e-2, "--max-steps", steps,
            "--checkpoint-interval", interval, "--threads", THREADS]


@pytest.fixture(scope="module")
def reference(bertkit, data):
    """An uninterrupted 30-step tiny run (checkpoints at 10, 20, 30): its log and summary."""
    run_dir = data.work / "reference"
    result = run_ok(bertkit, *tiny(data, run_dir))
    log = (run_dir / "log.txt").read_text()
    found = steps(log)
    assert sorted(found) == list(range(1, 31)) and all(len(lines) == 1 for lines in found.values())
    assert sorted(validations(log)) == [10, 20, 30]
    return SimpleNamespace(run_dir=run_dir, log=log, steps=last(found), validations=last(validations(log)),
                           summary=summary(result.stdout))


def start(bertkit, args, stderr):
    return subprocess.Popen([bertkit, "pretrain", *map(str, args)], stdout=subprocess.PIPE, stderr=stderr, text=True)


def wait_for_step(process, log, step, timeout=120):
    """Waits until `log` holds the line of `step`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and re.search(rf"^step {step} ", log.read_text(), re.MULTILINE):
            return
        if process.poll() is not None:
            pytest.fail(f"pretrain ended with {process.returncode} before step {step} (see {process.stderr.name})")
        time.sleep(0.005)
    process.kill()
    pytest.fail(f"no step {step} in {log} after {timeout} s")


def assert_same_as_reference(log, reference):
    """Every step's (and validation's) values, from the line written last, equal the
    uninterrupted run's bit for bit (the log's floats are shortest round-trip decimals)."""
    found = last(steps(log))
    assert sorted(found) == list(range(1, 31))
    for step in range(1, 31):
        assert found[step] == reference.steps[step], f"step {step}"
    assert last(validations(log)) == reference.validations


def test_tiny_bert_learns_and_keeps_its_run_directory(bertkit, data, tmp_path, record_property):
    config = tmp_path / "run.yaml"
    config.write_text("keep_checkpoints: 2\nlog_interval: 50\n")
    run_dir = tmp_path / "run"
    started = time.monotonic()
    result = run_ok(bertkit, "--config", config, *tiny(data, run_dir, steps=200, interval=10))
    seconds = time.monotonic() - started
    log = (run_dir / "log.txt").read_text()

    # Validation every 10 steps; the MLM loss falls from about ln(4000) = 8.29 to the corpus's
    # unigram level. Measured (2 threads): 8.2405 at step 10 -> 6.7199 at step 200 (29 s).
    found = validations(log)
    assert sorted(found) == list(range(10, 201, 10)) and all(len(lines) == 1 for lines in found.values())
    validation = last(found)
    sequences = instances(data.validation, "validation")
    for values in validation.values():
        assert list(values) == ["mlm_loss", "mlm_accuracy", "nsp_loss", "nsp_accuracy", "sequences"]
        assert int(values["sequences"]) == sequences
        assert 0 <= float(values["mlm_accuracy"]) <= 1 and 0 <= float(values["nsp_accuracy"]) <= 1
    first, end = float(validation[10]["mlm_loss"]), float(validation[200]["mlm_loss"])
    print(f"\nBERT tiny: validation MLM loss {first:.4f} (step 10) -> {end:.4f} (step 200) in {seconds:.1f} s")
    record_property("bert_validation_mlm_loss", f"{first:.4f} -> {end:.4f}")
    assert first > 7.8
    assert end < first - 1.0

    # One line per step, in order, with finite values; the schedule warms up to 1e-2 and
    # decays to 0.
    train = steps(log)
    assert sorted(train) == list(range(1, 201)) and all(len(lines) == 1 for lines in train.values())
    train = last(train)
    assert list(train[1]) == ["loss", "mlm_loss", "nsp_loss", "learning_rate", "grad_norm"]
    for values in train.values():
        numbers = {key: float(value) for key, value in values.items()}
        assert all(math.isfinite(value) for value in numbers.values())
        assert numbers["loss"] == pytest.approx(numbers["mlm_loss"] + numbers["nsp_loss"], rel=1e-6)
    rates = [float(train[step]["learning_rate"]) for step in range(1, 201)]
    assert max(rates) <= 1e-2 and rates[-1] == 0 and rates.index(max(rates)) in range(50, 60)

    # The summary line repeats the last step and validation, rounded.
    fields = summary(result.stdout)
    assert list(fields) == ["steps", "step", "loss", "validation_mlm_loss", "validation_mlm_accuracy", "checkpoint",
                            "device", "tokens/s"]
    assert fields["steps"] == "200" and fields["step"] == "200/200"
    assert fields["loss"] == f"{float(train[200]['loss']):.4f}"
    assert fields["validation_mlm_loss"] == f"{end:.4f}"
    assert fields["validation_mlm_accuracy"] == f"{float(validation[200]['mlm_accuracy']):.4f}"
    assert fields["checkpoint"] == f"{run_dir}/checkpoints/step_200"
    assert float(fields["tokens/s"]) > 0

    # The run directory: the last 2 checkpoints (keep_checkpoints from the --config file).
    assert sorted(os.listdir(run_dir)) == ["checkpoints", "config.yaml", "log.txt", "tensorboard"]
    assert sorted(os.listdir(run_dir / "checkpoints")) == ["step_190", "step_200"]
    for step in (190, 200):
        checkpoint = run_dir / "checkpoints" / f"step_{step}"
        assert sorted(os.listdir(checkpoint)) == ["model.json", "model.safetensors", "optimizer.safetensors", "state.json",
                                                  "tokenizer_config.json", "vocab.txt"]
    assert (checkpoint / "vocab.txt").read_text() == data.vocab.read_text()
    assert len(os.listdir(run_dir / "tensorboard")) == 1
    assert os.listdir(run_dir / "tensorboard")[0].startswith("events.out.tfevents.")

    # config.yaml: YAML holding every setting, as the log printed it.
    text = (run_dir / "config.yaml").read_text()
    configuration = yaml.safe_load(text)
    expected = {"preset": "bert-base-phase1", "model": "tiny", "character_bert": False, "next_sentence_prediction": True,
                "data": data.training, "validation_data": data.validation, "run_dir": str(run_dir), "phase": 1,
                "max_seq_length": 128, "max_predictions_per_seq": 20, "optimizer": "lamb", "learning_rate": 0.01,
                "schedule": "poly", "warmup_proportion": 0.2843, "max_steps": 200, "target_batch_size": 16,
                "accumulation_steps": 2, "checkpoint_interval": 10, "keep_checkpoints": 2, "log_interval": 50,
                "seed": 42, "threads": THREADS}
    assert {key: configuration[key] for key in expected} == expected
    printed = "pretrain: configuration\n" + "".join("  " + line + "\n" for line in text.splitlines())
    assert printed in log

    # state.json of the last checkpoint.
    state = json.loads((run_dir / "checkpoints" / "step_200" / "state.json").read_text())
    assert list(state) == ["format", "phase", "step", "global_step", "optimizer_steps", "skipped_steps",
                           "consecutive_skipped_steps", "dropout_generator", "data_position", "schedule", "configuration"]
    assert {key: state[key] for key in ("format", "phase", "step", "global_step", "optimizer_steps", "skipped_steps",
                                         "consecutive_skipped_steps")} == {
        "format": 1, "phase": 1, "step": 200, "global_step": 200, "optimizer_steps": 200, "skipped_steps": 0,
        "consecutive_skipped_steps": 0}
    assert len(state["dropout_generator"]) == 4 and all(int(word, 16) >= 0 for word in state["dropout_generator"])
    rows_per_epoch = instances(data.training, "training")
    position = state["data_position"]
    assert position["rows_served"] == 200 * 16 and position["epoch"] == 200 * 16 // rows_per_epoch
    assert 0 <= position["file_step"] < 8 and position["row"] >= 0
    assert state["schedule"] == {"kind": "poly", "learning_rate": 0.01, "warmup_proportion": 0.2843, "total_steps": 200}
    assert state["configuration"] == text
    assert json.loads((run_dir / "checkpoints" / "step_190" / "state.json").read_text())["step"] == 190

    # config.yaml read back with --config (another run directory) resolves to the same
    # configuration and repeats the run's first steps exactly.
    again = tmp_path / "again"
    with open(tmp_path / "again.err", "w") as stderr:
        process = start(bertkit, ["--config", run_dir / "config.yaml", "--run-dir", again], stderr)
        wait_for_step(process, again / "log.txt", 3)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert (again / "config.yaml").read_text() == text.replace(f'run_dir: "{run_dir}"', f'run_dir: "{again}"')
    repeated = last(steps((again / "log.txt").read_text()))
    assert len(repeated) >= 3 and all(repeated[step] == train[step] for step in repeated)


CHARACTER_CNN_MODEL = """\
vocab_size: 4000
hidden_size: 128
num_hidden_layers: 2
num_attention_heads: 2
intermediate_size: 512
character_cnn:
  filters: [[1, 16], [2, 16], [3, 32], [4, 32]]
  n_highway: 1
"""


def test_tiny_character_bert_learns(bertkit, data, tmp_path, record_property):
    model = tmp_path / "character-bert.yaml"
    model.write_text(CHARACTER_CNN_MODEL)
    run_dir = tmp_path / "run"
    started = time.monotonic()
    result = run_ok(bertkit, "--model", model, "--character-bert", "--data", data.cb_training,
                    "--validation-data", data.cb_validation, "--run-dir", run_dir, "--target-batch-size", 16,
                    "--accumulation-steps", 2, "--learning-rate", 1e-2, "--max-steps", 100, "--checkpoint-interval", 10,
                    "--threads", THREADS)
    seconds = time.monotonic() - started
    log = (run_dir / "log.txt").read_text()
    assert f"pretrain: CharacterBERT {model}," in log and "vocabulary 4000;" in log

    # Measured (2 threads): 8.0760 at step 10 -> 6.3379 at step 100 (28 s).
    validation = last(validations(log))
    assert sorted(validation) == list(range(10, 101, 10))
    assert all(int(values["sequences"]) == instances(data.cb_validation, "validation") for values in validation.values())
    first, end = float(validation[10]["mlm_loss"]), float(validation[100]["mlm_loss"])
    print(f"\nCharacterBERT tiny: validation MLM loss {first:.4f} (step 10) -> {end:.4f} (step 100) in {seconds:.1f} s")
    record_property("character_bert_validation_mlm_loss", f"{first:.4f} -> {end:.4f}")
    assert end < first - 1.0
    assert sorted(last(steps(log))) == list(range(1, 101))

    fields = summary(result.stdout)
    assert fields["step"] == "100/100" and fields["validation_mlm_loss"] == f"{end:.4f}"
    configuration = yaml.safe_load((run_dir / "config.yaml").read_text())
    assert configuration["preset"] == "character-bert-phase1" and configuration["character_bert"] is True
    assert configuration["model"] == str(model)
    assert sorted(os.listdir(run_dir / "checkpoints")) == ["step_100", "step_80", "step_90"]
    state = json.loads((run_dir / "checkpoints" / "step_100" / "state.json").read_text())
    assert state["step"] == 100 and state["data_position"]["rows_served"] == 1600


def test_resume_after_sigkill_repeats_the_uninterrupted_run(bertkit, data, reference, tmp_path):
    run_dir = tmp_path / "run"
    log = run_dir / "log.txt"
    # Killed at step 13 (newest checkpoint 10), resumed, killed again at step 24 (newest 20),
    # resumed to the end.
    for kill_at in (13, 24):
        with open(tmp_path / f"kill{kill_at}.err", "w") as stderr:
            args = tiny(data, run_dir) if kill_at == 13 else ["--run-dir", run_dir, "--resume"]
            process = start(bertkit, args, stderr)
            wait_for_step(process, log, kill_at)
            process.kill()
            process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL
        written = max(steps(log.read_text()))
        assert kill_at <= written < 30
    result = run_ok(bertkit, "--run-dir", run_dir, "--resume")
    text = log.read_text()
    resumed_at = [int(step) for step in re.findall(r"^pretrain: resuming phase 1 at step (\d+) from ", text, re.MULTILINE)]
    assert len(resumed_at) == 2 and resumed_at[0] in (10, 20) and resumed_at[1] in (20, 30)
    assert_same_as_reference(text, reference)
    # The steps done twice (between a checkpoint and the kill) gave the same values both times.
    for step, lines in steps(text).items():
        assert all(line == reference.steps[step] for line in lines), f"step {step}"
    fields = summary(result.stdout)
    assert fields["step"] == "30/30" and fields["loss"] == reference.summary["loss"]
    assert fields["validation_mlm_loss"] == reference.summary["validation_mlm_loss"]


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_ends_the_step_writes_a_checkpoint_and_resume_continues(bertkit, data, reference, tmp_path,
                                                                          signal_number):
    run_dir = tmp_path / "run"
    log = run_dir / "log.txt"
    with open(tmp_path / "first.err", "w") as stderr:
        process = start(bertkit, tiny(data, run_dir), stderr)
        wait_for_step(process, log, 14)
        process.send_signal(signal_number)
        stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 128 + signal_number
    stopped = max(steps(log.read_text()))
    assert 14 <= stopped < 30
    name = signal.Signals(signal_number).name
    assert f"pretrain: {name} received after step {stopped}\n" in log.read_text()
    fields = summary(stdout)
    assert fields["steps"] == str(stopped) and fields["step"] == f"{stopped}/30"
    assert fields["checkpoint"] == f"{run_dir}/checkpoints/step_{stopped}"
    checkpoint = run_dir / "checkpoints" / f"step_{stopped}"
    assert sorted(os.listdir(checkpoint)) == ["model.json", "model.safetensors", "optimizer.safetensors", "state.json",
                                              "tokenizer_config.json", "vocab.txt"]
    state = json.loads((checkpoint / "state.json").read_text())
    assert state["step"] == stopped and state["optimizer_steps"] == stopped
    assert state["data_position"]["rows_served"] == stopped * 16

    result = run_ok(bertkit, "--run-dir", run_dir, "--resume")
    text = log.read_text()
    assert f"pretrain: resuming phase 1 at step {stopped} from {checkpoint}\n" in text
    # Nothing is done twice: the checkpoint is of the very step the run stopped at.
    assert all(len(lines) == 1 for lines in steps(text).values())
    assert_same_as_reference(text, reference)
    fields = summary(result.stdout)
    assert fields["steps"] == str(30 - stopped) and fields["step"] == "30/30"
    assert fields["loss"] == reference.summary["loss"]


def error_line(result):
    """The one `error:` line of a failed run (nothing on standard output)."""
    assert result.returncode != 0 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_missing_and_empty_data_directories(bertkit, data, tmp_path):
    missing = tmp_path / "nowhere"
    line = error_line(pretrain(bertkit, *tiny(data, tmp_path / "run1"), "--data", missing))
    assert line.startswith(f"error: {missing}: no such directory")
    empty = tmp_path / "empty"
    empty.mkdir()
    line = error_line(pretrain(bertkit, *tiny(data, tmp_path / "run2"), "--data", empty))
    assert line == f"error: {empty}: holds no HDF5 files (.hdf5 or .h5): it is empty"
    line = error_line(pretrain(bertkit, *tiny(data, tmp_path / "run3"), "--validation-data", missing))
    assert line.startswith(f"error: {missing}: no such directory")


def test_data_of_another_sequence_length(bertkit, data, tmp_path):
    phase2 = tmp_path / "phase2"
    result = subprocess.run([bertkit, "data", "create", str(data.shards / "training.0.txt"), "--vocab", str(data.vocab),
                             "--phase", "2", "--output", str(phase2), "--quiet"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    line = error_line(pretrain(bertkit, *tiny(data, tmp_path / "run1"), "--data", phase2))
    assert line.startswith(f"error: {phase2}/training.0.hdf5: holds instances of 512 tokens, but training uses "
                           "sequences of 128")
    first = f"{data.training}/training.0.hdf5"
    line = error_line(pretrain(bertkit, *tiny(data, tmp_path / "run2"), "--max-seq-length", 64))
    assert line.startswith(f"error: {first}: holds instances of 128 tokens, but training uses sequences of 64")
    assert "train with max_seq_length 128" in line
    # The validation data is checked too.
    line = error_line(pretrain(bertkit, *tiny(data, tmp_path / "run3"), "--validation-data", phase2))
    assert line.startswith(f"error: {phase2}/training.0.hdf5: holds instances of 512 tokens")


def test_a_damaged_checkpoint_names_the_previous_one(bertkit, data, reference, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(reference.run_dir, run_dir)
    broken = run_dir / "checkpoints" / "step_30"
    model = broken / "model.safetensors"
    os.truncate(model, os.path.getsize(model) // 2)
    line = error_line(pretrain(bertkit, "--run-dir", run_dir, "--resume"))
    previous = run_dir / "checkpoints" / "step_20"
    assert line.startswith(f"error: {model}: ")
    assert f"the previous checkpoint {previous} is complete: remove {broken} to resume from it" in line
    # Following the advice continues from step 20 and ends as the uninterrupted run did.
    shutil.rmtree(broken)
    result = run_ok(bertkit, "--run-dir", run_dir, "--resume")
    text = (run_dir / "log.txt").read_text()
    assert f"pretrain: resuming phase 1 at step 20 from {previous}\n" in text
    assert_same_as_reference(text, reference)
    assert summary(result.stdout)["loss"] == reference.summary["loss"]


def test_unknown_configuration_key_names_the_file_the_key_and_the_closest(bertkit, data, tmp_path):
    config = tmp_path / "run.yaml"
    config.write_text("max_steps: 3\nlearning_rat: 1e-3\n")
    line = error_line(pretrain(bertkit, "--config", config, *tiny(data, tmp_path / "run")))
    assert line == f"error: {config}: line 2: unknown key 'learning_rat'; the closest valid key is 'learning_rate'"
    assert not (tmp_path / "run" / "checkpoints").exists()


def test_an_existing_run_directory_needs_resume(bertkit, data, reference, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(reference.run_dir, run_dir)
    before = (run_dir / "log.txt").read_text()
    line = error_line(pretrain(bertkit, *tiny(data, run_dir)))
    assert line == (f"error: {run_dir}/checkpoints: already holds checkpoints (the newest is "
                    f"{run_dir}/checkpoints/step_30): pass --resume to continue that run, or choose another --run-dir")
    assert (run_dir / "log.txt").read_text() == before
    assert sorted(os.listdir(run_dir / "checkpoints")) == ["step_10", "step_20", "step_30"]
