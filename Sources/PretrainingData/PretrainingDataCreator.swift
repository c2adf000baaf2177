import Distributed
import Support
import Tokenizers

/// `data create`: turns formatted shards into pre-training HDF5 files, one per shard.
///
/// Each shard is one task on a worker thread: read and tokenize it, make its instances
/// (`InstanceBuilder`), lay them out and deflate the chunks; the calling thread alone talks
/// to libhdf5 and writes the files in input order, each under a temporary name renamed when
/// complete. A shard's generator is seeded from the seed and the shard's file name, so the
/// output is the same whatever the thread count or the other shards given. At most a few
/// shards are in memory at once.
///
/// Several processes (`communicator`, under `mpirun` or `srun`) share the shards: of the input
/// files in order, rank r makes those at indices r, r + W, …; the files are those one process
/// would write, and every process returns the summary of every shard.
public struct PretrainingDataCreator {
    /// Where the vocabulary came from, recorded in every file.
    public struct VocabularySource: Sendable {
        public var file: String
        public var sha256: String
        public init(file: String, sha256: String) {
            self.file = file
            self.sha256 = sha256
        }
    }

    /// What one shard gave.
    public struct ShardSummary: Sendable {
        public var input: String
        /// The file written, or nil when the shard had no documents.
        public var output: String?
        public var documents = 0
        public var instances = 0
        public var tokens = 0
        public var predictions = 0
        public var randomNext = 0
        public var unknownTokens = 0
        public var textBytes = 0
        public var fileBytes = 0
    }

    /// What a run did.
    public struct Summary: Sendable {
        public var shards: [ShardSummary] = []
        public var seconds = 0.0

        /// The total over every shard of a field.
        public func total(_ field: KeyPath<ShardSummary, Int>) -> Int { shards.reduce(0) { $0 + $1[keyPath: field] } }
    }

    public let options: InstanceOptions
    public let vocabulary: TokenVocabulary
    public let vocabularySource: VocabularySource
    /// Whether the tokenizer lowercases, recorded in the files.
    public let lowercase: Bool
    /// zlib level of the gzip filter; 0 stores datasets without it.
    public var compressionLevel = 4
    public var threads = WorkerThread.processorCount
    /// Replace existing output files.
    public var overwrite = false
    /// The processes sharing the shards.
    public var communicator: any Communicator = SingleProcessCommunicator()

    public init(options: InstanceOptions, vocabulary: TokenVocabulary, vocabularySource: VocabularySource, lowercase: Bool) {
        self.options = options
        self.vocabulary = vocabulary
        self.vocabularySource = vocabularySource
        self.lowercase = lowercase
    }

    /// The output file of shard `input`: its name with `.txt` replaced by `.hdf5`.
    public static func outputName(of input: String) -> String {
        let name = FileSystem.split(input).name
        return (name.hasSuffix(".txt") ? String(name.dropLast(4)) : name) + ".hdf5"
    }

