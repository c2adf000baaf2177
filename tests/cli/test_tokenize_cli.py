"""How `bertkit tokenize` behaves at the command line: inputs, formats, errors, warnings."""
import subprocess

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", ",", "!", "cafe", "café", "##s"]


def vocab_file(tmp_path, tokens=VOCAB):
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(tokens) + "\n", encoding="utf-8")
    return str(path)


def run(bertkit, *args, stdin=b""):
    return subprocess.run([bertkit, "tokenize", *args], input=stdin, capture_output=True)


def test_reads_standard_input_and_writes_ids(bertkit, tmp_path):
    result = run(bertkit, "--vocab", vocab_file(tmp_path), stdin="Hello, world!\n\nCafés\n".encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"5 7 6 8\n\n9 11\n"
    assert b"tokenized 3 lines into 6 tokens" in result.stderr


def test_tokens_offsets_and_cased(bertkit, tmp_path):
    vocab = vocab_file(tmp_path)
    result = run(bertkit, "--vocab", vocab, "--tokens", "--offsets", "--quiet", stdin="Café hello".encode())
    assert result.stdout == "cafe hello\t0:4 5:10\n".encode() and result.stderr == b""
    result = run(bertkit, "--vocab", vocab, "--tokens", "--cased", "--quiet", stdin="Café café".encode())
    assert result.stdout == "[UNK] café\n".encode()


def test_files_are_read_in_order_whatever_the_threads(bertkit, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("hello\n" * 5000)
    second.write_text("world!\n" * 5000)
    result = run(bertkit, "--vocab", vocab_file(tmp_path), "--threads", "3", "--quiet", str(first), str(second))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"5\n" * 5000 + b"6 8\n" * 5000


def test_invalid_utf8_is_replaced_with_a_warning(bertkit, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"hello\xff world\n\xc3\n")
    result = run(bertkit, "--vocab", vocab_file(tmp_path), "--quiet", str(path))
    assert result.returncode == 0
    assert result.stdout == b"5 6\n\n"
    assert b"warning:" in result.stderr and b"bad.txt: 2 invalid UTF-8" in result.stderr


def test_vocabulary_errors_name_the_file_and_line(bertkit, tmp_path):
    result = run(bertkit, "--vocab", vocab_file(tmp_path, VOCAB + ["hello"]))
    assert result.returncode != 0
    assert b"vocab.txt: line 13: duplicate token 'hello' (first on line 6)" in result.stderr
    result = run(bertkit, "--vocab", vocab_file(tmp_path, [token for token in VOCAB if token != "[UNK]"]))
    assert result.returncode != 0 and b"no [UNK] token" in result.stderr
    result = run(bertkit, "--vocab", str(tmp_path / "absent.txt"))
    assert result.returncode != 0 and b"absent.txt" in result.stderr


def test_missing_input_is_an_error(bertkit, tmp_path):
    result = run(bertkit, "--vocab", vocab_file(tmp_path), str(tmp_path / "absent.txt"))
    assert result.returncode != 0
    assert b"error:" in result.stderr and b"absent.txt: no such file" in result.stderr


def test_threads_must_be_positive(bertkit, tmp_path):
    result = run(bertkit, "--vocab", vocab_file(tmp_path), "--threads", "0")
    assert result.returncode != 0 and b"--threads" in result.stderr
