import ArgumentParser
import Support
import Tokenizers

/// `bertkit vocab mlm`: CharacterBERT's masked-language-modelling vocabulary.
struct VocabMLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlm",
        abstract: "Build CharacterBERT's MLM vocabulary: the most frequent tokens of a formatted, pre-tokenized corpus.",
        discussion: """
            Counts the whitespace-separated tokens (as Python's str.split() separates
            them) and writes the --max-vocabulary-size most frequent as
            "{count} {token}" lines, most frequent first, ties in order of first
            occurrence: the file that CharacterBERT's build_mlm_vocabulary.py writes.
            The MLM id of a token is its line number from 0; there are no special
            tokens. Uses every core; memory holds the counts only.

            Example:
              bertkit vocab mlm shards/ --output mlm_vocab.txt --max-vocabulary-size 100000
            """)

    @Argument(help: "Formatted corpus files, or directories of .txt files (shards).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The vocabulary file to write.")
    var output: String

    @Option(help: "The most tokens kept.")
    var maxVocabularySize: Int = 100_000

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if maxVocabularySize < 1 { throw ValidationError("--max-vocabulary-size must be at least 1") }
    }

    func run() throws {
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let files = try FileSystem.textFiles(inputs)
            let file = try OutputFile(path: output, overwrite: force)
            let builder = MLMVocabularyBuilder(maxVocabularySize: maxVocabularySize, threads: threadOptions.threads)
            let counted = try builder.count(files: files, progress: progress)
            VocabCommand.warnOfReplacements(counted, progress)
            if counted.counter.count == 0 {
                throw BERTKitError(file: files.joined(separator: ", "), "no tokens to build a vocabulary from")
            }
            let entries = builder.vocabulary(from: counted.counter)
            try file.write(MLMVocabularyBuilder.lines(of: entries))
            try file.commit()
            var line = "kept \(entries.count) of \(counted.counter.count) distinct tokens (\(counted.counter.total) tokens,"
            line += " \(Formatting.bytes(counted.inputBytes))); counts \(entries.first?.count ?? 0) to \(entries.last?.count ?? 0)"
            line += " in \(Formatting.duration(counted.seconds)) (\(rate(counted.inputBytes, counted.seconds))) -> \(output)"
            progress.finish(line)
        }
    }
}
