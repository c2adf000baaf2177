"""End-to-end tests of `bertkit corpus download` against a local dump server.

A temporary directory is laid out like dumps.wikimedia.org (dated and `latest` directories,
sha1sums/md5sums lists, bz2 dumps made here from a tiny MediaWiki XML) and served on
127.0.0.1 by Python's http.server, with HTTP Range support written here (SimpleHTTPRequestHandler
has none) and switches to ignore ranges or cut a transfer short. No traffic leaves the machine.
"""

import bz2
import hashlib
import os
import random
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import bertkit_binary

DATE = "20210101"
LATEST_DATE = "20240601"
SAMPLE = f"enwiki-{DATE}-pages-articles1.xml-p1p41242.bz2"
WHOLE = f"enwiki-{DATE}-pages-articles.xml.bz2"


def mediawiki_xml(pages: int, seed: int) -> bytes:
    """A small MediaWiki export with `pages` articles of seeded pseudo-random words."""
    rng = random.Random(seed)
    words = ["alpha", "beta", "gamma", "delta", "river", "mountain", "city", "history", "[[link]]", "'''bold'''"]
    body = []
    for page in range(1, pages + 1):
        text = " ".join(rng.choice(words) for _ in range(400))
        body.append(
            f"  <page>\n    <title>Page {page}</title>\n    <ns>0</ns>\n    <id>{page}</id>\n"
            f"    <revision>\n      <id>{page + 1000}</id>\n"
            f'      <text xml:space="preserve">{text}</text>\n    </revision>\n  </page>\n'
        )
    return (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" xml:lang="en">\n'
        + "".join(body)
        + "</mediawiki>\n"
    ).encode()


def sums(algorithm: str, files: dict[str, bytes]) -> str:
    return "".join(f"{hashlib.new(algorithm, data).hexdigest()}  {name}\n" for name, data in files.items())


class DumpHandler(BaseHTTPRequestHandler):
    """Serves the dump tree, honouring `Range: bytes=N-` unless the server says otherwise."""

    def log_message(self, format, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        server = self.server
        server.requests.append((self.path, self.headers.get("Range")))
        file = server.root / self.path.lstrip("/")
        if ".." in self.path or not file.is_file():
            self.send_error(404, "Not Found")
            return
        data = file.read_bytes()
        start, status = 0, 200
        range_header = self.headers.get("Range")
        if range_header and server.honour_range:
            assert range_header.startswith("bytes=") and range_header.endswith("-"), range_header
            start = int(range_header[len("bytes="):-1])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data) - start))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        body = data[start:]
        if server.cut_after is not None and file.suffix == ".bz2":
            # Promise the whole body, send part of it, hang up.
            self.wfile.write(body[: server.cut_after])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


class DumpServer:
    """A dump tree in `root` served on a random port; `url` is its base URL."""

    def __init__(self, root: Path):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), DumpHandler)
        self.httpd.root = root
        self.httpd.requests = []
        self.httpd.honour_range = True
        self.httpd.cut_after = None
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def requests(self) -> list:
        return self.httpd.requests

    def dump_requests(self) -> list:
        """The (path, Range header) of every request for a .bz2 file."""
        return [r for r in self.requests if r[0].endswith(".bz2")]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def dumps(tmp_path_factory):
    """The files of the fake dump tree, by name."""
    root = tmp_path_factory.mktemp("dumps")
    whole = bz2.compress(mediawiki_xml(300, seed=1))
    sample = bz2.compress(mediawiki_xml(40, seed=2))
    files = {WHOLE: whole, SAMPLE: sample}
    listing = dict(files)
    listing[f"enwiki-{DATE}-pages-articles10.xml-p4045403p5399366.bz2"] = b"not served"
    listing[f"enwiki-{DATE}-pages-articles-multistream.xml.bz2"] = b"not served either"

    dated = root / "enwiki" / DATE
    dated.mkdir(parents=True)
    for name, data in files.items():
        (dated / name).write_bytes(data)
    (dated / f"enwiki-{DATE}-sha1sums.txt").write_text(sums("sha1", listing))
    (dated / f"enwiki-{DATE}-md5sums.txt").write_text(sums("md5", listing))

    # `latest` lists the files under their real (dated) names, as Wikimedia's does.
    newest = root / "enwiki" / LATEST_DATE
    newest.mkdir(parents=True)
    (newest / f"enwiki-{LATEST_DATE}-pages-articles.xml.bz2").write_bytes(whole)
    latest = root / "enwiki" / "latest"
    latest.mkdir(parents=True)
    (latest / "enwiki-latest-pages-articles.xml.bz2").write_bytes(whole)
    (latest / "enwiki-latest-sha1sums.txt").write_text(
        sums("sha1", {f"enwiki-{LATEST_DATE}-pages-articles.xml.bz2": whole}))

    # An old dump with an MD5 list only.
    old = root / "dewiki" / DATE
    old.mkdir(parents=True)
    (old / f"dewiki-{DATE}-pages-articles.xml.bz2").write_bytes(whole)
    (old / f"dewiki-{DATE}-md5sums.txt").write_text(sums("md5", {f"dewiki-{DATE}-pages-articles.xml.bz2": whole}))

    # A dump whose published checksum does not match what is served.
    bad = root / "frwiki" / DATE
    bad.mkdir(parents=True)
    (bad / f"frwiki-{DATE}-pages-articles.xml.bz2").write_bytes(whole)
    (bad / f"frwiki-{DATE}-sha1sums.txt").write_text(
        sums("sha1", {f"frwiki-{DATE}-pages-articles.xml.bz2": whole + b"tampered"}))

    return {"root": root, "whole": whole, "sample": sample}


