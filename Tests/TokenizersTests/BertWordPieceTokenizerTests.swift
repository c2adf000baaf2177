import Testing
@testable import Tokenizers

@Suite struct BertWordPieceTokenizerTests {
    @Test func encodesWithSpecialTokens() throws {
        let tokenizer = try BertWordPieceTokenizer(vocabulary: testVocabulary())
        let encoding = tokenizer.encode("Hello, world!")
        #expect(encoding.tokens == ["[CLS]", "hello", ",", "world", "!", "[SEP]"])
        #expect(encoding.ids == [2, 5, 7, 6, 8, 3])
        #expect(encoding.offsets == [0..<0, 0..<5, 5..<6, 7..<12, 12..<13, 0..<0])
        #expect(encoding.typeIDs == [0, 0, 0, 0, 0, 0])
    }

    @Test func encodesPairsWithTypeIDs() throws {
        let tokenizer = try BertWordPieceTokenizer(vocabulary: testVocabulary())
        let encoding = tokenizer.encode("hello", pair: "world!")
        #expect(encoding.tokens == ["[CLS]", "hello", "[SEP]", "world", "!", "[SEP]"])
        #expect(encoding.typeIDs == [0, 0, 0, 1, 1, 1])
        #expect(encoding.offsets == [0..<0, 0..<5, 0..<0, 0..<5, 5..<6, 0..<0])
        let bare = tokenizer.encode("hello", pair: "world", addSpecialTokens: false)
        #expect(bare.tokens == ["hello", "world"])
        #expect(bare.typeIDs == [0, 1])
    }

    @Test func unknownWordsAndSubwordsHaveOriginalOffsets() throws {
        let tokenizer = try BertWordPieceTokenizer(vocabulary: testVocabulary())
        let encoding = tokenizer.encode("Ünäffable  BANANA xyz", addSpecialTokens: false)
        #expect(encoding.tokens == ["unaff", "##able", "ba", "##na", "##na", "[UNK]"])
        #expect(encoding.offsets == [0..<5, 5..<9, 11..<13, 13..<15, 15..<17, 18..<21])
    }

    @Test func casedKeepsAccentsAndCase() throws {
        let tokenizer = try BertWordPieceTokenizer(vocabulary: testVocabulary(), normalizer: BertNormalizer(lowercase: false))
        #expect(tokenizer.encode("café Café", addSpecialTokens: false).tokens == ["café", "[UNK]"])
    }

    @Test func batchesKeepTheirOrder() throws {
        let tokenizer = try BertWordPieceTokenizer(vocabulary: testVocabulary())
        let texts = (0..<1000).map { ["hello world", "banana!", "", "café, ß", "野 x"][$0 % 5] + String(repeating: " a", count: $0 % 7) }
        let batch = try tokenizer.encodeBatch(texts, threads: 3)
        #expect(batch == texts.map { tokenizer.encode($0) })
    }

    @Test func aTokenBufferCanBeReused() throws {
        let tokenizer = try BertWordPieceTokenizer(vocabulary: testVocabulary())
        var buffer = TokenBuffer()
        for text in ["hello world banana", "", "café!"] {
            var copy = text
            copy.withUTF8 { tokenizer.tokenize(utf8: $0, into: &buffer) }
            let encoding = tokenizer.encode(text, addSpecialTokens: false)
            #expect(buffer.ids == encoding.ids)
            #expect(buffer.offsets == encoding.offsets)
        }
    }
}
