import Model
import PretrainingData
import Support

/// Serves a directory of HDF5 pre-training files to the model as `PretrainingInputs`:
/// training batches in NVIDIA's seeded order with the next file read ahead, and validation
/// passes over every row once.
///
/// Files: the regular files in the directory whose names end in `.hdf5` or `.h5`, sorted by
/// name and narrowed to the split's (`DataSplit`). Each is opened at the start and checked
/// against what training expects: the same sequence length, no more masked positions than
/// the model's (fewer are padded up), CharacterBERT's character ids for a CharacterBERT and
/// WordPiece ids for a BERT, and one layout and next-sentence convention for all.
///
/// Training order (`DataOrder`): each epoch the files are shuffled from (seed, epoch) and
/// rank r of W reads the file at shuffled index (f·W + r) mod n at step f; a file's rows come
/// in a permutation drawn from (seed, epoch, f). The rows flow as one stream over files and
/// epochs, so every batch is full: one may span two files, or the end of an epoch and the
/// start of the next. While a file is served, the next in the order is read whole on a
/// background thread; an error reading it is thrown by the call that needs it. Both threads
/// call libhdf5, whose Debian build is thread-safe.
///
/// Resuming: `position`, saved after a batch and given to a new loader over the same files
/// with the same seed, rank and world size, makes it serve exactly the batches the first
/// loader would have served next.
public final class PretrainingDataLoader {
    /// The directory the files are in.
    public let directory: String
    /// The files read, sorted by name.
    public let paths: [String]
    /// Tokens per sequence (S), the files' and the model's.
    public let sequenceLength: Int
    /// Masked slots per sequence (P) of every batch.
    public let maxPredictions: Int
    /// The instances of all the files together: the rows of a validation pass.
    public let totalRows: Int
    /// Where the training stream stands: the next batch starts at its row.
    public private(set) var position: DataPosition

    private let shards: [Shard]
    private let order: DataOrder
    /// What the files' next-sentence label 1 means, `.none` when the model has no such head.
    private let nextSentence: NSPLabelMeaning
    private let idsPerToken: Int
    /// The order of files of the last epoch asked about.
    private var epochFiles: (epoch: Int, files: [Int]) = (-1, [])
    /// The file being served.
    private var current: LoadedFile?
    /// The file asked of the reading thread whose result is not taken yet.
    private var pending: FileRequest?
    private let requests = BlockingQueue<FileRequest>(capacity: 1)
    private let results = BlockingQueue<Result<LoadedFile, Error>>(capacity: 1)
    private let reader: WorkerThread

