#!/usr/bin/env python3
"""Tokenization benchmark: `bertkit tokenize` against Hugging Face tokenizers'
BertWordPieceTokenizer (uncased, bert-base-uncased vocabulary), in the same run, on the same
text: the articles `bertkit corpus extract` gets from the shared English dump, one line per
paragraph (written --copies times over, so that runs last long enough to time).

Rows (MB/s of UTF-8 input, best of --repeat runs):
  1 thread:   bertkit --threads 1    vs  encode_batch with RAYON_NUM_THREADS=1
  all cores:  bertkit --threads N    vs  encode_batch with RAYON_NUM_THREADS=N
BERTKit's time is the whole process (start, vocabulary, reading, writing ids to a file);
tokenizers' time is the `encode_batch` call alone, the text already in memory. Both give the
same tokens (tests/compat/test_tokenizer_compat.py); the token counts are checked here too.
Prints a Markdown table.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

from benchlib import DATA, ENGLISH_DUMP, RELEASE_BINARY, best, machine, paragraph_text, require, require_binary

VOCAB = os.path.join(DATA, "bert", "vocab.txt")

# Runs in a fresh interpreter so that RAYON_NUM_THREADS is set before tokenizers is imported.
REFERENCE = """
import sys, time
from tokenizers import BertWordPieceTokenizer
vocab, path = sys.argv[1:3]
tokenizer = BertWordPieceTokenizer(vocab, lowercase=True)
with open(path, encoding="utf-8", newline="") as text:
    lines = text.read().split("\\n")[:-1]
start = time.perf_counter()
encodings = tokenizer.encode_batch(lines, add_special_tokens=False)
seconds = time.perf_counter() - start
print(seconds, sum(len(encoding.ids) for encoding in encodings))
"""


def run_bertkit(bertkit, path, threads, output):
    command = [bertkit, "tokenize", "--vocab", VOCAB, "--threads", str(threads), "--quiet", path]
    with open(output, "wb") as out:
        start = time.perf_counter()
        subprocess.run(command, stdout=out, check=True)
        seconds = time.perf_counter() - start
    with open(output, "rb") as ids:
        tokens = sum(len(line.split()) for line in ids)
    return seconds, tokens


def run_reference(python, path, threads):
    environment = dict(os.environ, RAYON_NUM_THREADS=str(threads), TOKENIZERS_PARALLELISM="true")
    result = subprocess.run([python, "-c", REFERENCE, VOCAB, path], env=environment,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"tokenizers failed:\n{result.stderr}")
    seconds, tokens = result.stdout.split()
    return float(seconds), int(tokens)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--python", default=sys.executable, help="a Python with tokenizers installed")
    parser.add_argument("--copies", type=int, default=4, help="times the extracted text is repeated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    require(ENGLISH_DUMP, "the English fixture dump")
    require(VOCAB, "the bert-base-uncased vocabulary")
    require_binary(args.bertkit)

    with tempfile.TemporaryDirectory(prefix="bertkit-bench-") as work:
        path = paragraph_text(args.bertkit, work, args.copies)
        megabytes = os.path.getsize(path) / 1e6
        rows = []
        for label, threads in (("1 thread", 1), (f"all cores ({args.threads})", args.threads)):
            ours, our_tokens = best(lambda: run_bertkit(args.bertkit, path, threads, os.path.join(work, "ids.txt")),
                                    args.repeat)
            theirs, their_tokens = best(lambda: run_reference(args.python, path, threads), args.repeat)
            if our_tokens != their_tokens:
                sys.exit(f"token counts differ: bertkit {our_tokens}, tokenizers {their_tokens}")
            rows.append((label, megabytes / ours, megabytes / theirs, our_tokens))

    version = subprocess.run([args.python, "-c", "import tokenizers; print(tokenizers.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    print(f"Text: {megabytes:.1f} MB ({args.copies} copies of the English dump's extracted articles), "
          f"{rows[0][3]:,} tokens; tokenizers {version}; {machine()}; best of {args.repeat}.\n")
    print("| threads | BERTKit MB/s | tokenizers MB/s | BERTKit / tokenizers |")
    print("|---|---:|---:|---:|")
    for label, ours, theirs, _ in rows:
        print(f"| {label} | {ours:.1f} | {theirs:.1f} | {ours / theirs:.1f}x |")


if __name__ == "__main__":
    main()
