"""NVIDIA's pre-training dataset loader (DeepLearningExamples, run_pretraining.py's
`pretraining_dataset`), reimplemented with h5py and numpy instead of torch tensors
(REFERENCE.md section 3).

The loader reads the six datasets of a file whole; item i is
[input_ids, segment_ids, input_mask, masked_lm_labels, next_sentence_labels], every array
int64. masked_lm_labels has the length of the sequence, is IGNORE (-1) everywhere but at
the masked positions, where it holds masked_lm_ids; the real masked slots are those before
the first position equal to 0 (position 0 is [CLS], never masked), all P when none is 0.
CharacterBERT's files load the same way: input_ids rows are then (L, 50) character ids.
"""
import numpy as np

KEYS = ("input_ids", "input_mask", "segment_ids", "masked_lm_positions", "masked_lm_ids", "next_sentence_labels")
IGNORE = -1


class PretrainingDataset:
    def __init__(self, path):
        import h5py

        with h5py.File(path, "r") as file:
            missing = [key for key in KEYS if key not in file]
            if missing:
                raise KeyError(f"{path}: no {', '.join(missing)}")
            (self.input_ids, self.input_mask, self.segment_ids, self.masked_lm_positions, self.masked_lm_ids,
             self.next_sentence_labels) = (np.asarray(file[key][:]) for key in KEYS)

    def __len__(self):
        return len(self.input_ids)

    def __getitem__(self, index):
        input_ids = self.input_ids[index].astype(np.int64)
        input_mask = self.input_mask[index].astype(np.int64)
        segment_ids = self.segment_ids[index].astype(np.int64)
        positions = self.masked_lm_positions[index].astype(np.int64)
        ids = self.masked_lm_ids[index].astype(np.int64)
        next_sentence_label = np.asarray(self.next_sentence_labels[index].astype(np.int64))
        labels = np.full(input_mask.shape, IGNORE, dtype=np.int64)
        padded = np.flatnonzero(positions == 0)
        count = padded[0] if len(padded) else len(positions)
        labels[positions[:count]] = ids[:count]
        return [input_ids, segment_ids, input_mask, labels, next_sentence_label]
