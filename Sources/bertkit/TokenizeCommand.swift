import ArgumentParser
import Support
import Tokenizers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `bertkit tokenize`: text to BERT WordPiece token ids, one output line per input line.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize text with BERT's WordPiece tokenizer, one output line per input line.",
        discussion: """
            Gives the tokens of Hugging Face tokenizers' BertWordPieceTokenizer(vocab, \
            lowercase=...) without special tokens: ids (or tokens) separated by spaces. Uncased by \
            default (lowercase and strip accents). Lines end at line feeds; invalid UTF-8 is \
            replaced by U+FFFD with a warning. Output is in input order whatever the thread count.

            Examples:
              bertkit tokenize --vocab vocab.txt corpus.txt > ids.txt
              echo "Hello, world!" | bertkit tokenize --vocab vocab.txt --tokens \\
                  --offsets
            """)

    @Argument(help: "Text files (default: standard input; - is standard input).")
    var files: [String] = []

    @Option(help: "The WordPiece vocabulary: one token per line, ids numbered from 0.")
    var vocab: String

    @Flag(help: "Keep case and accents (lowercase=False).")
    var cased = false

    @Flag(help: "Write tokens instead of ids.")
    var tokens = false

    @Flag(help: "After a tab, write each token's START:END character offsets in its line.")
    var offsets = false

    @OptionGroup var threadOptions: ThreadOptions

    @OptionGroup var progressOptions: ProgressOptions


    func run() throws {
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let tokenizer = try BertWordPieceTokenizer(vocabularyFile: vocab, lowercase: !cased)
            var options = LineTokenizer.Options()
            options.tokens = tokens
            options.offsets = offsets
            options.threads = threadOptions.threads
            let summary = try LineTokenizer(tokenizer: tokenizer, options: options).run(
                inputs: files.isEmpty ? ["-"] : files, write: Self.writeToStandardOutput, progress: progress)
            if fflush(stdout) != 0 { throw BERTKitError("cannot write the output: \(FileSystem.lastErrorMessage())") }
            for (input, count) in summary.invalidUTF8Replaced {
                progress.warn("\(input): \(count) invalid UTF-8 sequence(s) replaced by U+FFFD")
            }
            progress.finish(summary.report)
        }
    }

    private static func writeToStandardOutput(_ bytes: [UInt8]) throws {
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, stdout) }
        if written != bytes.count { throw BERTKitError("cannot write the output: \(FileSystem.lastErrorMessage())") }
    }
}

extension LineTokenizer.Summary {
    /// The closing summary line.
    var report: String {
        var line = "tokenized \(lines) lines into \(tokens) tokens"
        line += "; \(Formatting.bytes(inputBytes)) in \(Formatting.duration(seconds))"
        line += " (\(Formatting.fixed(Double(inputBytes) / max(seconds, 1e-9) / 1e6, 1)) MB/s)"
        return line
    }
}
