import PretrainingData
import Support
import TestSupport
import Tokenizers

/// Small vocabularies and corpora made for the tests.
enum PretrainingFixtures {
    /// Words "w0"…"w39", the specials, "##x" and "##y" (so "w3xy" is three pieces) and ".".
    static let vocabulary = try! Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", "##x", "##y"]
        + (0..<40).map { "w\($0)" })

    static let tokenizer = try! BertWordPieceTokenizer(vocabulary: vocabulary)

    /// A formatted corpus: `documents` documents of 1–`maxSentences` sentences of 1–`maxWords`
    /// words, some words split into "##" pieces; blank lines between documents.
    static func corpus(documents: Int, maxSentences: Int = 8, maxWords: Int = 14, seed: UInt64) -> String {
        var generator = SeededGenerator(seed: seed)
        var lines: [String] = []
        for document in 0..<documents {
            if document > 0 { lines.append("") }
            for _ in 0..<Int.random(in: 1...maxSentences, using: &generator) {
                let words = (0..<Int.random(in: 1...maxWords, using: &generator)).map { _ -> String in
                    let suffix = ["", "", "", "x", "xy"][Int.random(in: 0..<5, using: &generator)]
                    return "w\(Int.random(in: 0..<40, using: &generator))\(suffix)"
                }
                lines.append(words.joined(separator: " ") + " .")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs `data create` on `shards` (name → text) in a fresh directory; returns the output
    /// directory and the summary.
    static func create(_ shards: [(String, String)], options: InstanceOptions = InstanceOptions(), threads: Int = 2,
                       vocabulary: TokenVocabulary? = nil, warnings: ((String) -> Void)? = nil) throws
        -> (directory: String, summary: PretrainingDataCreator.Summary) {
        let directory = TestFiles.temporaryDirectory()
        var inputs: [String] = []
        for (name, text) in shards {
            TestFiles.write(Array(text.utf8), to: directory + "/" + name)
            inputs.append(directory + "/" + name)
        }
        var creator = PretrainingDataCreator(
            options: options, vocabulary: try vocabulary ?? TokenVocabulary(wordPiece: tokenizer),
            vocabularySource: .init(file: "vocab.txt", sha256: "0"), lowercase: true)
        creator.threads = threads
        let summary = try creator.run(inputs: inputs, outputDirectory: directory + "/out",
                                      progress: ProgressReporter(enabled: false, warningSink: warnings))
        return (directory + "/out", summary)
    }

    /// Every row of a file.
    static func rows(_ path: String) throws -> (file: PretrainingFile, batch: PretrainingBatch) {
        let file = try PretrainingFile(path: path)
        return (file, try file.read(rows: 0..<file.count))
    }

    /// The token ids of each document of a formatted corpus, back to back.
    static func documentStreams(_ text: String) -> [[Int32]] {
        text.split(separator: "\n\n").map { document in
            document.split(separator: "\n").flatMap { line in
                tokenizer.encode(String(line), addSpecialTokens: false).ids.map { Int32($0) }
            }
        }
    }
}

extension Array where Element: Equatable {
    /// Whether `part` occurs in the array as a contiguous run.
    func containsRun(_ part: [Element]) -> Bool {
        guard !part.isEmpty else { return true }
        guard part.count <= count else { return false }
        return (0...(count - part.count)).contains { start in self[start..<start + part.count].elementsEqual(part) }
    }
}
