"""How `bertkit bench train-step` behaves at the command line: its one key=value line ending
in tokens/s, model configuration files (YAML or Hugging Face's config.json) and the errors of
bad ones."""
import json
import re
import subprocess

LINE = re.compile(r"^train-step( [^ =]+=[^ ]+)+$")


def bench(bertkit, *args):
    return subprocess.run([bertkit, "bench", "train-step", *map(str, args)], capture_output=True, text=True)


def fields(stdout):
    """The line's fields in order, as (key, value) pairs."""
    lines = stdout.splitlines()
    assert len(lines) == 1 and LINE.match(lines[0]), stdout
    return [tuple(field.split("=", 1)) for field in lines[0].split(" ")[1:]]


def test_tiny_run_prints_one_line_ending_in_tokens_per_second(bertkit):
    result = bench(bertkit, "--model", "tiny", "--batch-size", 2, "--seq-length", 16, "--steps", 2, "--warmup-steps", 0)
    assert result.returncode == 0, result.stderr
    pairs = fields(result.stdout)
    assert pairs[-1][0] == "tokens/s"
    values = dict(pairs)
    assert {key: values[key] for key in ("model", "kind", "batch", "seq", "steps", "warmup", "predictions")} == {
        "model": "tiny", "kind": "bert", "batch": "2", "seq": "16", "steps": "2", "warmup": "0", "predictions": "3"}
    seconds, tokens_per_second = float(values["s/step"]), float(values["tokens/s"])
    # s/step is printed to 4 decimals and tokens/s to 1: they agree within those roundings
    # (half a unit of s/step's last digit moves 32 / s by 32 * 0.5e-4 / s^2).
    assert seconds > 0 and abs(tokens_per_second - 32 / seconds) <= 0.05 + 32 * 0.5e-4 / (seconds - 0.5e-4) ** 2
    assert float(values["GFLOP/s"]) >= 0 and float(values["GFLOP/step"]) > 0
    assert float(values["peak_rss_mb"]) > 1
    assert float(values["loss"]) > 0


def test_yaml_configuration_with_a_character_cnn(bertkit, tmp_path):
    config = tmp_path / "small.yaml"
    config.write_text("vocab_size: 100\nhidden_size: 32\nnum_hidden_layers: 1\nnum_attention_heads: 2\n"
                      "intermediate_size: 64\ncharacter_cnn:\n  filters: [[1, 4], [2, 8]]\n  n_highway: 1\n")
    result = bench(bertkit, "--model", config, "--batch-size", 2, "--seq-length", 8, "--steps", 1, "--warmup-steps", 0)
    assert result.returncode == 0, result.stderr
    values = dict(fields(result.stdout))
    assert values["kind"] == "character-bert" and values["model"] == str(config)


def test_hugging_face_config_json_loads(bertkit, tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"architectures": ["BertForPreTraining"], "model_type": "bert", "vocab_size": 50,
                                  "hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
                                  "intermediate_size": 32, "hidden_act": "gelu", "layer_norm_eps": 1e-12,
                                  "transformers_version": "5.23.0"}, indent=2))
    result = bench(bertkit, "--model", config, "--batch-size", 1, "--seq-length", 4, "--steps", 1, "--warmup-steps", 0)
    assert result.returncode == 0, result.stderr
    assert dict(fields(result.stdout))["kind"] == "bert"


def test_unknown_key_names_the_file_the_key_and_the_closest_valid_key(bertkit, tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("hidden_size: 64\nnum_hidden_layer: 2\n")
    result = bench(bertkit, "--model", config, "--batch-size", 2, "--seq-length", 16, "--steps", 2)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (f"error: {config}: line 2: unknown key 'num_hidden_layer'; "
                             "the closest valid key is 'num_hidden_layers'\n")


def test_value_of_the_wrong_type_names_its_key(bertkit, tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text("hidden_size: 64\nhidden_dropout_prob: none\n")
    result = bench(bertkit, "--model", config, "--batch-size", 2, "--seq-length", 16, "--steps", 2)
    assert result.returncode == 1
    assert result.stderr == f"error: {config}: line 2: hidden_dropout_prob: expected a number, got \"none\"\n"


def test_unknown_model_name(bertkit):
    result = bench(bertkit, "--model", "gigantic", "--batch-size", 2, "--seq-length", 16, "--steps", 2)
    assert result.returncode == 1
    assert "gigantic: neither a model preset (tiny, mini, small, medium, base, large) nor a configuration file" in result.stderr
