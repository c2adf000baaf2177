#!/usr/bin/env python3
"""Corpus stages benchmark: `corpus format`, `corpus shard` and `corpus prepare` throughput,
and sharding's memory as the corpus grows 50 times.

Input: the English fixture dump, extracted by `bertkit corpus extract`. Rows give wall time,
MB/s of input text and peak RSS; the shard memory row compares the peak RSS of sharding the
formatted fixture with that of sharding it repeated 50 times (target: at most 1.2x).
Run on a release build.
"""
import argparse
import os
import shutil
import sys
import tempfile

from benchlib import ENGLISH_DUMP, RELEASE_BINARY, best, extract_documents, machine, measure, read_texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bertkit-bench-corpus-")
    try:
        documents = extract_documents(args.bertkit, work)
        text_mb = sum(len(text.encode()) for text in read_texts(documents)) / 1e6
        punkt = os.path.join(work, "punkt.json")
        measure([args.bertkit, "corpus", "train-punkt", documents, "--output", punkt, "--quiet"])
        formatted = os.path.join(work, "formatted.txt")
        rows = []

        def row(name, megabytes, result):
            seconds, rss, _ = result
            rows.append(f"| {name} | {megabytes:.1f} MB | {seconds:.2f} s | {megabytes / seconds:.1f} MB/s | {rss:.0f} MB |")

        def format_with(threads):
            return measure([args.bertkit, "corpus", "format", documents, "--punkt", punkt, "--output", formatted,
                            "--threads", str(threads), "--force", "--quiet"])

        row("format, 1 thread (Punkt given)", text_mb, best(lambda: format_with(1), args.repeat))
        row(f"format, {args.threads} threads (Punkt given)", text_mb, best(lambda: format_with(args.threads), args.repeat))
        formatted_mb = os.path.getsize(formatted) / 1e6

        repeated = os.path.join(work, "formatted-x50.txt")
        with open(formatted, "rb") as source, open(repeated, "wb") as out:
            data = source.read()
            for _ in range(50):
                out.write(data)

        def shard(path):
            output = os.path.join(work, "shards")
            shutil.rmtree(output, ignore_errors=True)
            return measure([args.bertkit, "corpus", "shard", path, "--output", output,
                            "--training-shards", "64", "--validation-shards", "4", "--quiet"])

        once = best(lambda: shard(formatted), args.repeat)
        fifty = best(lambda: shard(repeated), 1)
        row("shard into 64 + 4", formatted_mb, once)
        row("shard into 64 + 4, fixture x50", formatted_mb * 50, fifty)

        def prepare():
            output = os.path.join(work, "prepared")
            shutil.rmtree(output, ignore_errors=True)
            return measure([args.bertkit, "corpus", "prepare", ENGLISH_DUMP, "--output", output,
                            "--training-shards", "16", "--validation-shards", "2", "--threads", str(args.threads),
                            "--quiet"])

        row(f"prepare (extract, train Punkt, format, shard), {args.threads} threads, from the .bz2",
            text_mb, best(prepare, args.repeat))

        print(f"\nCorpus stages on the English fixture ({text_mb:.1f} MB of article text); {machine()}\n")
        print("| stage | input | wall | throughput | peak RSS |")
        print("|---|---|---|---|---|")
        for line in rows:
            print(line)
        print(f"\nShard peak RSS, fixture x50 / fixture x1: {fifty[1] / once[1]:.2f}x (target at most 1.2x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
