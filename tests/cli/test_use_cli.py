"""Using a trained model at the command line: `bertkit fill-mask`, `bertkit evaluate` and
`bertkit embed` on a tiny BERT pre-trained on the demo's data, read from a checkpoint, a run
directory or its Hugging Face export; their output shapes, their agreement with the
model's raw logits and with pre-training's validation, and their errors.

The model is made once per module; every command runs with --threads 2, the run's."""
import json
import re
import subprocess
from types import SimpleNamespace

import pytest

np = pytest.importorskip("numpy", reason="numpy is not installed (pip install -r tests/compat/requirements.txt)")

THREADS = ["--threads", "2"]
SENTENCE = "The eruption of the volcano buried [MASK] town under ash."


def bertkit_run(bertkit, *arguments):
    return subprocess.run([bertkit, *map(str, arguments)], capture_output=True, text=True)


def ok(bertkit, *arguments):
    result = bertkit_run(bertkit, *arguments)
    assert result.returncode == 0, result.stderr
    return result


def error_line(result):
    assert result.returncode == 1, result.stderr
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def model(bertkit, tmp_path_factory):
    """The demo's data; a 20-step tiny BERT run validated at steps 10 and 20 in batches of 8;
    its export to Hugging Face's format."""
    work = tmp_path_factory.mktemp("use")
    ok(bertkit, "demo", "--output", work / "demo", "--steps", 0, *THREADS)
    data = work / "demo" / "hdf5" / "128_20"
    run_dir = work / "run"
    ok(bertkit, "pretrain", "--model", "tiny", "--data", data, "--validation-data", data, "--run-dir", run_dir,
       "--target-batch-size", 8, "--accumulation-steps", 1, "--learning-rate", "1e-2", "--max-steps", 20,
       "--checkpoint-interval", 10, "--quiet", *THREADS)
    ok(bertkit, "export", "hf", run_dir, "--output", work / "hf", "--quiet")
    return SimpleNamespace(work=work, data=data, run_dir=run_dir, checkpoint=run_dir / "checkpoints" / "step_20",
                           hf=work / "hf", vocab=(work / "demo" / "vocab.txt").read_text().splitlines())


def fill_mask_json(bertkit, model_path, *arguments):
    result = ok(bertkit, "fill-mask", model_path, *arguments, "--json", *THREADS)
    return [json.loads(line) for line in result.stdout.splitlines()]


# fill-mask

def test_fill_mask_prints_a_block_of_k_tokens_per_mask(bertkit, model):
    stdout = ok(bertkit, "fill-mask", model.run_dir, SENTENCE, *THREADS).stdout
    lines = stdout.split("\n")
    assert lines[0] == f"argument 1, [MASK] 1 of 1: {SENTENCE}"
    rows = [line.split() for line in lines[1:6]]
    assert all(len(row) == 2 and lines[1 + index].startswith("  ") for index, row in enumerate(rows))
    scores = [float(score) for _, score in rows]
    assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1
    assert all(token in model.vocab for token, _ in rows)
    assert lines[6:] == ["", ""]
    three = ok(bertkit, "fill-mask", model.run_dir, SENTENCE, "--top-k", 3, *THREADS).stdout.split("\n")
    assert three[0] == lines[0] and [line.split() for line in three[1:4]] == rows[:3] and three[4:] == ["", ""]


def test_fill_mask_json_holds_an_array_of_candidates_per_mask(bertkit, model):
    two_masks = "The [MASK] of the volcano buried the [MASK] under ash."
    results = fill_mask_json(bertkit, model.run_dir, SENTENCE, two_masks, "--top-k", 4)
    assert [len(masks) for masks in results] == [1, 2]
    for masks in results:
        for candidates in masks:
            assert len(candidates) == 4
            assert all(set(candidate) == {"token", "id", "score"} for candidate in candidates)
            assert all(model.vocab[candidate["id"]] == candidate["token"] for candidate in candidates)
            scores = [candidate["score"] for candidate in candidates]
            assert scores == sorted(scores, reverse=True) and 0 < sum(scores) <= 1
    text = ok(bertkit, "fill-mask", model.run_dir, two_masks, *THREADS).stdout
    assert [line for line in text.splitlines() if line.startswith("argument")] == [
        f"argument 1, [MASK] 1 of 2: {two_masks}", f"argument 1, [MASK] 2 of 2: {two_masks}"]


