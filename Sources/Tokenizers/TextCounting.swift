import Support

/// Counts strings in text on several threads with bounded memory: the text comes in chunks
/// of whole lines, each chunk is counted on a worker into a `TokenCounter` of its own, and
/// the counters are merged in text order, so the result does not depend on the thread count.
///
/// Invalid UTF-8 is replaced by U+FFFD before counting, and the replacements are counted.
/// Memory holds the merged counts and a few chunks in flight, never the text.
public struct TextCounting: Sendable {
    /// A piece of text that ends at a line end (or at the end of its input).
    public struct Chunk: Sendable {
        /// The text, possibly invalid UTF-8.
        public var bytes: [UInt8]
        /// The number of the input the text comes from, an index into the input names.
        public var input: Int

        /// A chunk of `bytes` from input number `input`.
        public init(bytes: [UInt8], input: Int) {
            self.bytes = bytes
            self.input = input
        }
    }

    /// What a count found.
    public struct Result: Sendable {
        /// The counts, in first-seen order.
        public var counter = TokenCounter()
        /// Occurrences that the counting function left out.
        public var skipped = 0
        /// Bytes of text counted.
        public var inputBytes = 0
        /// Invalid UTF-8 sequences replaced, by input name.
        public var invalidUTF8Replaced: [(input: String, count: Int)] = []
        /// Wall-clock time of the count.
        public var seconds = 0.0
    }

    /// Counts the strings of valid UTF-8 text into a counter and returns how many it left out.
    public typealias CountFunction = (UnsafeBufferPointer<UInt8>, inout TokenCounter) -> Int

    /// The default size of the chunks read from files, a trade between the work of counting
    /// a chunk (more distinct strings, more cache misses) and the work of merging its counts.
    public static let defaultChunkSize = 2 << 20

    /// Counting threads.
    public let threads: Int
    /// What is counted, for progress lines: "words", "tokens".
    public let noun: String
    /// The size of the chunks read from files (a longer line makes a longer chunk).
    public let chunkSize: Int

    /// A count on `threads` workers whose progress lines speak of `noun`.
    public init(threads: Int, noun: String, chunkSize: Int = defaultChunkSize) {
        self.threads = max(1, threads)
        self.noun = noun
        self.chunkSize = chunkSize
    }

    /// Counts the text files `paths` (read in order, in chunks of whole lines) with `count`.
    /// - Throws: `BERTKitError` naming a file that is missing, a directory or unreadable.
    public func run(files paths: [String], count: @escaping CountFunction, progress: ProgressReporter) throws -> Result {
        try run(inputs: paths, produce: { emit in
            for (index, path) in paths.enumerated() {
                let reader = try LineChunkReader(path: path, chunkSize: chunkSize)
                while let bytes = try reader.read() { try emit(Chunk(bytes: bytes, input: index)) }
            }
        }, count: count, progress: progress)
    }

    /// Counts the chunks that `produce` emits with `count`; `inputs` names the inputs that
    /// the chunks' numbers refer to.
    public func run(inputs: [String], produce: @escaping (_ emit: (Chunk) throws -> Void) throws -> Void,
                    count: @escaping CountFunction, progress: ProgressReporter) throws -> Result {
        let start = MonotonicClock.now()
        var result = Result()
        var replacements = [Int](repeating: 0, count: inputs.count)
        try OrderedPipeline.run(
            workers: threads, maxInFlight: threads * 2,
            produce: produce,
            transform: { (chunk: Chunk) -> ChunkCount in
                var sanitizer = UTF8Sanitizer(detectEncoding: false)
                let text = sanitizer.convert(chunk.bytes, final: true)
                var counted = ChunkCount(input: chunk.input, bytes: chunk.bytes.count, replacements: sanitizer.replacements)
                var counter = TokenCounter()
                counted.skipped = text.withUnsafeBufferPointer { count($0, &counter) }
                counted.counter = counter
                return counted
            },
            consume: { (counted: ChunkCount) in
                result.counter.merge(counted.counter)
                result.skipped += counted.skipped
                result.inputBytes += counted.bytes
                replacements[counted.input] += counted.replacements
                let rate = Double(result.inputBytes) / max(MonotonicClock.now() - start, 1e-9) / 1e6
                progress.update("counting: \(Formatting.bytes(result.inputBytes)), \(result.counter.total) \(noun)"
                                + " (\(result.counter.count) distinct), \(Formatting.fixed(rate, 1)) MB/s")
            })
        result.invalidUTF8Replaced = zip(inputs, replacements).filter { $0.1 > 0 }.map { (FileChunkReader.displayName(of: $0.0), $0.1) }
        result.seconds = MonotonicClock.now() - start
        return result
    }

    /// The counts of one chunk, on their way from a worker to the merge.
    private struct ChunkCount {
        var input: Int
        var bytes: Int
        var replacements: Int
        var counter = TokenCounter()
        var skipped = 0
    }
}
