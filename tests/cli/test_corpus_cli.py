"""`bertkit corpus format`, `shard` and `prepare` at the command line: what they write, and
that `prepare` gives exactly the shards of extract → format → shard run one after the other."""
import bz2
import json
import os
import subprocess

WORDS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def run(bertkit, *args, ok=True):
    result = subprocess.run([bertkit, "corpus", *args], capture_output=True, text=True)
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def prose(i):
    """A few sentences, with an abbreviation Punkt must learn, for article i."""
    sentences = []
    for j in range(3 + i % 4):
        words = " ".join(WORDS[(i + j + k) % len(WORDS)] for k in range(5 + j))
        # The last word also stands inside other sentences, so Punkt does not take it for an abbreviation.
        sentences.append(f"The {words} of Dr. Smith meet {WORDS[(3 * i + j) % len(WORDS)]}.")
    return " ".join(sentences)


def write_dump(path, pages=60):
    xml = ["<mediawiki><siteinfo><base>https://t.invalid/wiki/Main</base></siteinfo>"]
    for i in range(1, pages + 1):
        text = f"'''Article {i}''' {prose(i)}\n\n== Part ==\n{prose(i + 1)}"
        xml.append(f"<page><title>Article {i}</title><ns>0</ns><id>{i}</id><revision><id>{i}</id>"
                   f"<text>{text}</text></revision></page>")
    xml.append("</mediawiki>")
    with open(path, "wb") as out:
        out.write(bz2.compress("\n".join(xml).encode()))


def test_format_drops_titles_by_default_and_keeps_them_on_request(bertkit, tmp_path):
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": str(i), "title": f"Title {i}", "text": prose(i)}) + "\n"
                            for i in range(30)))
    run(bertkit, "format", str(docs), "--output", str(tmp_path / "plain.txt"), "--save-punkt", str(tmp_path / "p.json"))
    plain = (tmp_path / "plain.txt").read_text().split("\n\n")
    assert plain[-1] == "" and len(plain) == 31
    assert not any(block.startswith("Title") for block in plain)
    assert "dr" in json.loads((tmp_path / "p.json").read_text())["abbreviation_types"]
    assert plain[0].split("\n")[0] == "The alpha beta gamma delta epsilon of Dr. Smith meet alpha."
    run(bertkit, "format", str(docs), "--output", str(tmp_path / "titled.txt"), "--keep-titles", "--pre-tokenize",
        "--punkt", str(tmp_path / "p.json"))
    titled = (tmp_path / "titled.txt").read_text().split("\n\n")
    assert titled[0].split("\n")[:2] == ["title 0", "the alpha beta gamma delta epsilon of dr . smith meet alpha ."]


def test_format_refuses_input_without_documents(bertkit, tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n\n")
    result = run(bertkit, "format", str(tmp_path / "empty.jsonl"), "--output", str(tmp_path / "out.txt"), ok=False)
    assert result.returncode != 0 and "empty.jsonl" in result.stderr
    assert not (tmp_path / "out.txt").exists()


def test_prepare_gives_the_shards_of_the_three_stages(bertkit, tmp_path):
    dump = tmp_path / "dump.xml.bz2"
    write_dump(dump)
    run(bertkit, "extract", str(dump), "--output", str(tmp_path / "docs.jsonl"))
    run(bertkit, "format", str(tmp_path / "docs.jsonl"), "--output", str(tmp_path / "formatted.txt"))
    run(bertkit, "shard", str(tmp_path / "formatted.txt"), "--output", str(tmp_path / "staged"),
        "--training-shards", "5", "--validation-shards", "2", "--seed", "7")
    run(bertkit, "prepare", str(dump), "--output", str(tmp_path / "prepared"),
        "--training-shards", "5", "--validation-shards", "2", "--seed", "7", "--keep-intermediate")
    staged = sorted(os.listdir(tmp_path / "staged"))
    assert staged == ["manifest.json"] + [f"training.{i}.txt" for i in range(5)] + [f"validation.{i}.txt" for i in range(2)]
    for name in staged[1:]:
        assert (tmp_path / "staged" / name).read_bytes() == (tmp_path / "prepared" / name).read_bytes(), name
    assert (tmp_path / "prepared" / "docs.jsonl").read_bytes() == (tmp_path / "docs.jsonl").read_bytes()
    assert (tmp_path / "prepared" / "formatted.txt").read_bytes() == (tmp_path / "formatted.txt").read_bytes()
    manifest = json.loads((tmp_path / "prepared" / "manifest.json").read_text())
    assert manifest["documents"] == 60 and len(manifest["shards"]) == 7


def test_shard_refuses_more_shards_than_documents_and_a_full_directory(bertkit, tmp_path):
    (tmp_path / "formatted.txt").write_text("one.\n\ntwo.\n\nthree.\n")
    result = run(bertkit, "shard", str(tmp_path / "formatted.txt"), "--output", str(tmp_path / "out"),
                 "--training-shards", "3", "--validation-shards", "1", ok=False)
    assert result.returncode != 0 and "3 document(s) cannot fill 4 shards" in result.stderr
    assert os.listdir(tmp_path / "out") == []
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    result = run(bertkit, "shard", str(tmp_path / "formatted.txt"), "--output", str(tmp_path / "full"),
                 "--training-shards", "2", "--validation-shards", "1", ok=False)
    assert result.returncode != 0 and "--force" in result.stderr
    run(bertkit, "shard", str(tmp_path / "formatted.txt"), "--output", str(tmp_path / "full"),
        "--training-shards", "2", "--validation-shards", "1", "--force")
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"


def test_format_replaces_and_counts_invalid_utf8(bertkit, tmp_path):
    (tmp_path / "bad.jsonl").write_bytes(b'{"text": "Bad \xff byte here. Second sentence \xc3( ok."}\n')
    result = run(bertkit, "format", str(tmp_path / "bad.jsonl"), "--output", str(tmp_path / "out.txt"))
    assert "2 invalid UTF-8 sequence(s)" in result.stderr
    assert (tmp_path / "out.txt").read_text() == "Bad \ufffd byte here.\nSecond sentence \ufffd( ok.\n\n"


def test_format_names_the_line_of_a_line_longer_than_10_mb(bertkit, tmp_path):
    (tmp_path / "long.txt").write_text("short document\n" + "x" * 10_500_000 + "\n")
    result = run(bertkit, "format", str(tmp_path / "long.txt"), "--input-format", "lines",
                 "--output", str(tmp_path / "out.txt"), ok=False)
    assert result.returncode != 0 and "long.txt: line 2:" in result.stderr
    assert not (tmp_path / "out.txt").exists()
