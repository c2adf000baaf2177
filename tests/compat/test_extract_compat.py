"""Compatibility of `bertkit corpus extract` with WikiExtractor 3.1.

For every dump in `<repo>/../shared/data/wiki`, runs both extractors and compares their
articles: the same set of ids, and per article the F1 of the multisets of words (the text
split on whitespace, as `str.split()` does). The mean F1 over all articles of all dumps
must be at least 0.95; the mean per dump and the worst article are printed.

WikiExtractor cannot read every dump as it is, so it gets a UTF-8 copy when needed: it
decodes dumps as UTF-8 only (the Bulgarian dump is UTF-16), and it extracts nothing from a
dump without `<siteinfo>` (it takes every page for a template when it knows no template
namespace), so a minimal English `<siteinfo>` is added to those. WikiExtractor also writes
articles whose text is empty, which bertkit skips: those are left out of the comparison.

A second test runs both on random snippets of markup and expects identical output.

Run: python -m pytest tests/compat/test_extract_compat.py -s
(bertkit from $BERTKIT, else <repo>/.build/release/bertkit).
"""

import bz2
import collections
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data" / "wiki"
BERTKIT = Path(os.environ.get("BERTKIT", REPO / ".build" / "release" / "bertkit"))
MINIMUM_MEAN_F1 = 0.95

SITEINFO = """  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>enwiki</dbname>
    <base>https://en.wikipedia.org/wiki/Main_Page</base>
    <case>first-letter</case>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="10" case="first-letter">Template</namespace>
    </namespaces>
  </siteinfo>
"""


def dumps():
    return sorted(DATA.glob("*.bz2")) if DATA.is_dir() else []


def readable_by_wikiextractor(dump, directory):
    """The dump itself, or a UTF-8 copy with a <siteinfo> when WikiExtractor needs one."""
    raw = (bz2.open if dump.suffix == ".bz2" else open)(dump, "rb").read()
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    text = raw.decode("utf-16" if utf16 else "utf-8")
    has_siteinfo = "<siteinfo>" in text[:100_000]
    if not utf16 and has_siteinfo:
        return dump
    if utf16:
        text = re.sub(r"""encoding=["']UTF-16["']""", 'encoding="UTF-8"', text, count=1, flags=re.IGNORECASE)
    if not has_siteinfo:
        start = text.index(">", text.index("<mediawiki")) + 1
        text = text[:start] + "\n" + SITEINFO + text[start:]
    copy = Path(directory) / (dump.stem + ".utf8.xml")
    copy.write_text(text, encoding="utf-8")
    return copy


def read_jsonl(paths):
    articles = {}
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                document = json.loads(line)
                articles[document["id"]] = (document["title"], document["text"])
    return articles


def run_wikiextractor(dump, directory):
    output = Path(directory) / "wikiextractor"
    subprocess.run(
        [sys.executable, "-m", "wikiextractor.WikiExtractor", "--json", "--processes", "1", "-q",
         "-o", str(output), str(readable_by_wikiextractor(dump, directory))],
        check=True, capture_output=True)
    articles = read_jsonl(sorted(output.rglob("wiki_*")))
    return {id: article for id, article in articles.items() if article[1]}


def run_bertkit(dump, directory):
    output = Path(directory) / "bertkit.jsonl"
    subprocess.run(
        [str(BERTKIT), "corpus", "extract", str(dump), "--output", str(output), "--threads", "1", "--force", "--quiet"],
        check=True, capture_output=True)
    return read_jsonl([output])


def word_f1(expected, actual):
    """The F1 of the multisets of whitespace-separated words."""
    expected_words = collections.Counter(expected.split())
    actual_words = collections.Counter(actual.split())
    if not expected_words and not actual_words:
        return 1.0
    common = sum((expected_words & actual_words).values())
    if common == 0:
        return 0.0
    precision = common / sum(actual_words.values())
    recall = common / sum(expected_words.values())
    return 2 * precision * recall / (precision + recall)