    /// Opens and checks the files of `split` in `directory` for a model of `configuration`
    /// trained on sequences of `sequenceLength` tokens with `maxPredictions` masked slots, and
    /// starts reading the file at `position` (the start of training by default).
    ///
    /// `seed` fixes the training order; `rank` and `worldSize` say which share of each epoch's
    /// files this process reads.
    /// - Throws: `BERTKitError` naming the directory when it is missing, not a directory or
    ///   holds no HDF5 file or no instance; naming a file that cannot be read, does not fit the
    ///   model or differs from the others; for a rank outside the world or a position that
    ///   does not fit the files.
    public init(directory: String, split: DataSplit = .training, configuration: BertConfiguration, sequenceLength: Int,
                maxPredictions: Int, seed: UInt64, rank: Int = 0, worldSize: Int = 1,
                position: DataPosition = DataPosition()) throws {
        guard worldSize >= 1, (0..<worldSize).contains(rank) else {
            throw BERTKitError("rank \(rank) is not one of the \(worldSize) processes (ranks 0 to \(worldSize - 1))")
        }
        var shards: [Shard] = []
        for path in try Self.filePaths(in: directory, split: split) {
            let shard = Shard(try PretrainingFile(path: path))
            if let problem = Self.problem(with: shard, configuration: configuration, sequenceLength: sequenceLength,
                                          maxPredictions: maxPredictions, first: shards.first) {
                throw BERTKitError(file: path, problem)
            }
            shards.append(shard)
        }
        totalRows = shards.reduce(0) { $0 + $1.count }
        guard totalRows > 0 else { throw BERTKitError(file: directory, "its \(split.rawValue) files hold no instances") }
        let order = DataOrder(seed: seed, fileCount: shards.count, rank: rank, worldSize: worldSize)
        guard position.epoch >= 0, (0..<shards.count).contains(position.fileStep), position.row >= 0,
              position.rowsServed >= 0,
              case let file = shards[order.files(epoch: position.epoch)[position.fileStep]], position.row <= file.count else {
            throw BERTKitError(file: directory, "data position (epoch \(position.epoch), file step \(position.fileStep), "
                               + "row \(position.row)) does not fit its \(shards.count) files: they are not the files, "
                               + "seed, rank and world size it was saved with")
        }
        self.directory = directory
        paths = shards.map(\.path)
        self.sequenceLength = sequenceLength
        self.maxPredictions = maxPredictions
        self.position = position
        self.shards = shards
        self.order = order
        nextSentence = configuration.nextSentencePrediction ? shards[0].nspMeaning : .none
        idsPerToken = configuration.characterCNN?.charactersPerToken ?? 1
        let (requests, results) = (self.requests, self.results)
        reader = WorkerThread { [shards] in
            while let request = requests.pop() {
                guard results.push(Result { try LoadedFile(request, shard: shards[request.file], order: order) }) else { return }
            }
        }
        self.position = settled(position)
        pending = request(at: self.position)
        requests.push(pending!)
    }

    deinit {
        requests.close()
        results.close()
        reader.join()
    }

    /// The rows this rank reads in epoch `epoch`: the instances of the files it reads then.
    public func rowCount(epoch: Int) -> Int {
        order.files(epoch: epoch).reduce(0) { $0 + shards[$1].count }
    }

    /// The next `batchSize` rows of the training stream, in the model's conventions; the
    /// position moves past them.
    /// - Throws: `BERTKitError` naming a file that could not be read; the position then stays
    ///   where it was, so that the call can be repeated.
    public func next(batchSize: Int) throws -> PretrainingInputs {
        guard batchSize >= 1 else { throw BERTKitError("a batch needs at least one row, not \(batchSize)") }
        var inputs = PretrainingInputs(reservingFor: shape(batchSize: batchSize), idsPerToken: idsPerToken)
        var cursor = position
        var filled = 0
        while filled < batchSize {
            let file = try loaded(at: cursor)
            let taken = min(batchSize - filled, file.rows.count - cursor.row)
            for row in file.order[cursor.row..<cursor.row + taken] {
                inputs.appendRow(row, of: file.rows, nextSentence: nextSentence)
            }
            filled += taken
            cursor.row += taken
            cursor.rowsServed += taken
            cursor = settled(cursor)
        }
        position = cursor
        return inputs
    }

    /// Serves every row of every file once, in name order and row order, in batches of
    /// `batchSize`, calling `body` with each batch and how many of its rows (the first ones)
    /// are real. The last batch is filled up with rows that count for nothing (every label
    /// ignored, attention on the first token only), so that every batch has one shape. The
    /// training stream and its position are left alone.
    ///
    /// With `worldSize` processes sharing the pass, rank `rank` serves the files at indices
    /// rank, rank + worldSize, …: together they serve every row once.
    /// - Throws: `BERTKitError` naming a file that could not be read, or what `body` throws.
    public func validationPass(batchSize: Int, rank: Int = 0, worldSize: Int = 1,
                               _ body: (PretrainingInputs, Int) throws -> Void) throws {
        guard batchSize >= 1 else { throw BERTKitError("a batch needs at least one row, not \(batchSize)") }
        var inputs = PretrainingInputs(reservingFor: shape(batchSize: batchSize), idsPerToken: idsPerToken)
        var filled = 0
        for shard in stride(from: rank, to: shards.count, by: worldSize).map({ shards[$0] }) where shard.count > 0 {
            let rows = try shard.readAll()
            for row in 0..<rows.count {
                inputs.appendRow(row, of: rows, nextSentence: nextSentence)
                filled += 1
                if filled == batchSize {
                    try body(inputs, filled)
                    inputs = PretrainingInputs(reservingFor: inputs.shape, idsPerToken: idsPerToken)
                    filled = 0
                }
            }
        }
        guard filled > 0 else { return }
        for _ in filled..<batchSize { inputs.appendPaddingRow(idsPerToken: idsPerToken) }
        try body(inputs, filled)
    }

