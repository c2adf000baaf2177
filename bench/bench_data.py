#!/usr/bin/env python3
"""Pre-training data benchmark: `bertkit data create` against the reference implementations
of Google's create_pretraining_data.py algorithm, on the text of REFERENCE.md section 8's
anchor: the English fixture's articles (`bertkit corpus extract`), formatted one sentence per
line (`bertkit corpus format`, about 2.6 MB), dupe factor 5, 128 tokens, 20 predictions,
vocabulary shared/data/bert/vocab.txt, seed 12345; every output an NVIDIA-layout HDF5 file.

The references:
- tests/compat/pretraining_reference.py: the algorithm in Python with Hugging Face tokenizers
  (its output is identical, instance for instance, to Google's script with the same seed);
- Google's real create_training_instances and pure-Python tokenization.py, from PyPI's
  bert-tensorflow 1.0.4 wheel (downloaded with pip into a temporary directory, never into the
  repository), run with a stand-in for the few TensorFlow names they touch (tf.gfile.GFile is
  open, tf.logging and tf.flags do nothing) and written to HDF5 as NVIDIA's script writes it.
  This is the closest to section 8's anchor (Google's script: ~7.7 s, ~130 MB RSS). Without the
  wheel (--no-google, or no PyPI) the row is left out and the Python reference stands alone.

Rows (best of --repeat runs; seconds are whole processes: start, reading, tokenizing, making
instances, compressing, writing):
  one file, 1 thread:     bertkit data create --threads 1  vs  each reference on the same file
  8 shards, all cores:    the same text in `corpus shard --training-shards 8` files;
                          bertkit --threads N over the directory  vs  the Python reference run
                          once per shard, one after another (as NVIDIA's scripts run it)
  the parts alone (the issue: "WordPiece and gzip are the limit: measure and report both alone"):
    WordPiece:            bertkit tokenize --threads 1 on the file  vs  tokenizers' encode_batch
                          with RAYON_NUM_THREADS=1
    without gzip:         bertkit data create --threads 1 --compression-level 0
    gzip:                 zlib level 4 (the HDF5 gzip filter's default) over the six datasets of
                          BERTKit's file, each compressed whole, in C through Python's zlib
Targets of the issue: at least 10x the reference on one thread, under 100 MB peak RSS.
Prints a Markdown table.
"""
import argparse
import glob
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile

from benchlib import (ENGLISH_DUMP, RELEASE_BINARY, REPO, DATA, best, extract_documents, machine, measure, require,
                      require_binary)

REFERENCE = os.path.join(REPO, "tests", "compat", "pretraining_reference.py")
VOCAB = os.path.join(DATA, "bert", "vocab.txt")
GOOGLE_WHEEL = "bert-tensorflow==1.0.4"
SETTINGS = ["--max-seq-length", "128", "--max-predictions-per-seq", "20", "--masked-lm-prob", "0.15",
            "--short-seq-prob", "0.1", "--dupe-factor", "5", "--seed", "12345"]

