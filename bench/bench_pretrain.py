#!/usr/bin/env python3
"""Trainer overhead: the tokens/s of `bertkit pretrain` (real HDF5 data, its loader, logging,
TensorBoard) against the bare forward/backward/step of `bertkit bench train-step`, same model,
batch, sequence length, optimizer and thread count, in the same run.

The data is the bundled sample corpus's phase-1 HDF5 (`bertkit demo`: sequence 128, 20
masked slots); the model is a preset's sizes (mini by default) with the demo vocabulary's
size, given to both commands as one model file. `pretrain` runs --steps + 1 steps of one
micro-batch with AdamW at 1e-3 (what train-step takes), validation off and one checkpoint
after the last step; its tokens/s counts the steps after the first, data reading included,
the checkpoint not. train-step runs 1 warm-up and --steps timed steps. Each command runs
--repeat times, alternating; the best of each counts. Target of the issue: pretrain within
5% of train-step. Prints a Markdown table.

OPENBLAS_CORETYPE is removed from both commands' environment (see bench_train_step.py).
"""
import argparse
import os
import sys
import tempfile

from benchlib import PRESETS, RELEASE_BINARY, demo_model, line_fields, machine, require_binary

ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--model", default="mini", choices=sorted(PRESETS))
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    require_binary(args.bertkit)

    with tempfile.TemporaryDirectory(prefix="bench-pretrain-") as work:
        data, model, vocabulary_size = demo_model(args.bertkit, work, args.model)
        threads = ["--threads", str(args.threads)]
        pretrain_rates, step_rates = [], []
        for attempt in range(args.repeat):
            pretrain = line_fields([args.bertkit, "pretrain", "--model", model, "--data", data,
                                    "--run-dir", os.path.join(work, f"run{attempt}"), "--target-batch-size",
                                    str(args.batch_size), "--accumulation-steps", "1", "--max-steps", str(args.steps + 1),
                                    "--checkpoint-interval", str(args.steps + 1), "--optimizer", "adamw",
                                    "--learning-rate", "1e-3", "--quiet"] + threads, env=ENVIRONMENT)
            pretrain_rates.append(float(pretrain["tokens/s"]))
            step = line_fields([args.bertkit, "bench", "train-step", "--model", model, "--batch-size", str(args.batch_size),
                                "--seq-length", "128", "--steps", str(args.steps), "--warmup-steps", "1"] + threads,
                               env=ENVIRONMENT)
            step_rates.append(float(step["tokens/s"]))
            print(f"attempt {attempt + 1}: pretrain {pretrain_rates[-1]:,.0f} tokens/s, "
                  f"train-step {step_rates[-1]:,.0f} tokens/s", file=sys.stderr)

    ours, bare = max(pretrain_rates), max(step_rates)
    ratio = ours / bare
    print(f"{args.model} sizes with the demo's {vocabulary_size}-token vocabulary, batch {args.batch_size} x 128, "
          f"AdamW, {args.threads} threads, {args.steps} timed steps, best of {args.repeat}; {machine()}.\n")
    print("| model | batch | pretrain tokens/s | train-step tokens/s | pretrain / train-step | target (>= 0.95) |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| {args.model} | {args.batch_size} | {ours:,.0f} | {bare:,.0f} | {ratio:.3f} |"
          f" {'met' if ratio >= 0.95 else 'not met'} |")


if __name__ == "__main__":
    main()
