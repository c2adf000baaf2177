"""BERTKit's safetensors files against the safetensors package, both ways.

Swift to Python: the Swift test `SafeTensorsWriterTests/writeCompatFile` writes tensors of
every kind the writer takes into $BERTKIT_COMPAT_OUT; the safetensors package must open the
file (its Rust core checks the header), give back the same values and metadata, and the raw
header must list the tensors in the order written, padded with spaces to a multiple of 8.
The Swift tests must be built (`swift build --build-tests` or `swift test`).

Python to Swift: the reference fixtures in Tests/Fixtures/reference are written by the
safetensors package and opened by the Swift tests (ReferenceFixtureTests); here the package
reads them back and their keys are checked to pair up.
"""
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load_file

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "Tests" / "Fixtures" / "reference"

# What SafeTensorsWriterTests.mixed holds, in its order; BF16 has no numpy dtype and is
# checked from its bytes.
MIXED = [
    ("weight", "F32", [2, 3], np.array([[1, -2.5, 0.125], [3e-8, -0.0, 65504]], dtype=np.float32)),
    ("ids", "I32", [4], np.array([0, -1, 2**31 - 1, -2**31], dtype=np.int32)),
    ("half", "F16", [2], np.array([1, -2], dtype=np.float16)),
    ("bfloat", "BF16", [1, 1], bytes([0x80, 0x3F])),
    ("scalar", "F64", [], np.array(1.0, dtype=np.float64)),
    ("mask", "BOOL", [3], np.array([True, False, True])),
    ("bytes", "U8", [0, 5], np.zeros((0, 5), dtype=np.uint8)),
    ("name \"quoted\" é", "I8", [1], np.array([-1], dtype=np.int8)),
]
METADATA = {"format": "pt", "note": "line\nbreak"}


def raw_header(path):
    """The header's length and its JSON members in file order."""
    with open(path, "rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        text = file.read(length).decode("utf-8")
    return length, text, json.loads(text, object_pairs_hook=list)


@pytest.fixture(scope="module")
def swift_written(tmp_path_factory):
    if shutil.which("swift") is None:
        pytest.skip("no swift on PATH to run the Swift test that writes the file")
    directory = tmp_path_factory.mktemp("swift")
    result = subprocess.run(
        ["swift", "test", "--skip-build", "--filter", "InteropTests.SafeTensorsWriterTests/writeCompatFile"],
        cwd=REPO, env={**os.environ, "BERTKIT_COMPAT_OUT": str(directory)}, capture_output=True, text=True)
    path = directory / "mixed.safetensors"
    assert result.returncode == 0 and path.exists(), (
        f"the Swift test did not write {path} (are the tests built?)\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return str(path)


def test_swift_file_reads_back_in_python(swift_written):
    with safe_open(swift_written, framework="np") as file:
        assert file.metadata() == METADATA
        assert sorted(file.keys()) == sorted(name for name, *_ in MIXED)
        for name, dtype, shape, expected in MIXED:
            assert file.get_slice(name).get_dtype() == dtype, name
            assert file.get_slice(name).get_shape() == shape, name
            if dtype != "BF16":
                tensor = file.get_tensor(name)
                assert tensor.dtype == expected.dtype, name
                np.testing.assert_array_equal(tensor, expected, err_msg=name)
                assert np.array_equal(np.signbit(tensor), np.signbit(expected)), name


def test_swift_header_is_ordered_compact_and_padded(swift_written):
    length, text, members = raw_header(swift_written)
    assert length % 8 == 0
    assert text == text.rstrip(" ") + " " * (length - len(text.rstrip(" ").encode("utf-8")))
    assert [key for key, _ in members] == ["__metadata__"] + [name for name, *_ in MIXED]
    assert dict(members[0][1]) == METADATA
    offset = 0
    for (name, info), (_, dtype, shape, expected) in zip(members[1:], MIXED):
        info = dict(info)
        assert info["dtype"] == dtype and info["shape"] == shape, name
        size = len(expected) if isinstance(expected, bytes) else expected.nbytes
        assert info["data_offsets"] == [offset, offset + size], name
        offset += size
    assert os.path.getsize(swift_written) == 8 + length + offset
    with open(swift_written, "rb") as file:
        file.seek(8 + length + dict(dict(members)["bfloat"])["data_offsets"][0])
        assert file.read(2) == bytes([0x80, 0x3F])


@pytest.mark.parametrize("name, vocabulary", [("bert", 120), ("character_bert", 60)])
def test_reference_fixtures_load(name, vocabulary):
    path = str(FIXTURES / f"{name}.safetensors")
    tensors = load_file(path)
    with safe_open(path, framework="np") as file:
        metadata = file.metadata()
    assert metadata["format"] == "bertkit-reference-fixture"
    parameters = {key[len("param."):] for key in tensors if key.startswith("param.")}
    gradients = {key[len("grad."):] for key in tensors if key.startswith("grad.")}
    assert parameters == gradients and parameters
    for parameter in parameters:
        assert tensors[f"param.{parameter}"].shape == tensors[f"grad.{parameter}"].shape, parameter
    assert tensors["output.mlm_logits"].shape == (3, 4, vocabulary)
    assert tensors["adamw.losses"].shape == (5,)
    for key, tensor in tensors.items():
        assert tensor.dtype == (np.int32 if key.startswith("input.") else np.float32), key
    assert abs(tensors["output.mlm_loss"][0] + tensors["output.nsp_loss"][0] - tensors["output.loss"][0]) < 1e-6
