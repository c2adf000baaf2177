"""How `bertkit data create` and `bertkit data inspect` behave at the command line: --force,
--phase 2, --no-nsp, --whole-word-mask, outputs independent of --threads and fixed by --seed,
empty and one-document shards, overlong sentences, unknown words, a full disk, and inspect's
report and --check on good, corrupted, dense and foreign files."""
import json
import os
import subprocess
import sys
import time

import pytest

h5py = pytest.importorskip("h5py", reason="h5py is not installed (pip install -r tests/compat/requirements.txt)")
np = pytest.importorskip("numpy")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "compat"))
from test_pretraining_data_compat import check_invariants, corpus_documents, read_file, write_corpus  # noqa: E402


def run(bertkit, *args):
    return subprocess.run([bertkit, "data", *map(str, args)], capture_output=True, text=True)


def create(bertkit, *args):
    result = run(bertkit, "create", *args, "--quiet")
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def corpus(bertkit, tmp_path_factory):
    """A small corpus in three shards and a WordPiece vocabulary learned from it (small, so
    that many words are split into "##" pieces): (work directory, shard directory, vocab, ids
    of [CLS], [SEP], [MASK], [UNK], tokens)."""
    work = tmp_path_factory.mktemp("data")
    shards = work / "shards"
    shards.mkdir()
    documents = corpus_documents(count=24, seed=3)
    for index in range(3):
        write_corpus(shards / f"training.{index}.txt", documents[index::3])
    (shards / "manifest.json").write_text('{"not": "a shard"}\n')
    vocab = work / "vocab.txt"
    result = subprocess.run([bertkit, "vocab", "wordpiece", str(shards), "--output", str(vocab), "--vocab-size", "120",
                             "--quiet"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    tokens = vocab.read_text(encoding="utf-8").splitlines()
    return work, shards, str(vocab), tokens


def special_ids(tokens):
    return [tokens.index(token) for token in ("[CLS]", "[SEP]", "[MASK]")]


def check(arrays, tokens, **options):
    return check_invariants(arrays, len(tokens), *special_ids(tokens), **options)


def test_existing_outputs_are_kept_unless_force(bertkit, corpus, tmp_path):
    _, shards, vocab, _ = corpus
    output = tmp_path / "out"
    create(bertkit, shards, "--vocab", vocab, "--output", output)
    assert sorted(os.listdir(output)) == ["training.0.hdf5", "training.1.hdf5", "training.2.hdf5"]
    (output / "training.0.hdf5").unlink()
    (output / "training.2.hdf5").unlink()
    (output / "training.1.hdf5").write_bytes(b"keep me")
    result = run(bertkit, "create", shards, "--vocab", vocab, "--output", output, "--seed", 1)
    assert result.returncode != 0
    assert "training.1.hdf5: already exists (use --force" in result.stderr
    assert os.listdir(output) == ["training.1.hdf5"], "files were written before the refusal"
    assert (output / "training.1.hdf5").read_bytes() == b"keep me"
    create(bertkit, shards, "--vocab", vocab, "--output", output, "--seed", 1, "--force")
    assert read_file(output / "training.1.hdf5")[1]["seed"] == 1


def test_phase_2_is_512_tokens_and_80_predictions(bertkit, corpus, tmp_path):
    _, shards, vocab, tokens = corpus
    create(bertkit, shards / "training.0.txt", "--vocab", vocab, "--output", tmp_path, "--phase", 2)
    arrays, attributes = read_file(tmp_path / "training.0.hdf5")
    count = len(arrays["input_ids"])
    assert arrays["input_ids"].shape == (count, 512) and arrays["masked_lm_positions"].shape == (count, 80)
    assert attributes["max_seq_length"] == 512 and attributes["max_predictions_per_seq"] == 80
    check(arrays, tokens, masked_lm_prob=0.15)
    assert arrays["input_mask"].sum(axis=1).max() > 128  # documents fill more than phase 1's length
    result = run(bertkit, "create", shards, "--vocab", vocab, "--output", tmp_path / "x", "--phase", 3)
    assert result.returncode != 0 and "--phase" in result.stderr


def spans(documents, tokenizer):
    """Every run of whole consecutive sentences of each document, as id tuples, with the
    number of sentences in it."""
    runs = {}
    for sentences in documents:
        ids = [encoding.ids for encoding in tokenizer.encode_batch(sentences, add_special_tokens=False)]
        for start in range(len(ids)):
            for end in range(start + 1, len(ids) + 1):
                runs[tuple(token for sentence in ids[start:end] for token in sentence)] = end - start
    return runs


def restored(arrays, row):
    """Row `row`'s ids with each masked position holding its label, cut to its length."""
    ids = arrays["input_ids"][row].astype(np.int64)
    used = arrays["masked_lm_positions"][row] > 0
    ids[arrays["masked_lm_positions"][row][used]] = arrays["masked_lm_ids"][row][used]
    return ids[:int(arrays["input_mask"][row].sum())]


def test_no_nsp_gives_single_segments_of_whole_sentences(bertkit, corpus, tmp_path):
    tokenizers = pytest.importorskip("tokenizers")
    _, shards, vocab, tokens = corpus
    create(bertkit, shards / "training.2.txt", "--vocab", vocab, "--output", tmp_path, "--no-nsp")
    arrays, attributes = read_file(tmp_path / "training.2.hdf5")
    assert attributes["next_sentence_prediction"] == 0 and attributes["nsp_label_meaning"] == "none"
    check(arrays, tokens, masked_lm_prob=0.15, next_sentence_prediction=False)
    cls, sep, _ = special_ids(tokens)
    assert not arrays["segment_ids"].any() and not arrays["next_sentence_labels"].any()
    documents = corpus_documents(count=24, seed=3)[2::3]
    tokenizer = tokenizers.BertWordPieceTokenizer(vocab, lowercase=True)
    runs = spans(documents, tokenizer)
    sentences = [encoding.ids for sentences in documents
                 for encoding in tokenizer.encode_batch(sentences, add_special_tokens=False)]
    several = 0
    for row in range(len(arrays["input_ids"])):
        ids = restored(arrays, row)
        assert ids[0] == cls and ids[-1] == sep and sep not in ids[1:-1]
        body = tuple(int(token) for token in ids[1:-1])
        if body not in runs:  # only a lone sentence longer than the sequence may be cut
            assert len(ids) == 128 and any(tuple(sentence[:126]) == body for sentence in sentences), body
        else:
            several += runs[body] > 1
    assert several > len(arrays["input_ids"]) / 4, "too few instances of several sentences"


def test_whole_word_masking_masks_every_piece_of_a_word(bertkit, corpus, tmp_path):
    _, shards, vocab, tokens = corpus
    create(bertkit, shards, "--vocab", vocab, "--output", tmp_path, "--whole-word-mask", "--max-seq-length", 32,
           "--max-predictions-per-seq", 8, "--dupe-factor", 10)
    continues = np.array([token.startswith("##") for token in tokens])
    cls, sep, _ = special_ids(tokens)
    pieces = 0
    for name in sorted(os.listdir(tmp_path)):
        arrays, attributes = read_file(tmp_path / name)
        assert attributes["whole_word_mask"] == 1
        check(arrays, tokens)  # no masked_lm_prob: whole words may leave the budget short
        result = run(bertkit, "inspect", tmp_path / name, "--check", "--show", 0)
        assert result.returncode == 0, result.stdout + result.stderr
        for row in range(len(arrays["input_ids"])):
            ids = restored(arrays, row)
            used = arrays["masked_lm_positions"][row] > 0
            masked = set(arrays["masked_lm_positions"][row][used].tolist())
            assert 1 <= len(masked) <= max(1, round(len(ids) * 0.15))
            for position in masked:
                # The word around a masked piece: back to its first piece, on to its last.
                start = position
                while continues[ids[start]] and ids[start - 1] not in (cls, sep):
                    start -= 1
                end = position
                while end + 1 < len(ids) and continues[ids[end + 1]]:
                    end += 1
                assert set(range(start, end + 1)) <= masked, (row, position, ids.tolist(), sorted(masked))
                pieces += end > start
    assert pieces > 100, "too few multi-piece words were masked to test whole-word masking"


def same_datasets(first, second):
    (arrays, attributes), (other_arrays, other_attributes) = read_file(first), read_file(second)
    return (arrays.keys() == other_arrays.keys() and all((arrays[key] == other_arrays[key]).all() for key in arrays)
            and attributes == other_attributes)


def test_the_output_does_not_depend_on_threads_and_follows_the_seed(bertkit, corpus, tmp_path):
    _, shards, vocab, _ = corpus
    outputs = {}
    for name, options in (("one", ["--threads", 1]), ("two", ["--threads", 2]), ("again", ["--threads", 2]),
                          ("other", ["--threads", 2, "--seed", 54321])):
        if name == "again":
            time.sleep(1.1)  # HDF5 can stamp objects with times in seconds: a later run must not differ
        create(bertkit, shards, "--vocab", vocab, "--output", tmp_path / name, *options)
        outputs[name] = {file: (tmp_path / name / file).read_bytes() for file in sorted(os.listdir(tmp_path / name))}
    assert len(outputs["one"]) == 3
    for name in ("two", "again"):
        differing = [file for file in outputs["one"] if outputs[name][file] != outputs["one"][file]]
        same_data = all(same_datasets(tmp_path / "one" / file, tmp_path / name / file) for file in differing)
        assert not differing, f"--threads 1 and run '{name}' differ in {differing} (datasets and attributes " \
                              f"{'equal: only the bytes differ' if same_data else 'differ'})"
    assert outputs["other"].keys() == outputs["one"].keys()
    for file in outputs["one"]:
        assert outputs["other"][file] != outputs["one"][file]
    # A shard's file does not depend on which other shards are given either.
    create(bertkit, shards / "training.1.txt", "--vocab", vocab, "--output", tmp_path / "alone")
    assert (tmp_path / "alone" / "training.1.hdf5").read_bytes() == outputs["one"]["training.1.hdf5"]


def test_empty_and_one_document_shards_are_warned_about(bertkit, corpus, tmp_path):
    work, shards, vocab, tokens = corpus
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "training.0.txt").write_bytes((shards / "training.0.txt").read_bytes())
    (inputs / "training.1.txt").write_text("\n \n\t\n")
    (inputs / "training.2.txt").write_text("\n".join(corpus_documents(count=1, seed=5)[0]) + "\n")
    output = tmp_path / "out"
    result = run(bertkit, "create", inputs, "--vocab", vocab, "--output", output)
    assert result.returncode == 0, result.stderr
    assert "warning: " in result.stderr and "training.1.txt: no documents" in result.stderr
    assert "training.2.txt: one document" in result.stderr and "training.0.txt" not in result.stderr
    assert sorted(os.listdir(output)) == ["training.0.hdf5", "training.2.hdf5"]
    arrays, _ = read_file(output / "training.2.hdf5")
    check(arrays, tokens, masked_lm_prob=0.15)
    # NVIDIA's rule: a random next that can only be the same document is labelled actual-next.
    assert len(arrays["input_ids"]) > 0 and not arrays["next_sentence_labels"].any()
    result = run(bertkit, "create", inputs / "training.1.txt", "--vocab", vocab, "--output", tmp_path / "none")
    assert result.returncode != 0 and "error: " in result.stderr and "training.1.txt" in result.stderr
    assert not os.path.exists(tmp_path / "none") or os.listdir(tmp_path / "none") == []


def test_overlong_sentences_and_unknown_words(bertkit, corpus, tmp_path):
    _, _, vocab, tokens = corpus
    documents = corpus_documents(count=6, seed=9)
    documents[2].insert(1, " ".join(["harbor and music"] * 150) + ".")  # 450 words, far over 64 tokens
    documents[4][0] = "Snowman ☃ and 東京 are unknown here ☃."
    write_corpus(tmp_path / "shard.txt", documents)
    result = run(bertkit, "create", tmp_path / "shard.txt", "--vocab", vocab, "--output", tmp_path / "out",
                 "--max-seq-length", 64, "--max-predictions-per-seq", 10)
    assert result.returncode == 0, result.stderr
    assert "[UNK]" in result.stderr  # the summary gives the share of unknown tokens
    arrays, _ = read_file(tmp_path / "out" / "shard.hdf5")
    check(arrays, tokens, masked_lm_prob=0.15)
    unknown = tokens.index("[UNK]")
    rows = [restored(arrays, row) for row in range(len(arrays["input_ids"]))]
    assert any(unknown in ids for ids in rows), "the unknown words did not become [UNK]"
    harbor = [tokens.index(piece) for piece in ("harbor",) if piece in tokens]
    long_rows = sum(len(ids) == 64 and (not harbor or (ids == harbor[0]).sum() > 10) for ids in rows)
    assert long_rows > 0 and max(len(ids) for ids in rows) <= 64


def test_a_full_disk_is_an_error_that_leaves_no_file(bertkit, corpus, tmp_path):
    _, _, vocab, _ = corpus
    write_corpus(tmp_path / "big.txt", corpus_documents(count=200, seed=1))
    output = tmp_path / "out"
    output.mkdir()
    command = [bertkit, "data", "create", str(tmp_path / "big.txt"), "--vocab", vocab, "--output", str(output),
               "--dupe-factor", "10", "--quiet"]
    result = subprocess.run(["bash", "-c", 'ulimit -f 64; exec "$@"', "bash", *command], capture_output=True, text=True)
    killed = f"killed by signal {-result.returncode}" if result.returncode < 0 else f"exit status {result.returncode}"
    assert result.returncode > 0, f"{killed} (SIGXFSZ is 25): {result.stderr}; left: {os.listdir(output)}"
    assert "error: " in result.stderr and f"{output / 'big.hdf5'}: " in result.stderr, result.stderr
    assert os.listdir(output) == [], "a partial or temporary file was left behind"
    # The same run without the limit writes more than the limit allowed.
    subprocess.run(command, check=True)
    assert os.path.getsize(output / "big.hdf5") > 64 * 1024


@pytest.fixture(scope="module")
def good_file(bertkit, corpus):
    work, shards, vocab, _ = corpus
    create(bertkit, shards / "training.0.txt", "--vocab", vocab, "--output", work / "inspect")
    return work / "inspect" / "training.0.hdf5"


def test_inspect_reports_layout_and_counts(bertkit, corpus, good_file):
    _, _, vocab, _ = corpus
    arrays, _ = read_file(good_file)
    count = len(arrays["input_ids"])
    result = run(bertkit, "inspect", good_file, "--show", 2)
    assert result.returncode == 0, result.stderr
    assert "layout: nvidia" in result.stdout
    assert f"instances: {count}, sequence length 128, up to 20 predictions" in result.stdout
    mean = arrays["input_mask"].sum() / count
    assert f"mean length: {mean:.1f} tokens" in result.stdout
    assert "[MASK]" in result.stdout and "invariants: all hold" in result.stdout
    result = run(bertkit, "inspect", good_file, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["instances"] == count and report["layout"] == "nvidia" and report["violations"] == 0
    assert report["total_predictions"] == int((arrays["masked_lm_positions"] > 0).sum())
    assert report["nsp_ones"] == int(arrays["next_sentence_labels"].sum())
    result = run(bertkit, "inspect", good_file, "--check", "--vocab", vocab)
    assert result.returncode == 0, result.stdout + result.stderr


def corrupt(source, target, change):
    target.write_bytes(source.read_bytes())
    with h5py.File(target, "r+") as file:
        change(file)
    return target


def test_inspect_check_names_what_is_wrong(bertkit, corpus, good_file, tmp_path):
    _, _, _, tokens = corpus
    arrays, _ = read_file(good_file)
    row = int(np.argmax((arrays["masked_lm_positions"] > 0).sum(axis=1)))  # a row with several predictions
    assert (arrays["masked_lm_positions"][row] > 0).sum() >= 3

    def unsorted(file):
        positions = file["masked_lm_positions"][row]
        positions[[0, 1]] = positions[[1, 0]]
        file["masked_lm_positions"][row] = positions

    def on_cls(file):
        positions = file["masked_lm_positions"][row]
        positions[1] = 0  # position 0 is [CLS]; a zero before used slots
        file["masked_lm_positions"][row] = positions

    def on_separator(file):
        length = int(file["input_mask"][row].sum())
        positions = file["masked_lm_positions"][row]
        count = int((positions > 0).sum())
        positions[count - 1] = length - 1
        file["masked_lm_positions"][row] = positions

    def outside(file):
        ids = file["input_ids"][row]
        ids[3] = len(tokens) + 5
        file["input_ids"][row] = ids

    def label(file):
        file["next_sentence_labels"][row] = 2

    for name, change, message in (("unsorted", unsorted, "ascending"), ("cls", on_cls, "slot"),
                                  ("separator", on_separator, "[SEP]"), ("outside", outside, "outside the vocabulary"),
                                  ("label", label, "next-sentence label")):
        path = corrupt(good_file, tmp_path / f"{name}.hdf5", change)
        result = run(bertkit, "inspect", path, "--check", "--show", 0)
        assert result.returncode != 0, f"{name}: {result.stdout}"
        assert f"instance {row}" in result.stderr and message in result.stderr, f"{name}: {result.stderr}"
        assert f"{name}.hdf5" in result.stderr
        assert run(bertkit, "inspect", path, "--show", 0).returncode == 0  # without --check it only reports


def test_inspect_reads_the_dense_layout(bertkit, shared_data):
    path = os.path.join(shared_data, "hdf5", "hetu-example_data_for_bert.hdf5")
    result = run(bertkit, "inspect", path, "--show", 0)
    assert result.returncode == 0, result.stderr
    assert "layout: dense" in result.stdout
    assert "instances: 2048, sequence length 512" in result.stdout


def test_inspect_refuses_other_files_listing_the_expected_keys(bertkit, tmp_path):
    path = tmp_path / "other.hdf5"
    with h5py.File(path, "w") as file:
        file.create_dataset("tokens", data=np.zeros((4, 8), dtype=np.int32))
        file.create_dataset("labels", data=np.zeros(4, dtype=np.int8))
    result = run(bertkit, "inspect", path)
    assert result.returncode != 0 and "other.hdf5" in result.stderr
    for key in ("input_ids", "input_mask", "segment_ids", "masked_lm_positions", "masked_lm_ids",
                "next_sentence_labels", "attention_mask", "token_type_ids", "masked_lm_labels"):
        assert key in result.stderr, key
    (tmp_path / "text.hdf5").write_text("not hdf5\n")
    result = run(bertkit, "inspect", tmp_path / "text.hdf5")
    assert result.returncode != 0 and "text.hdf5" in result.stderr
