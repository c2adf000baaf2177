#!/usr/bin/env python3
"""The reference pre-training data generator: Google's create_pretraining_data.py algorithm
(REFERENCE.md section 2) with NVIDIA's changes, written as an HDF5 file the way NVIDIA's
create_pretraining_data.py writes it (section 3).

One `random.Random(seed)` drives everything, in Google's order of draws:
- documents: lines read, a blank line ends a document, lines whose tokens are empty are
  dropped, empty documents dropped, then the documents shuffled;
- for each of dupe_factor rounds, for each document: target length (max_seq_length - 3, or
  with probability short_seq_prob a uniform integer in [2, max_seq_length - 3]) chosen once
  for the document; sentences accumulated into a chunk until the document ends or the chunk
  reaches the target; a_end uniform in [1, len(chunk) - 1]; random next when the chunk has
  one sentence or with probability 0.5 (another document, 10 tries; NVIDIA's fix: not random
  next if the pick is still the same document), B filled from a random start up to
  target - len(A), the unused sentences given back; truncate_seq_pair; [CLS] A [SEP] B [SEP];
  masking (candidates shuffled, num_to_predict = min(P, max(1, round(len * prob))) with
  Python's round, whole-word groups optional, 80% [MASK] / 10% kept / 10% random vocabulary
  id, positions sorted);
- all instances shuffled.

Tokens are Hugging Face tokenizers' BertWordPieceTokenizer(vocab, lowercase=...) ids without
special tokens (Google's own tokenizer gives the same tokens for uncased English).

Module use:
    documents = read_documents(["shard.txt"], "vocab.txt")
    instances = create_instances(documents, vocabulary, random.Random(12345), ...)
    write_hdf5("out.hdf5", instances, 128, 20)
or create_file(inputs, vocab, output, ...). Script use:
    python pretraining_reference.py --input F [F ...] --vocab V --output out.hdf5 \
        [--max-seq-length 128 --max-predictions-per-seq 20 --masked-lm-prob 0.15 \
         --short-seq-prob 0.1 --dupe-factor 5 --seed 12345 --whole-word-mask --cased]
"""
import argparse
import random
import sys
import time


