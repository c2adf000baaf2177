#!/usr/bin/env python3
"""Extraction benchmark: BERTKit against WikiExtractor and `bzip2 -dc`, in the same run.

Rows (wall seconds, MB/s of XML, peak RSS of each process):
  plain XML, 1 thread:        bertkit --threads 1   vs  WikiExtractor --processes 1
  single-stream .bz2, 1 thread: bertkit --threads 1 vs  bzip2 -dc alone
  multistream .bz2, all cores:  bertkit --threads N vs  bzip2 -dc alone
Each command runs `--repeat` times; the fastest run counts. Prints a Markdown table.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from benchlib import ENGLISH_DUMP, RELEASE_BINARY, best, machine, measure, require


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--python", default=sys.executable, help="a Python with wikiextractor installed")
    parser.add_argument("--megabytes", type=float, default=60)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    require(ENGLISH_DUMP, "the English fixture dump")

    work = tempfile.mkdtemp(prefix="bertkit-bench-")
    try:
        subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "make_bench_dump.py"), ENGLISH_DUMP, work,
                        "--megabytes", str(args.megabytes)], check=True)
        plain = os.path.join(work, "bench.xml")
        single = os.path.join(work, "bench.xml.bz2")
        multi = os.path.join(work, "bench-multistream.xml.bz2")
        megabytes = os.path.getsize(plain) / 1e6
        out = os.path.join(work, "out.jsonl")

        def bertkit(path, threads):
            return [args.bertkit, "corpus", "extract", path, "--output", out, "--threads", str(threads),
                    "--force", "--quiet"]

        wikiextractor = [args.python, "-m", "wikiextractor.WikiExtractor", "--json", "--processes", "1",
                         "--quiet", "-o", os.path.join(work, "wx"), plain]
        bunzip_single = ["bzip2", "-dc", single]
        bunzip_multi = ["bzip2", "-dc", multi]

        rows = []
        reference = best(lambda: measure(wikiextractor), 1)

        def row(name, ours, reference, reference_name):
            ours_rate, reference_rate = megabytes / ours[0], megabytes / reference[0]
            rows.append(f"| {name} | {ours[0]:.2f} s, {ours_rate:.1f} MB/s, {ours[1]:.0f} MB RSS "
                        f"| {reference_name}: {reference[0]:.2f} s, {reference_rate:.1f} MB/s, {reference[1]:.0f} MB RSS "
                        f"| {ours_rate / reference_rate:.2f}x |")

        row("plain XML, 1 thread", best(lambda: measure(bertkit(plain, 1)), args.repeat),
            reference, "WikiExtractor --processes 1")
        row("single-stream .bz2, 1 thread", best(lambda: measure(bertkit(single, 1)), args.repeat),
            best(lambda: measure(bunzip_single), args.repeat), "bzip2 -dc")
        row(f"multistream .bz2, {args.threads} threads", best(lambda: measure(bertkit(multi, args.threads)), args.repeat),
            best(lambda: measure(bunzip_multi), args.repeat), "bzip2 -dc")
        row("plain XML, all cores", best(lambda: measure(bertkit(plain, args.threads)), args.repeat),
            reference, "WikiExtractor --processes 1")

        print(f"\nExtraction, {megabytes:.1f} MB of XML (the English fixture's pages repeated); {machine()}\n")
        print("| input | BERTKit | reference | BERTKit / reference (speed) |")
        print("|---|---|---|---|")
        for line in rows:
            print(line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
