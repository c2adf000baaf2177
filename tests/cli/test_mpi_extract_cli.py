"""`bertkit corpus extract` under `mpirun`: the processes split the dumps between them, each
decompressing and extracting its own part, and write the file one process writes, byte for
byte, with the same counts in the summary line (printed by rank 0 alone).

Skipped when `mpirun` is not installed (scripts/bootstrap.sh installs Open MPI). As root, Open
MPI needs OMPI_ALLOW_RUN_AS_ROOT and its confirmation, set here."""
import bz2
import os
import re

import pytest

from conftest import REPO
from mpi_launch import mpirun, requires_mpirun, run

pytestmark = requires_mpirun
SAMPLE_DUMP = os.path.join(REPO, "Sources", "CSampleCorpus", "sample-wiki.xml.bz2")
HEADER = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">
  <siteinfo>
    <sitename>Test</sitename>
    <base>https://test.invalid/wiki/Main_Page</base>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="10" case="first-letter">Template</namespace>
    </namespaces>
  </siteinfo>
"""
FOOTER = "</mediawiki>\n"


def page(i):
    """A page with some wikitext; every 17th is a redirect, every 23rd a template."""
    namespace, title = (10, f"Template:Box {i}") if i % 23 == 5 else (0, f"Page {i}")
    redirect = '\n    <redirect title="Page 1" />' if i % 17 == 3 else ""
    text = "#REDIRECT [[Page 1]]" if redirect else (
        f"'''Page {i}''' is a [[test|page]] of the fixture.{{{{Infobox|x={i}}}}}\n\n== Section ==\n"
        + f"Sentence {i} with a [https://example.invalid link] and &lt;b&gt;markup&lt;/b&gt;. " * (5 + i % 13))
    return (f"  <page>\n    <title>{title}</title>\n    <ns>{namespace}</ns>\n    <id>{i}</id>{redirect}\n"
            f"    <revision>\n      <id>{i + 100000}</id>\n      <text xml:space=\"preserve\">{text}</text>\n"
            f"    </revision>\n  </page>\n")


def write_multistream(path, pages, per_stream=100):
    """A multistream dump laid out as Wikimedia's: the header alone in the first stream,
    `per_stream` pages a stream, </mediawiki> in the last."""
    with open(path, "wb") as out:
        out.write(bz2.compress(HEADER.encode(), 9))
        for start in range(1, pages + 1, per_stream):
            chunk = "".join(page(i) for i in range(start, min(start + per_stream, pages + 1)))
            if start + per_stream > pages:
                chunk += FOOTER
            out.write(bz2.compress(chunk.encode(), 9))


def warnings(stderr):
    """bertkit's warning lines in `stderr`."""
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


def counts(summary):
    """The counts of a summary line, without the seconds, the rate and the output's path."""
    line = [text for text in summary.splitlines() if text.startswith("extracted ")]
    assert len(line) == 1, summary
    return re.sub(r" -> \S+ ", " -> ", re.sub(r" in \S+ \(\S+ MB/s\)", "", line[0]))


@pytest.fixture(scope="module")
def dumps(tmp_path_factory):
    """Inputs by name: a multistream dump of about 2.5 MB of XML, the bundled sample dump
    (multistream, 10 pages a stream), and a plain XML file followed by a multistream one."""
    directory = tmp_path_factory.mktemp("mpi-extract-dumps")
    multistream = directory / "multistream.xml.bz2"
    write_multistream(multistream, 2500)
    plain = directory / "plain.xml"
    plain.write_text(HEADER + "".join(page(i) for i in range(3000, 3400)) + FOOTER)
    return {"multistream": [multistream], "sample": [SAMPLE_DUMP], "two files": [plain, multistream]}


@pytest.mark.parametrize("name", ["multistream", "sample", "two files"])
@pytest.mark.parametrize("output_format", ["jsonl", "doc"])
def test_processes_write_the_file_one_process_writes(bertkit, dumps, tmp_path, name, output_format):
    inputs = dumps[name]
    one = tmp_path / "one" / "docs.out"
    one.parent.mkdir()
    single = run([bertkit, "corpus", "extract", *inputs, "--output", one, "--format", output_format, "--threads", 1])
    assert single.returncode == 0, single.stderr
    assert one.stat().st_size > 0
    for processes in [2, 3]:
        directory = tmp_path / f"np{processes}"
        directory.mkdir()
        output = directory / "docs.out"
        result = run(mpirun(processes, [bertkit, "corpus", "extract", *inputs, "--output", output,
                                        "--format", output_format, "--threads", 1]))
        assert result.returncode == 0, result.stderr
        assert output.read_bytes() == one.read_bytes(), f"{processes} processes"
        assert counts(result.stdout + result.stderr) == counts(single.stdout + single.stderr)
        assert not warnings(result.stderr)
        assert os.listdir(directory) == ["docs.out"], "part files left behind"


def test_damage_is_reported_by_the_part_it_is_in(bertkit, dumps, tmp_path):
    """A corrupt stream in the middle of the dump: the process whose part holds it warns,
    naming its part, and stops there; the processes after it extract their parts, which one
    process, stopping at the damage, never reaches."""
    data = bytearray(dumps["multistream"][0].read_bytes())
    starts = [match.start() for match in re.finditer(rb"BZh91AY&SY", data)]
    damaged = starts[len(starts) // 2]
    data[damaged + 300:damaged + 310] = bytes(10)
    dump = tmp_path / "damaged.xml.bz2"
    dump.write_bytes(bytes(data))
    single = run([bertkit, "corpus", "extract", dump, "--output", tmp_path / "one.jsonl", "--threads", 1])
    assert single.returncode == 0, single.stderr
    result = run(mpirun(3, [bertkit, "corpus", "extract", dump, "--output", tmp_path / "three.jsonl", "--threads", 1]))
    assert result.returncode == 0, result.stderr
    found = warnings(result.stderr)
    assert len(found) == 1, result.stderr
    assert re.search(r"damaged\.xml\.bz2: part from byte \d+: corrupt bzip2 data", found[0]), found[0]
    assert "1 damaged input(s)" in result.stdout + result.stderr
    one, three = (tmp_path / "one.jsonl").read_bytes(), (tmp_path / "three.jsonl").read_bytes()
    assert three.startswith(one) and len(three) > len(one)


def test_existing_output_fails_on_every_rank_and_stays(bertkit, dumps, tmp_path):
    output = tmp_path / "docs.jsonl"
    output.write_text("precious\n")
    result = run(mpirun(2, [bertkit, "corpus", "extract", SAMPLE_DUMP, "--output", output]))
    assert result.returncode != 0
    for rank in [0, 1]:
        assert re.search(rf"error: rank {rank}: .*docs\.jsonl: already exists \(use --force", result.stderr), result.stderr
    assert output.read_text() == "precious\n"
    assert os.listdir(tmp_path) == ["docs.jsonl"]
    forced = run(mpirun(2, [bertkit, "corpus", "extract", SAMPLE_DUMP, "--output", output, "--force"]))
    assert forced.returncode == 0, forced.stderr
    assert len(output.read_text().splitlines()) == 54
    assert os.listdir(tmp_path) == ["docs.jsonl"]


def test_prepare_refuses_several_processes(bertkit, tmp_path):
    result = run(mpirun(2, [bertkit, "corpus", "prepare", SAMPLE_DUMP, "--output", tmp_path / "shards",
                            "--training-shards", 2, "--validation-shards", 1]))
    assert result.returncode != 0
    assert "corpus prepare runs as one process" in result.stderr
    assert not (tmp_path / "shards").exists()
