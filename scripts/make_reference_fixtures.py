#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures that BERTKit's model tests compare against.

Tests/Fixtures/reference/bert.safetensors           Hugging Face BertForPreTraining
Tests/Fixtures/reference/character_bert.safetensors CharacterBERT (REFERENCE.md section 4)

Each holds small float32 weights, one padded batch, the float64 forward and backward (logits,
losses, every gradient, saved as F32) and the losses of five AdamW steps. Not run by CI: it
needs torch (scripts/requirements-fixtures.txt); see Tests/Fixtures/reference/README.md.

    python3 -m venv /work/venv-torch
    /work/venv-torch/bin/pip install -r scripts/requirements-fixtures.txt
    /work/venv-torch/bin/python scripts/make_reference_fixtures.py --force
"""
import argparse
import copy
import json
import os
import platform
import sys

import numpy as np
import safetensors
import torch
import transformers
from safetensors.numpy import save_file
from torch import nn
from torch.nn import functional
from transformers import BertConfig, BertForPreTraining
from transformers.masking_utils import create_bidirectional_mask
from transformers.models.bert.modeling_bert import BertEncoder, BertPooler, BertPredictionHeadTransform

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(REPO, "Tests", "Fixtures", "reference")

SEED = 20240601
BATCH, SEQUENCE, PREDICTIONS = 3, 16, 4
ROW_LENGTHS = (16, 11, 7)         # real tokens per row; the rest is padding
MASKED_PER_ROW = (4, 3, 2)        # used prediction slots per row; the others are unused
NSP_LABELS = (0, 1, 0)            # Hugging Face convention: 0 = B continues A, 1 = B is random
PAD, UNK, CLS, SEP, MASK = 0, 1, 2, 3, 4
FIRST_WORD = 5                    # ids below are special tokens
PERTURBATION = 0.1                # every bias and LayerNorm parameter moves by up to this
ADAMW = {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.01}
ADAMW_STEPS = 5
NO_DECAY = ("bias", "gamma", "beta", "LayerNorm")  # names that get weight decay 0
# Gradients that are zero in exact arithmetic: adding the key bias shifts every score of a
# query's row by the same amount, which softmax ignores. What float64 leaves is rounding noise.
MATHEMATICALLY_ZERO = ("attention.self.key.bias",)

ENCODER = {
    "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 128,
    "max_position_embeddings": 32, "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12,
    "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "attn_implementation": "eager",
}
BERT_VOCAB = 120

CHARACTER = {
    "filters": [[1, 8], [2, 8], [3, 16], [4, 16], [5, 16], [6, 16], [7, 16]],
    "n_highway": 2, "embedding_dim": 16, "n_characters": 263, "max_characters_per_token": 50,
    "mlm_vocab_size": 60,
}
BEGIN_OF_SENTENCE, END_OF_SENTENCE, BEGIN_OF_WORD, END_OF_WORD, CHARACTER_PAD, CHARACTER_MASK = 256, 257, 258, 259, 260, 261


class Highway(nn.Module):
    """Highway layers: x = gate * x + (1 - gate) * relu(nonlinear), [nonlinear, gate] = Linear(x)."""

    def __init__(self, size, layers):
        super().__init__()
        self._layers = nn.ModuleList(nn.Linear(size, 2 * size) for _ in range(layers))

    def forward(self, x):
        for layer in self._layers:
            nonlinear, gate = layer(x).chunk(2, dim=-1)
            gate = torch.sigmoid(gate)
            x = gate * x + (1 - gate) * torch.relu(nonlinear)
        return x


class CharacterCNN(nn.Module):
    """Token vectors from character ids [B, S, C]: embedding, Conv1d per width, max over
    positions, ReLU, concatenation, highways, projection."""

    def __init__(self, hidden_size):
        super().__init__()
        filters = CHARACTER["filters"]
        total = sum(count for _, count in filters)
        self._char_embedding_weights = nn.Parameter(torch.empty(CHARACTER["n_characters"], CHARACTER["embedding_dim"]))
        for index, (width, count) in enumerate(filters):
            self.add_module(f"char_conv_{index}", nn.Conv1d(CHARACTER["embedding_dim"], count, width, bias=True))
        self._highways = Highway(total, CHARACTER["n_highway"])
        self._projection = nn.Linear(total, hidden_size)

    def forward(self, ids):
        batch, sequence, characters = ids.shape
        embedded = functional.embedding(ids.reshape(-1, characters), self._char_embedding_weights).transpose(1, 2)
        convolutions = [getattr(self, f"char_conv_{index}") for index in range(len(CHARACTER["filters"]))]
        features = torch.cat([torch.relu(conv(embedded).max(dim=-1).values) for conv in convolutions], dim=-1)
        return self._projection(self._highways(features)).view(batch, sequence, -1)


class CharacterBertEmbeddings(nn.Module):
    """BERT's embeddings with the word table replaced by the character CNN."""

    def __init__(self, config):
        super().__init__()
        self.word_embeddings = CharacterCNN(config.hidden_size)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.token_type_embeddings = nn.Embedding(config.type_vocab_size, config.hidden_size)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

    def forward(self, character_ids, token_type_ids):
        positions = torch.arange(character_ids.shape[1])[None, :]
        embeddings = self.word_embeddings(character_ids) + self.token_type_embeddings(token_type_ids)
        return self.LayerNorm(embeddings + self.position_embeddings(positions))