    /// Makes a file in `outputDirectory` for every shard in `inputs`.
    /// - Throws: `BERTKitError` for bad options, unreadable input, an existing output without
    ///   `overwrite`, two shards with the same name, or a failed write (its file removed).
    public func run(inputs: [String], outputDirectory: String, progress: ProgressReporter) throws -> Summary {
        if let problem = options.problem { throw BERTKitError(problem) }
        let start = MonotonicClock.now()
        let allFiles = try FileSystem.textFiles(inputs)
        try FileSystem.createDirectory(outputDirectory)
        var outputs: [String: String] = [:]
        for file in allFiles {
            let output = outputDirectory + "/" + Self.outputName(of: file)
            if let other = outputs[output] {
                throw BERTKitError(file: file, "has the same name as \(other): both would be written to \(output)")
            }
            if !overwrite, FileSystem.exists(output) {
                throw BERTKitError(file: output, "already exists (use --force to overwrite it)")
            }
            outputs[output] = file
        }
        // No process writes before every one has checked that no output exists.
        try communicator.barrier()
        let files = stride(from: communicator.rank, to: allFiles.count, by: communicator.worldSize).map { allFiles[$0] }
        let totalBytes = files.reduce(0) { $0 + (FileSystem.size($1) ?? 0) }
        var summary = Summary()
        try OrderedPipeline.run(
            workers: threads, maxInFlight: threads + 1,
            produce: { emit in for file in files { try emit(file) } },
            transform: { file in try self.encode(shard: file) },
            consume: { (shard: EncodedShard) in
                var result = shard.summary
                if shard.datasets.isEmpty {
                    progress.warn("\(shard.summary.input): no documents (an empty shard): no file written")
                } else {
                    if shard.summary.documents == 1 && options.nextSentencePrediction {
                        progress.warn("\(shard.summary.input): one document: no random next sentence is possible, so pairs that would take one keep the same document and are labelled actual-next (NVIDIA's rule); use --no-nsp or more documents per shard")
                    }
                    let output = outputDirectory + "/" + Self.outputName(of: shard.summary.input)
                    try write(shard, to: output)
                    result.output = output
                    result.fileBytes = FileSystem.size(output) ?? 0
                }
                summary.shards.append(result)
                let done = summary.total(\.textBytes)
                let elapsed = MonotonicClock.now() - start
                let rate = Double(done) / max(elapsed, 1e-9)
                let eta = totalBytes > done && rate > 0 ? ", ETA \(Formatting.duration(Double(totalBytes - done) / rate))" : ""
                progress.update("\(summary.shards.count)/\(files.count) shards, \(summary.total(\.instances)) instances, \(Formatting.fixed(rate / 1e6, 2)) MB/s of text\(eta)")
            })
        if communicator.isDistributed { summary.shards = try gathered(summary.shards, of: allFiles, in: outputDirectory) }
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// Every process's `shards` summaries together, in the order of `files` (all the inputs),
    /// their outputs in `outputDirectory`.
    private func gathered(_ shards: [ShardSummary], of files: [String], in outputDirectory: String) throws -> [ShardSummary] {
        let fields: [WritableKeyPath<ShardSummary, Int>] = [\.documents, \.instances, \.tokens, \.predictions, \.randomNext,
                                                            \.unknownTokens, \.textBytes, \.fileBytes]
        let width = fields.count + 1
        let index = Dictionary(uniqueKeysWithValues: files.enumerated().map { ($1, $0) })
        var values = [Int](repeating: 0, count: files.count * width)
        for shard in shards {
            let base = index[shard.input]! * width
            values[base] = shard.output == nil ? 0 : 1
            for (offset, field) in fields.enumerated() { values[base + 1 + offset] = shard[keyPath: field] }
        }
        values = try communicator.allReduceSum(values)
        return files.enumerated().map { number, file in
            var shard = ShardSummary(input: file)
            let base = number * width
            if values[base] == 1 { shard.output = outputDirectory + "/" + Self.outputName(of: file) }
            for (offset, field) in fields.enumerated() { shard[keyPath: field] = values[base + 1 + offset] }
            return shard
        }
    }

    /// A shard's datasets, ready to write, and what it gave.
    private struct EncodedShard {
        var datasets: [EncodedDataset]
        var summary: ShardSummary
    }

    /// Tokenizes, builds and lays out one shard (on a worker thread).
    private func encode(shard file: String) throws -> EncodedShard {
        let shard = try ShardTokenizer(vocabulary: vocabulary).tokenize(file: file)
        var summary = ShardSummary(input: file)
        summary.documents = shard.documentCount
        summary.unknownTokens = shard.unknownTokens
        summary.textBytes = FileSystem.size(file) ?? 0
        guard shard.documentCount > 0 else { return EncodedShard(datasets: [], summary: summary) }
        var generator = SeededGenerator(seed: Self.seed(options.seed, shard: FileSystem.split(file).name))
        var builder = InstanceBuilder(options: options, vocabulary: vocabulary)
        let store = builder.build(shard, using: &generator)
        summary.instances = store.count
        summary.tokens = store.tokens.count
        summary.predictions = store.positions.count
        summary.randomNext = (0..<store.count).reduce(0) { $0 + (store.isRandomNext($1) ? 1 : 0) }
        return EncodedShard(datasets: encoder.encode(store, extraWords: shard.extraWords), summary: summary)
    }

    /// Lays instances out as the files' datasets.
    private var encoder: InstanceEncoder {
        InstanceEncoder(options: options, vocabulary: vocabulary, compressionLevel: compressionLevel)
    }

    /// The seed of a shard's generator: the run's seed mixed with the FNV-1a hash of the
    /// shard's file name.
    static func seed(_ seed: UInt64, shard name: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return seed &* 0x9E37_79B9_7F4A_7C15 ^ hash
    }

    /// Writes a shard's file: made in memory, then written under a temporary name and
    /// renamed into place once complete (`OutputFile`).
    private func write(_ shard: EncodedShard, to path: String) throws {
        let file = try HDF5File.createInMemory(name: path)
        for dataset in shard.datasets { try dataset.write(to: file) }
        for (key, value) in attributes(of: shard) { try file.setAttribute(key, value) }
        let image = try file.image()
        try file.close()
        let output = try OutputFile(path: path, overwrite: overwrite, bufferSize: 1 << 16)
        try output.write(image)
        try output.commit()
    }

    /// The attributes that make a file self-describing.
    private func attributes(of shard: EncodedShard) -> [(String, HDF5AttributeValue)] {
        let encoder = self.encoder
        let flag = { (value: Bool) in HDF5AttributeValue.integer(value ? 1 : 0) }
        return [
            ("layout", .string(encoder.layout.rawValue)),
            ("nsp_label_meaning", .string(encoder.nspMeaning.rawValue)),
            ("max_seq_length", .integer(Int64(options.maxSeqLength))),
            ("max_predictions_per_seq", .integer(Int64(options.maxPredictionsPerSeq))),
            ("masked_lm_prob", .real(options.maskedLMProb)),
            ("short_seq_prob", .real(options.shortSeqProb)),
            ("dupe_factor", .integer(Int64(options.dupeFactor))),
            ("seed", .integer(Int64(bitPattern: options.seed))),
            ("whole_word_mask", flag(options.wholeWordMask)),
            ("next_sentence_prediction", flag(options.nextSentencePrediction)),
            ("lowercase", flag(lowercase)),
            ("vocab_file", .string(vocabularySource.file)),
            ("vocab_sha256", .string(vocabularySource.sha256)),
            ("vocab_size", .integer(Int64(vocabulary.labels.count))),
            ("source_file", .string(FileSystem.split(shard.summary.input).name)),
            ("instances", .integer(Int64(shard.summary.instances))),
            ("bertkit_version", .string(BERTKitVersion.string)),
        ]
    }
}
