#!/usr/bin/env python3
"""GPU training-step benchmark: `bertkit bench train-step --device cuda` on BERT-base against
Hugging Face's `BertForPreTraining` under bf16 autocast, on the same GPU in the same run.

Rows: NVIDIA's phase 1 (sequence 128, 20 masked slots) and phase 2 (sequence 512, 80 masked
slots), each at its --batch-1 / --batch-2. Each side makes its model, runs --warmup-steps
untimed and --steps timed steps on fresh random batches (every position a real token; the
step is zero the gradients, forward with dropout 0.1, backward, clip the global norm to 1,
AdamW lr 1e-3 with weight decay 0.01 except biases and LayerNorm) and reports sequences/s.
TFLOP/s is BERTKit's matrix-product count for the shape (`TrainStepBenchmark.flopsPerStep`,
the GFLOP/step of its line) over each side's step time, for both sides (Hugging Face computes
the MLM logits at every position, so it does more work than counted), set against the GPU's
measured bf16 GEMM peak: the best of 10 torch.matmul of two 8192 x 8192 bfloat16 matrices.

BERTKit's first version keeps activations in float32 and runs the products with bf16 tensor
cores on float32 storage (Sources/CUDA/CUBLASLt.swift); PyTorch keeps fp32 weights and runs
autocast's bf16 kernels (fused AdamW, SDPA attention).

Run on the GPU machine, e.g. with the package of scripts/device-package.sh:
    python3 bench/bench_gpu.py --bertkit device/run.sh
Without PyTorch (or without CUDA in it) the Hugging Face rows and the GEMM peak are skipped
with a message and BERTKit's rows stand alone. Prints a Markdown table.
"""
import argparse
import json
import os
import subprocess
import sys

from benchlib import REPO, line_fields, python_json

PHASES = {1: (128, 20), 2: (512, 80)}

# PyTorch's side: one JSON object in, one out (sequences/s, s/step, last loss, versions).
TORCH = r"""
import json, sys, time
spec = json.loads(sys.argv[1])
import torch
import transformers
from transformers import BertConfig, BertForPreTraining
torch.manual_seed(spec["seed"])
device = torch.device("cuda")
config = BertConfig(attn_implementation="sdpa")  # BERT-base: 30522 x 768, 12 layers, 12 heads, 3072
model = BertForPreTraining(config).to(device).train()
no_decay = ("bias", "gamma", "beta", "LayerNorm")
named = list(model.named_parameters())
optimizer = torch.optim.AdamW(
    [{"params": [p for n, p in named if not any(k in n for k in no_decay)], "weight_decay": 0.01},
     {"params": [p for n, p in named if any(k in n for k in no_decay)], "weight_decay": 0.0}],
    lr=1e-3, betas=(0.9, 0.999), eps=1e-8, fused=True)
batch, sequence, predictions = spec["batch"], spec["sequence"], spec["predictions"]
generator = torch.Generator().manual_seed(spec["seed"])

def random_batch():
    ids = torch.randint(1, config.vocab_size, (batch, sequence), generator=generator)
    types = (torch.arange(sequence) >= sequence // 2).long().expand(batch, sequence)
    labels = torch.full((batch, sequence), -100, dtype=torch.long)
    for row in range(batch):
        positions = 1 + torch.randperm(sequence - 2, generator=generator)[:predictions]
        labels[row, positions] = torch.randint(0, config.vocab_size, (predictions,), generator=generator)
    inputs = {"input_ids": ids, "token_type_ids": types, "attention_mask": torch.ones(batch, sequence, dtype=torch.long),
              "labels": labels, "next_sentence_label": torch.randint(0, 2, (batch,), generator=generator)}
    return {key: value.to(device, non_blocking=True) for key, value in inputs.items()}

seconds = 0.0
for step in range(spec["warmup_steps"] + spec["steps"]):
    inputs = random_batch()
    torch.cuda.synchronize()
    start = time.perf_counter()
    optimizer.zero_grad(set_to_none=True)
    with torch.autocast("cuda", dtype=torch.bfloat16):
        loss = model(**inputs).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    torch.cuda.synchronize()
    if step >= spec["warmup_steps"]:
        seconds += time.perf_counter() - start
per_step = seconds / spec["steps"]
print(json.dumps({"sequences_per_second": batch / per_step, "seconds_per_step": per_step, "loss": loss.item(),
                  "torch": torch.__version__, "transformers": transformers.__version__,
                  "gpu": torch.cuda.get_device_name()}))
"""

