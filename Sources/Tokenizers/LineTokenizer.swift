import Support

/// Tokenizes text files line by line on several threads and writes one output line per
/// input line, in input order: the token ids (or the tokens) separated by spaces, without
/// special tokens, and optionally a tab and each token's `START:END` character offsets.
///
/// Lines end at line feeds only. Invalid UTF-8 is replaced by U+FFFD and counted.
public struct LineTokenizer {
    /// What to write and how many threads to use.
    public struct Options: Sendable {
        /// Write the tokens instead of their ids.
        public var tokens = false
        /// After a tab, write each token's offsets in the line, in characters (Unicode scalars).
        public var offsets = false
        /// Tokenizing threads.
        public var threads = WorkerThread.processorCount

        /// Ids, no offsets, all cores.
        public init() {}
    }

    /// What a run did.
    public struct Summary: Sendable {
        /// Lines read (and written).
        public var lines = 0
        /// Tokens written.
        public var tokens = 0
        /// Bytes read.
        public var inputBytes = 0
        /// Invalid UTF-8 sequences replaced, by input name ("standard input" for "-").
        public var invalidUTF8Replaced: [(input: String, count: Int)] = []
        /// Wall-clock time of the run.
        public var seconds = 0.0
    }

    /// The tokenizer applied to each line.
    public let tokenizer: BertWordPieceTokenizer
    /// What to write and how many threads to use.
    public let options: Options

    /// A line tokenizer with `tokenizer` and `options`.
    public init(tokenizer: BertWordPieceTokenizer, options: Options) {
        self.tokenizer = tokenizer
        self.options = options
    }

    /// A chunk of whole lines of one input.
    private struct Chunk {
        var bytes: [UInt8]
        var input: Int
    }

    /// The output lines of a chunk.
    private struct Tokenized {
        var output: [UInt8]
        var lines: Int
        var tokens: Int
        var inputBytes: Int
        var replacements: Int
        var input: Int
    }

    /// Tokenizes `inputs` (paths, "-" for standard input) in order, passing the output to
    /// `write` chunk by chunk and showing progress.
    /// - Throws: `BERTKitError` for inputs that cannot be read; errors of `write`.
    public func run(inputs: [String], write: ([UInt8]) throws -> Void, progress: ProgressReporter) throws -> Summary {
        let start = MonotonicClock.now()
        var summary = Summary()
        var replacements = [Int](repeating: 0, count: inputs.count)
        try OrderedPipeline.run(
            workers: options.threads, maxInFlight: options.threads * 4,
            produce: { emit in
                for (index, path) in inputs.enumerated() {
                    let reader = try LineChunkReader(path: path)
                    while let bytes = try reader.read() { try emit(Chunk(bytes: bytes, input: index)) }
                }
            },
            transform: tokenize,
            consume: { (chunk: Tokenized) in
                try write(chunk.output)
                summary.lines += chunk.lines
                summary.tokens += chunk.tokens
                summary.inputBytes += chunk.inputBytes
                replacements[chunk.input] += chunk.replacements
                let rate = Double(summary.inputBytes) / max(MonotonicClock.now() - start, 1e-9) / 1e6
                progress.update("\(summary.lines) lines, \(summary.tokens) tokens, \(Formatting.fixed(rate, 1)) MB/s")
            })
        summary.invalidUTF8Replaced = zip(inputs, replacements)
            .filter { $0.1 > 0 }
            .map { (FileChunkReader.displayName(of: $0.0), $0.1) }
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    private func tokenize(_ chunk: Chunk) -> Tokenized {
        // Chunks hold whole lines, so each can be repaired on its own.
        var sanitizer = UTF8Sanitizer(detectEncoding: false)
        let text = sanitizer.convert(chunk.bytes, final: true)
        let replacements = sanitizer.replacements
        var result = Tokenized(output: [], lines: 0, tokens: 0, inputBytes: chunk.bytes.count,
                               replacements: replacements, input: chunk.input)
        result.output.reserveCapacity(text.count)
        var buffer = TokenBuffer()
        var scratch: [UInt8] = []
        text.withUnsafeBufferPointer { text in
            var lineStart = 0
            while lineStart < text.count {
                let lineEnd = text[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? text.count
                tokenizer.tokenize(utf8: UnsafeBufferPointer(rebasing: text[lineStart..<lineEnd]), into: &buffer)
                appendLine(buffer, scratch: &scratch, to: &result.output)
                result.lines += 1
                result.tokens += buffer.ids.count
                lineStart = lineEnd + 1
            }
        }
        return result
    }

    /// Appends the output line of the text in `buffer`, written in `scratch` first.
    private func appendLine(_ buffer: TokenBuffer, scratch: inout [UInt8], to output: inout [UInt8]) {
        let itemLength = options.tokens ? tokenizer.vocabulary.longestTokenLength : UnsafeByteWriter.maxDecimalLength
        let offsetsLength = options.offsets ? 2 + 2 * UnsafeByteWriter.maxDecimalLength : 0
        let bound = 2 + buffer.ids.count * (1 + itemLength + offsetsLength)
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: max(bound, 2 * scratch.count)) }
        let length = scratch.withUnsafeMutableBufferPointer { scratch in
            var writer = UnsafeByteWriter(start: scratch.baseAddress!)
            for (index, id) in buffer.ids.enumerated() {
                if index > 0 { writer.write(UInt8(ascii: " ")) }
                if options.tokens {
                    tokenizer.vocabulary.withUTF8(ofToken: id) { writer.write($0) }
                } else {
                    writer.writeDecimal(Int(id))
                }
            }
            if options.offsets {
                writer.write(UInt8(ascii: "\t"))
                for (index, range) in buffer.offsets.enumerated() {
                    if index > 0 { writer.write(UInt8(ascii: " ")) }
                    writer.writeDecimal(range.lowerBound)
                    writer.write(UInt8(ascii: ":"))
                    writer.writeDecimal(range.upperBound)
                }
            }
            writer.write(UInt8(ascii: "\n"))
            return writer.position - scratch.baseAddress!
        }
        output += scratch[..<length]
    }
}