def test_extract_matches_wikiextractor(tmp_path):
    if not dumps():
        pytest.skip(f"no dumps in {DATA}")
    if not BERTKIT.exists():
        pytest.skip(f"no bertkit binary at {BERTKIT} (swift build -c release, or set BERTKIT)")
    scores = []  # (f1, dump, title)
    for dump in dumps():
        directory = tmp_path / dump.name
        directory.mkdir()
        expected = run_wikiextractor(dump, directory)
        actual = run_bertkit(dump, directory)
        assert set(actual) == set(expected), (
            f"{dump.name}: only bertkit {sorted(set(actual) - set(expected))}, "
            f"only WikiExtractor {sorted(set(expected) - set(actual))}")
        dump_scores = [(word_f1(expected[id][1], actual[id][1]), dump.name, expected[id][0]) for id in expected]
        identical = sum(expected[id][1] == actual[id][1] for id in expected)
        if dump_scores:
            mean = sum(f1 for f1, _, _ in dump_scores) / len(dump_scores)
            print(f"\n{dump.name}: {len(dump_scores)} articles ({identical} identical), mean word F1 {mean:.5f}")
        scores += dump_scores
    assert scores, "no articles extracted"
    mean = sum(f1 for f1, _, _ in scores) / len(scores)
    worst = min(scores)
    print(f"all dumps: {len(scores)} articles, mean word F1 {mean:.5f}; "
          f"worst: {worst[2]!r} in {worst[1]} ({worst[0]:.5f})")
    assert mean >= MINIMUM_MEAN_F1


# Pieces of wikitext that random snippets are made of: markup of every kind the cleaner
# handles, whole and in halves, so that snippets hold unbalanced and interleaved markup.
PIECES = [
    "[[", "]]", "[[[", "{{", "}}", "{|", "|}", "|", "'''", "''", "'", '"', '""', "<ref>", "</ref>", "<ref name=x/>",
    '<ref name="a">', "<!--", "-->", "<br>", "<br/>", "<p>", "</p>", "&amp;", "&nbsp;", "&lt;", "&gt;", "&#65;",
    "\n", "\n\n", "==", "===", "\n==H==\n", "\n* item\n", "\n: indent\n", " ", "  ", "\t", ",", ".", "....", "(", ")",
    "[", "]", "http://x.y", "[http://a.b c]", "[//x.y z]", "<math>", "</math>", "<math>x</math>", "<code>", "</code>",
    "<div>", "</div>", '<div class="x">', "<small>", "</small>", "<span>", "</span>", "<b>", "</b>", "<gallery>",
    "</gallery>", "<nowiki>", "</nowiki>", "<noinclude>", "</noinclude>", "word", "Foo", "é", "—", ":", "*", "#", ";",
    "File:", "Category:", "w:", "<<", ">>", "«", "»", "__NOTOC__", "{{formatnum:1234}}", "{{!}}", "=", "\u00a0", "}",
    "{", "-", "_", "1", "++", "[[a|b]]", "[[a]]b", "{{a|b}}", "<syntaxhighlight lang=x>", "</syntaxhighlight>",
]


def write_dump(texts, path):
    """A dump with one article per text, laid out and escaped as MediaWiki writes dumps."""
    with open(path, "w", encoding="utf-8") as dump:
        dump.write("<mediawiki>\n" + SITEINFO)
        for number, text in enumerate(texts, 1):
            escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            # One element a line: WikiExtractor reads dumps line by line.
            dump.write(f"<page>\n<title>T{number}</title>\n<ns>0</ns>\n<id>{number}</id>\n<revision>\n<id>{number}</id>\n"
                       f"<text xml:space=\"preserve\">{escaped}</text>\n</revision>\n</page>\n")
        dump.write("</mediawiki>\n")


def test_random_wikitext_matches_wikiextractor_exactly(tmp_path):
    """Random snippets of markup come out of both extractors identical."""
    if not BERTKIT.exists():
        pytest.skip(f"no bertkit binary at {BERTKIT} (swift build -c release, or set BERTKIT)")
    generator = random.Random(20240601)
    texts = ["".join(generator.choice(PIECES) for _ in range(generator.randint(3, 60))) for _ in range(400)]
    dump = tmp_path / "random.xml"
    write_dump(texts, dump)
    expected = run_wikiextractor(dump, tmp_path)
    actual = run_bertkit(dump, tmp_path)
    different = [id for id in expected.keys() | actual.keys()
                 if expected.get(id, (None, ""))[1] != actual.get(id, (None, ""))[1]]
    for id in sorted(different, key=int)[:5]:
        print(f"\n{texts[int(id) - 1]!r}\n  WikiExtractor: {expected.get(id, (None, ''))[1]!r}"
              f"\n  bertkit:       {actual.get(id, (None, ''))[1]!r}")
    print(f"\nrandom snippets: {len(texts)}, {len(expected)} with text, {len(different)} different")
    assert not different, f"{len(different)} of {len(texts)} snippets differ"
