import Testing
@testable import Corpus

@Suite struct PunktWordTokenizerTests {
    static func tokenize(_ text: String) -> (tokens: [String], tokenizer: PunktWordTokenizer) {
        var tokenizer = PunktWordTokenizer()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { tokenizer.tokenize($0, 0..<$0.count) }
        return (tokenizer.tokens.map { String(decoding: bytes[$0.text], as: UTF8.self) }, tokenizer)
    }

    static func folded(_ text: String) -> [String] {
        let tokenizer = tokenize(text).tokenizer
        return tokenizer.tokens.map { String(decoding: tokenizer.folded[$0.folded], as: UTF8.self) }
    }

    @Test func splitsPunctuationButNotPeriodsFromWords() {
        // NLTK's PunktLanguageVars().word_tokenize of the same text.
        #expect(Self.tokenize("Hello, world... It's 1,000.5 (really)! e.g., --wow-- . . . end.").tokens == [
            "Hello", ",", "world", "...", "It", "'s", "1,000.5", "(", "really", ")", "!", "e.g.", ",",
            "--", "wow", "--", ". . .", "end.",
        ])
        // Opening curly quotes may start words; closing ones end them.
        #expect(Self.tokenize("“Quoted.” «Guillemets.» ?! x-ray. -5").tokens
                == ["“Quoted.", "”", "«Guillemets.", "»", "?", "!", "x-ray.", "-", "5"])
    }

    @Test func marksLineAndParagraphStarts() {
        let (tokens, tokenizer) = Self.tokenize("One two\nthree\n \n\nfour")
        #expect(tokens == ["One", "two", "three", "four"])
        #expect(tokenizer.tokens.map { $0.properties.contains(.lineStart) } == [true, false, true, true])
        #expect(tokenizer.tokens.map { $0.properties.contains(.paragraphStart) } == [false, false, false, true])
    }

    @Test func derivesTheTokenProperties() {
        let (texts, tokenizer) = Self.tokenize("J. ... 1,999. -3.5 Dr. über Été x2. _.")
        #expect(texts == ["J.", "...", "1,999.", "-", "3.5", "Dr.", "über", "Été", "x2.", "_."])
        let tokens = tokenizer.tokens.map(\.properties)
        #expect(tokens[0].isSuperset(of: [.initial, .periodFinal, .firstUpper]))
        #expect(tokens[1].isSuperset(of: [.ellipsisText, .periodFinal, .twoPeriodsFinal]))
        #expect(tokens[2].isSuperset(of: [.number, .periodFinal]) && !tokens[2].contains(.initial))
        #expect(tokens[3].contains(.punctuationCharacter) == false && !tokens[3].contains(.number))
        #expect(tokens[4].contains(.number))
        #expect(tokens[5].isSuperset(of: [.periodFinal, .firstUpper]) && tokens[5].isDisjoint(with: [.initial, .alphabetic]))
        #expect(tokens[6].isSuperset(of: [.alphabetic, .firstLower]))
        #expect(tokens[7].isSuperset(of: [.alphabetic, .firstUpper]))
        #expect(tokens[8].isDisjoint(with: [.number, .alphabetic, .initial]))
        #expect(tokens[9].contains(.initial))  // "_" is a word character, not a digit
    }

    @Test func foldsCaseAsPythonsLower() {
        #expect(Self.folded("ÉTÉ İstanbul ΟΔΟΣ ΟΔΟΣ. ΣΑ Σ STRASSE") == ["été", "i̇stanbul", "οδος", "οδος.", "σα", "σ", "strasse"])
    }

    @Test func asciiTableMatchesTheUnicodeProperties() {
        for scalar in UInt32(0)..<128 {
            #expect(PunktCharacterClass.of(scalar) == PunktCharacterClass.classify(scalar), "U+\(String(scalar, radix: 16))")
        }
    }

    @Test func characterClassesFollowPythonAndTheRegexModule() {
        #expect(PunktCharacterClass.of(0xA0).isSuperset(of: [.space, .pythonSpace]))  // no-break space
        #expect(PunktCharacterClass.of(0x1C) == .pythonSpace)  // \S for regex, but str.isspace()
        #expect(PunktCharacterClass.of(0x301).contains(.letter))  // combining acute accent: \w
        #expect(PunktCharacterClass.of(0x663) == .digit)  // Arabic-Indic three
        #expect(PunktCharacterClass.of(0x1C5).contains(.letter) && !PunktCharacterClass.of(0x1C5).contains(.upper))  // ǅ, title case
        #expect(PunktCharacterClass.of(0x201D).isSuperset(of: [.nonWord, .closing]))
    }
}
