import Support

/// Splits a formatted corpus into N training and M validation shards, streaming.
///
/// Documents go greedily to the shard with the fewest sentences so far (`ShardAssigner`);
/// the shard ids are then shuffled with the seed, and the first N become
/// `training.{i}.txt`, the next M `validation.{i}.txt` (the CharacterBERT scheme). The
/// shuffle is fixed before reading, so every document is written as soon as it is read:
/// memory holds one document and the shards' write buffers, never the corpus. Where the
/// system allows fewer open files than shards, the input is read once per group of shards.
/// Several processes may share the writing: each writes its part of the shard files
/// (`writeShards(files:outputDirectory:part:of:progress:)`) between `prepare` and `finish`.
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
        var summary = try writeShards(files: files, outputDirectory: outputDirectory, progress: progress)
        try finish(summary, directory: outputDirectory, inputs: files)
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// Reads the formatted corpus in `files` and writes part `part` of `parts` of the shard
    /// files (those at the output positions p of `fileNames` with p mod `parts` = `part`;
    /// every one for 1 part) into the prepared `outputDirectory`, committed once all are
    /// written. Every document is assigned, written or not: the summary counts every shard.
    /// - Throws: `BERTKitError` for unreadable input or fewer documents than shards (nothing
    ///   is committed then).
    public func writeShards(files: [String], outputDirectory: String, part: Int = 0, of parts: Int = 1,
                            progress: ProgressReporter) throws -> Summary {
        let start = MonotonicClock.now()
        let total = options.trainingShards + options.validationShards
        let mine = Array(stride(from: part, to: total, by: parts))
        let perPass = max(1, min(mine.count, options.maximumOpenShards ?? (FileSystem.raiseOpenFileLimit(to: mine.count + 64) - 64)))
        // A part without shards still reads the input once, to check it as the others do.
        let groups = mine.isEmpty
            ? [[]] : stride(from: 0, to: mine.count, by: perPass).map { Array(mine[$0..<min($0 + perPass, mine.count)]) }
        let passes = groups.count
        let reader = FormattedCorpusReader(files: files)
        var writers: [ShardWriter] = []
        for group in groups {
            let writer = try ShardWriter(sharder: self, directory: outputDirectory, writing: group)
            try reader.forEachDocument(progress: { bytes in
                let rate = Double(bytes) / max(MonotonicClock.now() - start, 1e-9) / 1e6
                let pass = passes > 1 ? "pass \(writers.count + 1)/\(passes), " : ""
                progress.update("\(pass)\(writer.summary.documents) documents, \(Formatting.bytes(bytes)), \(Formatting.fixed(rate, 1)) MB/s")
            }) { document in
                try writer.add(document.bytes, sentences: document.sentences)
            }
            try writer.close(inputs: files)
            writers.append(writer)
        }
        for writer in writers { try writer.commit() }
        var summary = writers[0].summary
        summary.passes = passes
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// Renames every shard into place, removes stale shards and writes the manifest.
    func commit(_ writers: [ShardWriter], summary: Summary, directory: String, inputs: [String]) throws {
        for writer in writers { try writer.commit() }
        try finish(summary, directory: directory, inputs: inputs)
    }

    /// Completes an output directory whose shards are in place: removes the shards of an
    /// earlier run that this run's counts do not produce and writes `manifest.json`, which
    /// lists `inputs`.
    /// - Throws: `BERTKitError` when a file cannot be removed or written.
    public func finish(_ summary: Summary, directory: String, inputs: [String]) throws {
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
    /// - Throws: `BERTKitError` for no training shard, or a path that is not a directory or
    ///   (without `force`) not empty.
    public func prepare(_ directory: String) throws {
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
/// the shards at the output positions in `writing` are written, so that a corpus can be
/// sharded in several passes when fewer files may be open than there are shards, and by
/// several processes.
final class ShardWriter {
    private(set) var summary = CorpusSharder.Summary()
    private var assigner: ShardAssigner
    private let outputIndex: [Int]
    /// The file of each output position written, nil for the others.
    private var files: [OutputFile?]

    init(sharder: CorpusSharder, directory: String, writing: some Collection<Int>) throws {
        let names = sharder.fileNames
        summary.shards = names.map { CorpusSharder.Shard(file: $0) }
        assigner = ShardAssigner(count: names.count)
        outputIndex = sharder.outputIndex
        // Small buffers, at most 16 MB in all: memory stays flat whatever the corpus size.
        let bufferSize = max(4096, min(64 << 10, (16 << 20) / max(1, writing.count)))
        files = names.map { _ in nil }
        for position in writing {
            files[position] = try OutputFile(path: directory + "/" + names[position], overwrite: true, bufferSize: bufferSize)
        }
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
        if let file = files[shard] {
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
        for case let file? in files { try file.close() }
    }

    /// Renames the shard files into place.
    func commit() throws {
        for case let file? in files { try file.commit() }
    }
}
