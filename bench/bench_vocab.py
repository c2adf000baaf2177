#!/usr/bin/env python3
"""Vocabulary benchmark: `bertkit vocab wordpiece` against Hugging Face tokenizers'
BertWordPieceTokenizer.train, and `bertkit vocab mlm` against CharacterBERT's
build_mlm_vocabulary.py counting, in the same run, on the same text: the articles
`bertkit corpus extract` gets from the shared English dump, one paragraph per line (written
--copies times over, so that runs last long enough to time).

Rows (best of --repeat runs):
  WordPiece, 1 thread:  bertkit --threads 1  vs  train() with RAYON_NUM_THREADS=1
  WordPiece, all cores: bertkit --threads N  vs  train() with RAYON_NUM_THREADS=N
  MLM vocabulary:       bertkit vocab mlm (1 thread and all cores)  vs  the script's Counter loop
Both trainers learn the same vocabulary size (--vocab-size, uncased, min frequency 2, alphabet
limit 1000) from the same file. BERTKit's time is the whole process (start, reading, counting,
merging, writing); tokenizers' is the train() call alone (reading, counting, merging); the
script's is its reading and counting loop alone. Prints a Markdown table.
"""
import argparse
import platform
import os
import subprocess
import sys
import tempfile
import time

from benchlib import ENGLISH_DUMP, RELEASE_BINARY, machine, paragraph_text, require, require_binary

# Runs in a fresh interpreter so that RAYON_NUM_THREADS is set before tokenizers is imported.
TRAIN = """
import sys, time
from tokenizers import BertWordPieceTokenizer
path, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tokenizer = BertWordPieceTokenizer(lowercase=True)
start = time.perf_counter()
tokenizer.train([path], vocab_size=size, min_frequency=2, limit_alphabet=1000, show_progress=False)
seconds = time.perf_counter() - start
print(seconds, tokenizer.get_vocab_size())
"""

# build_mlm_vocabulary.py's counting, most_common and writing, timed without its logging.
MLM = """
import sys, time
from collections import Counter
path, size = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
counter = Counter()
with open(path, "r", encoding="utf-8") as stream:
    for line in stream:
        line = line.strip()
        if line:
            counter.update(line.split())
top = counter.most_common()[:size]
text = "".join(f"{count} {token}\\n" for token, count in top)
print(time.perf_counter() - start, len(top))
"""


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def run_python(python, script, threads, *args):
    environment = dict(os.environ, RAYON_NUM_THREADS=str(threads), TOKENIZERS_PARALLELISM="true")
    result = subprocess.run([python, "-c", script, *map(str, args)], env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"reference failed:\n{result.stderr}")
    seconds, size = result.stdout.split()
    return float(seconds), int(size)


def line_count(path):
    with open(path, encoding="utf-8") as file:
        return sum(1 for _ in file)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--python", default=sys.executable, help="a Python with tokenizers installed")
    parser.add_argument("--copies", type=int, default=4, help="times the extracted text is repeated")
    parser.add_argument("--vocab-size", type=int, default=30522)
    parser.add_argument("--mlm-size", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    require(ENGLISH_DUMP, "the English fixture dump")
    require_binary(args.bertkit)

    with tempfile.TemporaryDirectory(prefix="bertkit-bench-") as work:
        path = paragraph_text(args.bertkit, work, args.copies)
        megabytes = os.path.getsize(path) / 1e6
        vocab = os.path.join(work, "vocab.txt")
        rows = []
        for label, threads in (("1 thread", 1), (f"all cores ({args.threads})", args.threads)):
            command = [args.bertkit, "vocab", "wordpiece", path, "--input-format", "lines", "--output", vocab, "--force",
                       "--vocab-size", str(args.vocab_size), "--min-frequency", "2", "--limit-alphabet", "1000",
                       "--threads", str(threads), "--quiet"]
            ours = min(timed(command) for _ in range(args.repeat))
            our_size = line_count(vocab)
            theirs, their_size = min(run_python(args.python, TRAIN, threads, path, args.vocab_size, work)
                                     for _ in range(args.repeat))
            rows.append((f"WordPiece training, {label}", f"{ours:.2f} s", f"{theirs:.2f} s", theirs / ours,
                         f"{our_size} / {their_size} tokens"))

        mlm = os.path.join(work, "mlm.txt")
        theirs, their_size = min(run_python(args.python, MLM, 1, path, args.mlm_size) for _ in range(args.repeat))
        for label, threads in (("1 thread", 1), (f"all cores ({args.threads})", args.threads)):
            command = [args.bertkit, "vocab", "mlm", path, "--output", mlm, "--force",
                       "--max-vocabulary-size", str(args.mlm_size), "--threads", str(threads), "--quiet"]
            ours = min(timed(command) for _ in range(args.repeat))
            rows.append((f"MLM vocabulary, {label}", f"{megabytes / ours:.1f} MB/s", f"{megabytes / theirs:.1f} MB/s",
                         theirs / ours, f"{line_count(mlm)} / {their_size} tokens"))

    version = subprocess.run([args.python, "-c", "import tokenizers; print(tokenizers.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    print(f"Text: {megabytes:.1f} MB ({args.copies} copies of the English dump's extracted articles, a paragraph per"
          f" line); WordPiece vocabulary {args.vocab_size} (uncased, min frequency 2, alphabet limit 1000), MLM"
          f" vocabulary {args.mlm_size}; tokenizers {version}, Python {platform.python_version()}; {machine()};"
          f" best of {args.repeat}.\n")
    print("| what | BERTKit | reference | BERTKit speed-up | vocabulary (BERTKit / reference) |")
    print("|---|---:|---:|---:|---|")
    for what, ours, theirs, ratio, sizes in rows:
        print(f"| {what} | {ours} | {theirs} | {ratio:.1f}x | {sizes} |")


if __name__ == "__main__":
    main()