# Google's create_training_instances with stand-ins for tensorflow, absl.flags and six, then
# NVIDIA's way of writing the instances (tokens to ids, padded with zeros, gzip datasets).
GOOGLE = r"""
import random, sys, types
wheel, reference, path, vocab, output = sys.argv[1:6]

class Flags:
    def __init__(self):
        self.FLAGS = types.SimpleNamespace()
    def define(self, name, default, *args, **kwargs):
        setattr(self.FLAGS, name, default)
    DEFINE_string = DEFINE_bool = DEFINE_boolean = DEFINE_integer = DEFINE_float = define
    def mark_flag_as_required(self, *args):
        pass

def module(name, **attributes):
    stand_in = types.ModuleType(name)
    stand_in.__dict__.update(attributes)
    sys.modules[name] = stand_in
    return stand_in

flags = Flags()
quiet = types.SimpleNamespace(info=lambda *a, **k: None, INFO=0, set_verbosity=lambda *a: None)
v1 = module("tensorflow.compat.v1", flags=flags, logging=quiet, gfile=types.SimpleNamespace(GFile=open))
module("tensorflow", compat=module("tensorflow.compat", v1=v1))
module("absl", flags=flags)
sys.modules["absl.flags"] = flags
module("six", PY2=False, PY3=True)
sys.path[:0] = [wheel, reference]
from bert import create_pretraining_data, tokenization
import numpy as np
import pretraining_reference

tokenizer = tokenization.FullTokenizer(vocab, do_lower_case=True)
instances = create_pretraining_data.create_training_instances(
    [path], tokenizer, 128, 5, 0.1, 0.15, 20, random.Random(12345))
count = len(instances)
arrays = {"input_ids": np.zeros((count, 128), np.int32), "input_mask": np.zeros((count, 128), np.int8),
          "segment_ids": np.zeros((count, 128), np.int8), "masked_lm_positions": np.zeros((count, 20), np.int32),
          "masked_lm_ids": np.zeros((count, 20), np.int32), "next_sentence_labels": np.zeros(count, np.int8)}
for row, instance in enumerate(instances):
    ids = tokenizer.convert_tokens_to_ids(instance.tokens)
    arrays["input_ids"][row, :len(ids)] = ids
    arrays["input_mask"][row, :len(ids)] = 1
    arrays["segment_ids"][row, :len(ids)] = instance.segment_ids
    arrays["masked_lm_positions"][row, :len(instance.masked_lm_positions)] = instance.masked_lm_positions
    labels = tokenizer.convert_tokens_to_ids(instance.masked_lm_labels)
    arrays["masked_lm_ids"][row, :len(labels)] = labels
    arrays["next_sentence_labels"][row] = 1 if instance.is_random_next else 0
pretraining_reference.write_arrays(output, arrays)
"""

# The datasets of an HDF5 file, each compressed whole with zlib level 4: seconds, bytes in, out.
ZLIB = r"""
import sys, time, zlib
import h5py, numpy as np
with h5py.File(sys.argv[1], "r") as file:
    arrays = [np.ascontiguousarray(file[key][:]) for key in file]
start = time.perf_counter()
sizes = [len(zlib.compress(array.tobytes(), 4)) for array in arrays]
print(time.perf_counter() - start, sum(array.nbytes for array in arrays), sum(sizes))
"""

# tokenizers' BertWordPieceTokenizer over the lines of a file, one encode_batch call: seconds.
WORDPIECE = r"""
import sys, time
from tokenizers import BertWordPieceTokenizer
tokenizer = BertWordPieceTokenizer(sys.argv[2], lowercase=True)
with open(sys.argv[1], encoding="utf-8") as file:
    lines = [line.strip() for line in file]
start = time.perf_counter()
tokenizer.encode_batch(lines, add_special_tokens=False)
print(time.perf_counter() - start)
"""

# Whether two pre-training files hold the same datasets.
SAME = r"""
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as one, h5py.File(sys.argv[2], "r") as other:
    print(set(one) == set(other) and all(np.array_equal(one[key][:], other[key][:]) for key in one))
"""


