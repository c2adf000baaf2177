import Testing
@testable import Tokenizers

@Suite struct BertNormalizerTests {
    let uncased = BertNormalizer()
    let cased = BertNormalizer(lowercase: false)

    @Test func asciiIsLowercasedOnlyWhenUncased() {
        #expect(uncased.normalize("Hello World").string == "hello world")
        #expect(cased.normalize("Hello World").string == "Hello World")
    }

    @Test func accentsAreStrippedWithLowercase() {
        #expect(uncased.normalize("Café Ångström naïve").string == "cafe angstrom naive")
        #expect(cased.normalize("Café").string == "Café")
        #expect(BertNormalizer(stripAccents: false).normalize("Café").string == "café")
        #expect(BertNormalizer(stripAccents: true, lowercase: false).normalize("Café").string == "Cafe")
    }

    @Test func combiningMarksAreRemovedWhateverTheirOrder() {
        // e + acute, e + dot below + acute, e + acute + dot below (not in canonical order).
        #expect(uncased.normalize("e\u{301} e\u{323}\u{301} e\u{301}\u{323}").string == "e e e")
        // Hangul syllables decompose into conjoining jamo, which are not marks.
        #expect(uncased.normalize("한").string.unicodeScalars.map(\.value) == [0x1112, 0x1161, 0x11AB])
    }

    @Test func marksAreThoseOfUnicode8() {
        // U+08D4 became a mark in Unicode 9.0: tokenizers keeps it, and puts it after a
        // mark of a lower combining class (U+1D165, class 216, a spacing mark).
        #expect(uncased.normalize("a\u{8D4}\u{1D165}").string == "a\u{1D165}\u{8D4}")
        // U+1734 was Mn in Unicode 8.0 (it is Mc now): it is removed.
        #expect(uncased.normalize("\u{1720}\u{1734}").string == "\u{1720}")
    }

    @Test func turkishDottedCapitalI() {
        // Decomposed first (I + combining dot above), the dot is removed before lowercasing.
        #expect(uncased.normalize("İstanbul").string == "istanbul")
        // Lowercased without stripping, İ becomes i + combining dot above.
        #expect(BertNormalizer(stripAccents: false).normalize("İ").string == "i\u{307}")
        #expect(cased.normalize("İ").string == "İ")
    }

    @Test func germanSharpS() {
        #expect(uncased.normalize("Straße").string == "straße")
        #expect(uncased.normalize("STRAẞE").string == "straße")
    }

    @Test func controlCharactersAreRemovedAndWhitespaceBecomesSpaces() {
        #expect(uncased.normalize("a\u{0}b\u{7}c\u{AD}d\u{200B}e\u{FFFD}f\u{E000}g").string == "abcdefg")
        #expect(uncased.normalize("a\tb\nc\rd\u{A0}e\u{3000}f\u{2028}g").string == "a b c d e f g")
        #expect(uncased.normalize("a\u{85}b\u{B}c").string == "abc")
        #expect(BertNormalizer(cleanText: false).normalize("a\u{0}\tb").string == "a\u{0}\tb")
    }

    @Test func chineseCharactersArePadded() {
        #expect(uncased.normalize("野口 Rika").string == " 野  口  rika")
        #expect(BertNormalizer(handleChineseCharacters: false).normalize("野口").string == "野口")
        // Hiragana and Hangul are not in the CJK ranges.
        #expect(cased.normalize("ぁ한").string == "ぁ한")
    }

    @Test func sourcesPointAtOriginalCharacters() {
        let text = uncased.normalize("x\u{301}Éy")
        #expect(text.string == "xey")
        #expect(text.sources == [0, 2, 3])
        #expect(text.originalRange(of: 1..<3) == 2..<4)
        // Every scalar of an expansion comes from the same character.
        let expanded = BertNormalizer(stripAccents: false).normalize("aİb")
        #expect(expanded.sources == [0, 1, 1, 1, 2])
        // Removed characters leave gaps.
        #expect(uncased.normalize("\u{AD}ab").sources == [1, 2])
    }

    @Test func reorderedMarksTakeSourcesByPosition() {
        // As tokenizers aligns them: after reordering, the first mark to begin a character
        // takes the first character of the run.
        let text = uncased.normalize("xa\u{8D4}\u{301}\u{1D165}b")
        #expect(text.string == "xa\u{1D165}\u{8D4}b")
        #expect(text.sources == [0, 1, 2, 2, 2, 2, 3, 3, 3, 5])
    }
}
