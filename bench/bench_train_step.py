#!/usr/bin/env python3
"""Training-step benchmark: `bertkit bench train-step` against PyTorch's
`transformers.BertForPreTraining` with torch.optim.AdamW, same configuration, batch,
sequence length, step counts and thread count, in the same run.

Each side makes its model, then runs --warmup-steps untimed and --steps timed steps, each on
a fresh random batch: every position a real token, token type 0 in the first half of a row
and 1 in the second, the masked slots BERTKit reports (20 at sequence 128) at distinct random
positions other than the first and last, random next-sentence labels. A step is zero the
gradients, forward in training mode (dropout 0.1), backward, clip the global gradient norm
to 1, one AdamW step (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01 except for
names containing bias, gamma, beta or LayerNorm: PyTorch gets the two parameter groups).
Other processes on a shared machine only ever slow a side down: each row runs --rounds rounds,
BERTKit then PyTorch in turn, and each side's best round counts. PyTorch runs in a process of
its own (torch.set_num_threads(--threads); BERTKit `--threads`); each side's peak RSS is its own process's VmHWM. Hugging Face computes the
MLM logits at every position (labels -100 except at the masked slots), BERTKit at the masked
slots only, as NVIDIA's trainer does, and its last layer only at the rows the heads read;
GFLOP/s is the model's nominal matrix-product count (TrainStepBenchmark.flopsPerStep, which
counts every row of the last layer) over BERTKit's step time, set against the machine's sgemm:
torch.mm of two 2048 x 2048 float32 matrices on the same threads, in the same run.

--character-bert adds CharacterBERT rows: BERTKit's against the PyTorch CharacterBERT of
scripts/make_reference_fixtures.py with the paper's character CNN and a 100,000-word MLM
vocabulary.

OpenBLAS picks its kernels for the CPU when it is loaded, unless OPENBLAS_CORETYPE names a
core; the development machine's environment sets OPENBLAS_CORETYPE=Haswell, which on its
AVX-512 CPU (detected as Cooper Lake, whose single-precision GEMM kernels are SkylakeX's)
halves sgemm's speed. BERTKit runs with the variable removed (OpenBLAS's own choice) unless
--openblas-coretype names one; the core used is printed with the table.

Needs a release build (`swift build -c release`) and, for --python, an interpreter with
scripts/requirements-fixtures.txt installed (torch, transformers), e.g. a venv outside the
repository as Tests/Fixtures/reference/README.md makes. Targets of the issue: at least 1.5x
PyTorch's tokens/s with a peak RSS no higher. Prints a Markdown table.
"""
import argparse
import json
import os
import subprocess
import sys

from benchlib import PRESETS, RELEASE_BINARY, REPO, machine, python_json, require_binary

ROWS = [("mini", 32), ("base", 8)]
CHARACTER_BERT_VOCABULARY = 100_000  # ModelConfigurationFile.characterBERTVocabularySize

