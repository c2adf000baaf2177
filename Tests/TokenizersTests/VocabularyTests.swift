import Testing
import TestSupport
import Support
@testable import Tokenizers

@Suite struct VocabularyTests {
    @Test func idsAreLineNumbersFromZero() throws {
        let path = TestFiles.temporaryFile(Array("[PAD]\n[UNK]\nhello\n##lo\n".utf8), name: "vocab.txt")
        let vocabulary = try Vocabulary(contentsOfFile: path)
        #expect(vocabulary.count == 4)
        #expect(vocabulary.id(of: "hello") == 2)
        #expect(vocabulary.id(of: "##lo") == 3)
        #expect(vocabulary.id(of: "absent") == nil)
        #expect(vocabulary.tokens[1] == "[UNK]")
        #expect(vocabulary.withUTF8(ofToken: 3) { Array($0) } == Array("##lo".utf8))
    }

    @Test func trailingWhitespaceAndCarriageReturnsAreDropped() throws {
        let vocabulary = try Vocabulary(contentsOfFile: TestFiles.temporaryFile(Array("a \r\nb\t\r\nc".utf8)))
        #expect(vocabulary.tokens == ["a", "b", "c"])
    }

    func error(reading text: [UInt8]) throws -> BERTKitError {
        let path = TestFiles.temporaryFile(text, name: "vocab.txt")
        return try #require(throws: BERTKitError.self) { try Vocabulary(contentsOfFile: path) }
    }

    @Test func duplicatesNameBothLines() throws {
        let error = try error(reading: Array("a\nb\nc\nb\n".utf8))
        #expect(error.place == "line 4")
        #expect(error.message.contains("'b'") && error.message.contains("line 2"))
        #expect(error.file?.hasSuffix("vocab.txt") == true)
    }

    @Test func blankLinesAreErrors() throws {
        #expect(try error(reading: Array("a\n\nb\n".utf8)).place == "line 2")
        #expect(try error(reading: Array("a\n  \nb\n".utf8)).place == "line 2")
    }

    @Test func invalidUTF8IsAnError() throws {
        let error = try error(reading: [0x61, 0x0A, 0x62, 0xFF, 0x0A])
        #expect(error.place == "line 2")
        #expect(error.message.contains("UTF-8"))
    }

    @Test func emptyAndMissingFilesAreErrors() throws {
        #expect(try error(reading: []).message.contains("empty"))
        #expect(throws: BERTKitError.self) { try Vocabulary(contentsOfFile: "/nonexistent/vocab.txt") }
    }

    @Test func everySpecialTokenIsRequired() throws {
        for missing in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] {
            let vocabulary = try Vocabulary(tokens: testTokens.filter { $0 != missing })
            let error = try #require(throws: BERTKitError.self) { try BertWordPieceTokenizer(vocabulary: vocabulary) }
            #expect(error.message.contains(missing))
        }
    }
}