def test_fill_mask_scores_are_the_softmax_of_the_models_logits(bertkit, model, tmp_path):
    """The MLM head at the [MASK] slot against `bertkit logits` (every position) on the ids of
    [CLS] sentence [SEP] made with `bertkit tokenize`."""
    before, after = SENTENCE.split("[MASK]")
    ids = []
    for text in (before, after):
        (tmp_path / "text.txt").write_text(text + "\n")
        ids.append([int(i) for i in ok(bertkit, "tokenize", "--vocab", model.checkpoint / "vocab.txt",
                                      tmp_path / "text.txt").stdout.split()])
    vocab = model.vocab
    sequence = [vocab.index("[CLS]")] + ids[0] + [vocab.index("[MASK]")] + ids[1] + [vocab.index("[SEP]")]
    (tmp_path / "input.json").write_text(json.dumps({"input_ids": [sequence]}))
    logits = json.loads(ok(bertkit, "logits", model.checkpoint, "--input", tmp_path / "input.json", *THREADS).stdout)
    row = np.array(logits["mlm_logits"][0][1 + len(ids[0])], dtype=np.float64)
    probabilities = np.exp(row - row.max()) / np.exp(row - row.max()).sum()
    candidates = fill_mask_json(bertkit, model.checkpoint, SENTENCE, "--top-k", 5)[0][0]
    assert [candidate["id"] for candidate in candidates] == list(np.argsort(-probabilities, kind="stable")[:5])
    assert np.allclose([candidate["score"] for candidate in candidates], np.sort(probabilities)[::-1][:5], atol=1e-6)


def test_a_checkpoint_its_run_directory_and_its_export_give_the_same_scores(bertkit, model):
    results = [fill_mask_json(bertkit, path, SENTENCE, "--top-k", 10)
               for path in (model.checkpoint, model.run_dir, model.hf)]
    assert results[0] == results[1]
    ids = [[candidate["id"] for candidate in result[0][0]] for result in results]
    assert ids[0] == ids[2]
    assert np.allclose([c["score"] for c in results[0][0][0]], [c["score"] for c in results[2][0][0]], atol=1e-6)


def test_sentences_from_arguments_and_a_file_run_in_one_batch_as_they_would_alone(bertkit, model, tmp_path):
    others = ["[MASK] volcano is an opening in the crust.", "Lava flows [MASK] the slopes of the mountain and cools."]
    (tmp_path / "sentences.txt").write_text("\n".join(others) + "\n")
    together = fill_mask_json(bertkit, model.run_dir, SENTENCE, "--input", tmp_path / "sentences.txt")
    assert len(together) == 3
    for sentence, result in zip([SENTENCE] + others, together):
        alone = fill_mask_json(bertkit, model.run_dir, sentence)[0]
        assert [c["id"] for c in alone[0]] == [c["id"] for c in result[0]]
        assert np.allclose([c["score"] for c in alone[0]], [c["score"] for c in result[0]], atol=1e-5)


def test_fill_mask_errors(bertkit, model, tmp_path):
    assert error_line(bertkit_run(bertkit, "fill-mask", model.run_dir, SENTENCE, "no mask here")) == \
        "error: argument 2: has no [MASK]: write [MASK] where a token is to be predicted"
    (tmp_path / "sentences.txt").write_text(f"{SENTENCE}\nNo mask on this line.\n")
    assert error_line(bertkit_run(bertkit, "fill-mask", model.run_dir, "--input", tmp_path / "sentences.txt")) == \
        f"error: {tmp_path / 'sentences.txt'}: line 2: has no [MASK]: write [MASK] where a token is to be predicted"
    missing = tmp_path / "no-model"
    assert error_line(bertkit_run(bertkit, "fill-mask", missing, SENTENCE)) == \
        f"error: {missing}: no such model: expected a checkpoint, a run directory or a Hugging Face model directory"
    long = " ".join(["word"] * 600) + " [MASK]"
    assert error_line(bertkit_run(bertkit, "fill-mask", model.hf, long)) == \
        "error: argument 1: is 603 tokens long with [CLS] and [SEP], more than the model's 512 positions"
    result = bertkit_run(bertkit, "fill-mask", model.run_dir)
    assert result.returncode != 0 and "give sentences with [MASK], or --input FILE" in result.stderr


# evaluate

def evaluate(bertkit, model_path, data, *arguments):
    stdout = ok(bertkit, "evaluate", model_path, data, *arguments, *THREADS).stdout
    lines = stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("evaluate "), stdout
    return dict(field.split("=", 1) for field in lines[0].split(" ")[1:])


def validation_lines(run_dir):
    found = {}
    for line in (run_dir / "log.txt").read_text().splitlines():
        match = re.match(r"^validation step (\d+) (.*)$", line)
        if match:
            found[int(match.group(1))] = dict(field.split("=", 1) for field in match.group(2).split(" "))
    return found


