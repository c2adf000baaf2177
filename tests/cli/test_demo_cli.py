"""`bertkit demo`: every stage runs and says what it did, the tiny BERT's validation loss
falls below its initial weights', and the run's TensorBoard files, the exported model and
the fill-mask output are where the last lines say. A short run (--steps 20) stands in for
the demo's default length, which `scripts/demo.sh` runs."""
import json
import re
import subprocess

import pytest


@pytest.fixture(scope="module")
def demo(bertkit, tmp_path_factory):
    output = tmp_path_factory.mktemp("demo") / "demo"
    result = subprocess.run([bertkit, "demo", "--output", str(output), "--steps", "20", "--threads", "2"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return output, result


def test_every_stage_runs_and_reports_its_time(demo):
    _, result = demo
    headers = re.findall(r"^\[(\d+)/(\d+)\] (.*)$", result.stderr, re.MULTILINE)
    assert [(int(index), int(total)) for index, total, _ in headers] == [(index, 11) for index in range(1, 12)]
    titles = [title for _, _, title in headers]
    assert titles[7].startswith("pre-train a tiny BERT (2 layers, hidden 128) for 20 steps of 32 sequences")
    assert [title.split(" ")[0] for title in titles[8:]] == ["evaluate", "export", "fill-mask"]
    # Formatting.duration: "4.2s", "3m05s" (a stage on a loaded host can pass a minute) or "1h02m".
    assert len(re.findall(r"^      \((\d+\.\ds|\d+m\d\ds|\d+h\d\dm)\)$", result.stderr, re.MULTILINE)) == 11
    assert re.search(r"^The demo ran in [0-9.hms]+; its files are in .*demo/\.$", result.stderr, re.MULTILINE)


def test_the_loss_falls_and_the_model_is_evaluated_against_its_initial_weights(demo):
    output, result = demo
    validations = [float(value) for value in re.findall(r"^validation step \d+ mlm_loss=([0-9.]+)", result.stderr,
                                                       re.MULTILINE)]
    assert len(validations) == 5
    evaluated = re.findall(r"^(initial weights|after 20 steps): evaluate mlm_loss=([0-9.]+) mlm_accuracy=",
                           result.stderr, re.MULTILINE)
    assert [name for name, _ in evaluated] == ["initial weights", "after 20 steps"]
    before, after = (float(loss) for _, loss in evaluated)
    assert after == pytest.approx(validations[-1], abs=1e-5)
    assert after < before - 0.3
    change = re.search(r"^validation MLM loss ([0-9.]+) -> ([0-9.]+), accuracy", result.stderr, re.MULTILINE)
    assert change and float(change.group(1)) == pytest.approx(before, abs=1e-3)
    assert "pretrain: configuration" in result.stderr and (output / "pretrain.yaml").read_text().startswith("model: tiny\n")


def test_the_export_fill_mask_and_tensorboard_files_are_where_the_demo_says(demo):
    output, result = demo
    assert sorted(path.name for path in (output / "hf").iterdir()) == [
        "config.json", "model.safetensors", "special_tokens_map.json", "tokenizer_config.json", "vocab.txt"]
    assert json.loads((output / "hf" / "config.json").read_text())["architectures"] == ["BertForPreTraining"]
    assert list((output / "run" / "tensorboard").glob("events.out.tfevents.*"))
    assert f"TensorBoard logs: {output / 'run' / 'tensorboard'}" in result.stderr
    assert f"Exported model:   {output / 'hf'}" in result.stderr
    sentences = (output / "fill-mask.txt").read_text().splitlines()
    assert len(sentences) == 4 and all(sentence.count("[MASK]") == 1 for sentence in sentences)
    validation = (output / "shards" / "validation.0.txt").read_text().splitlines()
    for sentence, word in zip(sentences, ["the", "of", "and", "is"]):
        tokens = sentence.split(" ")
        position = tokens.index("[MASK]")
        assert any(line.split(" ")[:position] == tokens[:position] and line.split(" ")[position].lower() == word
                   and line.split(" ")[position + 1:] == tokens[position + 1:] for line in validation)
        assert word not in [token.lower() for token in tokens[:position]]
    lines = result.stdout.splitlines()
    headers = [index for index, line in enumerate(lines) if ", [MASK] 1 of 1: " in line]
    assert [lines[index] for index in headers] == [
        f"{output / 'fill-mask.txt'}: line {number}, [MASK] 1 of 1: {sentence}"
        for number, sentence in enumerate(sentences, start=1)]
    for index in headers:
        assert all(re.match(r"^  \S+ +0\.\d{4}$", line) for line in lines[index + 1:index + 4])
        assert lines[index + 4] == ""


def test_steps_0_stops_after_the_data(bertkit, tmp_path):
    result = subprocess.run([bertkit, "demo", "--output", str(tmp_path / "demo"), "--steps", "0", "--threads", "2"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert re.findall(r"^\[(\d+)/7\]", result.stderr, re.MULTILINE) == [str(index) for index in range(1, 8)]
    assert (tmp_path / "demo" / "hdf5" / "128_20" / "validation.0.hdf5").exists()
    assert not (tmp_path / "demo" / "run").exists() and "TensorBoard" not in result.stderr
