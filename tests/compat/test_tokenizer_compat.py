"""`bertkit tokenize` against Hugging Face tokenizers' BertWordPieceTokenizer: the same
tokens, ids and character offsets for every line of real text (a book, BERT's sample text,
the text `bertkit corpus extract` gets from each shared Wikipedia dump), for every Unicode
scalar, and for random mixtures of letters, marks and symbols; uncased and cased."""
import glob
import json
import os
import random
import subprocess
import sys

import pytest

tokenizers = pytest.importorskip("tokenizers")

CASES = [pytest.param(True, id="uncased"), pytest.param(False, id="cased")]


@pytest.fixture(scope="session")
def vocab(shared_data):
    return os.path.join(shared_data, "bert", "vocab.txt")


@pytest.fixture(scope="session")
def wiki_texts(bertkit, shared_data, tmp_path_factory):
    """The text of each shared dump's articles, extracted by bertkit: {dump name: text}."""
    work = tmp_path_factory.mktemp("extracted")
    texts = {}
    for dump in sorted(glob.glob(os.path.join(shared_data, "wiki", "*.bz2"))):
        name = os.path.basename(dump)
        output = work / (name + ".jsonl")
        result = subprocess.run([bertkit, "corpus", "extract", dump, "--output", str(output), "--quiet"],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        with open(output, encoding="utf-8") as documents:
            texts[name] = "\n".join(json.loads(line)["text"] for line in documents)
    assert any(name.startswith("bgwiki") for name in texts), "the Bulgarian dump is missing"
    return texts


def reference(vocab, lowercase):
    return tokenizers.BertWordPieceTokenizer(vocab, lowercase=lowercase)


def bertkit_lines(bertkit, vocab, lowercase, path, *flags):
    command = [bertkit, "tokenize", "--vocab", vocab, "--quiet", *flags, str(path)]
    if not lowercase:
        command.append("--cased")
    result = subprocess.run(command, capture_output=True)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout.decode("utf-8").split("\n")[:-1]


def parse_offsets(field):
    return [tuple(int(number) for number in pair.split(":")) for pair in field.split()]


def compare(bertkit, vocab, lowercase, text, tmp_path, label):
    """Tokenizes each line of `text` both ways; asserts that tokens, ids and offsets agree."""
    lines = text.split("\n")
    path = tmp_path / "input.txt"
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\n")
    with_ids = bertkit_lines(bertkit, vocab, lowercase, path, "--offsets")
    with_tokens = bertkit_lines(bertkit, vocab, lowercase, path, "--tokens")
    assert len(with_ids) == len(lines) and len(with_tokens) == len(lines)

    expected = reference(vocab, lowercase).encode_batch(lines, add_special_tokens=False)
    compared = 0
    mismatches = []
    for number, (line, ids_line, tokens_line, encoding) in enumerate(zip(lines, with_ids, with_tokens, expected), 1):
        ids_field, offsets_field = ids_line.split("\t")
        ids = [int(token_id) for token_id in ids_field.split()]
        tokens = tokens_line.split()
        offsets = parse_offsets(offsets_field)
        compared += len(encoding.ids)
        if ids != encoding.ids or tokens != encoding.tokens or offsets != encoding.offsets:
            mismatches.append(f"line {number}: {line!r}\n  bertkit: {tokens} {ids} {offsets}\n"
                              f"  tokenizers: {encoding.tokens} {encoding.ids} {encoding.offsets}")
    case = "uncased" if lowercase else "cased"
    print(f"\n{label} ({case}): {compared} tokens on {len(lines)} lines compared "
          f"(ids, tokens, offsets); {len(mismatches)} mismatching lines")
    assert not mismatches, f"{len(mismatches)} lines differ:\n" + "\n".join(mismatches[:10])


@pytest.mark.parametrize("lowercase", CASES)
@pytest.mark.parametrize("name", ["books/gutenberg-11-alice-in-wonderland.txt", "bert/sample_text.txt"])
def test_text_files(bertkit, vocab, shared_data, tmp_path, name, lowercase):
    with open(os.path.join(shared_data, name), encoding="utf-8", newline="") as text:
        compare(bertkit, vocab, lowercase, text.read(), tmp_path, name)


@pytest.mark.parametrize("lowercase", CASES)
def test_extracted_wikipedia(bertkit, vocab, wiki_texts, tmp_path, lowercase):
    for name, text in wiki_texts.items():
        compare(bertkit, vocab, lowercase, text, tmp_path, "wiki/" + name)


def every_scalar_lines():
    """Every Unicode scalar but the line feed, alone and inside a word."""
    scalars = [chr(code) for code in range(0x110000) if code != 0x0A and not 0xD800 <= code <= 0xDFFF]
    for start in range(0, len(scalars), 16):
        group = scalars[start:start + 16]
        yield " ".join(group) + " " + " ".join(f"a{scalar}b" for scalar in group)


@pytest.mark.parametrize("lowercase", CASES)
def test_every_scalar(bertkit, vocab, tmp_path, lowercase):
    compare(bertkit, vocab, lowercase, "\n".join(every_scalar_lines()), tmp_path, "every Unicode scalar")


def random_lines(count=20000, seed=11):
    """Random mixtures of what normalization treats specially: accents and other marks in
    every combining class (some out of canonical order), marks that are not Mn or that
    Unicode 8.0 did not have, Hangul, CJK, cased letters with special mappings, punctuation,
    whitespace and control characters."""
    pool = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;!?'-#")
            + list("éÉàçñüÖÅøßẞİıΣσςǅǄﬁ¨´ÀÁΐῼ")
            + ["\u0301", "\u0300", "\u0308", "\u0316", "\u0323", "\u0345", "\u05B0", "\u0F71", "\u0F72", "\u0F74",
               "\u093C", "\u094D", "\u0E48", "\u302A", "\u302E", "\u3099", "\u20DD", "\u1AB0"]
            + ["\u08D4", "\u1DF6", "\u07FD", "\U0001D165", "\U0001D16D", "\u1734", "\u0F39", "\u1885", "\uA9BD"]
            + list("한국어각각野口里佳力加勝北区ぁアｱ") + ["\u2000", "\u00A0", "\u3000", "\u2028", "\u0085", "\t", "\r"]
            + ["\u0000", "\u00AD", "\u200B", "\u200D", "\uFEFF", "\uFFFD", "\uE000", "\U0001F970", "\u0378"]
            + list("«»“”‘’—–…¡¿·•§¶†‡※‽⁂、。「」『』【】")
            + ["\u1FEF", "\u037E", "\u0387", "\u2126", "\u212A", "\u212B", "\uF900", "\u0344", "\u0F73"])
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))


@pytest.mark.parametrize("lowercase", CASES)
def test_random_text(bertkit, vocab, tmp_path, lowercase):
    compare(bertkit, vocab, lowercase, "\n".join(random_lines()), tmp_path, "random text")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-s"]))