class Vocabulary:
    """The ids the algorithm needs from a vocab.txt: its size, the special tokens and which
    tokens continue a word ("##")."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as lines:
            self.tokens = [line.rstrip("\n") for line in lines]
        ids = {}
        for index, token in enumerate(self.tokens):
            ids.setdefault(token, index)
        self.ids = ids
        self.size = len(self.tokens)
        self.cls, self.sep, self.mask = ids["[CLS]"], ids["[SEP]"], ids["[MASK]"]
        self.continues = [token.startswith("##") for token in self.tokens]


class Instance:
    """One pre-training instance: token ids ([CLS] A [SEP] B [SEP], masked), the length of
    [CLS] A [SEP] (segment 0), masked positions and their original ids, and whether B is a
    random next."""

    __slots__ = ("ids", "first_segment", "positions", "labels", "is_random_next")

    def __init__(self, ids, first_segment, positions, labels, is_random_next):
        self.ids = ids
        self.first_segment = first_segment
        self.positions = positions
        self.labels = labels
        self.is_random_next = is_random_next


def read_documents(paths, vocab, lowercase=True, batch_lines=20000):
    """The documents of formatted text files: lists of sentences, each a list of WordPiece
    ids. A blank line ends a document; a line with no tokens is dropped; empty documents are
    dropped (all files form one list, as Google's tool reads several inputs)."""
    from tokenizers import BertWordPieceTokenizer

    tokenizer = BertWordPieceTokenizer(vocab, lowercase=lowercase)
    documents = [[]]
    pending = []  # (document index, line) waiting for one encode_batch call

    def flush():
        if not pending:
            return
        encodings = tokenizer.encode_batch([line for _, line in pending], add_special_tokens=False)
        for (document, _), encoding in zip(pending, encodings):
            ids = encoding.ids
            if ids:
                documents[document].append(ids)
        pending.clear()

    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as reader:
            for line in reader:
                line = line.strip()
                if not line:
                    documents.append([])
                    continue
                pending.append((len(documents) - 1, line))
                if len(pending) >= batch_lines:
                    flush()
    flush()
    return [document for document in documents if document]


def truncate_seq_pair(tokens_a, tokens_b, max_num_tokens, rng):
    """Removes tokens from the longer side (B on a tie), front or back with probability 0.5
    each, until both fit in max_num_tokens."""
    while len(tokens_a) + len(tokens_b) > max_num_tokens:
        longer = tokens_a if len(tokens_a) > len(tokens_b) else tokens_b
        if rng.random() < 0.5:
            del longer[0]
        else:
            longer.pop()


def mask_tokens(ids, separator, vocabulary, masked_lm_prob, max_predictions, whole_word_mask, rng):
    """Masks `ids` ([CLS] A [SEP] B [SEP], the first [SEP] at `separator`) in place; returns
    the sorted masked positions and their original ids."""
    last = len(ids) - 1
    num_to_predict = min(max_predictions, max(1, int(round(len(ids) * masked_lm_prob))))
    if whole_word_mask:
        # Google's grouping: a "##" piece joins the candidate group before it (which may lie
        # before the [SEP]); the first candidate always starts a group.
        continues = vocabulary.continues
        groups = []
        for index in range(1, last):
            if index == separator:
                continue
            if groups and continues[ids[index]]:
                groups[-1].append(index)
            else:
                groups.append([index])
        rng.shuffle(groups)
        chosen = []
        for group in groups:
            if len(chosen) >= num_to_predict:
                break
            if len(chosen) + len(group) > num_to_predict:
                continue
            chosen.extend(group)  # groups are disjoint: none is ever already covered
    else:
        chosen = [*range(1, separator), *range(separator + 1, last)]
        rng.shuffle(chosen)
        del chosen[num_to_predict:]
    labels = {index: ids[index] for index in chosen}
    random_, randint, mask, top = rng.random, rng.randint, vocabulary.mask, vocabulary.size - 1
    for index in chosen:  # in candidate order, as Google draws them
        if random_() < 0.8:
            ids[index] = mask
        elif random_() < 0.5:
            pass  # kept
        else:
            ids[index] = randint(0, top)
    chosen.sort()
    return chosen, [labels[index] for index in chosen]


def instances_from_document(documents, document_index, vocabulary, max_seq_length, short_seq_prob,
                            masked_lm_prob, max_predictions, whole_word_mask, rng):
    """Google's create_instances_from_document with NVIDIA's same-document fix."""
    document = documents[document_index]
    max_num_tokens = max_seq_length - 3
    target = max_num_tokens
    if rng.random() < short_seq_prob:
        target = rng.randint(2, max_num_tokens)
    instances = []
    chunk = []
    length = 0
    i = 0
    while i < len(document):
        sentence = document[i]
        chunk.append(sentence)
        length += len(sentence)
        if i == len(document) - 1 or length >= target:
            a_end = 1
            if len(chunk) >= 2:
                a_end = rng.randint(1, len(chunk) - 1)
            tokens_a = [token for sentence in chunk[:a_end] for token in sentence]
            tokens_b = []
            if len(chunk) == 1 or rng.random() < 0.5:
                is_random_next = True
                target_b = target - len(tokens_a)
                for _ in range(10):
                    random_index = rng.randint(0, len(documents) - 1)
                    if random_index != document_index:
                        break
                if random_index == document_index:
                    is_random_next = False
                other = documents[random_index]
                for j in range(rng.randint(0, len(other) - 1), len(other)):
                    tokens_b.extend(other[j])
                    if len(tokens_b) >= target_b:
                        break
                i -= len(chunk) - a_end  # give the unused sentences back
            else:
                is_random_next = False
                for sentence in chunk[a_end:]:
                    tokens_b.extend(sentence)
            truncate_seq_pair(tokens_a, tokens_b, max_num_tokens, rng)
            assert tokens_a and tokens_b
            ids = [vocabulary.cls, *tokens_a, vocabulary.sep, *tokens_b, vocabulary.sep]
            positions, labels = mask_tokens(ids, len(tokens_a) + 1, vocabulary, masked_lm_prob, max_predictions,
                                            whole_word_mask, rng)
            instances.append(Instance(ids, len(tokens_a) + 2, positions, labels, is_random_next))
            chunk = []
            length = 0
        i += 1
    return instances


def create_instances(documents, vocabulary, rng, max_seq_length=128, max_predictions=20, masked_lm_prob=0.15,
                     short_seq_prob=0.1, dupe_factor=5, whole_word_mask=False):
    """Google's create_training_instances after reading: shuffles `documents` (in place),
    makes dupe_factor rounds of instances and shuffles them."""
    rng.shuffle(documents)
    instances = []
    for _ in range(dupe_factor):
        for index in range(len(documents)):
            instances.extend(instances_from_document(documents, index, vocabulary, max_seq_length, short_seq_prob,
                                                     masked_lm_prob, max_predictions, whole_word_mask, rng))
    rng.shuffle(instances)
    return instances


def feature_arrays(instances, max_seq_length, max_predictions):
    """The six arrays of NVIDIA's HDF5 layout (1 = random next), padded with zeros."""
    import numpy as np

    count = len(instances)
    input_ids = np.zeros((count, max_seq_length), dtype=np.int32)
    input_mask = np.zeros((count, max_seq_length), dtype=np.int8)
    segment_ids = np.zeros((count, max_seq_length), dtype=np.int8)
    positions = np.zeros((count, max_predictions), dtype=np.int32)
    labels = np.zeros((count, max_predictions), dtype=np.int32)
    next_sentence = np.zeros(count, dtype=np.int8)
    for row, instance in enumerate(instances):
        length = len(instance.ids)
        assert length <= max_seq_length and len(instance.positions) <= max_predictions
        input_ids[row, :length] = instance.ids
        input_mask[row, :length] = 1
        segment_ids[row, instance.first_segment:length] = 1
        positions[row, :len(instance.positions)] = instance.positions
        labels[row, :len(instance.labels)] = instance.labels
        next_sentence[row] = 1 if instance.is_random_next else 0
    return {"input_ids": input_ids, "input_mask": input_mask, "segment_ids": segment_ids,
            "masked_lm_positions": positions, "masked_lm_ids": labels, "next_sentence_labels": next_sentence}


DTYPES = {"input_ids": "i4", "input_mask": "i1", "segment_ids": "i1", "masked_lm_positions": "i4",
          "masked_lm_ids": "i4", "next_sentence_labels": "i1"}


def write_arrays(path, arrays):
    """Writes the arrays as NVIDIA's create_pretraining_data.py does: one gzip dataset each."""
    import h5py

    with h5py.File(path, "w") as file:
        for key, dtype in DTYPES.items():
            file.create_dataset(key, data=arrays[key], dtype=dtype, compression="gzip")


def write_hdf5(path, instances, max_seq_length, max_predictions):
    write_arrays(path, feature_arrays(instances, max_seq_length, max_predictions))


def create_file(inputs, vocab, output, max_seq_length=128, max_predictions=20, masked_lm_prob=0.15,
                short_seq_prob=0.1, dupe_factor=5, seed=12345, whole_word_mask=False, lowercase=True):
    """The whole run on `inputs` (one generator for all of them); returns the instance count."""
    vocabulary = Vocabulary(vocab)
    documents = read_documents(inputs, vocab, lowercase)
    instances = create_instances(documents, vocabulary, random.Random(seed), max_seq_length, max_predictions,
                                 masked_lm_prob, short_seq_prob, dupe_factor, whole_word_mask)
    write_hdf5(output, instances, max_seq_length, max_predictions)
    return len(instances)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", nargs="+", required=True, help="formatted text files (one generator for all)")
    parser.add_argument("--vocab", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--max-seq-length", type=int, default=128)
    parser.add_argument("--max-predictions-per-seq", type=int, default=20)
    parser.add_argument("--masked-lm-prob", type=float, default=0.15)
    parser.add_argument("--short-seq-prob", type=float, default=0.1)
    parser.add_argument("--dupe-factor", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--whole-word-mask", action="store_true")
    parser.add_argument("--cased", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    count = create_file(args.input, args.vocab, args.output, args.max_seq_length, args.max_predictions_per_seq,
                        args.masked_lm_prob, args.short_seq_prob, args.dupe_factor, args.seed, args.whole_word_mask,
                        not args.cased)
    print(f"{count} instances in {time.perf_counter() - start:.2f} s: {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