# The GPU's bf16 GEMM peak: the best of 10 torch.matmul of 8192 x 8192 bfloat16 matrices, TFLOP/s.
GEMM = r"""
import time, torch
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
torch.matmul(a, b)
best = float("inf")
for _ in range(10):
    torch.cuda.synchronize()
    start = time.perf_counter()
    torch.matmul(a, b)
    torch.cuda.synchronize()
    best = min(best, time.perf_counter() - start)
print(2 * 8192 ** 3 / best / 1e12)
"""


def torch_ready(python):
    """Why PyTorch cannot run the reference here, or None when it can."""
    check = subprocess.run([python, "-c", "import torch, transformers; assert torch.cuda.is_available()"],
                           capture_output=True, text=True)
    if check.returncode == 0:
        return None
    return (check.stderr.strip().splitlines() or ["unknown error"])[-1]


def bertkit_step(args, batch, sequence, predictions):
    """BERTKit's train-step line as a dictionary of its fields."""
    command = [args.bertkit, "bench", "train-step", "--model", "base", "--batch-size", str(batch),
               "--seq-length", str(sequence), "--max-predictions", str(predictions), "--steps", str(args.steps),
               "--warmup-steps", str(args.warmup_steps), "--device", "cuda", "--seed", str(args.seed)]
    return line_fields(command)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.path.join(REPO, "device", "run.sh")
    parser.add_argument("--bertkit", default=default if os.path.exists(default) else os.path.join(REPO, ".build", "release", "bertkit"))
    parser.add_argument("--python", default=sys.executable, help="The interpreter with torch and transformers.")
    parser.add_argument("--phases", type=int, nargs="+", default=[1, 2], choices=sorted(PHASES))
    parser.add_argument("--batch-1", type=int, default=64, help="Sequences per step in phase 1.")
    parser.add_argument("--batch-2", type=int, default=16, help="Sequences per step in phase 2.")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup-steps", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()

    missing = torch_ready(args.python)
    if missing:
        print(f"PyTorch with CUDA is not available ({missing}): skipping the Hugging Face rows and the GEMM peak")
    peak = None if missing else python_json(args.python, GEMM)
    rows = ["| phase | implementation | batch | seq | masked | sequences/s | TFLOP/s | of bf16 GEMM peak | vs Hugging Face |",
            "|---|---|---|---|---|---|---|---|---|"]
    versions = ""
    for phase in args.phases:
        sequence, predictions = PHASES[phase]
        batch = args.batch_1 if phase == 1 else args.batch_2
        fields = bertkit_step(args, batch, sequence, predictions)
        seconds, flops = float(fields["s/step"]), float(fields["GFLOP/step"]) * 1e9
        ours = batch / seconds
        theirs = None
        if not missing:
            spec = {"batch": batch, "sequence": sequence, "predictions": predictions, "steps": args.steps,
                    "warmup_steps": args.warmup_steps, "seed": args.seed}
            theirs = python_json(args.python, TORCH, json.dumps(spec))
            versions = f"torch {theirs['torch']}, transformers {theirs['transformers']}, {theirs['gpu']}"

        def row(name, sequences_per_second, ratio):
            tflops = flops * sequences_per_second / batch / 1e12
            share = f"{tflops / peak:.1%}" if peak else "?"
            rows.append(f"| {phase} | {name} | {batch} | {sequence} | {predictions} | {sequences_per_second:.1f} | "
                        f"{tflops:.1f} | {share} | {ratio} |")

        row(f"BERTKit (peak device memory {float(fields['peak_device_mb']) / 1e3:.1f} GB)", ours,
            f"{ours / theirs['sequences_per_second']:.2f}x" if theirs else "?")
        if theirs:
            row("Hugging Face, bf16 autocast", theirs["sequences_per_second"], "1.00x")
    print("\n".join(rows))
    if peak:
        print(f"\nbf16 GEMM peak (torch.matmul 8192^3): {peak:.1f} TFLOP/s; {versions}")


if __name__ == "__main__":
    main()
