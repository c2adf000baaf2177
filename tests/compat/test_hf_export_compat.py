"""`bertkit export hf` and `bertkit import hf` against the Hugging Face directory format, with
the safetensors package and json only (transformers itself is checked by
scripts/check_hf_roundtrip.py, outside CI).

A tiny BERT and a tiny CharacterBERT are pre-trained for two steps on the demo's data and
exported. The BERT export must hold exactly the parameters of REFERENCE.md section 4 in the
shapes config.json gives, F32, without the tied decoder; its vocab.txt, tokenizer_config.json
and special_tokens_map.json must agree with the vocabulary; export, import and export again
must give identical tensors; and a directory as transformers may write it (F16, the tied
decoder and the position_ids buffer stored) must import to the same values.
"""
import json
import subprocess

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load_file, save_file


def run(bertkit, *arguments):
    result = subprocess.run([bertkit, *map(str, arguments)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


def pretrain(bertkit, data, run_dir, *arguments):
    run(bertkit, "pretrain", "--data", data, "--run-dir", run_dir, "--target-batch-size", 4, "--accumulation-steps", 1,
        "--optimizer", "adamw", "--learning-rate", "1e-3", "--max-steps", 2, "--threads", 2, "--quiet", *arguments)


@pytest.fixture(scope="module")
def demo(bertkit, tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    run(bertkit, "demo", "--output", directory, "--force", "--steps", 0)
    return directory


@pytest.fixture(scope="module")
def bert(bertkit, demo, tmp_path_factory):
    """The run directory of a tiny BERT and its export."""
    work = tmp_path_factory.mktemp("bert")
    pretrain(bertkit, demo / "hdf5" / "128_20", work / "run", "--model", "tiny")
    run(bertkit, "export", "hf", work / "run", "--output", work / "hf")
    return work / "run", work / "hf"


@pytest.fixture(scope="module")
def character_bert(bertkit, demo, tmp_path_factory):
    """A tiny CharacterBERT (a small character CNN) and its export."""
    work = tmp_path_factory.mktemp("character_bert")
    run(bertkit, "vocab", "mlm", demo / "shards", "--output", work / "mlm_vocab.txt", "--max-vocabulary-size", 500,
        "--quiet")
    run(bertkit, "data", "create", demo / "shards", "--character-bert", "--mlm-vocab", work / "mlm_vocab.txt",
        "--output", work / "data", "--quiet")
    (work / "model.json").write_text(json.dumps({
        "vocab_size": 500, "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
        "intermediate_size": 64, "max_position_embeddings": 128,
        "character_cnn": {"filters": [[1, 4], [2, 8]], "n_highway": 1}}))
    pretrain(bertkit, work / "data", work / "run", "--character-bert", "--model", work / "model.json")
    run(bertkit, "export", "hf", work / "run", "--output", work / "hf")
    return work / "run", work / "hf"


def expected_shapes(config):
    """REFERENCE.md section 4: every parameter of BertForPreTraining and its shape."""
    v, h, i = config["vocab_size"], config["hidden_size"], config["intermediate_size"]
    shapes = {
        "bert.embeddings.word_embeddings.weight": [v, h],
        "bert.embeddings.position_embeddings.weight": [config["max_position_embeddings"], h],
        "bert.embeddings.token_type_embeddings.weight": [config["type_vocab_size"], h],
        "bert.embeddings.LayerNorm.weight": [h], "bert.embeddings.LayerNorm.bias": [h],
        "bert.pooler.dense.weight": [h, h], "bert.pooler.dense.bias": [h],
        "cls.predictions.transform.dense.weight": [h, h], "cls.predictions.transform.dense.bias": [h],
        "cls.predictions.transform.LayerNorm.weight": [h], "cls.predictions.transform.LayerNorm.bias": [h],
        "cls.predictions.bias": [v],
        "cls.seq_relationship.weight": [2, h], "cls.seq_relationship.bias": [2],
    }
    for layer in range(config["num_hidden_layers"]):
        prefix = f"bert.encoder.layer.{layer}."
        for name in ("query", "key", "value"):
            shapes[prefix + f"attention.self.{name}.weight"] = [h, h]
            shapes[prefix + f"attention.self.{name}.bias"] = [h]
        shapes.update({
            prefix + "attention.output.dense.weight": [h, h], prefix + "attention.output.dense.bias": [h],
            prefix + "attention.output.LayerNorm.weight": [h], prefix + "attention.output.LayerNorm.bias": [h],
            prefix + "intermediate.dense.weight": [i, h], prefix + "intermediate.dense.bias": [i],
            prefix + "output.dense.weight": [h, i], prefix + "output.dense.bias": [h],
            prefix + "output.LayerNorm.weight": [h], prefix + "output.LayerNorm.bias": [h],
        })
    return shapes


def header(path):
    """The dtype and shape of every tensor, and the metadata."""
    with safe_open(path, framework="np") as file:
        return {key: (file.get_slice(key).get_dtype(), file.get_slice(key).get_shape()) for key in file.keys()}, \
            file.metadata()


def test_bert_export_has_the_reference_names_shapes_and_dtypes(bert):
    _, hf = bert
    config = json.loads((hf / "config.json").read_text())
    assert config["architectures"] == ["BertForPreTraining"] and config["model_type"] == "bert"
    assert config["hidden_act"] == "gelu" and config["tie_word_embeddings"] is True
    assert (config["hidden_size"], config["num_hidden_layers"], config["num_attention_heads"]) == (128, 2, 2)
    for key in ("intermediate_size", "max_position_embeddings", "type_vocab_size", "pad_token_id", "layer_norm_eps",
                "hidden_dropout_prob", "attention_probs_dropout_prob", "initializer_range", "vocab_size"):
        assert key in config, key
    tensors, metadata = header(hf / "model.safetensors")
    assert metadata == {"format": "pt"}
    assert {key: shape for key, (_, shape) in tensors.items()} == expected_shapes(config)
    assert {dtype for dtype, _ in tensors.values()} == {"F32"}
    assert not any(key.startswith("cls.predictions.decoder") or key.endswith("position_ids") for key in tensors)
    values = load_file(hf / "model.safetensors")
    assert all(np.isfinite(value).all() for value in values.values())


def test_bert_export_tokenizer_files_agree_with_the_vocabulary(bert, demo):
    _, hf = bert
    config = json.loads((hf / "config.json").read_text())
    vocabulary = (hf / "vocab.txt").read_text().splitlines()
    assert vocabulary == (demo / "vocab.txt").read_text().splitlines()
    assert len(vocabulary) <= config["vocab_size"] and len(vocabulary) == config["vocab_size"]
    tokenizer = json.loads((hf / "tokenizer_config.json").read_text())
    assert tokenizer["tokenizer_class"] == "BertTokenizer" and tokenizer["do_lower_case"] is True
    assert tokenizer["model_max_length"] == config["max_position_embeddings"]
    special = json.loads((hf / "special_tokens_map.json").read_text())
    assert special == {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
                       "mask_token": "[MASK]"}
    for name, token in special.items():
        assert tokenizer[name] == token and token in vocabulary


def test_checkpoints_carry_the_model_configuration_and_vocabulary(bert, demo):
    run_dir, _ = bert
    checkpoint = run_dir / "checkpoints" / "step_2"
    model = json.loads((checkpoint / "model.json").read_text())
    assert model["model_type"] == "bert" and model["vocab_size"] == 4000 and model["next_sentence_prediction"] is True
    assert (checkpoint / "vocab.txt").read_text() == (demo / "vocab.txt").read_text()
    assert json.loads((checkpoint / "tokenizer_config.json").read_text())["do_lower_case"] is True


def test_export_import_export_gives_identical_tensors(bertkit, bert, tmp_path):
    _, hf = bert
    run(bertkit, "import", "hf", hf, "--output", tmp_path / "imported")
    checkpoint = tmp_path / "imported" / "checkpoints" / "step_0"
    assert sorted(path.name for path in checkpoint.iterdir()) == [
        "model.json", "model.safetensors", "optimizer.safetensors", "state.json", "tokenizer_config.json", "vocab.txt"]
    assert json.loads((checkpoint / "state.json").read_text())["step"] == 0
    assert all((value == 0).all() for value in load_file(checkpoint / "optimizer.safetensors").values())
    run(bertkit, "export", "hf", tmp_path / "imported", "--output", tmp_path / "again")
    first, second = load_file(hf / "model.safetensors"), load_file(tmp_path / "again" / "model.safetensors")
    assert first.keys() == second.keys()
    for key in first:
        assert first[key].dtype == second[key].dtype == np.float32
        np.testing.assert_array_equal(first[key], second[key], err_msg=key)
    for name in ("config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"):
        assert (hf / name).read_text() == (tmp_path / "again" / name).read_text(), name


def test_import_reads_f16_with_the_tied_decoder_and_position_ids(bertkit, bert, tmp_path):
    _, hf = bert
    directory = tmp_path / "transformers"
    directory.mkdir()
    for name in ("config.json", "vocab.txt", "tokenizer_config.json"):
        (directory / name).write_text((hf / name).read_text())
    tensors = {key: value.astype(np.float16) for key, value in load_file(hf / "model.safetensors").items()}
    tensors["cls.predictions.decoder.weight"] = tensors["bert.embeddings.word_embeddings.weight"].copy()
    tensors["cls.predictions.decoder.bias"] = tensors["cls.predictions.bias"].copy()
    tensors["bert.embeddings.position_ids"] = np.arange(512, dtype=np.int64)[None, :]
    save_file(tensors, directory / "model.safetensors", metadata={"format": "pt"})
    result = run(bertkit, "import", "hf", directory, "--output", tmp_path / "run")
    assert "note: converted F16 weights to F32" in result.stderr
    assert "note: dropped cls.predictions.decoder.weight, equal to bert.embeddings.word_embeddings.weight (tied)" \
        in result.stderr
    imported = load_file(tmp_path / "run" / "checkpoints" / "step_0" / "model.safetensors")
    assert imported.keys() == expected_shapes(json.loads((hf / "config.json").read_text())).keys()
    for key, value in imported.items():
        assert value.dtype == np.float32
        np.testing.assert_array_equal(value, tensors[key].astype(np.float32), err_msg=key)


def test_character_bert_export(character_bert):
    run_dir, hf = character_bert
    assert sorted(path.name for path in hf.iterdir()) == ["README.md", "config.json", "mlm_vocab.txt", "model.safetensors"]
    config = json.loads((hf / "config.json").read_text())
    assert config["model_type"] == "character_bert" and config["architectures"] == ["CharacterBertForPreTraining"]
    assert config["mlm_vocab_size"] == config["vocab_size"] == 500 and config["tie_word_embeddings"] is False
    assert config["character_cnn"]["filters"] == [[1, 4], [2, 8]]
    tensors, metadata = header(hf / "model.safetensors")
    assert metadata == {"format": "pt"} and {dtype for dtype, _ in tensors.values()} == {"F32"}
    assert not any(key.startswith("bert.") for key in tensors)
    prefix = "character_bert.embeddings.word_embeddings."
    assert tensors[prefix + "_char_embedding_weights"][1] == [263, 16]
    assert tensors[prefix + "char_conv_1.weight"][1] == [8, 16, 2]
    assert tensors[prefix + "_highways._layers.0.weight"][1] == [24, 12]
    assert tensors[prefix + "_projection.weight"][1] == [32, 12]
    assert tensors["cls.predictions.decoder.weight"][1] == [500, 32]
    values = load_file(hf / "model.safetensors")
    np.testing.assert_array_equal(values["cls.predictions.decoder.bias"], values["cls.predictions.bias"])
    checkpoint = load_file(run_dir / "checkpoints" / "step_2" / "model.safetensors")
    assert {key.replace("character_bert.", "bert.", 1) for key in values} - checkpoint.keys() == \
        {"cls.predictions.decoder.bias"}
    words = (hf / "mlm_vocab.txt").read_text().splitlines()
    assert len(words) == config["mlm_vocab_size"] and all(" " not in word for word in words)
    readme = (hf / "README.md").read_text()
    assert "Hugging Face transformers cannot" in readme and "this model's CNN is not the paper's" in readme