    /// The shape of a batch of `batchSize` rows.
    private func shape(batchSize: Int) -> BatchShape {
        BatchShape(batchSize: batchSize, sequenceLength: sequenceLength, maxPredictions: maxPredictions)
    }

    /// The file that `cursor` stands in, read: the one being served, the one read ahead, or
    /// else one read now; once it is here, the file after it is asked for.
    private func loaded(at cursor: DataPosition) throws -> LoadedFile {
        let request = self.request(at: cursor)
        if let current, current.request == request { return current }
        if let pending, pending != request { _ = results.pop() }
        if pending != request { requests.push(request) }
        pending = nil
        let file = try results.pop()!.get()
        current = file
        let next = self.request(at: settled(DataPosition(epoch: cursor.epoch, fileStep: cursor.fileStep, row: file.rows.count)))
        requests.push(next)
        pending = next
        return file
    }

    /// What the reading thread is asked for to serve the file `position` stands in.
    private func request(at position: DataPosition) -> FileRequest {
        FileRequest(epoch: position.epoch, step: position.fileStep, file: file(at: position))
    }

    /// The file (index into `shards`) that `position` stands in.
    private func file(at position: DataPosition) -> Int {
        if epochFiles.epoch != position.epoch { epochFiles = (position.epoch, order.files(epoch: position.epoch)) }
        return epochFiles.files[position.fileStep]
    }

    /// `position` moved past the end of its file, and past files without rows, onto the next
    /// row to serve.
    private func settled(_ position: DataPosition) -> DataPosition {
        var position = position
        while position.row >= shards[file(at: position)].count {
            position.row = 0
            position.fileStep += 1
            if position.fileStep == shards.count {
                position.fileStep = 0
                position.epoch += 1
            }
        }
        return position
    }

    /// The split's HDF5 files in `directory`, sorted by name; or `directory` alone when it is
    /// itself an HDF5 file (`.hdf5` or `.h5`), whatever its split.
    /// - Throws: `BERTKitError` naming the directory when it is missing, neither a directory
    ///   nor an HDF5 file, or holds no HDF5 file.
    public static func filePaths(in directory: String, split: DataSplit) throws -> [String] {
        guard FileSystem.exists(directory) else {
            throw BERTKitError(file: directory, "no such directory: expected a directory of HDF5 pre-training files "
                               + "(what `bertkit data create` writes)")
        }
        if FileSystem.isRegularFile(directory) && (directory.hasSuffix(".hdf5") || directory.hasSuffix(".h5")) {
            return [directory]
        }
        guard FileSystem.isDirectory(directory) else {
            throw BERTKitError(file: directory, "is not a directory: give the directory that holds the HDF5 pre-training "
                               + "files, or one such file")
        }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let names = try FileSystem.contents(of: directory)
        let files = names.filter { ($0.hasSuffix(".hdf5") || $0.hasSuffix(".h5")) && FileSystem.isRegularFile(prefix + $0) }
        guard !files.isEmpty else {
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
            throw BERTKitError(file: directory, "holds no HDF5 files (.hdf5 or .h5): "
                               + (names.isEmpty ? "it is empty" : "it holds \(shown)"))
        }
        return split.select(files).map { prefix + $0 }
    }

