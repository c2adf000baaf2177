"""How `bertkit corpus train-punkt` and `format` behave at the command line."""
import json
import subprocess


def run(bertkit, *args):
    return subprocess.run([bertkit, "corpus", *args], capture_output=True, text=True)


def write_jsonl(path, texts):
    path.write_text("".join(json.dumps({"id": str(i), "text": text}) + "\n" for i, text in enumerate(texts)))


def test_train_then_split(bertkit, tmp_path):
    write_jsonl(tmp_path / "docs.jsonl", ["Dr. Brown came. He sat down.", "It rained. We left at noon."])
    result = run(bertkit, "train-punkt", str(tmp_path / "docs.jsonl"), "--output", str(tmp_path / "p.json"))
    assert result.returncode == 0, result.stderr
    assert "trained Punkt on 2 documents" in result.stderr
    assert json.loads((tmp_path / "p.json").read_text())["format"] == "bertkit-punkt-parameters"
    result = run(bertkit, "format", str(tmp_path / "docs.jsonl"), "--punkt", str(tmp_path / "p.json"),
                 "--output", str(tmp_path / "s.txt"), "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "s.txt").read_text() == "Dr.\nBrown came.\nHe sat down.\n\nIt rained.\nWe left at noon.\n\n"


def test_lines_and_blocks_formats(bertkit, tmp_path):
    (tmp_path / "docs.txt").write_text("One. Two.\nThree here.\n\nFour.\n")
    run(bertkit, "train-punkt", str(tmp_path / "docs.txt"), "--input-format", "lines", "--output", str(tmp_path / "p.json"))
    for input_format, expected in (("lines", "One.\nTwo.\n\nThree here.\n\nFour.\n\n"),
                                   ("blocks", "One.\nTwo.\nThree here.\n\nFour.\n\n")):
        result = run(bertkit, "format", str(tmp_path / "docs.txt"), "--input-format", input_format,
                     "--punkt", str(tmp_path / "p.json"), "--output", str(tmp_path / "s.txt"), "--force")
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "s.txt").read_text() == expected


def test_max_bytes_takes_whole_documents(bertkit, tmp_path):
    write_jsonl(tmp_path / "docs.jsonl", ["a" * 100 + ".", "b" * 100 + ".", "c" * 100 + "."])
    result = run(bertkit, "train-punkt", str(tmp_path / "docs.jsonl"), "--output", str(tmp_path / "p.json"),
                 "--max-bytes", "250")
    assert result.returncode == 0, result.stderr
    assert "on 2 documents" in result.stderr and "stopped at --max-bytes" in result.stderr
    result = run(bertkit, "train-punkt", str(tmp_path / "docs.jsonl"), "--output", str(tmp_path / "q.json"),
                 "--max-bytes", "50")
    assert result.returncode != 0 and "more than the limit of 50" in result.stderr
    assert not (tmp_path / "q.json").exists()


def test_errors_name_the_file_and_leave_no_output(bertkit, tmp_path):
    result = run(bertkit, "train-punkt", str(tmp_path / "absent.jsonl"), "--output", str(tmp_path / "p.json"))
    assert result.returncode != 0 and "absent.jsonl" in result.stderr and "error:" in result.stderr
    (tmp_path / "bad.jsonl").write_text('{"text": "fine."}\n{"text": 3}\n')
    result = run(bertkit, "train-punkt", str(tmp_path / "bad.jsonl"), "--output", str(tmp_path / "p.json"))
    assert result.returncode != 0 and "bad.jsonl: line 2" in result.stderr
    (tmp_path / "p.json").write_text("{}")
    (tmp_path / "docs.txt").write_text("Hello there.\n")
    result = run(bertkit, "format", str(tmp_path / "docs.txt"), "--input-format", "lines",
                 "--punkt", str(tmp_path / "p.json"), "--output", str(tmp_path / "s.txt"))
    assert result.returncode != 0 and "p.json: not a Punkt parameter file" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bad.jsonl", "docs.txt", "p.json"]


def test_existing_output_needs_force(bertkit, tmp_path):
    write_jsonl(tmp_path / "docs.jsonl", ["Some text. More text."])
    (tmp_path / "p.json").write_text("precious")
    result = run(bertkit, "train-punkt", str(tmp_path / "docs.jsonl"), "--output", str(tmp_path / "p.json"))
    assert result.returncode != 0 and "--force" in result.stderr
    assert (tmp_path / "p.json").read_text() == "precious"
    result = run(bertkit, "train-punkt", str(tmp_path / "docs.jsonl"), "--output", str(tmp_path / "p.json"), "--force")
    assert result.returncode == 0, result.stderr
