"""How `bertkit corpus extract` behaves at the command line: errors, --force, interruption."""
import bz2
import os
import signal
import subprocess
import time


def page(i):
    return (f"<page><title>Page {i}</title><ns>0</ns><id>{i}</id><revision><id>{i + 1000}</id>"
            f"<text>Sentence {i} of the test, long enough to take some time. " * 20 + "</text></revision></page>\n")


def write_dump(path, pages, compress=False):
    xml = "<mediawiki>\n" + "".join(page(i) for i in range(1, pages + 1)) + "</mediawiki>\n"
    data = xml.encode()
    with open(path, "wb") as out:
        out.write(bz2.compress(data) if compress else data)


def run(bertkit, *args):
    return subprocess.run([bertkit, "corpus", "extract", *args], capture_output=True, text=True)


def test_missing_file_is_an_error_naming_it(bertkit, tmp_path):
    result = run(bertkit, str(tmp_path / "absent.xml.bz2"), "--output", str(tmp_path / "out.jsonl"))
    assert result.returncode != 0
    assert "absent.xml.bz2" in result.stderr and "error:" in result.stderr
    assert os.listdir(tmp_path) == []


def test_empty_file_is_an_error(bertkit, tmp_path):
    (tmp_path / "empty.xml").write_bytes(b"")
    result = run(bertkit, str(tmp_path / "empty.xml"), "--output", str(tmp_path / "out.jsonl"))
    assert result.returncode != 0
    assert "empty.xml" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_existing_output_needs_force(bertkit, tmp_path):
    write_dump(tmp_path / "d.xml", 3)
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    result = run(bertkit, str(tmp_path / "d.xml"), "--output", str(out))
    assert result.returncode != 0 and "--force" in result.stderr
    assert out.read_text() == "precious\n"
    result = run(bertkit, str(tmp_path / "d.xml"), "--output", str(out), "--force")
    assert result.returncode == 0, result.stderr
    assert len(out.read_text().splitlines()) == 3


def test_truncated_bzip2_warns_and_keeps_pages(bertkit, tmp_path):
    write_dump(tmp_path / "d.xml.bz2", 3000, compress=True)
    data = (tmp_path / "d.xml.bz2").read_bytes()
    (tmp_path / "cut.xml.bz2").write_bytes(data[: len(data) // 2])
    out = tmp_path / "out.jsonl"
    result = run(bertkit, str(tmp_path / "cut.xml.bz2"), "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "cut.xml.bz2" in result.stderr
    lines = out.read_text().splitlines()
    assert 0 < len(lines) < 3000
    strict = run(bertkit, str(tmp_path / "cut.xml.bz2"), "--output", str(tmp_path / "strict.jsonl"), "--strict")
    assert strict.returncode != 0 and not (tmp_path / "strict.jsonl").exists()


def test_interrupt_leaves_no_partial_output(bertkit, tmp_path):
    write_dump(tmp_path / "big.xml.bz2", 40000, compress=True)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([bertkit, "corpus", "extract", str(tmp_path / "big.xml.bz2"), "--output", str(out),
                                "--threads", "1"], stderr=subprocess.PIPE)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    assert process.returncode != 0
    assert sorted(os.listdir(tmp_path)) == ["big.xml.bz2"]
