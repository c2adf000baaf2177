"""How `bertkit vocab wordpiece` and `bertkit vocab mlm` behave at the command line: outputs
that load, input formats and directories, --force, and errors that name their files."""
import collections
import json
import subprocess

import pytest

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
TEXT = ("The quick brown fox jumps over the lazy dog.\nThe dog sleeps; the fox runs quickly!\n\n"
        "Foxes and dogs are not friends, said the quick brown fox.\n") * 20


def run(bertkit, *args):
    return subprocess.run([bertkit, "vocab", *args], capture_output=True)


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def lines(path):
    with open(path, encoding="utf-8") as file:
        return file.read().split("\n")[:-1]


def test_wordpiece_vocabulary_starts_with_the_special_tokens_and_tokenizes(bertkit, tmp_path):
    corpus = write(tmp_path / "corpus.txt", TEXT)
    output = tmp_path / "vocab.txt"
    result = run(bertkit, "wordpiece", corpus, "--output", str(output), "--vocab-size", "80")
    assert result.returncode == 0, result.stderr
    assert b"learned 80 tokens" in result.stderr
    tokens = lines(output)
    assert tokens[:5] == SPECIALS and len(tokens) == 80 and len(set(tokens)) == 80
    assert "t" in tokens and "##t" in tokens and "." in tokens and "##." not in tokens
    tokenized = subprocess.run([bertkit, "tokenize", "--vocab", str(output), "--tokens", "--quiet"],
                               input=b"The quick fox.", capture_output=True)
    assert tokenized.returncode == 0, tokenized.stderr
    assert b"[UNK]" not in tokenized.stdout


def test_wordpiece_vocabulary_loads_in_tokenizers(bertkit, tmp_path):
    tokenizers = pytest.importorskip("tokenizers")
    output = tmp_path / "vocab.txt"
    result = run(bertkit, "wordpiece", write(tmp_path / "corpus.txt", TEXT), "--output", str(output),
                 "--vocab-size", "100", "--quiet")
    assert result.returncode == 0 and result.stderr == b""
    encoding = tokenizers.BertWordPieceTokenizer(str(output)).encode("The lazy dog!")
    assert encoding.tokens[0] == "[CLS]" and encoding.tokens[-1] == "[SEP]" and "[UNK]" not in encoding.tokens


def test_unused_rows_and_padding_to_a_multiple_of_8(bertkit, tmp_path):
    output = tmp_path / "vocab.txt"
    result = run(bertkit, "wordpiece", write(tmp_path / "corpus.txt", TEXT), "--output", str(output),
                 "--vocab-size", "77", "--unused", "3", "--pad-to-multiple-of", "8", "--quiet")
    assert result.returncode == 0, result.stderr
    tokens = lines(output)
    assert tokens[:8] == SPECIALS + ["[unused0]", "[unused1]", "[unused2]"]
    assert len(tokens) == 80 and tokens[77:] == ["[unused3]", "[unused4]", "[unused5]"]