class CharacterBertModel(nn.Module):
    """Embeddings, Hugging Face's BertEncoder and BertPooler."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = CharacterBertEmbeddings(config)
        self.encoder = BertEncoder(config)
        self.pooler = BertPooler(config)

    def forward(self, character_ids, attention_mask, token_type_ids):
        embeddings = self.embeddings(character_ids, token_type_ids)
        mask = create_bidirectional_mask(config=self.config, inputs_embeds=embeddings, attention_mask=attention_mask)
        sequence = self.encoder(embeddings, attention_mask=mask).last_hidden_state
        return sequence, self.pooler(sequence)


class CharacterBertPredictions(nn.Module):
    """The MLM head: transform (dense, GELU, LayerNorm), an untied decoder and its own bias."""

    def __init__(self, config, vocab_size):
        super().__init__()
        self.transform = BertPredictionHeadTransform(config)
        self.decoder = nn.Linear(config.hidden_size, vocab_size, bias=False)
        self.bias = nn.Parameter(torch.zeros(vocab_size))

    def forward(self, sequence):
        return self.decoder(self.transform(sequence)) + self.bias


class CharacterBertHeads(nn.Module):
    def __init__(self, config, vocab_size):
        super().__init__()
        self.predictions = CharacterBertPredictions(config, vocab_size)
        self.seq_relationship = nn.Linear(config.hidden_size, 2)


class CharacterBertForPreTraining(nn.Module):
    """CharacterBERT with the MLM and NSP heads, named as in the CharacterBERT checkpoints."""

    def __init__(self, config, vocab_size):
        super().__init__()
        self.bert = CharacterBertModel(config)
        self.cls = CharacterBertHeads(config, vocab_size)

    def forward(self, batch):
        sequence, pooled = self.bert(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])
        return self.cls.predictions(sequence), self.cls.seq_relationship(pooled)

    def initialize(self):
        """Linear and embedding weights normal(0, 0.02), biases 0, LayerNorm 1/0 (as BERT);
        characters normal(0, 1); Conv1d PyTorch's default; highway gate halves' bias 1."""
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, 0.0, 0.02)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                nn.init.normal_(module.weight, 0.0, 0.02)
            elif isinstance(module, nn.LayerNorm):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
        cnn = self.bert.embeddings.word_embeddings
        nn.init.normal_(cnn._char_embedding_weights, 0.0, 1.0)
        size = cnn._projection.in_features
        for layer in cnn._highways._layers:
            nn.init.ones_(layer.bias[size:])
        nn.init.zeros_(self.cls.predictions.bias)


class BertReference(nn.Module):
    """Hugging Face BertForPreTraining behind the forward the fixtures use."""

    def __init__(self, config):
        super().__init__()
        self.model = BertForPreTraining(config)

    def forward(self, batch):
        output = self.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                            token_type_ids=batch["token_type_ids"])
        return output.prediction_logits, output.seq_relationship_logits


def perturb(model, generator):
    """Adds uniform(-PERTURBATION, PERTURBATION) to every bias and LayerNorm parameter so that
    no path of the reference sees the symmetric values of a fresh initialisation."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith("bias") or "LayerNorm" in name:
                noise = torch.rand(parameter.shape, generator=generator, dtype=torch.float64) * 2 - 1
                parameter.add_((noise * PERTURBATION).to(parameter.dtype))


