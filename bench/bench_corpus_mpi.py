#!/usr/bin/env python3
"""Corpus stages under `mpirun -np 2` against one process: `corpus extract`, `format` and
`shard` with two processes of one thread each, one process of two threads, and one process of
one thread, on the same input in the same run, checking that every output is byte for byte
the single process's.

The input is a multistream dump made from the English fixture by make_bench_dump.py (100
pages a stream, the header in a stream of its own, as Wikimedia lays its multistream dumps
out); `format` reads the extracted JSON lines with Punkt parameters trained beforehand
(`corpus train-punkt`, so that no rank waits for rank 0's training), `shard` the formatted
text. Times are wall seconds of the whole command, `mpirun`'s start of the processes
included; best of --repeat. Open MPI may run as root here.
"""
import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile

from benchlib import ENGLISH_DUMP, HERE, RELEASE_BINARY, best, machine, measure, require, require_binary

ENVIRONMENT = {**os.environ, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}
# (label, processes, threads per process)
LAYOUTS = [("1 × 1", 1, 1), ("1 × 2", 1, 2), ("2 × 1", 2, 1)]


def same(left, right):
    """Whether two output files, or two output directories, hold the same bytes."""
    if os.path.isdir(left):
        names = sorted(os.listdir(left))
        return names == sorted(os.listdir(right)) and all(
            filecmp.cmp(os.path.join(left, name), os.path.join(right, name), shallow=False) for name in names)
    return filecmp.cmp(left, right, shallow=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--megabytes", type=float, default=40, help="XML in the multistream dump")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    require_binary(args.bertkit)
    require(ENGLISH_DUMP, "the English fixture dump")
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        sys.exit("mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev, or scripts/bootstrap.sh)")

    with tempfile.TemporaryDirectory(prefix="bench-corpus-mpi-") as work:
        subprocess.run([sys.executable, os.path.join(HERE, "make_bench_dump.py"), ENGLISH_DUMP, work,
                        "--megabytes", str(args.megabytes)], check=True, stdout=subprocess.DEVNULL)
        dump = os.path.join(work, "bench-multistream.xml.bz2")
        punkt = os.path.join(work, "punkt.json")

        def stage(name, arguments, threaded):
            """Runs `bertkit corpus NAME ARGUMENTS --output OUT` in each layout: (seconds by
            layout, the single process's output, whether every output is the same as it)."""
            seconds, outputs = {}, {}
            for label, processes, threads in LAYOUTS:
                output = os.path.join(work, f"{name}-{processes}x{threads}")
                command = [args.bertkit, "corpus", name, *arguments, "--output", output, "--force", "--quiet"]
                if threaded:
                    command += ["--threads", str(threads)]
                elif threads > 1:
                    continue  # `corpus shard` runs on one thread
                if processes > 1:
                    command = [mpirun, "--oversubscribe", "--bind-to", "none", "-np", str(processes)] + command
                seconds[label] = best(lambda: measure(command, env=ENVIRONMENT), args.repeat)[0]
                outputs[label] = output
            reference = outputs["1 × 1"]
            return seconds, reference, all(same(reference, output) for output in outputs.values())

        rows = []
        extract_seconds, documents, extract_same = stage("extract", [dump], threaded=True)
        rows.append(("extract (multistream .bz2)", os.path.getsize(dump), extract_seconds, extract_same))
        subprocess.run([args.bertkit, "corpus", "train-punkt", documents, "--output", punkt, "--force", "--quiet"],
                       check=True)
        format_seconds, formatted, format_same = stage("format", [documents, "--punkt", punkt], threaded=True)
        rows.append(("format (JSON lines)", os.path.getsize(documents), format_seconds, format_same))
        shard_seconds, _, shard_same = stage("shard", [formatted, "--training-shards", "64",
                                                       "--validation-shards", "4"], threaded=False)
        rows.append(("shard (64 + 4 shards)", os.path.getsize(formatted), shard_seconds, shard_same))

    print(f"Multistream dump of {args.megabytes:.0f} MB of XML (the English fixture's pages repeated, 100 a stream);"
          f" wall seconds including `mpirun`, best of {args.repeat}; {machine()}.\n")
    print("| stage | input | 1 process × 1 thread | 1 process × 2 threads | 2 processes × 1 thread |"
          " 2 × 1 against 1 × 2 (speed) | outputs identical |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, size, seconds, identical in rows:
        one, two = seconds["1 × 1"], seconds["2 × 1"]
        two_threads = seconds.get("1 × 2")
        threaded = f"{two_threads:.2f} s" if two_threads else "—"
        ratio = f"{two_threads / two:.2f}x" if two_threads else f"{one / two:.2f}x (against 1 × 1)"
        print(f"| {name} | {size / 1e6:.1f} MB | {one:.2f} s | {threaded} | {two:.2f} s | {ratio} |"
              f" {'yes' if identical else 'NO'} |")

if __name__ == "__main__":
    main()
