import Testing
import Support
@testable import Corpus
#if canImport(Glibc)
import Glibc
#endif

/// The segmenter's rules, one at a time, on hand-made parameters; every expected split is
/// NLTK 3.10's `PunktSentenceTokenizer.tokenize` with the same parameters.
@Suite struct PunktSegmenterTests {
    static func parameters(abbreviations: Set<String> = [], collocations: [(String, String)] = [],
                           starters: Set<String> = [],
                           orthography: [String: PunktOrthographicContext] = [:]) -> PunktParameters {
        var parameters = PunktParameters()
        parameters.abbreviationTypes = abbreviations
        parameters.collocations = Set(collocations.map { PunktParameters.Collocation($0.0, $0.1) })
        parameters.sentenceStarters = starters
        parameters.orthographicContext = orthography
        return parameters
    }

    static func split(_ text: String, _ parameters: PunktParameters = parameters()) -> [String] {
        PunktSegmenter(parameters: parameters).sentences(in: text)
    }

    @Test func everyPeriodBreaksWithoutParameters() {
        #expect(Self.split("Mr. Smith went home. He slept.") == ["Mr.", "Smith went home.", "He slept."])
        #expect(Self.split("Hello!  Is it me?  \n\n  Yes. ") == ["Hello!", "Is it me?", "Yes."])
        #expect(Self.split("Very bad acting!!! I promise.") == ["Very bad acting!!!", "I promise."])
        #expect(Self.split("") == [])
        #expect(Self.split("  \n ") == [])
    }

    @Test func knownAbbreviationsDoNotBreak() {
        let parameters = Self.parameters(abbreviations: ["mr"])
        #expect(Self.split("Mr. Smith went home. He slept.", parameters) == ["Mr. Smith went home.", "He slept."])
    }

    @Test func theLastPartOfAHyphenatedWordCanBeTheAbbreviation() {
        #expect(Self.split("The vice-pres. Smith spoke.", Self.parameters(abbreviations: ["pres"])) == ["The vice-pres. Smith spoke."])
        #expect(Self.split("He was an ex-Pres. He left.") == ["He was an ex-Pres.", "He left."])
    }

    @Test func orthographyMakesAnAbbreviationEndASentence() {
        // "Then" starts sentences in upper case and is lower case inside them.
        let then = Self.parameters(abbreviations: ["etc"], orthography: ["then": [.beginningUpper, .middleLower]])
        #expect(Self.split("Apples etc. Then we left.", then) == ["Apples etc.", "Then we left."])
        // "Smith" is upper case inside sentences too: no evidence of a break.
        let smith = Self.parameters(abbreviations: ["etc"], orthography: ["smith": .middleUpper])
        #expect(Self.split("Apples etc. Smith came.", smith) == ["Apples etc. Smith came."])
    }

    @Test func frequentSentenceStartersEndAnAbbreviatedSentence() {
        let orthography: [String: PunktOrthographicContext] = ["however": [.beginningUpper, .middleUpper]]
        let starter = Self.parameters(abbreviations: ["etc"], starters: ["however"], orthography: orthography)
        #expect(Self.split("Apples etc. However we left.", starter) == ["Apples etc.", "However we left."])
        let noStarter = Self.parameters(abbreviations: ["etc"], orthography: orthography)
        #expect(Self.split("Apples etc. However we left.", noStarter) == ["Apples etc. However we left."])
    }

    @Test func collocationsHoldInitialsTogether() {
        let orthography: [String: PunktOrthographicContext] = ["bach": [.beginningUpper, .middleLower]]
        #expect(Self.split("We heard J. S. Bach play.", Self.parameters(orthography: orthography))
                == ["We heard J. S.", "Bach play."])
        let collocation = Self.parameters(collocations: [("s", "bach")], orthography: orthography)
        #expect(Self.split("We heard J. S. Bach play.", collocation) == ["We heard J. S. Bach play."])
    }

    @Test func initialsBeforeAlwaysCapitalizedWordsDoNotBreak() {
        #expect(Self.split("We heard J. Bach play.", Self.parameters(orthography: ["bach": .middleUpper]))
                == ["We heard J. Bach play."])
        #expect(Self.split("We heard J. Bach play.", Self.parameters(orthography: ["bach": [.beginningUpper, .middleLower]]))
                == ["We heard J.", "Bach play."])
    }

    @Test func ordinalNumbersBeforeLowerCaseWordsDoNotBreak() {
        #expect(Self.split("It was chapter 5. and it was long.", Self.parameters(orthography: ["and": .middleLower]))
                == ["It was chapter 5. and it was long."])
        #expect(Self.split("It was chapter 5. And it was long.") == ["It was chapter 5.", "And it was long."])
    }

    @Test func ellipsesBreakOnlyWithOrthographicEvidence() {
        #expect(Self.split("Wait... what happened?") == ["Wait... what happened?"])
        #expect(Self.split("Wait... Then it came.") == ["Wait... Then it came."])
        #expect(Self.split("Wait... Then it came.", Self.parameters(orthography: ["then": [.beginningUpper, .middleLower]]))
                == ["Wait...", "Then it came."])
    }

    @Test func closingPunctuationStaysWithItsSentence() {
        // NLTK's own example of realign_boundaries.
        let text = """
            (How does it deal with this parenthesis?)  "It should be part of the
            previous sentence." "(And the same with this one.)" ('And this one!')
            "('(And (this)) '?)" [(and this. )]
            """
        #expect(Self.split(text) == [
            "(How does it deal with this parenthesis?)", "\"It should be part of the\nprevious sentence.\"",
            "\"(And the same with this one.)\"", "('And this one!')", "\"('(And (this)) '?)\"", "[(and this. )]",
        ])
        #expect(PunktSegmenter(parameters: PunktParameters()).sentences(in: text, realigningBoundaries: false) == [
            "(How does it deal with this parenthesis?", ")  \"It should be part of the\nprevious sentence.",
            "\" \"(And the same with this one.", ")\" ('And this one!", "')\n\"('(And (this)) '?", ")\" [(and this.", ")]",
        ])
        #expect(Self.split("\"Stop.\" Then he left.") == ["\"Stop.\"", "Then he left."])
        #expect(Self.split("He said (so.) Then he left.") == ["He said (so.)", "Then he left."])
    }

    @Test func spansAreUTF8ByteOffsets() {
        let text = "Voilà. Ça va."  // NLTK's character spans: (0, 6), (7, 13)
        let spans = PunktSegmenter(parameters: PunktParameters()).spans(in: text)
        #expect(spans == [0..<7, 8..<15])
        #expect(spans.map { String(decoding: Array(text.utf8)[$0], as: UTF8.self) } == ["Voilà.", "Ça va."])
    }

    @Test func oneSegmenterServesManyThreads() {
        let segmenter = PunktSegmenter(parameters: Self.parameters(abbreviations: ["dr"]))
        let text = (0..<200).map { "Sentence \($0) was read by Dr. Who on day \($0 % 7)." }.joined(separator: " ")
        let expected = segmenter.sentences(in: text)
        #expect(expected.count == 200)
        final class Results: @unchecked Sendable { var sentences = [[String]](repeating: [], count: 8) }
        let results = Results()
        let threads = (0..<8).map { index in WorkerThread { results.sentences[index] = segmenter.sentences(in: text) } }
        for thread in threads { thread.join() }
        #expect(results.sentences.allSatisfy { $0 == expected })
    }
}