# PyTorch's side: one JSON object in, one out (tokens/s, s/step, peak RSS and RSS after the imports in
# MB, last loss, versions).
TORCH = r"""
import json, sys, time
spec = json.loads(sys.argv[1])
import torch
import transformers
from transformers import BertConfig, BertForPreTraining
torch.set_num_threads(spec["threads"])
torch.manual_seed(spec["seed"])
layers, hidden = spec["layers"], spec["hidden"]
config = BertConfig(vocab_size=spec["vocabulary"], hidden_size=hidden, num_hidden_layers=layers,
                    num_attention_heads=hidden // 64, intermediate_size=4 * hidden, attn_implementation="sdpa")

def resident_mb(key):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(key + ":")) * 1024 / 1e6

imports_mb = resident_mb("VmRSS")
batch, sequence, predictions = spec["batch"], spec["sequence"], spec["predictions"]
if spec["character_bert"]:
    sys.path.insert(0, spec["scripts"])
    import make_reference_fixtures as fixtures
    fixtures.CHARACTER.update(filters=[[1, 32], [2, 32], [3, 64], [4, 128], [5, 256], [6, 512], [7, 1024]],
                              n_highway=2, embedding_dim=16, n_characters=263, max_characters_per_token=50)
    model = fixtures.CharacterBertForPreTraining(config, spec["vocabulary"])
    model.initialize()
    def loss_of(inputs):
        _, _, mlm, nsp = fixtures.losses(model, inputs)
        return mlm + nsp
else:
    model = BertForPreTraining(config)
    def loss_of(inputs):
        return model(input_ids=inputs["input_ids"], token_type_ids=inputs["token_type_ids"],
                     attention_mask=inputs["attention_mask"], labels=inputs["dense_labels"],
                     next_sentence_label=inputs["next_sentence_label"]).loss
model.train()
no_decay = ("bias", "gamma", "beta", "LayerNorm")
named = list(model.named_parameters())
optimizer = torch.optim.AdamW(
    [{"params": [p for n, p in named if not any(k in n for k in no_decay)], "weight_decay": 0.01},
     {"params": [p for n, p in named if any(k in n for k in no_decay)], "weight_decay": 0.0}],
    lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
generator = torch.Generator().manual_seed(spec["seed"])

def random_batch():
    if spec["character_bert"]:
        ids = torch.randint(1, 263, (batch, sequence, 50), generator=generator)
    else:
        ids = torch.randint(1, spec["vocabulary"], (batch, sequence), generator=generator)
    types = (torch.arange(sequence) >= sequence // 2).long().expand(batch, sequence)
    candidates = torch.arange(1, sequence - 1) if sequence >= 3 else torch.arange(sequence)
    labels = torch.full((batch, sequence), -100, dtype=torch.long)
    for row in range(batch):
        positions = candidates[torch.randperm(len(candidates), generator=generator)[:predictions]]
        labels[row, positions] = torch.randint(0, spec["vocabulary"], (predictions,), generator=generator)
    return {"input_ids": ids, "token_type_ids": types, "attention_mask": torch.ones(batch, sequence, dtype=torch.long),
            "dense_labels": labels, "next_sentence_label": torch.randint(0, 2, (batch,), generator=generator)}

seconds = 0.0
for step in range(spec["warmup_steps"] + spec["steps"]):
    inputs = random_batch()
    start = time.perf_counter()
    optimizer.zero_grad(set_to_none=True)
    loss = loss_of(inputs)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    if step >= spec["warmup_steps"]:
        seconds += time.perf_counter() - start
per_step = seconds / spec["steps"]
print(json.dumps({"tokens_per_second": batch * sequence / per_step, "seconds_per_step": per_step,
                  "peak_rss_mb": resident_mb("VmHWM"), "imports_rss_mb": imports_mb, "loss": loss.item(),
                  "attention": str(config._attn_implementation), "torch": torch.__version__,
                  "transformers": transformers.__version__}))
"""

# The machine's sgemm: the best of 5 torch.mm of 2048 x 2048 float32 on the given threads, GFLOP/s.
SGEMM = r"""
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
torch.mm(a, b)
times = []
for _ in range(5):
    start = time.perf_counter()
    torch.mm(a, b)
    times.append(time.perf_counter() - start)
print(2 * 2048 ** 3 / min(times) / 1e9)
"""


