import Testing
import TestSupport
import Support
@testable import Tokenizers

@Suite struct WordPieceTrainerTests {
    static let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// The word counts of `text` as the trainer counts them.
    func counts(_ trainer: WordPieceTrainer, _ text: String) -> TokenCounter {
        var counter = TokenCounter()
        var text = text
        _ = text.withUTF8 { trainer.countWords(utf8: $0, into: &counter) }
        return counter
    }

    func train(_ text: String, configure: (inout WordPieceTrainer.Options) -> Void = { _ in },
               normalizer: BertNormalizer = BertNormalizer()) throws -> WordPieceTrainer.Result {
        var options = WordPieceTrainer.Options()
        options.minFrequency = 1
        configure(&options)
        let trainer = WordPieceTrainer(options: options, normalizer: normalizer)
        return try trainer.train(wordCounts: counts(trainer, text), progress: ProgressReporter(enabled: false))
    }

    @Test func specialTokensThenAlphabetThenMergesInOrder() throws {
        // Pairs: (a, ##b) 5 times, (##b, ##c) twice. "ab" is merged first, then "abc".
        let result = try train("ab ab AB abc abc")
        #expect(result.tokens == Self.specials + ["a", "b", "c", "##a", "##b", "##c", "ab", "abc"])
        #expect(result.alphabet == 3)
        #expect(result.merges == 2)
    }

    @Test func stopsAtTheVocabularySize() throws {
        let result = try train("ab ab ab abc abc") { $0.vocabularySize = 12 }
        #expect(result.tokens.last == "ab")
        #expect(result.tokens.count == 12)
    }

    @Test func pairsBelowTheMinimumFrequencyAreNotMerged() throws {
        let result = try train("ab ab ab abc abc") { $0.minFrequency = 3 }
        #expect(result.tokens.suffix(2) == ["##c", "ab"])
    }

    @Test func tiesGoToThePairOfLowerIds() throws {
        // "xy" and "zw" both occur twice: (x, ##y) has the lower ids.
        let result = try train("zw xy zw xy")
        #expect(Array(result.tokens.suffix(2)) == ["xy", "zw"])
    }

    @Test func mergesContinuationPiecesWithoutDoublingThePrefix() throws {
        // (##b, ##c) occurs in every word, three times as often as any word-initial pair.
        let result = try train("abc dbc ebc fbc") { $0.vocabularySize = 5 + 12 + 1 }
        #expect(result.tokens.last == "##bc")
    }

    @Test func mergesRepeatedPairsLeftToRight() throws {
        // "aaaa" is a ##a ##a ##a: (##a, ##a) occurs twice in it and merges first, left to
        // right, into a ##aa ##a; then (a, ##aa) wins the tie with (##aa, ##a) on ids.
        let result = try train("aaaa aaaa") { $0.vocabularySize = 5 + 2 + 3 }
        #expect(result.tokens.suffix(3) == ["##aa", "aaa", "aaaa"])
    }

    @Test func unusedRowsFollowTheSpecialTokensAndPaddingFillsToAMultiple() throws {
        let result = try train("ab ab ab abc abc") {
            $0.unusedTokens = 2
            $0.padToMultipleOf = 8
        }
        #expect(result.tokens.prefix(7) == ArraySlice(Self.specials + ["[unused0]", "[unused1]"]))
        #expect(result.tokens[7..<13] == ["a", "b", "c", "##a", "##b", "##c"])
        #expect(result.tokens[13..<15] == ["ab", "abc"])
        #expect(result.tokens.suffix(1) == ["[unused2]"])
        #expect(result.tokens.count == 16)
        #expect(result.paddingTokens == 1)
    }

    @Test func limitAlphabetKeepsTheMostFrequentCharactersAndSplitsWordsAtTheOthers() throws {
        // "q" is the rarest character: it is dropped, and "aqb" becomes "a" and "##b" apart,
        // so no (a, ##b) pair is made across it.
        let result = try train("aqb ab cc cc") { $0.limitAlphabet = 3 }
        #expect(result.tokens[5..<11] == ["a", "b", "c", "##a", "##b", "##c"])
        #expect(result.charactersDropped == 1)
        let merged = Set(result.tokens[11...])
        #expect(merged == ["cc", "ab"])
        #expect(!result.tokens.contains("q"))
    }

    @Test func punctuationAndIdeographsHaveNoContinuationForm() throws {
        let result = try train("a, 中 b")
        #expect(result.tokens[5...].contains(","))
        #expect(result.tokens[5...].contains("中"))
        #expect(!result.tokens.contains("##,"))
        #expect(!result.tokens.contains("##中"))
        #expect(result.tokens.contains("##a"))
    }

    @Test func casedTrainingKeepsCaseAndAccents() throws {
        let result = try train("Café café", normalizer: BertNormalizer(lowercase: false))
        #expect(result.tokens.contains("C") && result.tokens.contains("##é"))
        let uncased = try train("Café café")
        #expect(!uncased.tokens.contains("C") && !uncased.tokens.contains("##é"))
    }

    @Test func theVocabularyLoadsAndTokenizes() throws {
        let text = "the quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs quickly!"
        let result = try train(String(repeating: text + " ", count: 5)) { $0.vocabularySize = 60 }
        let tokenizer = try BertWordPieceTokenizer(vocabulary: Vocabulary(tokens: result.tokens))
        let tokens = tokenizer.encode("The quick fox", addSpecialTokens: false).tokens
        #expect(!tokens.contains("[UNK]"))
        #expect(tokens.map { $0.hasPrefix("##") ? String($0.dropFirst(2)) : $0 }.joined() == "thequickfox")
    }

    @Test func longWordsAreLeftOutOfTheCounts() throws {
        let trainer = WordPieceTrainer()
        let word = String(repeating: "x", count: 1_000_000)
        var counter = TokenCounter()
        var text = "short " + word + " " + String(repeating: "é", count: 101) + " " + String(repeating: "é", count: 100)
        let skipped = text.withUTF8 { trainer.countWords(utf8: $0, into: &counter) }
        #expect(skipped == 2)
        #expect(counter.count == 2)
    }

    @Test func noWordsIsAnError() throws {
        #expect(throws: BERTKitError.self) { try train("  \n ") }
    }

    @Test func anAlphabetLargerThanTheVocabularyIsAnError() throws {
        #expect(throws: BERTKitError.self) { try train("abcdef") { $0.vocabularySize = 8 } }
    }

    @Test func countsTextFilesOnAnyNumberOfThreadsAlike() throws {
        let trainer = WordPieceTrainer()
        let lines = (0..<20000).map { "line \($0 % 97) of the text, café \($0 % 13)" }
        let path = TestFiles.temporaryFile(Array(lines.joined(separator: "\n").utf8) + [0xFF, 0x0A])
        func count(threads: Int) throws -> TextCounting.Result {
            try TextCounting(threads: threads, noun: "words", chunkSize: 4096)
                .run(files: [path], count: { trainer.countWords(utf8: $0, into: &$1) }, progress: ProgressReporter(enabled: false))
        }
        let one = try count(threads: 1)
        let three = try count(threads: 3)
        #expect(one.counter.total == three.counter.total)
        #expect(one.counter.count == three.counter.count)
        #expect(one.invalidUTF8Replaced.map(\.count) == [1])
        let options = WordPieceTrainer.Options()
        let first = try WordPieceTrainer(options: options).train(wordCounts: one.counter, progress: ProgressReporter(enabled: false))
        let second = try WordPieceTrainer(options: options).train(wordCounts: three.counter, progress: ProgressReporter(enabled: false))
        #expect(first.tokens == second.tokens)
    }
}
