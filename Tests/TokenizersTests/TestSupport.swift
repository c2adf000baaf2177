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

/// Writes `bytes` to a new file in a fresh temporary directory and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "file.txt") -> String {
    var template = Array("/tmp/bertkit-tokenizers-test-XXXXXX".utf8CString)
    let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    let path = directory + "/" + name
    let handle = fopen(path, "wb")!
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    fclose(handle)
    return path
}
