import Testing
@testable import Tokenizers

@Suite struct WordPieceTests {
    func tokens(_ model: WordPiece, _ word: String) -> [String] {
        model.tokenize(word).map { model.vocabulary.tokens[Int($0.id)] }
    }

    @Test func matchesGreedilyLongestFirst() throws {
        let model = try WordPiece(vocabulary: testVocabulary())
        // "unaff" is longer than "un": it wins, then "##able".
        #expect(tokens(model, "unaffable") == ["unaff", "##able"])
        #expect(tokens(model, "banana") == ["ba", "##na", "##na"])
        #expect(tokens(model, "banan") == ["ba", "##na", "##n"])
        #expect(model.tokenize("banana").map(\.bytes) == [0..<2, 2..<4, 4..<6])
    }

    @Test func wholeWordsInTheVocabularyAreOneToken() throws {
        let model = try WordPiece(vocabulary: testVocabulary())
        #expect(tokens(model, "hello") == ["hello"])
        #expect(tokens(model, "café") == ["café"])
    }

    @Test func piecesEndOnCharacterBoundaries() throws {
        let model = try WordPiece(vocabulary: testVocabulary())
        // "é" is two bytes: the continuation "##é" must be matched whole.
        #expect(tokens(model, "cafés") == ["café", "##s"])
        #expect(tokens(model, "iéé") == ["i", "##é", "##é"])
        #expect(model.tokenize("iéé").map(\.bytes) == [0..<1, 1..<3, 3..<5])
    }

    @Test func anUnmatchedPieceMakesTheWholeWordUnknown() throws {
        let model = try WordPiece(vocabulary: testVocabulary())
        // "na" exists only as a continuation, and "x" nowhere.
        #expect(model.tokenize("nana") == [WordPiece.Piece(id: 1, bytes: 0..<4)])
        #expect(model.tokenize("bax") == [WordPiece.Piece(id: 1, bytes: 0..<3)])
    }

    @Test func wordsLongerThanTheLimitAreUnknown() throws {
        let model = try WordPiece(vocabulary: testVocabulary())
        #expect(tokens(model, String(repeating: "a", count: 100)).count == 1)
        #expect(tokens(model, String(repeating: "a", count: 101)) == ["[UNK]"])
        // The limit counts characters, not bytes.
        let short = try WordPiece(vocabulary: testVocabulary(), maxInputCharactersPerWord: 3)
        #expect(tokens(short, "iéé") == ["i", "##é", "##é"])
        #expect(tokens(short, "iééé") == ["[UNK]"])
    }

    @Test func aVocabularyWithoutTheUnknownTokenIsRejected() throws {
        #expect(throws: (any Error).self) { try WordPiece(vocabulary: Vocabulary(tokens: ["a", "##b"])) }
        let error = try #require(throws: (any Error).self) { try WordPiece(vocabulary: Vocabulary(tokens: ["a"])) }
        #expect("\(error)".contains("[UNK]"))
    }
}
