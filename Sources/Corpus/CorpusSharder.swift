import Support

/// Splits a formatted corpus into N training and M validation shards, streaming.
///
/// Documents go greedily to the shard with the fewest sentences so far (`ShardAssigner`);
/// the shard ids are then shuffled with the seed, and the first N become
/// `training.{i}.txt`, the next M `validation.{i}.txt` (the CharacterBERT scheme). The
/// shuffle is fixed before reading, so every document is written as soon as it is read:
/// memory holds one document and the shards' write buffers, never the corpus. Where the
/// system allows fewer open files than shards, the input is read once per group of shards.
public struct CorpusSharder {
    /// How to shard.
    public struct Options: Sendable {
        public var trainingShards: Int
        public var validationShards: Int
        public var seed: UInt64 = 12345
        /// Replace the output directory's earlier shards and manifest.
        public var force = false
        /// At most this many shard files open at once (default: what the system allows).
        var maximumOpenShards: Int?

        public init(trainingShards: Int, validationShards: Int) {
            self.trainingShards = trainingShards
            self.validationShards = validationShards
        }
    }

    /// What one shard holds.
    public struct Shard: Sendable {
        public var file: String
        public var documents = 0
        public var sentences = 0
        public var bytes = 0
    }

    /// What a run did.
    public struct Summary: Sendable {
        public var shards: [Shard] = []
        public var documents = 0
        public var sentences = 0
        public var bytes = 0
        public var passes = 0
        public var seconds = 0.0
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// The file names in output order: training shards, then validation shards.
    public var fileNames: [String] {
        (0..<options.trainingShards).map { "training.\($0).txt" }
            + (0..<options.validationShards).map { "validation.\($0).txt" }
    }

    /// Shards the formatted corpus in `inputs` (files or directories) into `outputDirectory`.
    /// - Throws: `BERTKitError` for a non-empty output directory without `force`, unreadable
    ///   input, or fewer documents than shards (nothing is written then).
    public func run(inputs: [String], outputDirectory: String, progress: ProgressReporter) throws -> Summary {
        let start = MonotonicClock.now()
        let files = try FileSystem.expandInputs(inputs)
        try prepare(outputDirectory)
        let total = options.trainingShards + options.validationShards
        let perPass = max(1, min(total, options.maximumOpenShards ?? (FileSystem.raiseOpenFileLimit(to: total + 64) - 64)))
        let passes = (total + perPass - 1) / perPass
        let reader = FormattedCorpusReader(files: files)
        var writers: [ShardWriter] = []
        for groupStart in stride(from: 0, to: total, by: perPass) {
            let writer = try ShardWriter(sharder: self, directory: outputDirectory,
                                         writing: groupStart..<min(groupStart + perPass, total))
            try reader.forEachDocument(progress: { bytes in
                let rate = Double(bytes) / max(MonotonicClock.now() - start, 1e-9) / 1e6
                let pass = passes > 1 ? "pass \(writers.count + 1)/\(passes), " : ""
                progress.update("\(pass)\(writer.summary.documents) documents, \(Formatting.bytes(bytes)), \(Formatting.fixed(rate, 1)) MB/s")
            }) { document in
                try writer.add(document.bytes, sentences: document.sentences)
            }
            try writer.close(inputs: inputs)
            writers.append(writer)
        }
        var summary = writers[0].summary
        summary.passes = passes
        try commit(writers, summary: summary, directory: outputDirectory, inputs: files)
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// Renames every shard into place, removes stale shards and writes the manifest.
    func commit(_ writers: [ShardWriter], summary: Summary, directory: String, inputs: [String]) throws {
        for writer in writers { try writer.commit() }
        try removeStaleShards(in: directory, keeping: Set(fileNames))
        try writeManifest(summary, to: directory + "/manifest.json", inputs: inputs)
    }

    /// The output position of each assignment id: the seeded shuffle of the shard ids.
    var outputIndex: [Int] {
        let total = options.trainingShards + options.validationShards
        var generator = SeededGenerator(seed: options.seed)
        var order = Array(0..<total)
        order.shuffle(using: &generator)
        var index = [Int](repeating: 0, count: total)
        for (position, id) in order.enumerated() { index[id] = position }
        return index
    }

    /// Creates the output directory, or checks that it may be written into.
    func prepare(_ directory: String) throws {
        guard options.trainingShards >= 1, options.validationShards >= 0 else {
            throw BERTKitError("at least one training shard is needed")
        }
        if FileSystem.exists(directory) {
            guard FileSystem.isDirectory(directory) else {
                throw BERTKitError(file: directory, "exists and is not a directory")
            }
            if !options.force && !FileSystem.isEmptyDirectory(directory) {
                throw BERTKitError(file: directory, "is not empty (use --force to replace its shards)")
            }
        }
        try FileSystem.createDirectory(directory)
    }

    /// Removes shard files of an earlier run that this run's shard counts do not produce.
    private func removeStaleShards(in directory: String, keeping names: Set<String>) throws {
        for name in try FileSystem.contents(of: directory) where !names.contains(name) {
            let parts = name.split(separator: ".")
            if parts.count == 3, parts[0] == "training" || parts[0] == "validation", Int(parts[1]) != nil, parts[2] == "txt" {
                try FileSystem.remove(directory + "/" + name)
            }
        }
    }

    private func writeManifest(_ summary: Summary, to path: String, inputs: [String]) throws {
        var json: [UInt8] = []
        func key(_ name: String) {
            JSONString.append(name.utf8, to: &json)
            json.append(contentsOf: ": ".utf8)
        }
        json.append(contentsOf: "{\n  ".utf8)
        key("training_shards"); json.append(contentsOf: "\(options.trainingShards),\n  ".utf8)
        key("validation_shards"); json.append(contentsOf: "\(options.validationShards),\n  ".utf8)
        key("seed"); json.append(contentsOf: "\(options.seed),\n  ".utf8)
        key("documents"); json.append(contentsOf: "\(summary.documents),\n  ".utf8)
        key("sentences"); json.append(contentsOf: "\(summary.sentences),\n  ".utf8)
        key("bytes"); json.append(contentsOf: "\(summary.bytes),\n  ".utf8)
        key("inputs"); json.append(UInt8(ascii: "["))
        for (index, input) in inputs.enumerated() {
            if index > 0 { json.append(contentsOf: ", ".utf8) }
            JSONString.append(input.utf8, to: &json)
        }
        json.append(contentsOf: "],\n  ".utf8)
        key("shards"); json.append(contentsOf: "[\n".utf8)
        for (index, shard) in summary.shards.enumerated() {
            json.append(contentsOf: "    {".utf8)
            key("file"); JSONString.append(shard.file.utf8, to: &json)
            json.append(contentsOf: ", ".utf8)
            key("documents"); json.append(contentsOf: "\(shard.documents), ".utf8)
            key("sentences"); json.append(contentsOf: "\(shard.sentences), ".utf8)
            key("bytes"); json.append(contentsOf: "\(shard.bytes)}".utf8)
            json.append(contentsOf: (index + 1 < summary.shards.count ? ",\n" : "\n").utf8)
        }
        json.append(contentsOf: "  ]\n}\n".utf8)
        let file = try OutputFile(path: path, overwrite: true)
        try file.write(json)
        try file.commit()
    }
}

/// Takes documents one at a time, in corpus order, and writes each to its shard.
///
/// Every document is assigned (the assignment depends on all documents before it), but only
/// the shards in `writing` are written, so that a corpus can be sharded in several passes
/// when fewer files may be open than there are shards.
final class ShardWriter {
    private(set) var summary = CorpusSharder.Summary()
    private var assigner: ShardAssigner
    private let outputIndex: [Int]
    private let writing: Range<Int>
    private let files: [OutputFile]