def word_batch(vocab_size, generator):
    """Rows [CLS] A [SEP] B [SEP] of word ids with padding, token types, attention mask,
    ascending masked positions (input replaced by [MASK]) with unused slots (position 0,
    label -100), NSP labels and the dense MLM labels Hugging Face's loss takes."""
    ids = torch.full((BATCH, SEQUENCE), PAD, dtype=torch.long)
    types = torch.zeros((BATCH, SEQUENCE), dtype=torch.long)
    attention = torch.zeros((BATCH, SEQUENCE), dtype=torch.long)
    positions = torch.zeros((BATCH, PREDICTIONS), dtype=torch.long)
    labels = torch.full((BATCH, PREDICTIONS), -100, dtype=torch.long)
    dense = torch.full((BATCH, SEQUENCE), -100, dtype=torch.long)
    for row, (length, masked) in enumerate(zip(ROW_LENGTHS, MASKED_PER_ROW)):
        first = (length - 3) // 2  # words in A; B takes the rest
        words = torch.randint(FIRST_WORD, vocab_size, (length - 3,), generator=generator).tolist()
        tokens = [CLS] + words[:first] + [SEP] + words[first:] + [SEP]
        candidates = [index for index, token in enumerate(tokens) if token not in (CLS, SEP)]
        order = torch.randperm(len(candidates), generator=generator)[:masked]
        for slot, position in enumerate(sorted(candidates[index] for index in order.tolist())):
            positions[row, slot] = position
            labels[row, slot] = tokens[position]
            dense[row, position] = tokens[position]
            tokens[position] = MASK
        ids[row, :length] = torch.tensor(tokens)
        types[row, first + 2:length] = 1
        attention[row, :length] = 1
    return {
        "input_ids": ids, "token_type_ids": types, "attention_mask": attention,
        "masked_lm_positions": positions, "masked_lm_labels": labels,
        "next_sentence_label": torch.tensor(NSP_LABELS, dtype=torch.long), "dense_labels": dense,
    }


def made_up_words(count, generator):
    """`count` distinct words: short lowercase ones, one with two-byte UTF-8 characters and
    one longer than the 48 bytes a token keeps."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["überfähré", "pneumonoultramicroscopicsilicovolcanoconiosisandmoreletters"]
    while len(words) < count:
        length = int(torch.randint(1, 9, (1,), generator=generator))
        word = "".join(letters[int(i)] for i in torch.randint(0, 26, (length,), generator=generator))
        if word not in words:
            words.append(word)
    return words


def character_ids(word):
    """A token's 50 character ids (section 4): UTF-8 bytes cut to 48, framed, padded, all +1."""
    special = {"[CLS]": [BEGIN_OF_SENTENCE], "[SEP]": [END_OF_SENTENCE], "[MASK]": [CHARACTER_MASK]}
    inner = special.get(word) or list(word.encode("utf-8"))[:CHARACTER["max_characters_per_token"] - 2]
    raw = [BEGIN_OF_WORD] + inner + [END_OF_WORD]
    raw += [CHARACTER_PAD] * (CHARACTER["max_characters_per_token"] - len(raw))
    return [value + 1 for value in raw]


def character_batch(generator):
    """The word batch of the MLM vocabulary spelled as character ids [B, S, 50]; padded tokens
    are all 0."""
    batch = word_batch(CHARACTER["mlm_vocab_size"], generator)
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocabulary += made_up_words(CHARACTER["mlm_vocab_size"] - FIRST_WORD, generator)
    # The two-byte word and the word cut to 48 bytes (ids 5 and 6) each take an unmasked place.
    for row, word in ((0, FIRST_WORD), (1, FIRST_WORD + 1)):
        words = batch["input_ids"][row]
        position = next(p for p in range(SEQUENCE) if int(words[p]) not in (PAD, CLS, SEP, MASK))
        words[position] = word
    ids = torch.zeros((BATCH, SEQUENCE, CHARACTER["max_characters_per_token"]), dtype=torch.long)
    for row in range(BATCH):
        for position in range(SEQUENCE):
            word = int(batch["input_ids"][row, position])
            if word != PAD:
                ids[row, position] = torch.tensor(character_ids(vocabulary[word]))
    batch["input_ids"] = ids
    return batch, vocabulary


