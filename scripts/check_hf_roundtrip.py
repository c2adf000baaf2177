#!/usr/bin/env python3
"""Holds `bertkit export hf` and `bertkit import hf` against transformers. Not run by CI (it
needs torch and transformers, scripts/requirements-fixtures.txt).

    /work/venv-torch/bin/python scripts/check_hf_roundtrip.py [--bertkit .build/release/bertkit]

Export: on the demo's data (`bertkit demo`), `bertkit pretrain` trains a tiny BERT with
next-sentence prediction and one MLM-only for a few steps, and `bertkit export hf` writes
each; transformers' AutoModelForPreTraining and AutoModelForMaskedLM must load them without
missing weights and without unexpected ones (but for the pooler and next-sentence head of
the NSP model loaded as a masked LM, which transformers reports for Google's
bert-base-uncased too); AutoTokenizer must give the ids `bertkit tokenize` gives; and the
MLM and NSP logits transformers computes on sentence pairs of the demo corpus (some tokens
masked, padding) must equal those of `bertkit logits` on the checkpoint.

Import: transformers makes a random BertForPreTraining and a random BertForMaskedLM, saved
in F32 and in BF16; `bertkit import hf` makes checkpoints of them, whose `bertkit logits`
must equal transformers' on the same input (the BF16 file against its model in F32: the
conversion is exact); export of the import must give back the same tensors.

CharacterBERT: a tiny CharacterBERT is pre-trained and exported; the PyTorch CharacterBERT of
scripts/make_reference_fixtures.py (helboukkouri/character-bert's layers), sized from the
exported config.json, must load model.safetensors and give `bertkit logits`' logits.

Every logit must agree within 1e-4; the script prints the worst differences and exits 1 if
any check fails.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from safetensors import safe_open
from transformers import (AutoModelForMaskedLM, AutoModelForPreTraining, AutoTokenizer, BertConfig,
                          BertForMaskedLM, BertForPreTraining)
from transformers.utils import logging as transformers_logging

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "scripts"))
import make_reference_fixtures as reference  # noqa: E402

TOLERANCE = 1e-4
SEQUENCE = 48
failures = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        failures.append(message)


def run(bertkit, *arguments):
    result = subprocess.run([bertkit, *map(str, arguments)], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"bertkit {' '.join(map(str, arguments))} failed:\n{result.stderr}")
    return result.stdout


def pretrain(bertkit, data, run_dir, *arguments):
    run(bertkit, "pretrain", "--model", "tiny", "--data", data, "--run-dir", run_dir, "--target-batch-size", 4,
        "--accumulation-steps", 1, "--optimizer", "adamw", "--learning-rate", "1e-3", "--max-steps", 3,
        "--threads", 2, "--quiet", *arguments)


def bertkit_logits(bertkit, checkpoint, batch, work):
    """`bertkit logits` of the checkpoint on the batch: MLM [B, S, V], NSP [B, 2] or None."""
    path = os.path.join(work, "input.json")
    with open(path, "w") as file:
        json.dump({key: value.tolist() for key, value in batch.items()}, file)
    output = json.loads(run(bertkit, "logits", checkpoint, "--input", path, "--threads", 2))
    nsp = output["nsp_logits"]
    return np.array(output["mlm_logits"], dtype=np.float32), None if nsp is None else np.array(nsp, dtype=np.float32)


def torch_logits(model, batch):
    with torch.no_grad():
        output = model(**{key: torch.tensor(value) for key, value in batch.items()})
    nsp = getattr(output, "seq_relationship_logits", None)
    return output.prediction_logits if hasattr(output, "prediction_logits") else output.logits, nsp


def compare(what, ours, theirs, attention_mask):
    """Checks MLM (at real tokens) and NSP logits; returns the worst difference."""
    mlm = np.abs(ours[0] - theirs[0].float().numpy())[attention_mask.astype(bool)].max()
    worst = float(mlm)
    detail = f"MLM max |Δ| {mlm:.3g}"
    if ours[1] is not None or theirs[1] is not None:
        nsp = np.abs(ours[1] - theirs[1].float().numpy()).max()
        worst = max(worst, float(nsp))
        detail += f", NSP max |Δ| {nsp:.3g}"
    check(worst <= TOLERANCE, f"{what}: logits equal within {TOLERANCE} ({detail}; logits up to "
                              f"{np.abs(ours[0]).max():.3g})")
    return worst


def sentence_batch(tokenizer, sentences, generator):
    """Four rows [CLS] A [SEP] B [SEP] of consecutive sentences, padded to SEQUENCE, about 15%
    of the tokens replaced by [MASK]."""
    pairs = [(sentences[i], sentences[i + 1]) for i in range(0, 8, 2)]
    encoded = tokenizer([a for a, _ in pairs], [b for _, b in pairs], padding="max_length", truncation=True,
                        max_length=SEQUENCE, return_tensors="np")
    ids = encoded["input_ids"].astype(np.int64)
    special = np.isin(ids, [tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id])
    masked = (generator.random(ids.shape) < 0.15) & ~special
    ids[masked] = tokenizer.mask_token_id
    return {"input_ids": ids, "token_type_ids": encoded["token_type_ids"].astype(np.int64),
            "attention_mask": encoded["attention_mask"].astype(np.int64)}


def load_report(model_class, directory):
    model, info = model_class.from_pretrained(directory, output_loading_info=True, attn_implementation="eager")
    return model.eval(), set(info["missing_keys"]), set(info["unexpected_keys"])


def check_export(bertkit, work, demo, sentences):
    data = os.path.join(demo, "hdf5", "128_20")
    worst = 0.0
    generator = np.random.default_rng(7)
    for name, flags in [("BERT", []), ("MLM-only BERT", ["--mlm-only"])]:
        run_dir = os.path.join(work, name.replace(" ", "-"))
        pretrain(bertkit, data, run_dir, *flags)
        exported = run_dir + "-hf"
        run(bertkit, "export", "hf", run_dir, "--output", exported, "--quiet")
        nsp_heads = {"bert.pooler.dense.weight", "bert.pooler.dense.bias", "cls.seq_relationship.weight",
                     "cls.seq_relationship.bias"}
        pretraining, missing, unexpected = load_report(AutoModelForPreTraining, exported)
        expected_missing = set() if not flags else nsp_heads
        check(missing == expected_missing and not unexpected,
              f"{name}: AutoModelForPreTraining loads the export (missing {sorted(missing)}, unexpected {sorted(unexpected)})")
        masked_lm, missing, unexpected = load_report(AutoModelForMaskedLM, exported)
        expected_unexpected = nsp_heads if not flags else set()
        check(not missing and unexpected == expected_unexpected,
              f"{name}: AutoModelForMaskedLM loads the export (missing {sorted(missing)}, unexpected {sorted(unexpected)})")
        tokenizer = AutoTokenizer.from_pretrained(exported)
        ours = [[int(token) for token in line.split()] for line in
                run(bertkit, "tokenize", "--vocab", os.path.join(exported, "vocab.txt"), "--quiet",
                    os.path.join(work, "sentences.txt")).splitlines()]
        theirs = [tokenizer(sentence, add_special_tokens=False)["input_ids"] for sentence in sentences]
        check(ours == theirs, f"{name}: AutoTokenizer ({type(tokenizer).__name__}) gives bertkit tokenize's ids "
                              f"on {len(sentences)} sentences")
        batch = sentence_batch(tokenizer, sentences, generator)
        ours = bertkit_logits(bertkit, run_dir, batch, work)
        check((ours[1] is None) == bool(flags), f"{name}: bertkit logits has NSP logits exactly when the model has the head")
        theirs = torch_logits(pretraining, batch)
        # An MLM-only model has no next-sentence head for transformers' random one to match.
        worst = max(worst, compare(f"{name}: export, AutoModelForPreTraining", ours,
                                   (theirs[0], None if flags else theirs[1]), batch["attention_mask"]))
        masked_lm_logits = torch_logits(masked_lm, batch)[0]
        worst = max(worst, compare(f"{name}: export, AutoModelForMaskedLM", (ours[0], None), (masked_lm_logits, None),
                                   batch["attention_mask"]))
    return worst


def check_import(bertkit, work, vocabulary):
    worst = 0.0
    torch.manual_seed(11)
    config = BertConfig(vocab_size=len(vocabulary), hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=128, max_position_embeddings=64)
    generator = np.random.default_rng(3)
    batch = {"input_ids": generator.integers(5, len(vocabulary), (3, 20)),
             "token_type_ids": np.repeat([[0] * 10 + [1] * 10], 3, axis=0),
             "attention_mask": np.array([[1] * 20, [1] * 14 + [0] * 6, [1] * 7 + [0] * 13])}
    for model_class in (BertForPreTraining, BertForMaskedLM):
        model = model_class(config)
        # Biases and LayerNorm start symmetric (0 and 1): move them so that every path is seen.
        reference.perturb(model, torch.Generator().manual_seed(5))
        model.eval()
        for dtype in (torch.float32, torch.bfloat16):
            name = f"{model_class.__name__} {str(dtype).split('.')[-1]}"
            directory = os.path.join(work, "random-" + name.replace(" ", "-"))
            saved = model_class(config)
            saved.load_state_dict(model.state_dict())
            saved.to(dtype).save_pretrained(directory)
            with open(os.path.join(directory, "vocab.txt"), "w") as file:
                file.write("\n".join(vocabulary) + "\n")
            run_dir = directory + "-run"
            run(bertkit, "import", "hf", directory, "--output", run_dir, "--quiet")
            expected = model_class(config)
            expected.load_state_dict({key: value.to(dtype).float() if value.is_floating_point() else value
                                      for key, value in model.state_dict().items()})
            expected.eval()
            ours = bertkit_logits(bertkit, run_dir, batch, work)
            worst = max(worst, compare(f"import of a random {name}", ours, torch_logits(expected, batch),
                                       batch["attention_mask"]))
            exported = run_dir + "-hf"
            run(bertkit, "export", "hf", run_dir, "--output", exported, "--quiet")
            with safe_open(os.path.join(directory, "model.safetensors"), "pt") as original, \
                    safe_open(os.path.join(exported, "model.safetensors"), "pt") as back:
                same = set(back.keys()) == set(original.keys()) and all(
                    torch.equal(back.get_tensor(key), original.get_tensor(key).float()) for key in back.keys())
            check(same, f"import of a random {name}: export gives back its tensors (F32)")
    return worst


def check_character_bert(bertkit, work, demo):
    mlm_vocabulary = os.path.join(work, "mlm_vocab.txt")
    run(bertkit, "vocab", "mlm", os.path.join(demo, "shards"), "--output", mlm_vocabulary,
        "--max-vocabulary-size", 2000, "--quiet")
    data = os.path.join(work, "character-data")
    run(bertkit, "data", "create", os.path.join(demo, "shards"), "--character-bert", "--mlm-vocab", mlm_vocabulary,
        "--phase", 1, "--output", data, "--quiet")
    model_file = os.path.join(work, "character_model.json")
    with open(model_file, "w") as file:
        json.dump({"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
                   "max_position_embeddings": 128, "vocab_size": 2000,
                   "character_cnn": {"filters": [[1, 8], [2, 8], [3, 16], [4, 16]], "n_highway": 1}}, file)
    run_dir = os.path.join(work, "CharacterBERT")
    pretrain(bertkit, data, run_dir, "--character-bert", "--model", model_file)
    exported = run_dir + "-hf"
    run(bertkit, "export", "hf", run_dir, "--output", exported, "--quiet")
    with open(os.path.join(exported, "config.json")) as file:
        config = json.load(file)
    cnn = config["character_cnn"]
    reference.CHARACTER.update(filters=cnn["filters"], n_highway=cnn["n_highway"], embedding_dim=cnn["embedding_dim"],
                               n_characters=cnn["n_characters"], max_characters_per_token=cnn["max_characters_per_token"])
    encoder = BertConfig(**{key: config[key] for key in ("hidden_size", "num_hidden_layers", "num_attention_heads",
                                                         "intermediate_size", "max_position_embeddings",
                                                         "type_vocab_size", "layer_norm_eps", "hidden_act")},
                         attn_implementation="eager")
    model = reference.CharacterBertForPreTraining(encoder, config["mlm_vocab_size"])
    with safe_open(os.path.join(exported, "model.safetensors"), "pt") as file:
        tensors = {key: file.get_tensor(key) for key in file.keys()}
    decoder_bias = tensors.pop("cls.predictions.decoder.bias")
    check(torch.equal(decoder_bias, tensors["cls.predictions.bias"]),
          "CharacterBERT: cls.predictions.decoder.bias equals cls.predictions.bias")
    state = {key.replace("character_bert.", "bert.", 1): value for key, value in tensors.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    check(not missing and not unexpected, f"CharacterBERT: the reference PyTorch model takes every exported tensor "
                                          f"(missing {missing}, unexpected {unexpected})")
    model.eval()
    words = ["[CLS]", "the", "river", "flows", "[MASK]", "the", "sea", "[SEP]", "rain", "falls", "[SEP]"]
    batch = {"input_ids": np.array([[reference.character_ids(word) for word in words],
                                    [reference.character_ids(word) for word in words[:5]] + [[0] * 50] * 6]),
             "token_type_ids": np.array([[0] * 8 + [1] * 3, [0] * 11]),
             "attention_mask": np.array([[1] * 11, [1] * 5 + [0] * 6])}
    ours = bertkit_logits(bertkit, run_dir, batch, work)
    with torch.no_grad():
        theirs = model({key: torch.tensor(value) for key, value in batch.items()})
    return compare("CharacterBERT: export, reference PyTorch CharacterBERT", ours, theirs, batch["attention_mask"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bertkit", default=os.path.join(REPO, ".build", "release", "bertkit"),
                        help="the binary to check (default: the release build)")
    arguments = parser.parse_args()
    torch.set_num_threads(2)
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
    with tempfile.TemporaryDirectory(prefix="check_hf_roundtrip.") as work:
        demo = os.path.join(work, "demo")
        run(arguments.bertkit, "demo", "--output", demo, "--force")
        with open(os.path.join(demo, "shards", "validation.0.txt")) as file:
            sentences = [line.strip() for line in file if line.strip()][:40]
        with open(os.path.join(work, "sentences.txt"), "w") as file:
            file.write("\n".join(sentences) + "\n")
        with open(os.path.join(demo, "vocab.txt")) as file:
            vocabulary = file.read().splitlines()
        worst = {"export": check_export(arguments.bertkit, work, demo, sentences),
                 "import": check_import(arguments.bertkit, work, vocabulary),
                 "CharacterBERT export": check_character_bert(arguments.bertkit, work, demo)}
    print("worst logit differences: " + ", ".join(f"{key} {value:.3g}" for key, value in worst.items()))
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")


if __name__ == "__main__":
    main()