@pytest.fixture
def server(dumps):
    server = DumpServer(dumps["root"])
    yield server
    server.close()


def download(server, out: Path, *args: str) -> subprocess.CompletedProcess:
    """Runs `bertkit corpus download` against `server` (a DumpServer or a base URL), bypassing proxies."""
    base_url = server if isinstance(server, str) else server.url
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    return subprocess.run(
        [str(bertkit_binary()), "corpus", "download", "--base-url", base_url, "--output", str(out), *args],
        capture_output=True, text=True, timeout=120, env=env,
    )


def test_full_download_is_verified_and_lands(server, dumps, tmp_path):
    result = download(server, tmp_path, "--language", "en", "--date", DATE)
    assert result.returncode == 0, result.stderr
    final = tmp_path / WHOLE
    assert result.stdout.strip() == str(final)
    assert final.read_bytes() == dumps["whole"]
    assert not (tmp_path / (WHOLE + ".part")).exists()
    assert "SHA-1" in result.stderr and "verified" in result.stderr
    assert server.requests[0] == (f"/enwiki/{DATE}/enwiki-{DATE}-sha1sums.txt", None)
    assert server.dump_requests() == [(f"/enwiki/{DATE}/{WHOLE}", None)]


def test_partial_file_is_resumed_with_a_range_request(server, dumps, tmp_path):
    half = len(dumps["whole"]) // 2
    (tmp_path / (WHOLE + ".part")).write_bytes(dumps["whole"][:half])
    result = download(server, tmp_path, "--language", "en", "--date", DATE)
    assert result.returncode == 0, result.stderr
    assert server.dump_requests() == [(f"/enwiki/{DATE}/{WHOLE}", f"bytes={half}-")]
    assert (tmp_path / WHOLE).read_bytes() == dumps["whole"]
    assert "resum" in result.stderr


def test_cut_transfer_keeps_the_part_and_the_next_run_resumes(server, dumps, tmp_path):
    server.httpd.cut_after = 10_000
    first = download(server, tmp_path, "--language", "en", "--date", DATE)
    assert first.returncode != 0
    assert "error:" in first.stderr and "run the same command again to resume" in first.stderr
    assert server.url in first.stderr
    assert (tmp_path / (WHOLE + ".part")).read_bytes() == dumps["whole"][:10_000]
    assert not (tmp_path / WHOLE).exists()

    server.httpd.cut_after = None
    second = download(server, tmp_path, "--language", "en", "--date", DATE)
    assert second.returncode == 0, second.stderr
    assert server.dump_requests()[-1] == (f"/enwiki/{DATE}/{WHOLE}", "bytes=10000-")
    assert (tmp_path / WHOLE).read_bytes() == dumps["whole"]


def test_server_ignoring_range_restarts_from_zero(server, dumps, tmp_path):
    server.httpd.honour_range = False
    (tmp_path / (WHOLE + ".part")).write_bytes(b"garbage that is not the start of the dump")
    result = download(server, tmp_path, "--language", "en", "--date", DATE)
    assert result.returncode == 0, result.stderr
    assert server.dump_requests()[0][1] is not None  # it asked to resume...
    assert "starting over" in result.stderr  # ...was refused, and started over
    assert (tmp_path / WHOLE).read_bytes() == dumps["whole"]