def losses(model, batch):
    """MLM and NSP cross-entropy as Hugging Face computes them (mean over labelled tokens)."""
    scores, nsp = model(batch)
    mlm_loss = functional.cross_entropy(scores.reshape(-1, scores.shape[-1]), batch["dense_labels"].reshape(-1),
                                        ignore_index=-100)
    nsp_loss = functional.cross_entropy(nsp, batch["next_sentence_label"])
    return scores, nsp, mlm_loss, nsp_loss


def parameter_names(model):
    """Each parameter once, under its checkpoint name (BertReference's wrapper prefix dropped)."""
    return [(name.removeprefix("model."), parameter) for name, parameter in model.named_parameters()]


def adamw_losses(model, batch):
    """The loss before each of ADAMW_STEPS AdamW steps, decay 0 for NO_DECAY names."""
    decay, no_decay = [], []
    for name, parameter in parameter_names(model):
        (no_decay if any(key in name for key in NO_DECAY) else decay).append(parameter)
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": ADAMW["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=ADAMW["lr"], betas=ADAMW["betas"], eps=ADAMW["eps"])
    trajectory = []
    for _ in range(ADAMW_STEPS):
        optimizer.zero_grad(set_to_none=True)
        _, _, mlm_loss, nsp_loss = losses(model, batch)
        loss = mlm_loss + nsp_loss
        loss.backward()
        trajectory.append(loss.item())
        optimizer.step()
    return trajectory


def as_f32(tensor):
    return tensor.detach().to(torch.float32).contiguous().numpy()


def as_i32(tensor):
    return tensor.to(torch.int32).contiguous().numpy()


def reference_tensors(model, batch, check_loss=None):
    """param.*, input.*, output.*, grad.* and adamw.losses of a float32 `model` on `batch`,
    computed in float64."""
    tensors = {f"param.{name}": as_f32(parameter) for name, parameter in parameter_names(model)}
    for key in ("input_ids", "token_type_ids", "attention_mask", "masked_lm_positions", "masked_lm_labels",
                "next_sentence_label"):
        tensors[f"input.{key}"] = as_i32(batch[key])
    trajectory_model = copy.deepcopy(model).double().train()
    model = model.double().train()
    model.zero_grad(set_to_none=True)
    scores, nsp, mlm_loss, nsp_loss = losses(model, batch)
    loss = mlm_loss + nsp_loss
    if check_loss is not None:
        check_loss(model, batch, loss)
    loss.backward()
    gathered = torch.gather(scores, 1, batch["masked_lm_positions"][:, :, None].expand(-1, -1, scores.shape[-1]))
    tensors["output.mlm_logits"] = as_f32(gathered)
    tensors["output.nsp_logits"] = as_f32(nsp)
    tensors["output.mlm_loss"] = as_f32(mlm_loss.reshape(1))
    tensors["output.nsp_loss"] = as_f32(nsp_loss.reshape(1))
    tensors["output.loss"] = as_f32(loss.reshape(1))
    for name, parameter in parameter_names(model):
        largest = parameter.grad.abs().max().item()
        if name.endswith(MATHEMATICALLY_ZERO):
            assert largest < 1e-12, f"gradient of {name} should be rounding noise, is up to {largest}"
        else:
            assert largest > 0, f"gradient of {name} is all zero"
        tensors[f"grad.{name}"] = as_f32(parameter.grad)
    trajectory = adamw_losses(trajectory_model, batch)
    assert abs(trajectory[0] - loss.item()) < 1e-12, "the trajectory starts from a different loss"
    tensors["adamw.losses"] = np.array(trajectory, dtype=np.float32)
    return tensors