def test_evaluate_gives_the_numbers_of_the_runs_validation(bertkit, model):
    logged = validation_lines(model.run_dir)
    assert sorted(logged) == [10, 20]
    for step, path in ((10, model.run_dir / "checkpoints" / "step_10"), (20, model.run_dir), (20, model.hf)):
        fields = evaluate(bertkit, path, model.data, "--batch-size", 8)
        for key in ("mlm_loss", "mlm_accuracy", "nsp_loss", "nsp_accuracy"):
            assert float(fields[key]) == pytest.approx(float(logged[step][key]), abs=1e-6), (step, path, key)
        assert fields["sequences"] == logged[step]["sequences"] and fields["files"] == "2"
        assert int(fields["masked_tokens"]) > int(fields["sequences"])


def test_evaluate_of_each_file_adds_up_to_the_directory(bertkit, model):
    whole = evaluate(bertkit, model.run_dir, model.data)
    parts = [evaluate(bertkit, model.run_dir, model.data / f"validation.{i}.hdf5") for i in (0, 1)]
    assert all(part["files"] == "1" for part in parts)
    for key in ("sequences", "masked_tokens"):
        assert sum(int(part[key]) for part in parts) == int(whole[key])
    weighted = sum(float(part["mlm_loss"]) * int(part["masked_tokens"]) for part in parts) / int(whole["masked_tokens"])
    assert weighted == pytest.approx(float(whole["mlm_loss"]), abs=1e-5)
    training = evaluate(bertkit, model.run_dir, model.data, "--split", "training", "--batch-size", 64)
    assert training["files"] == "8"
    epoch = re.search(r"(\d+) sequences per epoch", (model.run_dir / "log.txt").read_text()).group(1)
    assert training["sequences"] == epoch


def test_evaluate_errors(bertkit, model, tmp_path):
    missing = tmp_path / "no-data"
    assert error_line(bertkit_run(bertkit, "evaluate", model.run_dir, missing)) == \
        f"error: {missing}: no such directory: expected a directory of HDF5 pre-training files " \
        "(what `bertkit data create` writes)"
    assert error_line(bertkit_run(bertkit, "evaluate", tmp_path / "no-model", model.data)) == \
        f"error: {tmp_path / 'no-model'}: no such model: expected a checkpoint, a run directory or a Hugging Face " \
        "model directory"


# embed

def test_embed_writes_json_lines_and_npy_of_one_vector_per_line(bertkit, model, tmp_path):
    lines = ["A volcano is an opening in the crust.", "Bees make honey.", "",
             "A volcano is an opening in the crust.", "Sourdough bread rises slowly because of wild yeast."]
    (tmp_path / "input.txt").write_text("\n".join(lines) + "\n")
    stdout = ok(bertkit, "embed", model.run_dir, "--input", tmp_path / "input.txt", *THREADS).stdout
    vectors = np.array([json.loads(line) for line in stdout.splitlines()], dtype=np.float32)
    assert vectors.shape == (5, 128)
    ok(bertkit, "embed", model.run_dir, "--input", tmp_path / "input.txt", "--output", tmp_path / "mean.npy", *THREADS)
    array = np.load(tmp_path / "mean.npy")
    assert array.dtype == np.float32 and array.shape == (5, 128)
    assert np.array_equal(array, vectors)
    # The same line gives the same vector wherever it stands in the batch.
    assert np.allclose(array[0], array[3], atol=1e-5)
    assert not np.allclose(array[0], array[1], atol=1e-3)
    ok(bertkit, "embed", model.hf, "--input", tmp_path / "input.txt", "--pooling", "cls", "--output",
       tmp_path / "cls.jsonl", "--batch-size", 2, *THREADS)
    cls = np.array([json.loads(line) for line in (tmp_path / "cls.jsonl").read_text().splitlines()], dtype=np.float32)
    assert cls.shape == (5, 128)
    assert not np.allclose(cls, array, atol=1e-3)
    assert np.allclose(cls[0], cls[3], atol=1e-5)
    ok(bertkit, "embed", model.checkpoint, "--input", tmp_path / "input.txt", "--pooling", "cls", "--output",
       tmp_path / "cls.npy", *THREADS)
    assert np.allclose(np.load(tmp_path / "cls.npy"), cls, atol=1e-5)


def test_embed_errors(bertkit, model, tmp_path):
    (tmp_path / "input.txt").write_text("Bees make honey.\n")
    (tmp_path / "out.npy").write_bytes(b"keep")
    assert error_line(bertkit_run(bertkit, "embed", model.run_dir, "--input", tmp_path / "input.txt",
                                  "--output", tmp_path / "out.npy")) == \
        f"error: {tmp_path / 'out.npy'}: already exists (use --force to overwrite it)"
    assert (tmp_path / "out.npy").read_bytes() == b"keep"
    assert error_line(bertkit_run(bertkit, "embed", model.run_dir, "--input", tmp_path / "missing.txt")).startswith(
        f"error: {tmp_path / 'missing.txt'}: ")
