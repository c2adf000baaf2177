#!/usr/bin/env python3
"""Data-parallel scaling on one machine: the tokens/s of `bertkit pretrain` as one process of
2 threads against `mpirun -np 2` processes of 1 thread each, the same global batch (one
process: --batch-size sequences a step; two: half each, gradients summed by MPI all-reduce).

The data is the bundled sample corpus's phase-1 HDF5 (`bertkit demo`); the model is a preset's
sizes (tiny by default) with the demo vocabulary's size, as one model file. Each run takes
--steps + 1 steps of one micro-batch, AdamW at 1e-3, validation off; tokens/s (what rank 0
reports: every process's tokens) counts the steps after the first. The two configurations
alternate --repeat times; the best of each counts. Prints a Markdown table.

Needs Open MPI's mpirun (scripts/bootstrap.sh installs it). OPENBLAS_CORETYPE is removed
from the environment (see bench_train_step.py); Open MPI may run as root here.
"""
import argparse
import os
import shutil
import sys
import tempfile

from benchlib import RELEASE_BINARY, demo_model, machine, require_binary, line_fields

ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
ENVIRONMENT.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--model", default="tiny", choices=["tiny", "mini", "small"])
    parser.add_argument("--batch-size", type=int, default=32, help="global sequences per step")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    require_binary(args.bertkit)
    mpirun = shutil.which("mpirun")
    if mpirun is None:
        sys.exit("mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev, or scripts/bootstrap.sh)")

    with tempfile.TemporaryDirectory(prefix="bench-pretrain-mpi-") as work:
        data, model, vocabulary_size = demo_model(args.bertkit, work, args.model)

        def pretrain(run_dir, batch, threads):
            return [args.bertkit, "pretrain", "--model", model, "--data", data,
                    "--run-dir", os.path.join(work, run_dir), "--target-batch-size", str(batch),
                    "--accumulation-steps", "1", "--max-steps", str(args.steps + 1),
                    "--checkpoint-interval", str(args.steps + 1), "--optimizer", "adamw", "--learning-rate", "1e-3",
                    "--threads", str(threads), "--quiet"]

        single, double = [], []
        for attempt in range(args.repeat):
            one = pretrain(f"one{attempt}", args.batch_size, 2)
            two = [mpirun, "--oversubscribe", "--bind-to", "none", "-np", "2"] + pretrain(f"two{attempt}", args.batch_size // 2, 1)
            single.append(float(line_fields(one, ENVIRONMENT)["tokens/s"]))
            double.append(float(line_fields(two, ENVIRONMENT)["tokens/s"]))
            print(f"attempt {attempt + 1}: 1 process x 2 threads {single[-1]:,.0f} tokens/s, "
                  f"2 processes x 1 thread {double[-1]:,.0f} tokens/s", file=sys.stderr)

    print(f"{args.model} sizes with the demo's {vocabulary_size}-token vocabulary, global batch {args.batch_size} x 128, "
          f"AdamW, {args.steps} timed steps, best of {args.repeat}; {machine()}.\n")
    print("| model | global batch | 1 process × 2 threads tokens/s | 2 processes × 1 thread tokens/s | 2 × 1 / 1 × 2 |")
    print("|---|---:|---:|---:|---:|")
    print(f"| {args.model} | {args.batch_size} | {max(single):,.0f} | {max(double):,.0f} | "
          f"{max(double) / max(single):.2f} |")


if __name__ == "__main__":
    main()
