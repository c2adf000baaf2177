"""BERTKit's Punkt against NLTK's: the same training text, the same parameters, the same sentences.

For (a) the English sample dump, extracted by `bertkit corpus extract`, and (b) Alice in
Wonderland as one document, both trainers learn from the documents one at a time (NLTK:
`train(text, finalize=False)` per document, then `get_params()`), and both split every
document with what they learned. BERTKit splits through `bertkit corpus format`, the
one-sentence-per-line output that BERT's pre-training input takes; its lines are mapped back
to character offsets in the documents. Sentence boundaries are compared as character offsets
in the documents joined by blank lines. Random texts made of Punkt's hard cases (periods,
initials, numbers, ellipses, quotes, brackets, Unicode spaces and cases) must give exactly
NLTK's parameters and sentences.
"""
import json
import os
import random
import subprocess

import pytest
from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

ENGLISH_DUMP = os.path.join("wiki", "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2")
ALICE = os.path.join("books", "gutenberg-11-alice-in-wonderland.txt")

# The characters Python's str.splitlines breaks at: format writes them as spaces.
LINE_BREAKS = str.maketrans({c: " " for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})


def run(*command):
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stderr}"
    return result


def english_documents(bertkit, shared_data, tmp_path):
    dump = os.path.join(shared_data, ENGLISH_DUMP)
    if not os.path.exists(dump):
        pytest.skip(f"the English sample dump is absent ({dump})")
    path = tmp_path / "docs.jsonl"
    run(bertkit, "corpus", "extract", dump, "--output", str(path), "--quiet")
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines]


def alice_documents(shared_data):
    path = os.path.join(shared_data, ALICE)
    if not os.path.exists(path):
        pytest.skip(f"the Alice book is absent ({path})")
    with open(path, encoding="utf-8") as book:
        return [book.read()]


def nltk_punkt(documents):
    """NLTK's parameters and, per document, its sentence spans."""
    trainer = PunktTrainer()
    for document in documents:
        trainer.train(document, finalize=False)
    parameters = trainer.get_params()
    tokenizer = PunktSentenceTokenizer(parameters)
    return parameters, [list(tokenizer.span_tokenize(document)) for document in documents]


def bertkit_punkt(bertkit, documents, tmp_path):
    """BERTKit's parameters (the JSON file) and, per document, its sentence spans."""
    docs = tmp_path / "punkt-docs.jsonl"
    with open(docs, "w", encoding="utf-8") as out:
        for document in documents:
            out.write(json.dumps({"text": document}) + "\n")
    params = tmp_path / "punkt.json"
    sentences = tmp_path / "sentences.txt"
    run(bertkit, "corpus", "train-punkt", str(docs), "--output", str(params), "--quiet")
    run(bertkit, "corpus", "format", str(docs), "--punkt", str(params), "--output", str(sentences),
        "--threads", "2", "--quiet")
    with open(params, encoding="utf-8") as file:
        parameters = json.load(file)
    with open(sentences, encoding="utf-8", newline="") as file:
        blocks = file.read().split("\n\n")
    assert blocks[-1] == "", "the output ends with a blank line"
    blocks = iter(blocks[:-1])
    spans = []
    for document in documents:
        # Documents that are empty or blank give no sentences and no block.
        lines = next(blocks).split("\n") if document.strip() else []
        spans.append(locate(lines, document.translate(LINE_BREAKS)))
    assert next(blocks, None) is None, "as many blocks as documents with sentences"
    return parameters, spans


def locate(sentences, text):
    """The spans of consecutive sentences in a text."""
    spans = []
    cursor = 0
    for sentence in sentences:
        start = text.find(sentence, cursor)
        assert start >= 0, f"sentence not found in its document: {sentence[:80]!r}"
        spans.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return spans


def boundaries(spans_per_document, documents):
    """Sentence ends, in the documents joined by blank lines, but not the ends of documents."""
    ends = set()
    offset = 0
    for spans, document in zip(spans_per_document, documents):
        ends.update(offset + end for _, end in spans[:-1])
        offset += len(document) + 2
    return ends


def joined_offsets(spans_per_document, documents):
    offset = 0
    spans = set()
    for document_spans, document in zip(spans_per_document, documents):
        spans.update((offset + start, offset + end) for start, end in document_spans)
        offset += len(document) + 2
    return spans


