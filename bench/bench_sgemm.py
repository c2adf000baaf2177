#!/usr/bin/env python3
"""The products' ceiling: OpenBLAS's sgemm (BERTKit's, from libopenblas-dev) against PyTorch's
torch.mm (its bundled MKL/oneDNN) on the shapes of a BERT-base training step at batch 8 x 128,
on the same threads, in the same run.

BERTKit's CPU backend splits each product between its pool's threads, each running
single-threaded OpenBLAS on its half of the rows (or columns): the rows "1 thread" are those
halves; "2 threads" rows run the whole product on 2 threads (OpenBLAS's own for BERTKit's
column, torch.set_num_threads(2) for PyTorch's). GFLOP/s, best of 7 each. Needs gcc and
libopenblas-dev (scripts/bootstrap.sh), and --python an interpreter with torch.
"""
import argparse
import json
import os
import subprocess
import tempfile

from benchlib import HERE, machine, python_json

# PyTorch's side: the same shapes with torch.mm (transposes as views, as F.linear does).
TORCH = r"""
import json, sys, time, torch
shapes = json.loads(sys.argv[1])
rates = []
for name, m, n, k, transpose_a, transpose_b, threads in shapes:
    torch.set_num_threads(threads)
    a = torch.randn(k, m).t() if transpose_a else torch.randn(m, k)
    b = torch.randn(n, k).t() if transpose_b else torch.randn(k, n)
    torch.mm(a, b)
    best = 1e30
    for _ in range(7):
        start = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - start)
    rates.append(2 * m * n * k / best / 1e9)
print(json.dumps(rates))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="python3", help="a Python with torch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sgemm-") as work:
        binary = os.path.join(work, "sgemm_shapes")
        subprocess.run(["gcc", "-O2", os.path.join(HERE, "sgemm_shapes.c"), "-o", binary, "-lopenblas"], check=True)
        environment = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
        lines = subprocess.run([binary], check=True, capture_output=True, text=True, env=environment).stdout.split("\n")
    rows = [line.split() for line in lines if line]
    shapes = [(name, *map(int, numbers)) for name, *numbers, _ in rows]
    theirs = python_json(args.python, TORCH, json.dumps(shapes))
    print(f"Best of 7 each; OpenBLAS's core left to its own choice (no OPENBLAS_CORETYPE); {machine()}.\n")
    print("| product | M × N × K | threads | OpenBLAS GFLOP/s | torch.mm GFLOP/s | OpenBLAS / torch.mm |")
    print("|---|---|---:|---:|---:|---:|")
    for (name, m, n, k, _, _, threads, ours), rate in zip(rows, theirs):
        print(f"| {name.replace('_', ' ')} | {m} × {n} × {k} | {threads} | {float(ours):.1f} | {rate:.1f} |"
              f" {float(ours) / rate:.2f} |")


if __name__ == "__main__":
    main()