    init(sharder: CorpusSharder, directory: String, writing: Range<Int>) throws {
        let names = sharder.fileNames
        summary.shards = names.map { CorpusSharder.Shard(file: $0) }
        assigner = ShardAssigner(count: names.count)
        outputIndex = sharder.outputIndex
        self.writing = writing
        // Small buffers, at most 16 MB in all: memory stays flat whatever the corpus size.
        let bufferSize = max(4096, min(64 << 10, (16 << 20) / max(1, writing.count)))
        files = try writing.map { try OutputFile(path: directory + "/" + names[$0], overwrite: true, bufferSize: bufferSize) }
    }

    /// Adds one document: its lines, each ending in "\n".
    func add(_ document: UnsafeBufferPointer<UInt8>, sentences: Int) throws {
        let shard = outputIndex[assigner.assign(sentences: sentences)]
        summary.documents += 1
        summary.sentences += sentences
        summary.bytes += document.count + 1
        summary.shards[shard].documents += 1
        summary.shards[shard].sentences += sentences
        summary.shards[shard].bytes += document.count + 1
        if writing.contains(shard) {
            let file = files[shard - writing.lowerBound]
            try file.write(document)
            try file.write(CollectionOfOne(UInt8(0x0A)))
        }
    }

    /// Checks that every shard got a document and closes the files (not yet committed).
    func close(inputs: [String]) throws {
        if summary.documents < summary.shards.count {
            throw BERTKitError(file: inputs.joined(separator: ", "),
                               "\(summary.documents) document(s) cannot fill \(summary.shards.count) shards: every shard needs at least one document; ask for fewer shards")
        }
        for file in files { try file.close() }
    }

    /// Renames the shard files into place.
    func commit() throws {
        for file in files { try file.commit() }
    }
}
