import ArgumentParser
import Corpus
import Support
import Tokenizers

/// `bertkit vocab wordpiece`: learns a WordPiece vocabulary (`vocab.txt`) from text.
struct VocabWordPieceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wordpiece",
        abstract: "Learn a WordPiece vocabulary (vocab.txt) from text, as Hugging Face's BertWordPieceTokenizer.train does.",
        discussion: """
            Counts words as BERT's tokenizer splits them (clean text, CJK padding,
            lowercase and strip accents unless --cased; whitespace and punctuation),
            then merges the most frequent pairs of pieces, pieces after a word's first
            carrying "##". The file lists [PAD] [UNK] [CLS] [SEP] [MASK], the --unused
            rows, the alphabet (characters, then their "##" forms), the learned pieces,
            then [unused…] padding rows. It loads in `bertkit tokenize --vocab` and in
            tokenizers' BertWordPieceTokenizer. Counting uses every core and holds
            counts only; words over 100 characters (always [UNK]) are left out.

            Examples:
              bertkit vocab wordpiece shards/ --output vocab.txt --vocab-size 30522 --pad-to-multiple-of 8
              bertkit vocab wordpiece docs.jsonl --input-format jsonl --output vocab.txt --vocab-size 8000
            """)

    /// How the input text is laid out.
    enum InputFormat: String, ExpressibleByArgument, CaseIterable {
        case formatted, jsonl, lines
    }

    @Argument(help: "Text files, or directories of .txt files (shards).")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The vocabulary file to write.")
    var output: String

    @Option(help: "Tokens wanted: special tokens, unused rows, alphabet and learned pieces (padding excluded).")
    var vocabSize: Int = 30522

    @Flag(help: "Keep case and accents (lowercase=False).")
    var cased = false

    @Option(help: "The fewest occurrences of a pair of pieces for it to be merged.")
    var minFrequency: Int = 2

    @Option(help: "The most distinct characters in the alphabet (0: no limit).")
    var limitAlphabet: Int = 1000

    @Option(help: "[unused…] rows after the special tokens.")
    var unused: Int = 0

    @Option(help: "Pad the vocabulary with [unused…] rows to a multiple of this (NVIDIA: 8).")
    var padToMultipleOf: Int?

    @Option(help: "formatted: a sentence per line, blank lines between documents; lines: any text, line by line; jsonl: JSON objects, one per line.")
    var inputFormat: InputFormat = .formatted

    @Option(help: "The field holding the text in JSON lines.")
    var textField: String = "text"

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Overwrite the output if it exists.")
    var force = false

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if vocabSize < 1 { throw ValidationError("--vocab-size must be at least 1") }
        if minFrequency < 0 { throw ValidationError("--min-frequency cannot be negative") }
        if limitAlphabet < 0 { throw ValidationError("--limit-alphabet cannot be negative") }
        if unused < 0 { throw ValidationError("--unused cannot be negative") }
        if let padToMultipleOf, padToMultipleOf < 1 { throw ValidationError("--pad-to-multiple-of must be at least 1") }
    }

    func run() throws {
        var options = WordPieceTrainer.Options()
        options.vocabularySize = vocabSize
        options.minFrequency = minFrequency
        options.limitAlphabet = limitAlphabet == 0 ? nil : limitAlphabet
        options.unusedTokens = unused
        options.padToMultipleOf = padToMultipleOf
        let trainer = WordPieceTrainer(options: options, normalizer: BertNormalizer(lowercase: !cased))
        let progress = progressOptions.reporter()
        try CommandErrors.report {
            let files = try FileSystem.textFiles(inputs)
            let file = try OutputFile(path: output, overwrite: force)
            let counting = TextCounting(threads: threadOptions.threads, noun: "words")
            let count: TextCounting.CountFunction = { trainer.countWords(utf8: $0, into: &$1) }
            let counted = inputFormat == .jsonl
                ? try counting.run(inputs: files, produce: jsonlChunks(files), count: count, progress: progress)
                : try counting.run(files: files, count: count, progress: progress)
            VocabCommand.warnOfReplacements(counted, progress)
            if counted.skipped > 0 {
                progress.warn("left out \(counted.skipped) word(s) longer than \(options.maxWordCharacters) characters (the tokenizer makes them [UNK])")
            }
            if counted.counter.count == 0 {
                throw BERTKitError(file: files.joined(separator: ", "), "no words to learn a vocabulary from")
            }
            let result = try trainer.train(wordCounts: counted.counter, progress: progress)
            for token in result.tokens { try file.write(token + "\n") }
            try file.commit()
            progress.finish(report(counted, result))
        }
    }

    /// Emits the documents of JSON-lines files in chunks of about `TextCounting.defaultChunkSize`, a document per line.
    private func jsonlChunks(_ files: [String]) throws -> (_ emit: (TextCounting.Chunk) throws -> Void) throws -> Void {
        let reader = try DocumentReader(paths: files, format: .jsonl, textField: textField)
        return { emit in
            var chunk: [UInt8] = []
            while let document = try reader.next() {
                chunk += document.utf8
                chunk.append(UInt8(ascii: "\n"))
                if chunk.count >= TextCounting.defaultChunkSize {
                    try emit(TextCounting.Chunk(bytes: chunk, input: 0))
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { try emit(TextCounting.Chunk(bytes: chunk, input: 0)) }
        }
    }

    /// The closing summary line.
    private func report(_ counted: TextCounting.Result, _ result: WordPieceTrainer.Result) -> String {
        var line = "learned \(result.tokens.count) tokens (\(result.alphabet) characters, \(result.merges) merges"
        if result.paddingTokens > 0 { line += ", \(result.paddingTokens) padding rows" }
        if result.charactersDropped > 0 { line += "; \(result.charactersDropped) rare characters left out" }
        line += ") from \(counted.counter.total) words (\(counted.counter.count) distinct, \(Formatting.bytes(counted.inputBytes)))"
        line += "; counting \(Formatting.duration(counted.seconds)) (\(rate(counted.inputBytes, counted.seconds)))"
        line += ", merging \(Formatting.duration(result.seconds)) -> \(output)"
        if result.tokens.count - result.paddingTokens < vocabSize {
            line += "; no pair of pieces is left that occurs at least \(max(1, minFrequency)) times, so the vocabulary is smaller than \(vocabSize)"
        }
        return line
    }
}
