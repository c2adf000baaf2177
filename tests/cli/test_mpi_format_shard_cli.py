"""`bertkit corpus format` and `corpus shard` under `mpirun`: the processes share the work and
write exactly the files of one process (every byte, the manifest included), rank 0 alone prints
the summary with the same counts, and an existing output without --force fails in every
process and changes nothing.

The input is the bundled sample wiki (`corpus extract`), as JSON lines over two files and as
blocks (documents between runs of blank lines, some with spaces or CRLF). Skipped when
`mpirun` is not installed."""
import json
import os
import re
import subprocess
from types import SimpleNamespace

import pytest

from conftest import REPO
from mpi_launch import mpirun, requires_mpirun, run, run_ok

pytestmark = requires_mpirun
SAMPLE = os.path.join(REPO, "Sources", "CSampleCorpus", "sample-wiki.xml.bz2")


def corpus(bertkit, *args):
    """`bertkit corpus ARGS` in one process, which must succeed."""
    result = subprocess.run([str(bertkit), "corpus", *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def inputs(bertkit, tmp_path_factory):
    """The sample wiki as JSON lines in two files and as blocks, Punkt parameters trained on
    it, and it formatted (the input of `shard`)."""
    work = tmp_path_factory.mktemp("mpi-corpus")
    corpus(bertkit, "extract", SAMPLE, "--output", work / "docs.jsonl")
    lines = (work / "docs.jsonl").read_bytes().splitlines(keepends=True)
    assert len(lines) > 40
    (work / "first.jsonl").write_bytes(b"".join(lines[:len(lines) // 3]))
    (work / "second.jsonl").write_bytes(b"".join(lines[len(lines) // 3:]))
    separators = ["\n\n", "\r\n  \r\n\n", "\n\t\n\n\n"]
    with open(work / "docs.txt", "w", newline="") as blocks:
        for index, line in enumerate(lines):
            paragraphs = [paragraph for paragraph in json.loads(line)["text"].split("\n") if paragraph.strip()]
            blocks.write("\n".join(paragraphs) + separators[index % 3])
    corpus(bertkit, "train-punkt", work / "docs.jsonl", "--output", work / "punkt.json")
    corpus(bertkit, "format", work / "docs.jsonl", "--output", work / "formatted.txt")
    return SimpleNamespace(jsonl=[work / "first.jsonl", work / "second.jsonl"], blocks=[work / "docs.txt"],
                           punkt=work / "punkt.json", formatted=work / "formatted.txt")


def summary_lines(result, start):
    """The lines of standard error that start with `start`, up to their timing (" in 0.5s …")."""
    return [line.split(" in ")[0] for line in result.stderr.splitlines() if line.startswith(start)]


def files_in(directory):
    """Every file below `directory` (hidden ones included), by relative path, with its bytes."""
    return {str(path.relative_to(directory)): path.read_bytes() for path in directory.rglob("*") if path.is_file()}


@pytest.mark.parametrize("processes", [2, 3])
@pytest.mark.parametrize("input_format", ["jsonl", "blocks"])
@pytest.mark.parametrize("trained", [True, False], ids=["trained-punkt", "given-punkt"])
def test_format_writes_the_file_of_one_process(bertkit, inputs, tmp_path, processes, input_format, trained):
    """Without --punkt, rank 0 trains Punkt (and saves it) and the others split with its
    parameters; with --punkt, every process reads the file."""
    for name in ("one", "many"):
        (tmp_path / name).mkdir()
    sources = inputs.jsonl if input_format == "jsonl" else inputs.blocks

    def arguments(directory):
        punkt = ["--save-punkt", directory / "punkt.json"] if trained else ["--punkt", inputs.punkt]
        return [bertkit, "corpus", "format", *sources, "--input-format", input_format, "--output",
                directory / "formatted.txt", "--threads", 1, *punkt]

    one = run_ok([str(value) for value in arguments(tmp_path / "one")])
    many = run_ok(mpirun(processes, arguments(tmp_path / "many")))
    written = files_in(tmp_path / "many")
    assert sorted(written) == (["formatted.txt", "punkt.json"] if trained else ["formatted.txt"])
    assert written == files_in(tmp_path / "one")
    assert written["formatted.txt"].count(b"\n\n") >= 40
    # One summary line, from rank 0, with the counts of the whole input.
    counts = summary_lines(one, "formatted ")
    assert len(counts) == 1 and summary_lines(many, "formatted ") == counts
    assert len(summary_lines(many, "trained Punkt")) == (1 if trained else 0)


@pytest.mark.parametrize("processes", [2, 3])
def test_shard_writes_the_directory_of_one_process(bertkit, inputs, tmp_path, processes):
    """Rank r writes the r-th, (r+N)-th, … shards; rank 0 the manifest. Again with --force and
    fewer shards: the stale ones go, as in one process."""
    def arguments(directory, training, *extra):
        return [bertkit, "corpus", "shard", inputs.formatted, "--output", directory, "--training-shards", training,
                "--validation-shards", 2, "--seed", 7, *extra]

    for training, extra in ((5, []), (3, ["--force"])):
        one = run_ok([str(value) for value in arguments(tmp_path / "one", training, *extra)])
        many = run_ok(mpirun(processes, arguments(tmp_path / "many", training, *extra)))
        written = files_in(tmp_path / "many")
        assert sorted(written) == (["manifest.json"] + [f"training.{i}.txt" for i in range(training)]
                                   + ["validation.0.txt", "validation.1.txt"])
        assert written == files_in(tmp_path / "one")
        counts = summary_lines(one, "sharded ")
        assert len(counts) == 1 and summary_lines(many, "sharded ") == counts


def test_existing_outputs_need_force_in_every_process(bertkit, inputs, tmp_path):
    """A format output that exists and a shard directory that is not empty: the run fails with
    an error line and a non-zero exit, and the files are as they were."""
    (tmp_path / "formatted.txt").write_text("mine\n")
    (tmp_path / "shards").mkdir()
    (tmp_path / "shards" / "keep.txt").write_text("mine\n")
    before = files_in(tmp_path)
    format_line = [bertkit, "corpus", "format", *inputs.jsonl, "--punkt", inputs.punkt, "--output",
                   tmp_path / "formatted.txt", "--threads", 1]
    shard_line = [bertkit, "corpus", "shard", inputs.formatted, "--output", tmp_path / "shards",
                  "--training-shards", 2, "--validation-shards", 1]
    for line, message in ((format_line, "already exists (use --force to overwrite it)"),
                          (shard_line, "is not empty (use --force to replace its shards)")):
        result = run(mpirun(2, line), timeout=120)
        assert result.returncode != 0
        assert re.search(r"^error: rank \d: .*" + re.escape(message), result.stderr, re.MULTILINE), result.stderr
        assert files_in(tmp_path) == before


def test_format_checks_the_documents_of_all_processes(bertkit, tmp_path):
    """One document among three processes: two format nothing, and the run succeeds with the
    output of one process. No document at all: every process fails, nothing is written."""
    (tmp_path / "one.jsonl").write_text('{"text": "The only document. It has two sentences."}\n')
    (tmp_path / "none.jsonl").write_text('\n{"text": ""}\n\n')
    arguments = [bertkit, "corpus", "format", tmp_path / "one.jsonl", "--threads", 1, "--output"]
    many = run_ok(mpirun(3, [*arguments, tmp_path / "many.txt"]))
    run_ok([str(value) for value in [*arguments, tmp_path / "single.txt"]])
    assert (tmp_path / "many.txt").read_bytes() == (tmp_path / "single.txt").read_bytes() != b""
    assert summary_lines(many, "formatted ") == ["formatted 1 documents (40 B of text) into 2 sentences"]
    before = files_in(tmp_path)
    result = run(mpirun(3, [bertkit, "corpus", "format", tmp_path / "none.jsonl", "--output", tmp_path / "none.txt"]),
                 timeout=120)
    assert result.returncode != 0 and "none.jsonl: no document with a sentence in it" in result.stderr
    assert files_in(tmp_path) == before