    /// Why `shard` cannot be read for the model, or nil when it can; `first` is the first
    /// file, which every other must match.
    private static func problem(with shard: Shard, configuration: BertConfiguration, sequenceLength: Int,
                                maxPredictions: Int, first: Shard?) -> String? {
        if let cnn = configuration.characterCNN {
            guard shard.layout == .characterBERT else {
                return "holds WordPiece ids (the \(shard.layout.rawValue) layout), but the model is a CharacterBERT, which "
                    + "reads character ids: make its data with `bertkit data create --character-bert`"
            }
            guard cnn.charactersPerToken == 50 else {
                return "holds 50 character ids per token, but the model's character CNN reads \(cnn.charactersPerToken)"
            }
        } else if shard.layout == .characterBERT {
            return "holds CharacterBERT's character ids, but the model is a BERT, which reads WordPiece ids: "
                + "train a CharacterBERT on it, or make the data without --character-bert"
        }
        guard shard.sequenceLength == sequenceLength else {
            return "holds instances of \(shard.sequenceLength) tokens, but training uses sequences of \(sequenceLength): "
                + "`bertkit data create` makes 128 with --phase 1 (the default), 512 with --phase 2, or what "
                + "--max-seq-length says; train with max_seq_length \(shard.sequenceLength) (`--max-seq-length`, or `--phase 2` for 512), or on data made for \(sequenceLength)"
        }
        guard shard.maxPredictions <= maxPredictions else {
            return "holds up to \(shard.maxPredictions) masked positions per instance, more than the \(maxPredictions) "
                + "training uses: `bertkit data create` makes at most 20 with --phase 1 (the default), 80 with --phase 2, "
                + "or what --max-predictions-per-seq says; train with max_predictions_per_seq \(shard.maxPredictions) "
                + "(`--max-predictions-per-seq`), or on data made for \(maxPredictions)"
        }
        guard let first else { return nil }
        guard shard.layout == first.layout else {
            return "is in the \(shard.layout.rawValue) layout but \(first.path) in the \(first.layout.rawValue) layout: "
                + "one directory's files must be made alike"
        }
        guard shard.nspMeaning == first.nspMeaning else {
            return "has next-sentence labels of meaning '\(shard.nspMeaning.rawValue)' but \(first.path) of meaning "
                + "'\(first.nspMeaning.rawValue)': one directory's files must be made alike"
        }
        return nil
    }

    /// What the loader knows of a file from its header, checked again when the file is read.
    private struct Shard: Equatable, Sendable {
        var path: String
        var layout: PretrainingLayout
        var count: Int
        var sequenceLength: Int
        var maxPredictions: Int
        var nspMeaning: NSPLabelMeaning

        /// The header of `file`.
        init(_ file: PretrainingFile) {
            path = file.path
            layout = file.layout
            count = file.count
            sequenceLength = file.sequenceLength
            maxPredictions = file.maxPredictions
            nspMeaning = file.nspMeaning
        }

        /// Every row of the file, which must still be as it was when the loader was made.
        func readAll() throws -> PretrainingBatch {
            let file = try PretrainingFile(path: path)
            let now = Shard(file)
            guard now == self else {
                throw BERTKitError(file: path, "changed since training started: it held \(summary); it now holds \(now.summary)")
            }
            return try file.read(rows: 0..<file.count)
        }

        /// The header in words.
        var summary: String {
            "\(count) instances of \(sequenceLength) tokens with up to \(maxPredictions) masked positions "
                + "(\(layout.rawValue) layout, next-sentence labels '\(nspMeaning.rawValue)')"
        }
    }

    /// Which file to read for which step of the training order.
    private struct FileRequest: Equatable, Sendable {
        var epoch: Int
        var step: Int
        /// The index into the sorted files.
        var file: Int
    }

    /// A file read whole for its step of the order, with the order its rows are served in.
    private struct LoadedFile {
        let request: FileRequest
        let rows: PretrainingBatch
        let order: [Int]

        /// Reads `shard` for `request` and draws its rows' order.
        init(_ request: FileRequest, shard: Shard, order: DataOrder) throws {
            self.request = request
            rows = try shard.readAll()
            self.order = order.rows(count: rows.count, epoch: request.epoch, step: request.step)
        }
    }
}