def python_output(python, script, *args, threads=None):
    environment = dict(os.environ, **({"RAYON_NUM_THREADS": str(threads)} if threads else {}))
    result = subprocess.run([python, "-c", script, *map(str, args)], capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        sys.exit(f"failed: {script.strip().splitlines()[0]} ...\n{result.stderr}")
    return result.stdout.split()


def instances(bertkit, path):
    """Instances of a pre-training file, as `bertkit data inspect --json` counts them."""
    result = subprocess.run([bertkit, "data", "inspect", path, "--json"], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["instances"]


def google_wheel(python, work):
    """The bert-tensorflow wheel unpacked in `work`, or None with the reason."""
    download = os.path.join(work, "wheel")
    result = subprocess.run([python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
                             "--disable-pip-version-check", GOOGLE_WHEEL, "-d", download], capture_output=True, text=True)
    wheels = glob.glob(os.path.join(download, "*.whl"))
    if result.returncode != 0 or not wheels:
        return None, f"pip could not download {GOOGLE_WHEEL}: {result.stderr.strip()[-200:]}"
    unpacked = os.path.join(work, "google")
    shutil.unpack_archive(wheels[0], unpacked, "zip")
    if not os.path.exists(os.path.join(unpacked, "bert", "create_pretraining_data.py")):
        return None, f"{GOOGLE_WHEEL} holds no bert/create_pretraining_data.py"
    return unpacked, None


def formatted_text(bertkit, work):
    """The English fixture's articles as formatted text (one sentence per line)."""
    documents = extract_documents(bertkit, work)
    path = os.path.join(work, "formatted.txt")
    subprocess.run([bertkit, "corpus", "format", documents, "--output", path, "--quiet", "--force"], check=True)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bertkit", default=RELEASE_BINARY)
    parser.add_argument("--python", default=sys.executable, help="a Python with tokenizers, h5py and numpy")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--no-google", action="store_true", help="leave out Google's script from bert-tensorflow")
    args = parser.parse_args()
    require(ENGLISH_DUMP, "the English fixture dump")
    require(VOCAB, "BERT's vocabulary")
    require_binary(args.bertkit)

    with tempfile.TemporaryDirectory(prefix="bertkit-bench-") as work:
        text = formatted_text(args.bertkit, work)
        megabytes = os.path.getsize(text) / 1e6
        print(f"Formatted text: {megabytes:.2f} MB ({text}); section 8's anchor used 2.6 MB.", file=sys.stderr)
        if not 2.0 < megabytes < 3.2:
            print(f"warning: the text is {megabytes:.2f} MB, not about 2.6 MB", file=sys.stderr)
        shards = os.path.join(work, "shards")
        subprocess.run([args.bertkit, "corpus", "shard", text, "--output", shards, "--training-shards", str(args.shards),
                        "--validation-shards", "0", "--quiet"], check=True)
        shard_files = sorted(glob.glob(os.path.join(shards, "*.txt")))
        rows = []

        def ours(inputs, output, threads, *extra):
            command = [args.bertkit, "data", "create", *inputs, "--vocab", VOCAB, "--output", output, *SETTINGS,
                       "--threads", str(threads), "--force", "--quiet", *extra]
            return best(lambda: measure(command), args.repeat)

        def reference(inputs, output):
            return best(lambda: measure([args.python, REFERENCE, "--input", *inputs, "--vocab", VOCAB, "--output",
                                         output, *SETTINGS]), args.repeat)

        # One file, one thread.
        seconds, rss, _ = ours([text], os.path.join(work, "ours"), 1)
        our_file = os.path.join(work, "ours", "formatted.hdf5")
        our_count = instances(args.bertkit, our_file)
        reference_file = os.path.join(work, "reference.hdf5")
        their_seconds, their_rss, _ = reference([text], reference_file)
        their_count = instances(args.bertkit, reference_file)
        rows.append(("one file, BERTKit 1 thread vs the Python reference (HF tokenizers)", seconds, our_count, rss,
                     their_seconds, their_count, their_rss, ""))
        google_note = "left out (--no-google)"
        if not args.no_google:
            wheel, problem = google_wheel(args.python, work)
            if wheel is None:
                google_note = problem
            else:
                google_file = os.path.join(work, "google.hdf5")
                command = [args.python, "-c", GOOGLE, wheel, os.path.dirname(REFERENCE), text, VOCAB, google_file]
                google_seconds, google_rss, _ = best(lambda: measure(command), args.repeat)
                same = python_output(args.python, SAME, google_file, reference_file)[0] == "True"
                google_note = ("its file is identical to the Python reference's" if same
                               else "its file differs from the Python reference's")
                rows.append((f"one file, BERTKit 1 thread vs Google's create_training_instances ({GOOGLE_WHEEL})",
                             seconds, our_count, rss, google_seconds, instances(args.bertkit, google_file), google_rss,
                             google_note))

        # Shards: all cores against one reference process per shard.
        seconds, rss, _ = ours([shards], os.path.join(work, "ours-shards"), args.threads)
        our_count = sum(instances(args.bertkit, path) for path in glob.glob(os.path.join(work, "ours-shards", "*.hdf5")))
        their_seconds, their_rss, their_count = 0.0, 0.0, 0
        for index, shard in enumerate(shard_files):
            output = os.path.join(work, f"reference-{index}.hdf5")
            shard_seconds, shard_rss, _ = reference([shard], output)
            their_seconds += shard_seconds
            their_rss = max(their_rss, shard_rss)
            their_count += instances(args.bertkit, output)
        rows.append((f"{len(shard_files)} shards, BERTKit all cores ({args.threads}) vs the Python reference once per"
                     " shard", seconds, our_count, rss, their_seconds, their_count, their_rss, ""))

        # The parts alone.
        tokenize = [args.bertkit, "tokenize", "--vocab", VOCAB, "--threads", "1", "--quiet", text]
        wordpiece_seconds, wordpiece_rss, _ = best(lambda: measure(tokenize), args.repeat)
        hf_seconds = min(float(python_output(args.python, WORDPIECE, text, VOCAB, threads=1)[0])
                         for _ in range(args.repeat))
        stored_seconds, stored_rss, _ = ours([text], os.path.join(work, "stored"), 1, "--compression-level", "0")
        zlib_seconds, raw_bytes, packed_bytes = (float(value) for value in python_output(args.python, ZLIB, our_file))
        file_bytes = os.path.getsize(our_file)
        stored_bytes = os.path.getsize(os.path.join(work, "stored", "formatted.hdf5"))

    print(f"Text: {megabytes:.2f} MB of formatted English Wikipedia (the English fixture's {len(shard_files)}-shard"
          f" split for the shard row); dupe factor 5, 128 tokens, 20 predictions, seed 12345, vocab"
          f" shared/data/bert/vocab.txt; Python {platform.python_version()}; {machine()}; best of {args.repeat}."
          f" Google's script: {google_note}.\n")
    print("| what | BERTKit | reference | BERTKit speed-up | peak RSS (BERTKit / reference) |")
    print("|---|---:|---:|---:|---:|")
    for what, seconds, count, rss, their_seconds, their_count, their_rss, _ in rows:
        print(f"| {what} | {seconds:.2f} s ({count / seconds:,.0f} instances/s) | {their_seconds:.2f} s"
              f" ({their_count / their_seconds:,.0f} instances/s) | {their_seconds / seconds:.1f}x |"
              f" {rss:.0f} / {their_rss:.0f} MB |")
    print(f"| WordPiece alone: `bertkit tokenize --threads 1` vs tokenizers' encode_batch, 1 thread |"
          f" {wordpiece_seconds:.2f} s ({megabytes / wordpiece_seconds:.1f} MB/s) | {hf_seconds:.2f} s"
          f" ({megabytes / hf_seconds:.1f} MB/s) | {hf_seconds / wordpiece_seconds:.1f}x | {wordpiece_rss:.0f} MB / - |")
    gzip_inside = rows[0][1] - stored_seconds
    print(f"| `data create --threads 1 --compression-level 0` (no gzip; {stored_bytes / 1e6:.1f} MB file; gzip inside"
          f" data create: {gzip_inside:.2f} s) | {stored_seconds:.2f} s | - | - | {stored_rss:.0f} MB / - |")
    print(f"| gzip alone: zlib level 4 over the datasets ({raw_bytes / 1e6:.1f} MB -> {packed_bytes / 1e6:.1f} MB;"
          f" BERTKit's file {file_bytes / 1e6:.1f} MB) | - | {zlib_seconds:.2f} s"
          f" ({raw_bytes / 1e6 / zlib_seconds:.0f} MB/s) | - | - |")


if __name__ == "__main__":
    main()
