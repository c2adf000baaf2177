import Testing
@testable import Tokenizers

@Suite struct BertPreTokenizerTests {
    let preTokenizer = BertPreTokenizer()

    func split(_ text: String, _ normalizer: BertNormalizer = BertNormalizer(lowercase: false)) -> [(String, Range<Int>)] {
        preTokenizer.split(normalizer.normalize(text)).map { ($0.word, $0.offsets) }
    }

    @Test func splitsOnWhitespaceAndAroundPunctuation() {
        let words = split("Hey friend!     How are you?!?")
        #expect(words.map(\.0) == ["Hey", "friend", "!", "How", "are", "you", "?", "!", "?"])
        #expect(words.map(\.1) == [0..<3, 4..<10, 10..<11, 16..<19, 20..<23, 24..<27, 27..<28, 28..<29, 29..<30])
    }

    @Test func asciiSymbolsAreSplitLikePunctuation() {
        #expect(split("a$b^c`d+e|f~g").map(\.0) == ["a", "$", "b", "^", "c", "`", "d", "+", "e", "|", "f", "~", "g"])
    }

    @Test func unicodePunctuationIsSplitButOtherSymbolsAreNot() {
        #expect(split("«quoted»—“so”…").map(\.0) == ["«", "quoted", "»", "—", "“", "so", "”", "…"])
        #expect(split("©2024 €5 ±1").map(\.0) == ["©2024", "€5", "±1"])
    }

    @Test func chineseCharactersBecomeWordsWithOffsetsInTheOriginal() {
        let words = split("野口里佳 Noguchi Rika", BertNormalizer())
        #expect(words.map(\.0) == ["野", "口", "里", "佳", "noguchi", "rika"])
        #expect(words.map(\.1) == [0..<1, 1..<2, 2..<3, 3..<4, 5..<12, 13..<17])
    }

    @Test func offsetsCountCharactersNotBytes() {
        let words = split("café, naïve ü", BertNormalizer())
        #expect(words.map(\.0) == ["cafe", ",", "naive", "u"])
        #expect(words.map(\.1) == [0..<4, 4..<5, 6..<11, 12..<13])
    }

    @Test func emptyAndBlankTextHaveNoWords() {
        #expect(split("").isEmpty)
        #expect(split(" \t\u{3000} ").isEmpty)
    }
}
