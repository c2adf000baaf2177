import Testing
@testable import Tokenizers

@Suite struct CharacterMapperTests {
    let mapper = CharacterMapper()

    /// A row of 50 ids: `head`, then the shifted padding character (261).
    func row(_ head: [Int32]) -> [Int32] { head + Array(repeating: 261, count: 50 - head.count) }

    @Test func specialTokensAreOneFramedCharacter() {
        #expect(mapper.characterIDs(of: "[CLS]") == row([259, 257, 260]))
        #expect(mapper.characterIDs(of: "[SEP]") == row([259, 258, 260]))
        #expect(mapper.characterIDs(of: "[MASK]") == row([259, 262, 260]))
    }

    @Test func paddingIsAllZeros() {
        #expect(mapper.characterIDs(of: "[PAD]") == Array(repeating: 0, count: 50))
    }

    @Test func tokensAreTheirBytesPlusOneFramedAndPadded() {
        #expect(mapper.characterIDs(of: "hi") == row([259, 105, 106, 260]))
        // Not special: spelled out, as is any bracketed token.
        #expect(mapper.characterIDs(of: "[UNK]") == row([259, 92, 86, 79, 76, 94, 260]))
        #expect(mapper.characterIDs(of: "[cls]") == row([259, 92, 100, 109, 116, 94, 260]))
        // "é" is two bytes, 0xC3 0xA9.
        #expect(mapper.characterIDs(of: "é") == row([259, 196, 170, 260]))
    }

    @Test func longTokensAreCutTo48Bytes() {
        let ids = mapper.characterIDs(of: String(repeating: "a", count: 60))
        #expect(ids == [259] + Array(repeating: 98, count: 48) + [260])
        // "a" then two-byte "é"s: the cut falls inside the 24th "é", whose first byte is kept.
        let accents = mapper.characterIDs(of: "a" + String(repeating: "é", count: 30))
        #expect(accents.count == 50)
        #expect(accents[48] == 196 && accents[49] == 260)
    }

    @Test func appendsRowsBackToBack() {
        var ids: [Int32] = []
        for token in ["[CLS]", "hi", "[PAD]"] {
            Array(token.utf8).withUnsafeBufferPointer { mapper.appendCharacterIDs(ofUTF8: $0, to: &ids) }
        }
        #expect(ids == row([259, 257, 260]) + row([259, 105, 106, 260]) + Array(repeating: 0, count: 50))
    }
}