def bertkit_step(args, model, batch, character_bert):
    """BERTKit's train-step line as a dictionary of its fields."""
    command = [args.bertkit, "bench", "train-step", "--model", model, "--batch-size", str(batch), "--seq-length",
               str(args.seq_length), "--steps", str(args.steps), "--warmup-steps", str(args.warmup_steps), "--threads",
               str(args.threads), "--seed", str(args.seed)] + (["--character-bert"] if character_bert else [])
    environment = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
    if args.openblas_coretype:
        environment["OPENBLAS_CORETYPE"] = args.openblas_coretype
    environment["OPENBLAS_VERBOSE"] = "2"  # OpenBLAS prints "Core: <name>" to stderr
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr}")
    fields = dict(field.split("=", 1) for field in result.stdout.split()[1:])
    cores = [line.split(":", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("Core:")]
    fields["openblas_core"] = cores[-1] if cores else "unknown"
    return fields


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--python", default="python3", help="a Python with torch and transformers")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup-steps", type=int, default=1)
    parser.add_argument("--seq-length", type=int, default=128)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of both sides, one after the other; each side's best round counts")
    parser.add_argument("--character-bert", action="store_true", help="add CharacterBERT rows")
    parser.add_argument("--openblas-coretype", default="",
                        help="OPENBLAS_CORETYPE for BERTKit (default: none, OpenBLAS's own choice for the CPU)")
    args = parser.parse_args()
    require_binary(args.bertkit)

    sgemm = python_json(args.python, SGEMM, args.threads)
    rows = []
    for character_bert in [False, True] if args.character_bert else [False]:
        for model, batch in ROWS:
            layers, hidden = PRESETS[model]
            name = model + (" CharacterBERT" if character_bert else "")
            ours, theirs = [], []
            for round in range(args.rounds):
                ours.append(bertkit_step(args, model, batch, character_bert))
                spec = {"layers": layers, "hidden": hidden, "batch": batch, "sequence": args.seq_length,
                        "predictions": int(ours[-1]["predictions"]), "steps": args.steps,
                        "warmup_steps": args.warmup_steps, "threads": args.threads, "seed": args.seed,
                        "character_bert": character_bert,
                        "vocabulary": CHARACTER_BERT_VOCABULARY if character_bert else 30522,
                        "scripts": os.path.join(REPO, "scripts")}
                theirs.append(python_json(args.python, TORCH, json.dumps(spec)))
                print(f"{name} batch {batch}, round {round + 1}: BERTKit {ours[-1]['tokens/s']} tokens/s, "
                      f"PyTorch {theirs[-1]['tokens_per_second']:.1f} tokens/s", file=sys.stderr)
            rows.append((name, batch, max(ours, key=lambda fields: float(fields["tokens/s"])),
                         max(theirs, key=lambda fields: fields["tokens_per_second"])))

    versions = rows[0][3]
    print(f"Sequence {args.seq_length}, {rows[0][2]['predictions']} masked slots, {args.threads} threads each side,"
          f" {args.warmup_steps} warm-up + {args.steps} timed steps, random batches, each side's best of"
          f" {args.rounds} rounds run in turn with the other's; PyTorch {versions['torch']},"
          f" transformers {versions['transformers']} ({versions['attention']} attention); sgemm (torch.mm 2048^3"
          f" float32, {args.threads} threads): {sgemm:.0f} GFLOP/s; BERTKit's OpenBLAS core:"
          f" {rows[0][2]['openblas_core']}; {machine()}.\n")
    print("| model | batch | BERTKit tokens/s | PyTorch tokens/s | BERTKit / PyTorch | BERTKit peak RSS |"
          " PyTorch peak RSS | BERTKit GFLOP/s | % of sgemm | targets (>= 1.5x, RSS no higher) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, batch, ours, theirs in rows:
        ratio = float(ours["tokens/s"]) / theirs["tokens_per_second"]
        rss, their_rss = float(ours["peak_rss_mb"]), theirs["peak_rss_mb"]
        gflops = float(ours["GFLOP/s"])
        met = "met" if ratio >= 1.5 and rss <= their_rss else "not met"
        print(f"| {name} | {batch} | {float(ours['tokens/s']):,.0f} | {theirs['tokens_per_second']:,.0f} | {ratio:.2f}x |"
              f" {rss:,.0f} MB | {their_rss:,.0f} MB ({theirs['imports_rss_mb']:,.0f} MB after the imports) | {gflops:.1f} | {100 * gflops / sgemm:.0f}% | {met} |")


if __name__ == "__main__":
    main()
