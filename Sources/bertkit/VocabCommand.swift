import ArgumentParser
import Support
import Tokenizers

/// `bertkit vocab`: vocabularies learned from a corpus.
struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Learn vocabularies from a corpus: WordPiece for BERT, the MLM vocabulary for CharacterBERT.",
        subcommands: [VocabWordPieceCommand.self, VocabMLMCommand.self])

    /// The text files named by `inputs`: files as they are, directories as the `.txt` files
    /// in them (the shards of `corpus shard`, without its manifest).
    /// - Throws: `BERTKitError` for a missing input or a directory without text files.
    static func textFiles(_ inputs: [String]) throws -> [String] {
        try inputs.flatMap { input -> [String] in
            guard FileSystem.isDirectory(input) else { return try FileSystem.expandInputs([input]) }
            let files = try FileSystem.expandInputs([input]).filter { $0.hasSuffix(".txt") }
            if files.isEmpty { throw BERTKitError(file: input, "holds no .txt files") }
            return files
        }
    }

    /// Warns of the invalid UTF-8 replaced in each input.
    static func warnOfReplacements(_ result: TextCounting.Result, _ progress: ProgressReporter) {
        for (input, count) in result.invalidUTF8Replaced {
            progress.warn("\(input): \(count) invalid UTF-8 sequence(s) replaced by U+FFFD")
        }
    }
}
