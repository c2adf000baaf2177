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
        let total = options.trainingShards + options.validationShards
        guard options.trainingShards >= 1, options.validationShards >= 0 else {
            throw BERTKitError("at least one training shard is needed")
        }
        let files = try FileSystem.expandInputs(inputs)
        try prepare(outputDirectory)

        // Output position of each assignment id: the seeded shuffle of the shard ids.
        var generator = SeededGenerator(seed: options.seed)
        var order = Array(0..<total)
        order.shuffle(using: &generator)
        var outputIndex = [Int](repeating: 0, count: total)
        for (position, id) in order.enumerated() { outputIndex[id] = position }

        let names = fileNames
        var summary = Summary()
        summary.shards = names.map { Shard(file: $0) }
        let openLimit = FileSystem.raiseOpenFileLimit(to: total + 64)
        let perPass = max(1, min(total, options.maximumOpenShards ?? (openLimit - 64)))
        let bufferSize = max(4096, min(1 << 20, (64 << 20) / perPass))
        let reader = FormattedCorpusReader(files: files)
        var writers: [OutputFile] = []

        for groupStart in stride(from: 0, to: total, by: perPass) {
            let group = groupStart..<min(groupStart + perPass, total)
            summary.passes += 1
            var assigner = ShardAssigner(count: total)
            let shardWriters = try group.map {
                try OutputFile(path: outputDirectory + "/" + names[$0], overwrite: true, bufferSize: bufferSize)
            }
            let firstPass = groupStart == 0
            try reader.forEachDocument(progress: { bytes in
                let rate = Double(bytes) / max(MonotonicClock.now() - start, 1e-9) / 1e6
                let pass = total > perPass ? "pass \(summary.passes)/\((total + perPass - 1) / perPass), " : ""
                progress.update("\(pass)\(summary.documents) documents, \(Formatting.bytes(bytes)), \(Formatting.fixed(rate, 1)) MB/s")
            }) { document in
                let shard = outputIndex[assigner.assign(sentences: document.sentences)]
                if firstPass {
                    summary.documents += 1
                    summary.sentences += document.sentences
                    summary.bytes += document.bytes.count + 1
                    summary.shards[shard].documents += 1
                    summary.shards[shard].sentences += document.sentences
                    summary.shards[shard].bytes += document.bytes.count + 1
                }
                if group.contains(shard) {
                    let writer = shardWriters[shard - groupStart]
                    try writer.write(document.bytes)
                    try writer.write(CollectionOfOne(UInt8(0x0A)))
                }
            }
            if summary.documents < total {
                throw BERTKitError(file: inputs.joined(separator: ", "),
                                   "\(summary.documents) document(s) cannot fill \(total) shards: every shard needs at least one document; ask for fewer shards")
            }
            // Commit at the end of all passes only, so a failure leaves no shard behind.
            for writer in shardWriters { try writer.close() }
            writers += shardWriters
        }
        for writer in writers { try writer.commit() }
        try removeStaleShards(in: outputDirectory, keeping: Set(names))
        try writeManifest(summary, to: outputDirectory + "/manifest.json", inputs: files)
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// Creates the output directory, or checks that it may be written into.
    private func prepare(_ directory: String) throws {
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