def test_complete_part_file_is_verified_and_renamed(server, dumps, tmp_path):
    (tmp_path / (WHOLE + ".part")).write_bytes(dumps["whole"])
    result = download(server, tmp_path, "--language", "en", "--date", DATE)
    assert result.returncode == 0, result.stderr
    assert server.dump_requests() == [(f"/enwiki/{DATE}/{WHOLE}", f"bytes={len(dumps['whole'])}-")]
    assert (tmp_path / WHOLE).read_bytes() == dumps["whole"]


def test_bad_checksum_is_refused(server, tmp_path):
    result = download(server, tmp_path, "--language", "fr", "--date", DATE)
    name = f"frwiki-{DATE}-pages-articles.xml.bz2"
    assert result.returncode != 0
    assert "error:" in result.stderr and "SHA-1 mismatch" in result.stderr and name in result.stderr
    assert "expected" in result.stderr and "got" in result.stderr
    assert not (tmp_path / name).exists()
    assert not (tmp_path / (name + ".part")).exists()
    assert result.stdout == ""


def test_unknown_date_is_explained(server, tmp_path):
    result = download(server, tmp_path, "--language", "en", "--date", "20990101")
    assert result.returncode != 0
    assert "404" in result.stderr and "--date latest" in result.stderr and "language code" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_unknown_language_is_explained(server, tmp_path):
    result = download(server, tmp_path, "--language", "xx")
    assert result.returncode != 0
    assert "404" in result.stderr and "language code" in result.stderr


def test_sample_picks_the_first_articles_part(server, dumps, tmp_path):
    result = download(server, tmp_path, "--language", "en", "--date", DATE, "--sample")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / SAMPLE)
    assert (tmp_path / SAMPLE).read_bytes() == dumps["sample"]
    assert server.dump_requests() == [(f"/enwiki/{DATE}/{SAMPLE}", None)]


def test_latest_resolves_to_the_dated_dump(server, dumps, tmp_path):
    result = download(server, tmp_path, "--language", "en")
    assert result.returncode == 0, result.stderr
    name = f"enwiki-{LATEST_DATE}-pages-articles.xml.bz2"
    assert result.stdout.strip() == str(tmp_path / name)
    assert server.requests[0][0] == "/enwiki/latest/enwiki-latest-sha1sums.txt"
    assert server.dump_requests() == [(f"/enwiki/{LATEST_DATE}/{name}", None)]
    assert (tmp_path / name).read_bytes() == dumps["whole"]


def test_md5_list_is_used_when_there_is_no_sha1_list(server, dumps, tmp_path):
    result = download(server, tmp_path, "--language", "de", "--date", DATE)
    assert result.returncode == 0, result.stderr
    assert "MD5" in result.stderr
    assert (tmp_path / f"dewiki-{DATE}-pages-articles.xml.bz2").read_bytes() == dumps["whole"]


def test_existing_file_is_verified_and_kept_unless_forced(server, dumps, tmp_path):
    (tmp_path / WHOLE).write_bytes(dumps["whole"])
    kept = download(server, tmp_path, "--language", "en", "--date", DATE)
    assert kept.returncode == 0, kept.stderr
    assert "already downloaded" in kept.stderr
    assert server.dump_requests() == []

    forced = download(server, tmp_path, "--language", "en", "--date", DATE, "--force")
    assert forced.returncode == 0, forced.stderr
    assert server.dump_requests() == [(f"/enwiki/{DATE}/{WHOLE}", None)]
    assert (tmp_path / WHOLE).read_bytes() == dumps["whole"]


def test_existing_damaged_file_is_not_taken_for_the_dump(server, tmp_path):
    (tmp_path / WHOLE).write_bytes(b"not the dump")
    result = download(server, tmp_path, "--language", "en", "--date", DATE)
    assert result.returncode != 0
    assert "--force" in result.stderr
    assert (tmp_path / WHOLE).read_bytes() == b"not the dump"


def test_connection_error_names_the_url(tmp_path):
    # A port that was free a moment ago: nothing listens there now.
    probe = ThreadingHTTPServer(("127.0.0.1", 0), DumpHandler)
    url = f"http://127.0.0.1:{probe.server_address[1]}"
    probe.server_close()
    result = download(url, tmp_path, "--language", "en")
    assert result.returncode != 0
    assert f"error: {url}/enwiki/latest/enwiki-latest-sha1sums.txt" in result.stderr
