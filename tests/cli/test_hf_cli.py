"""`bertkit export hf` and `bertkit import hf` on bad input: one `error: FILE: MESSAGE` line, a
non-zero exit, and nothing written or replaced."""
import json
import subprocess

import pytest


def bertkit_run(bertkit, *arguments):
    return subprocess.run([bertkit, *map(str, arguments)], capture_output=True, text=True)


def error_line(result):
    assert result.returncode == 1, result.stderr
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def run_dir(bertkit, tmp_path_factory):
    """A run directory with one checkpoint of a tiny BERT."""
    work = tmp_path_factory.mktemp("run")
    assert bertkit_run(bertkit, "demo", "--output", work / "demo", "--force", "--steps", 0).returncode == 0
    result = bertkit_run(bertkit, "pretrain", "--model", "tiny", "--data", work / "demo" / "hdf5" / "128_20",
                         "--run-dir", work / "run", "--target-batch-size", 2, "--accumulation-steps", 1,
                         "--max-steps", 1, "--threads", 2, "--quiet")
    assert result.returncode == 0, result.stderr
    return work / "run"


def test_export_of_a_missing_checkpoint(bertkit, tmp_path):
    missing = tmp_path / "nothing"
    assert error_line(bertkit_run(bertkit, "export", "hf", missing, "--output", tmp_path / "hf")) == \
        f"error: {missing}: no such checkpoint or run directory"
    (tmp_path / "empty" / "checkpoints").mkdir(parents=True)
    assert error_line(bertkit_run(bertkit, "export", "hf", tmp_path / "empty", "--output", tmp_path / "hf")) == \
        f"error: {tmp_path / 'empty'}: is a run directory without a complete checkpoint"
    assert not (tmp_path / "hf").exists()


def test_export_does_not_replace_an_output_without_force(bertkit, run_dir, tmp_path):
    output = tmp_path / "hf"
    output.mkdir()
    (output / "mine.txt").write_text("keep me")
    assert error_line(bertkit_run(bertkit, "export", "hf", run_dir, "--output", output)) == \
        f"error: {output}: already exists (use --force to replace it)"
    assert [path.name for path in output.iterdir()] == ["mine.txt"]
    assert bertkit_run(bertkit, "export", "hf", run_dir, "--output", output, "--force", "--quiet").returncode == 0
    assert sorted(path.name for path in output.iterdir()) == [
        "config.json", "model.safetensors", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"]
    assert [path.name for path in tmp_path.iterdir()] == ["hf"]


def test_export_of_a_checkpoint_without_its_vocabulary_needs_vocab(bertkit, run_dir, tmp_path):
    checkpoint = tmp_path / "step_1"
    checkpoint.mkdir()
    for path in (run_dir / "checkpoints" / "step_1").iterdir():
        if path.name != "vocab.txt":
            (checkpoint / path.name).write_bytes(path.read_bytes())
    assert error_line(bertkit_run(bertkit, "export", "hf", checkpoint, "--output", tmp_path / "hf")) == \
        f"error: {checkpoint}: has no vocab.txt (the run could not read its data's vocabulary): " \
        "give the vocabulary the data was made with as --vocab"
    vocabulary = run_dir.parent / "demo" / "vocab.txt"
    result = bertkit_run(bertkit, "export", "hf", checkpoint, "--output", tmp_path / "hf", "--vocab", vocabulary)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "hf" / "vocab.txt").read_text() == vocabulary.read_text()


def test_import_of_directories_that_are_not_bert(bertkit, tmp_path):
    directory = tmp_path / "gpt2"
    directory.mkdir()
    assert error_line(bertkit_run(bertkit, "import", "hf", directory, "--output", tmp_path / "run")) == \
        f"error: {directory}: has no config.json: not a Hugging Face model directory"
    (directory / "config.json").write_text(json.dumps({"model_type": "gpt2", "n_embd": 768, "n_layer": 12}))
    assert error_line(bertkit_run(bertkit, "import", "hf", directory, "--output", tmp_path / "run")) == \
        f"error: {directory / 'config.json'}: is a 'gpt2' model (model_type): import hf reads BERT (model_type bert)"
    (directory / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_size": 64,
                                                       "num_attention_heads": 4}))
    assert error_line(bertkit_run(bertkit, "import", "hf", directory, "--output", tmp_path / "run")) == \
        f"error: {directory / 'model.safetensors'}: is missing: import hf reads the weights from model.safetensors"
    assert not (tmp_path / "run").exists()


def test_import_does_not_replace_a_checkpoint_without_force(bertkit, run_dir, tmp_path):
    assert bertkit_run(bertkit, "export", "hf", run_dir, "--output", tmp_path / "hf", "--quiet").returncode == 0
    target = tmp_path / "run" / "checkpoints" / "step_0"
    assert bertkit_run(bertkit, "import", "hf", tmp_path / "hf", "--output", tmp_path / "run", "--quiet").returncode == 0
    before = (target / "model.safetensors").read_bytes()
    assert error_line(bertkit_run(bertkit, "import", "hf", tmp_path / "hf", "--output", tmp_path / "run")) == \
        f"error: {target}: already exists (use --force to replace it)"
    assert bertkit_run(bertkit, "import", "hf", tmp_path / "hf", "--output", tmp_path / "run", "--force",
                       "--quiet").returncode == 0
    assert (target / "model.safetensors").read_bytes() == before
    assert sorted(path.name for path in (tmp_path / "run" / "checkpoints").iterdir()) == ["step_0"]
