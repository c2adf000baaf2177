#!/usr/bin/env python3
"""Punkt benchmark: BERTKit's trainer and segmenter against NLTK's, in the same run, one thread each.

Texts: the English sample dump's articles (extracted by WikiExtractor, or by `bertkit corpus
extract` with --extractor bertkit) and Alice in Wonderland as one document. Both sides train
document by document (NLTK: `PunktTrainer.train(text, finalize=False)`, then `get_params()`)
and split every document with what they learned (NLTK: `span_tokenize`).

Two tables, in MB of document text (UTF-8) per second:
  work alone: NLTK's calls timed in this process; BERTKit's own timings of the same work from
      the summary lines of `corpus train-punkt` and `corpus format --threads 1`;
  end to end: each `bertkit` command timed from the outside (process start, reading the JSON
      lines, loading or writing the parameters and writing the sentences included).
Each measurement is repeated `--repeat` times, NLTK and BERTKit alternating; the fastest counts.
Run with a Python that has nltk (the .venv scripts/bootstrap.sh makes), on a release build.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

from benchlib import DATA, ENGLISH_DUMP as DUMP, RELEASE_BINARY, machine, read_texts

ALICE = os.path.join(DATA, "books", "gutenberg-11-alice-in-wonderland.txt")


def extract(args, work):
    """The English sample's articles as a JSON lines file."""
    path = os.path.join(work, "english.jsonl")
    if args.extractor == "bertkit":
        subprocess.run([args.bertkit, "corpus", "extract", DUMP, "--output", path, "--quiet"], check=True)
        return path
    out = os.path.join(work, "wikiextractor")
    subprocess.run([args.python, "-m", "wikiextractor.WikiExtractor", "--json", "--processes", "1", "--quiet",
                    "-o", out, DUMP], check=True, stderr=subprocess.DEVNULL)
    with open(path, "w", encoding="utf-8") as jsonl:
        for part in sorted(glob.glob(os.path.join(out, "*", "wiki_*"))):
            with open(part, encoding="utf-8") as lines:
                for line in lines:
                    jsonl.write(json.dumps({"text": json.loads(line)["text"]}) + "\n")
    return path


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def nltk_train(documents):
    trainer = PunktTrainer()
    for document in documents:
        trainer.train(document, finalize=False)
    return trainer.get_params()


def nltk_split(parameters, documents):
    tokenizer = PunktSentenceTokenizer(parameters)
    return sum(len(list(tokenizer.span_tokenize(document))) for document in documents)


def bertkit(command):
    """Runs a bertkit command: its wall time and its summary line."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    return elapsed, result.stderr.strip().splitlines()[-1]


def rate_in(line, label):
    """The MB/s given after `label` in a summary line."""
    match = re.search(re.escape(label) + r" ([0-9.]+) MB/s", line)
    if not match:
        sys.exit(f"no '{label} … MB/s' in: {line}")
    return float(match.group(1))


def measure(args, name, path, work):
    documents = read_texts(path)
    megabytes = sum(len(document.encode()) for document in documents) / 1e6
    params = os.path.join(work, "punkt.json")
    sentences = os.path.join(work, "sentences.txt")
    train = [args.bertkit, "corpus", "train-punkt", path, "--output", params, "--force"]
    split = [args.bertkit, "corpus", "format", path, "--punkt", params, "--output", sentences,
             "--threads", "1", "--force"]
    best = {key: 0.0 for key in ("nltk train", "nltk split", "train alone", "split alone", "train wall", "split wall")}
    for _ in range(args.repeat):
        seconds, parameters = timed(lambda: nltk_train(documents))
        best["nltk train"] = max(best["nltk train"], megabytes / seconds)
        seconds, line = bertkit(train)
        best["train alone"] = max(best["train alone"], rate_in(line, "training alone"))
        best["train wall"] = max(best["train wall"], megabytes / seconds)
        seconds, nltk_sentences = timed(lambda: nltk_split(parameters, documents))
        best["nltk split"] = max(best["nltk split"], megabytes / seconds)
        seconds, line = bertkit(split)
        best["split alone"] = max(best["split alone"], rate_in(line, "segmenting alone"))
        best["split wall"] = max(best["split wall"], megabytes / seconds)
    our_sentences = int(re.search(r"into (\d+) sentences", line).group(1))
    return name, megabytes, len(documents), nltk_sentences, our_sentences, best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--python", default=sys.executable, help="a Python with wikiextractor installed")
    parser.add_argument("--extractor", choices=["wikiextractor", "bertkit"], default="wikiextractor",
                        help="what extracts the English sample's text")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for path in (DUMP, ALICE):
        if not os.path.exists(path):
            sys.exit(f"skipped: {path} is absent")

    work = tempfile.mkdtemp(prefix="bertkit-bench-punkt-")
    try:
        alice = os.path.join(work, "alice.jsonl")
        with open(ALICE, encoding="utf-8") as book, open(alice, "w", encoding="utf-8") as jsonl:
            jsonl.write(json.dumps({"text": book.read()}) + "\n")
        results = [measure(args, f"English Wikipedia sample ({args.extractor})", extract(args, work), work),
                   measure(args, "Alice in Wonderland", alice, work)]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nPunkt, one thread each, best of {args.repeat}; MB of document text per second; {machine()}")
    print("\nWork alone (NLTK's calls in-process; BERTKit's timings of the same work):\n")
    print("| text | MB | documents | NLTK training | BERTKit training | speed-up "
          "| NLTK segmentation | BERTKit segmentation | speed-up | sentences NLTK / BERTKit |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, megabytes, documents, nltk_sentences, our_sentences, best in results:
        print(f"| {name} | {megabytes:.2f} | {documents} | {best['nltk train']:.2f} | {best['train alone']:.1f} "
              f"| {best['train alone'] / best['nltk train']:.0f}x | {best['nltk split']:.2f} | {best['split alone']:.1f} "
              f"| {best['split alone'] / best['nltk split']:.0f}x | {nltk_sentences} / {our_sentences} |")
    print("\nEnd to end (each bertkit command timed from outside: process start, reading, writing):\n")
    print("| text | BERTKit train-punkt | vs NLTK training | BERTKit format | vs NLTK segmentation |")
    print("|---|---|---|---|---|")
    for name, _, _, _, _, best in results:
        print(f"| {name} | {best['train wall']:.1f} | {best['train wall'] / best['nltk train']:.0f}x "
              f"| {best['split wall']:.1f} | {best['split wall'] / best['nltk split']:.0f}x |")


if __name__ == "__main__":
    main()
