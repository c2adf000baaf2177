"""`bertkit vocab wordpiece` against Hugging Face tokenizers' trainer: both learn an
8,000-token vocabulary with the same options from the same text (the English dump's
articles, extracted by bertkit, every 10th article held out), then the held-out articles are
tokenized with tokenizers' BertWordPieceTokenizer over each vocabulary, so that only the
vocabulary differs. BERTKit's must give at most 5% more tokens and no more [UNK]s."""
import json
import os
import subprocess

import pytest

tokenizers = pytest.importorskip("tokenizers")

DUMP = os.path.join("wiki", "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2")
VOCAB_SIZE = 8000


@pytest.fixture(scope="module")
def split_text(bertkit, shared_data, tmp_path_factory):
    """(training file, held-out paragraphs): paragraphs are lines; every 10th article is held out."""
    work = tmp_path_factory.mktemp("wordpiece")
    documents = work / "docs.jsonl"
    result = subprocess.run([bertkit, "corpus", "extract", os.path.join(shared_data, DUMP), "--output", str(documents),
                             "--quiet"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(documents, encoding="utf-8") as lines:
        articles = [json.loads(line)["text"] for line in lines]
    def paragraphs(texts):
        return [paragraph for text in texts for paragraph in text.split("\n") if paragraph.strip()]
    training = work / "training.txt"
    training.write_text("".join(line + "\n" for line in paragraphs(articles[i] for i in range(len(articles)) if i % 10)),
                        encoding="utf-8")
    return str(training), paragraphs(articles[::10])


def tokens_and_unknowns(vocab, lowercase, paragraphs):
    tokenizer = tokenizers.BertWordPieceTokenizer(vocab, lowercase=lowercase)
    encodings = tokenizer.encode_batch(paragraphs, add_special_tokens=False)
    tokens = sum(len(encoding.ids) for encoding in encodings)
    unknowns = sum(encoding.tokens.count("[UNK]") for encoding in encodings)
    return tokens, unknowns


@pytest.mark.parametrize("lowercase", [pytest.param(True, id="uncased"), pytest.param(False, id="cased")])
def test_vocabulary_tokenizes_held_out_text_as_compactly_as_tokenizers(bertkit, split_text, lowercase, tmp_path):
    training, held_out = split_text
    reference = tokenizers.BertWordPieceTokenizer(lowercase=lowercase)
    reference.train([training], vocab_size=VOCAB_SIZE, min_frequency=2, limit_alphabet=1000, show_progress=False)
    reference_vocab = reference.save_model(str(tmp_path), "reference")[0]

    ours = str(tmp_path / "bertkit-vocab.txt")
    command = [bertkit, "vocab", "wordpiece", training, "--input-format", "lines", "--output", ours,
               "--vocab-size", str(VOCAB_SIZE), "--min-frequency", "2", "--limit-alphabet", "1000", "--quiet"]
    if not lowercase:
        command.append("--cased")
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(ours, encoding="utf-8") as vocab:
        assert len(vocab.read().split("\n")[:-1]) == VOCAB_SIZE

    their_tokens, their_unknowns = tokens_and_unknowns(reference_vocab, lowercase, held_out)
    our_tokens, our_unknowns = tokens_and_unknowns(ours, lowercase, held_out)
    print(f"\n{'uncased' if lowercase else 'cased'}, {len(held_out)} held-out paragraphs:"
          f" tokenizers {their_tokens} tokens, [UNK] rate {their_unknowns / their_tokens:.6f} ({their_unknowns});"
          f" bertkit {our_tokens} tokens ({our_tokens / their_tokens:.4f}x),"
          f" [UNK] rate {our_unknowns / our_tokens:.6f} ({our_unknowns})")
    assert our_tokens <= 1.05 * their_tokens
    assert our_unknowns / our_tokens <= their_unknowns / their_tokens