def compare(name, documents, nltk, ours):
    nltk_parameters, nltk_spans = nltk
    our_parameters, our_spans = ours
    text = "\n\n".join(documents)
    expected = boundaries(nltk_spans, documents)
    found = boundaries(our_spans, documents)
    agreed = len(expected & found)
    precision = agreed / len(found) if found else 1.0
    recall = agreed / len(expected) if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    expected_spans = joined_offsets(nltk_spans, documents)
    found_spans = joined_offsets(our_spans, documents)
    print(f"\n{name}: {len(documents)} documents, {len(text)} characters")
    print(f"  boundaries: NLTK {len(expected)}, BERTKit {len(found)}, agreed {agreed}: "
          f"precision {precision:.5f}, recall {recall:.5f}, F1 {f1:.5f}")
    print(f"  sentence spans identical: {len(expected_spans & found_spans)} of {len(expected_spans)} (NLTK), "
          f"{len(found_spans)} (BERTKit)")
    disagreements = [("missed (NLTK breaks, BERTKit does not)", offset) for offset in sorted(expected - found)]
    disagreements += [("extra (BERTKit breaks, NLTK does not)", offset) for offset in sorted(found - expected)]
    for kind, offset in disagreements[:10]:
        print(f"  {kind} at {offset}: {text[max(0, offset - 40):offset]!r} | {text[offset:offset + 40]!r}")

    ours_abbreviations = set(our_parameters["abbreviation_types"])
    nltk_abbreviations = set(nltk_parameters.abbrev_types)
    print(f"  abbreviations: NLTK {len(nltk_abbreviations)}, BERTKit {len(ours_abbreviations)}, "
          f"both {len(nltk_abbreviations & ours_abbreviations)}; "
          f"only NLTK {sorted(nltk_abbreviations - ours_abbreviations)[:20]}, "
          f"only BERTKit {sorted(ours_abbreviations - nltk_abbreviations)[:20]}")
    for key, nltk_value, our_value in (
            ("collocations", set(nltk_parameters.collocations), set(map(tuple, our_parameters["collocations"]))),
            ("sentence starters", set(nltk_parameters.sent_starters), set(our_parameters["sentence_starters"]))):
        print(f"  {key}: NLTK {len(nltk_value)}, BERTKit {len(our_value)}, both {len(nltk_value & our_value)}")
    # NLTK's table also holds the zeros its defaultdict made on lookups; BERTKit writes none.
    nltk_context = {type: flags for type, flags in nltk_parameters.ortho_context.items() if flags}
    our_context = our_parameters["orthographic_context"]
    differing = sorted(type for type in nltk_context.keys() | our_context.keys()
                       if nltk_context.get(type) != our_context.get(type))
    print(f"  orthographic context: NLTK {len(nltk_context)} types, BERTKit {len(our_context)}, "
          f"{len(differing)} differ" + "".join(f"; {type!r}: NLTK {nltk_context.get(type)}, BERTKit "
                                              f"{our_context.get(type)}" for type in differing[:5]))
    assert f1 >= 0.99, f"{name}: boundary F1 {f1:.5f} < 0.99"


def test_english_wikipedia_sample(bertkit, shared_data, tmp_path):
    documents = english_documents(bertkit, shared_data, tmp_path)
    compare("English Wikipedia sample", documents, nltk_punkt(documents), bertkit_punkt(bertkit, documents, tmp_path))


def test_alice_in_wonderland(bertkit, shared_data, tmp_path):
    documents = alice_documents(shared_data)
    compare("Alice in Wonderland", documents, nltk_punkt(documents), bertkit_punkt(bertkit, documents, tmp_path))


# Hard cases for the random texts: abbreviations, initials, numbers, ellipses, closing and
# opening punctuation, hyphens, Unicode quotes, spaces and case (final sigma, dotted I).
TOKENS = ["Dr.", "dr.", "Mr.", "J.", "j.", "e.g.", "U.S.", "etc.", "...", ". . .", ". . . .", "..", "?!", "!", "?",
          ".", "--", "-", "---", "(", ")", '"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\xab", "\xbb", "[", "]",
          "{", "}", ",", ";", ":", "1,000.", "3.", "-5", ".5", "1999.", "12-1999.", "The", "the", "He", "he", "Smith",
          "Bach.", "S.", "and", "However", "however", "Word.", "x-ray.", "co-op.", "\u03a3\u0391\u03a3.", "\u039f\u03a3",
          "\u0130stanbul", "stra\xdfe", "_x", "a_b.", "#tag", "@me", "&", "*", "e.g.,", "word,", "1,2", "\xa0", "\u2028",
          "\x1c", "\t", "\u3000", "\u65e5\u672c.", "a.b.c.", "A.B.", "No.", "no.", "vol.", "Inc.", "St.", "`", "''",
          "x.)", '."', ".)", "?)", '!"', "k.", "I.", "Fig.", "ca.", "\u01c5x.", "\ufb01", "\u216b."]
SEPARATORS = [" "] * 12 + ["\n"] * 3 + ["\n\n", "  ", " \n ", "\n \n"]
CHARACTERS = list("aAbBzZ.?!,;:-'\"()[]{}\u201c\u201d\u2018\u2019\xab\xbb\n \t0123_#@&*`%") + [
    "\xa0", "\x1c", "\u2029", "\u03a3", "\xe9", "\u0130", ". ", "..", "  ", "\n\n", "Dr", "J", "the", "The"]


def random_documents(seed, count=300):
    rng = random.Random(seed)

    def document():
        if rng.random() < 0.5:
            return "".join(rng.choice(CHARACTERS) for _ in range(rng.randint(0, 300)))
        return "".join(rng.choice(TOKENS) + rng.choice(SEPARATORS) for _ in range(rng.randint(0, 120)))

    return [document() for _ in range(count)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_hard_cases_give_nltks_parameters_and_sentences(bertkit, tmp_path, seed):
    documents = random_documents(seed)
    (nltk_parameters, nltk_spans), (our_parameters, our_spans) = (
        nltk_punkt(documents), bertkit_punkt(bertkit, documents, tmp_path))
    assert set(our_parameters["abbreviation_types"]) == set(nltk_parameters.abbrev_types)
    assert set(map(tuple, our_parameters["collocations"])) == set(nltk_parameters.collocations)
    assert set(our_parameters["sentence_starters"]) == set(nltk_parameters.sent_starters)
    assert our_parameters["orthographic_context"] == {
        type: flags for type, flags in nltk_parameters.ortho_context.items() if flags}
    for document, expected, found in zip(documents, nltk_spans, our_spans):
        assert found == expected, f"sentences differ in {document!r}"
