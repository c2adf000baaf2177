import Testing
import TestSupport
import Support
@testable import Tokenizers

@Suite struct MLMVocabularyBuilderTests {
    func counts(_ text: String) -> TokenCounter {
        var counter = TokenCounter()
        var text = text
        _ = text.withUTF8 { MLMVocabularyBuilder.countTokens(utf8: $0, into: &counter) }
        return counter
    }

    func vocabulary(_ text: String, size: Int = 100) -> [MLMVocabularyBuilder.Entry] {
        MLMVocabularyBuilder(maxVocabularySize: size, threads: 1).vocabulary(from: counts(text))
    }

    func entries(_ pairs: [(String, Int)]) -> [MLMVocabularyBuilder.Entry] {
        pairs.map { MLMVocabularyBuilder.Entry(token: $0.0, count: $0.1) }
    }

    @Test func mostFrequentFirstTiesInFirstSeenOrder() {
        let result = vocabulary("b a c\na b d\n\nc a\n")
        #expect(result == entries([("a", 3), ("b", 2), ("c", 2), ("d", 1)]))
    }

    @Test func keepsTheTopK() {
        #expect(vocabulary("b a c a b d c a", size: 2) == entries([("a", 3), ("b", 2)]))
    }

    @Test func topKOfManyTokensMatchesAFullSort() {
        // More distinct tokens than kept, with a long tie at the cut.
        let words = (0..<5000).map { "w\($0 % 1700)" } + (0..<300).flatMap { _ in ["x", "y"] }
        let counter = counts(words.joined(separator: " "))
        let kept = MLMVocabularyBuilder(maxVocabularySize: 1000, threads: 1).vocabulary(from: counter)
        var all: [(String, Int, Int)] = []
        for index in 0..<counter.count {
            all.append((counter.withBytes(at: index) { String(decoding: $0, as: UTF8.self) }, counter.count(at: index), index))
        }
        all.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }
        #expect(kept == entries(all.prefix(1000).map { ($0.0, $0.1) }))
        #expect(kept.first == .init(token: "x", count: 300))
    }

    @Test func splitsWherePythonsSplitDoes() {
        // U+3000, U+00A0 and U+001C separate tokens; U+200B (zero width space) does not.
        let result = vocabulary("a\u{3000}b\u{A0}c\u{1C}d\te\u{200B}f\r\n")
        #expect(result.map(\.token) == ["a", "b", "c", "d", "e\u{200B}f"])
    }

    @Test func linesAreCountSpaceToken() {
        #expect(MLMVocabularyBuilder.lines(of: entries([("the", 12), (",", 7)])) == "12 the\n7 ,\n")
    }

    @Test func countsFilesOnAnyNumberOfThreadsAlike() throws {
        let text = (0..<50000).map { "token\($0 % 313) and\($0 % 7) the" }.joined(separator: "\n")
        let path = TestFiles.temporaryFile(Array(text.utf8) + [0x20, 0xC3, 0x0A])
        let progress = ProgressReporter(enabled: false)
        func count(threads: Int) throws -> TextCounting.Result {
            try TextCounting(threads: threads, noun: "tokens", chunkSize: 4096)
                .run(files: [path], count: MLMVocabularyBuilder.countTokens, progress: progress)
        }
        let one = try count(threads: 1)
        let four = try count(threads: 4)
        #expect(try MLMVocabularyBuilder(threads: 2).count(files: [path], progress: progress).counter.total == 150_001)
        let builder = MLMVocabularyBuilder(maxVocabularySize: 50)
        #expect(builder.vocabulary(from: one.counter) == builder.vocabulary(from: four.counter))
        #expect(one.counter.total == 150_001)
        #expect(one.invalidUTF8Replaced.map(\.count) == [1])
        #expect(builder.vocabulary(from: one.counter).first == .init(token: "the", count: 50000))
    }
}
