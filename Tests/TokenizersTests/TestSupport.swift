@testable import Tokenizers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small vocabulary with BERT's special tokens, numbered as listed.
let testTokens = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
    "hello", "world", ",", "!", "un", "##aff", "##able", "unaff", "ba", "##na", "##n", "a",
    "cafe", "café", "##s", "i", "é", "野", "ß", "strasse", "##e", "##é",
]

func testVocabulary() throws -> Vocabulary { try Vocabulary(tokens: testTokens) }