def test_cased_keeps_capitals(bertkit, tmp_path):
    output = tmp_path / "vocab.txt"
    result = run(bertkit, "wordpiece", write(tmp_path / "corpus.txt", TEXT), "--output", str(output), "--cased", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "T" in lines(output)


def test_the_same_vocabulary_whatever_the_threads_and_input_format(bertkit, tmp_path):
    text = "".join(f"word{i % 211} and more{i % 17} text, café {i % 5}\n" for i in range(20000))
    corpus = write(tmp_path / "corpus.txt", text)
    documents = tmp_path / "docs.jsonl"
    documents.write_text("".join(json.dumps({"id": str(i), "text": line}) + "\n"
                                 for i, line in enumerate(text.splitlines())), encoding="utf-8")
    outputs = []
    for name, extra in (("one", ["--threads", "1"]), ("three", ["--threads", "3"]),
                        ("jsonl", ["--input-format", "jsonl", str(documents)])):
        output = tmp_path / f"{name}.txt"
        inputs = [] if name == "jsonl" else [corpus]
        result = run(bertkit, "wordpiece", *inputs, "--output", str(output), "--vocab-size", "500", "--quiet", *extra)
        assert result.returncode == 0, result.stderr
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_shard_directories_are_read_without_their_manifest(bertkit, tmp_path):
    shards = tmp_path / "shards"
    shards.mkdir()
    write(shards / "training.0.txt", TEXT)
    write(shards / "training.1.txt", TEXT)
    write(shards / "manifest.json", '{"shards": "ÿþ are not words"}')
    output = tmp_path / "vocab.txt"
    result = run(bertkit, "wordpiece", str(shards), "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "ÿ" not in lines(output) and "{" not in lines(output)
    result = run(bertkit, "mlm", str(shards), "--output", str(tmp_path / "mlm.txt"))
    assert result.returncode == 0, result.stderr
    assert lines(tmp_path / "mlm.txt") == reference_mlm_vocabulary(TEXT * 2, 100000)


def test_invalid_utf8_is_replaced_with_a_warning(bertkit, tmp_path):
    corpus = tmp_path / "bad.txt"
    corpus.write_bytes(TEXT.encode() + b"fox\xff dog \xc3\n")
    result = run(bertkit, "wordpiece", str(corpus), "--output", str(tmp_path / "vocab.txt"))
    assert result.returncode == 0, result.stderr
    assert b"warning: " in result.stderr and b"bad.txt: 2 invalid UTF-8" in result.stderr
    result = run(bertkit, "mlm", str(corpus), "--output", str(tmp_path / "mlm.txt"))
    assert result.returncode == 0, result.stderr
    assert b"bad.txt: 2 invalid UTF-8" in result.stderr
    assert "1 fox\ufffd" in lines(tmp_path / "mlm.txt")


def test_a_10_mb_word_is_left_out_with_a_warning(bertkit, tmp_path):
    corpus = tmp_path / "long.txt"
    corpus.write_bytes(TEXT.encode() + b"x" * 10_000_000 + b"\n" + TEXT.encode())
    output = tmp_path / "vocab.txt"
    result = run(bertkit, "wordpiece", str(corpus), "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert b"left out 1 word(s) longer than 100 characters" in result.stderr
    assert max(len(token) for token in lines(output)) < 100


def test_existing_output_is_kept_unless_force(bertkit, tmp_path):
    corpus = write(tmp_path / "corpus.txt", TEXT)
    for command in ("wordpiece", "mlm"):
        output = tmp_path / f"{command}.txt"
        output.write_text("keep me\n")
        result = run(bertkit, command, corpus, "--output", str(output))
        assert result.returncode != 0
        assert f"{command}.txt: already exists (use --force".encode() in result.stderr
        assert output.read_text() == "keep me\n"
        result = run(bertkit, command, corpus, "--output", str(output), "--force", "--quiet")
        assert result.returncode == 0, result.stderr
        assert output.read_text() != "keep me\n"


def test_missing_and_empty_inputs_are_errors_naming_the_file(bertkit, tmp_path):
    empty = write(tmp_path / "empty.txt", "\n  \n")
    for command in ("wordpiece", "mlm"):
        output = tmp_path / "out.txt"
        result = run(bertkit, command, str(tmp_path / "absent.txt"), "--output", str(output))
        assert result.returncode != 0 and b"error: " in result.stderr and b"absent.txt: no such file" in result.stderr
        result = run(bertkit, command, empty, "--output", str(output))
        assert result.returncode != 0 and b"empty.txt: no " in result.stderr
        assert not output.exists()
        empty_directory = tmp_path / "nothing"
        empty_directory.mkdir(exist_ok=True)
        result = run(bertkit, command, str(empty_directory), "--output", str(output))
        assert result.returncode != 0 and b"nothing: is an empty directory" in result.stderr


def test_wordpiece_option_errors(bertkit, tmp_path):
    corpus = write(tmp_path / "corpus.txt", TEXT)
    output = str(tmp_path / "vocab.txt")
    result = run(bertkit, "wordpiece", corpus, "--output", output, "--vocab-size", "10")
    assert result.returncode != 0 and b"cannot hold" in result.stderr
    for flag in ("--vocab-size", "--threads", "--pad-to-multiple-of"):
        result = run(bertkit, "wordpiece", corpus, "--output", output, flag, "0")
        assert result.returncode != 0 and flag.encode() in result.stderr
    documents = write(tmp_path / "docs.jsonl", '{"text": "fine"}\nnot json\n')
    result = run(bertkit, "wordpiece", documents, "--input-format", "jsonl", "--output", output)
    assert result.returncode != 0 and b"docs.jsonl: line 2" in result.stderr


def reference_mlm_vocabulary(text, size):
    """CharacterBERT's build_mlm_vocabulary.py, in memory."""
    counter = collections.Counter()
    for line in text.splitlines():
        line = line.strip()
        if line:
            counter.update(line.split())
    return [f"{count} {token}" for token, count in counter.most_common()[:size]]


def test_mlm_vocabulary_is_the_reference_scripts(bertkit, tmp_path):
    words = ["the", "a", "fox", "dog", "ran", ",", ".", "café", "東京", "x\u200by"]
    text = "".join(" ".join(words[(i * 7 + j * 3) % len(words)] for j in range(i % 9 + 1))
                   + ("\n\n" if i % 5 == 0 else "\u3000\n") for i in range(3000))
    corpus = write(tmp_path / "formatted.txt", text)
    for size in (1, 4, 100):
        output = tmp_path / f"mlm{size}.txt"
        result = run(bertkit, "mlm", corpus, "--output", str(output), "--max-vocabulary-size", str(size), "--threads", "2")
        assert result.returncode == 0, result.stderr
        assert lines(output) == reference_mlm_vocabulary(text, size)
    assert b"kept 10 of 10 distinct tokens" in result.stderr


def test_mlm_option_errors(bertkit, tmp_path):
    corpus = write(tmp_path / "corpus.txt", TEXT)
    result = run(bertkit, "mlm", corpus, "--output", str(tmp_path / "mlm.txt"), "--max-vocabulary-size", "0")
    assert result.returncode != 0 and b"--max-vocabulary-size" in result.stderr