def check_hf_loss(model, batch, loss):
    """Hugging Face's own loss from the dense labels equals the one the fixture records."""
    output = model.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                         token_type_ids=batch["token_type_ids"], labels=batch["dense_labels"],
                         next_sentence_label=batch["next_sentence_label"])
    assert torch.equal(output.loss, loss), (output.loss.item(), loss.item())


def bert_fixture():
    config = BertConfig(vocab_size=BERT_VOCAB, **ENCODER)
    torch.manual_seed(SEED)
    model = BertReference(config)
    predictions = model.model.cls.predictions
    assert predictions.decoder.weight is model.model.bert.embeddings.word_embeddings.weight
    assert predictions.decoder.bias is predictions.bias
    generator = torch.Generator().manual_seed(SEED)
    perturb(model, generator)
    batch = word_batch(BERT_VOCAB, generator)
    tensors = reference_tensors(model, batch, check_hf_loss)
    metadata = {
        "model": "transformers.BertForPreTraining",
        "config": json.dumps({"vocab_size": BERT_VOCAB, "pad_token_id": config.pad_token_id, **ENCODER}),
        "tied": "cls.predictions.decoder.weight = bert.embeddings.word_embeddings.weight; "
                "cls.predictions.decoder.bias = cls.predictions.bias",
    }
    return tensors, metadata


def character_bert_fixture():
    config = BertConfig(vocab_size=CHARACTER["mlm_vocab_size"], **ENCODER)
    torch.manual_seed(SEED)
    model = CharacterBertForPreTraining(config, CHARACTER["mlm_vocab_size"])
    model.initialize()
    generator = torch.Generator().manual_seed(SEED)
    perturb(model, generator)
    batch, vocabulary = character_batch(generator)
    tensors = reference_tensors(model, batch)
    metadata = {
        "model": "CharacterBertForPreTraining (scripts/make_reference_fixtures.py, REFERENCE.md section 4)",
        "config": json.dumps({**ENCODER, **CHARACTER}),
        "mlm_vocabulary": json.dumps(vocabulary, ensure_ascii=False),
    }
    return tensors, metadata


def common_metadata():
    return {
        "format": "bertkit-reference-fixture",
        "version": "1",
        "seed": str(SEED),
        "batch": json.dumps({"batch": BATCH, "sequence": SEQUENCE, "predictions": PREDICTIONS,
                             "row_lengths": ROW_LENGTHS, "masked_per_row": MASKED_PER_ROW,
                             "nsp_labels": NSP_LABELS, "perturbation": PERTURBATION}),
        "precision": "weights made in float32; forward, backward and AdamW in float64; saved as F32",
        "loss": "mlm_loss + nsp_loss, each torch cross-entropy mean (MLM over labelled slots, ignore -100)",
        "optimizer": json.dumps({"name": "torch.optim.AdamW", "steps": ADAMW_STEPS, **ADAMW,
                                 "no_decay_names_containing": NO_DECAY}),
        "versions": json.dumps({"python": platform.python_version(), "torch": torch.__version__,
                                "transformers": transformers.__version__, "safetensors": safetensors.__version__,
                                "numpy": np.__version__}),
    }


def write(name, tensors, metadata, force):
    path = os.path.join(OUTPUT, name)
    if os.path.exists(path) and not force:
        sys.exit(f"error: {path}: already exists (use --force to overwrite it)")
    temporary = path + ".tmp"
    save_file(tensors, temporary, metadata={**common_metadata(), **metadata})
    os.replace(temporary, path)
    print(f"{path}: {os.path.getsize(path)} bytes, {len(tensors)} tensors")
    width = max(len(key) for key in tensors)
    for key in sorted(tensors):
        if key.startswith(("output.", "grad.", "adamw.")):
            print(f"  {key:<{width}}  max |value| {np.abs(tensors[key]).max():.6g}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true", help="overwrite existing fixture files")
    arguments = parser.parse_args()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUTPUT, exist_ok=True)
    write("bert.safetensors", *bert_fixture(), arguments.force)
    write("character_bert.safetensors", *character_bert_fixture(), arguments.force)


if __name__ == "__main__":
    main()
