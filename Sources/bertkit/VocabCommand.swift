import ArgumentParser
import Support
import Tokenizers

/// `bertkit vocab`: vocabularies learned from a corpus.
struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Learn vocabularies from a corpus: WordPiece for BERT, the MLM vocabulary for CharacterBERT.",
        subcommands: [VocabWordPieceCommand.self, VocabMLMCommand.self])

    /// Warns of the invalid UTF-8 replaced in each input.
    static func warnOfReplacements(_ result: TextCounting.Result, _ progress: ProgressReporter) {
        for (input, count) in result.invalidUTF8Replaced {
            progress.warn("\(input): \(count) invalid UTF-8 sequence(s) replaced by U+FFFD")
        }
    }
}
