import Interop
import Support
import Tensor

/// A run's checkpoints, `<run directory>/checkpoints/step_<n>/`: written whole or not at all,
/// the last `keep` kept, read back with every name, shape and dtype checked.
///
/// A checkpoint is written into `checkpoints/.tmp-step_<n>/`, its files synced to disk, and
/// the directory renamed to `step_<n>`, so a crash leaves either the complete checkpoint or a
/// `.tmp-` directory that listing ignores and the next write removes. Values that are not
/// finite are refused: a checkpoint is what a diverged run goes back to.
public struct CheckpointStore {
    /// The directory holding the checkpoints, `<run directory>/checkpoints`.
    public let directory: String
    /// How many complete checkpoints a write leaves, the one it wrote included.
    public let keep: Int
    /// The backend the tensors written and read live on.
    public let backend: Backend

    /// The store of the run in `runDirectory`, for tensors on `backend`; nothing is created
    /// until the first write.
    public init(runDirectory: String, backend: Backend, keep: Int = 3) {
        self.init(directory: runDirectory + "/checkpoints", backend: backend, keep: keep)
    }

    /// The store of the checkpoints directly in `directory` (the parent of a `step_<n>`).
    public init(directory: String, backend: Backend, keep: Int = 3) {
        precondition(keep >= 1, "a checkpoint store must keep at least one checkpoint, got \(keep)")
        self.directory = directory
        self.backend = backend
        self.keep = keep
    }

    /// The checkpoint that `path` names: a checkpoint directory (`step_<n>`), or a run
    /// directory, meaning its newest complete checkpoint.
    /// - Throws: `BERTKitError` naming `path` when it is neither, or a run directory without
    ///   a complete checkpoint.
    public static func resolve(_ path: String) throws -> Checkpoint {
        if FileSystem.isDirectory(path + "/checkpoints") {
            guard let newest = try checkpoints(in: path + "/checkpoints").last else {
                throw BERTKitError(file: path, "is a run directory without a complete checkpoint")
            }
            return newest
        }
        guard FileSystem.isDirectory(path) else {
            throw BERTKitError(file: path, "no such checkpoint or run directory")
        }
        return try Checkpoint(path: path)
    }

    /// The complete checkpoints (`step_<n>` directories holding all three files), by
    /// ascending step; none when the directory does not exist yet.
    /// - Throws: `BERTKitError` when the directory cannot be listed.
    public func checkpoints() throws -> [Checkpoint] {
        try Self.checkpoints(in: directory)
    }

    /// The complete checkpoint of the highest step, the one a resumed run starts from.
    /// - Throws: `BERTKitError` when the directory cannot be listed.
    public var latest: Checkpoint? {
        get throws { try checkpoints().last }
    }

    /// Writes the checkpoint of `step`: `model` to model.safetensors and `optimizer` to
    /// optimizer.safetensors, each tensor as F32 under its name and in its shape, `state`
    /// to state.json and each of `files` (the `ModelDescription`'s) under its name; replaces
    /// an existing checkpoint of that step; then removes the oldest complete checkpoints
    /// beyond `keep` (never the one just written) and any `.tmp-` directory a crash left.
    /// - Throws: `BERTKitError`, writing nothing, when a value is not finite (naming the
    ///   tensor); `BERTKitError` naming the file when writing fails, the partial checkpoint
    ///   removed.
    @discardableResult
    public func write(step: Int, model: [(name: String, tensor: Tensor)],
                      optimizer: [(name: String, tensor: Tensor)], state: String,
                      files: [(name: String, contents: String)] = []) throws -> Checkpoint {
        precondition(step >= 0, "checkpoint step \(step) is negative")
        let checkpoint = Checkpoint(step: step, path: directory + "/" + Checkpoint.name(step: step))
        for (kind, tensors) in [("model", model), ("optimizer", optimizer)] {
            if let tensor = tensors.first(where: { !backend.floats($0.tensor).allSatisfy(\.isFinite) }) {
                throw BERTKitError(file: checkpoint.path, "not written: \(kind) tensor '\(tensor.name)' holds NaN or "
                                   + "infinite values (the run has diverged; lower the learning rate or resume from an "
                                   + "earlier checkpoint)")
            }
        }
        try FileSystem.createDirectory(directory)
        try removeTemporaries()
        let temporary = directory + "/" + Self.temporaryPrefix + Checkpoint.name(step: step)
        try FileSystem.createDirectory(temporary)
        do {
            try SafeTensorsWriter.write(safeTensors(model), to: temporary + "/model.safetensors")
            try SafeTensorsWriter.write(safeTensors(optimizer), to: temporary + "/optimizer.safetensors")
            for (name, contents) in [("state.json", state)] + files {
                let file = try OutputFile(path: temporary + "/" + name, overwrite: false)
                try file.write(contents)
                try file.commit()
            }
            try FileSystem.synchronizeDirectory(temporary)
        } catch {
            try? FileSystem.removeTree(temporary)
            throw error
        }
        if FileSystem.exists(checkpoint.path) {
            try FileSystem.move(checkpoint.path, to: directory + "/" + Self.temporaryPrefix + "replaced-" + Checkpoint.name(step: step))
        }
        try FileSystem.move(temporary, to: checkpoint.path)
        try FileSystem.synchronizeDirectory(directory)
        for old in try checkpoints().filter({ $0 != checkpoint }).dropLast(keep - 1) {
            try FileSystem.removeTree(old.path)
        }
        try removeTemporaries()
        return checkpoint
    }

    /// Reads `checkpoint` (of this run or another) into the tensors given: `model` from
    /// model.safetensors and, unless nil (a start from another run's weights), `optimizer` from
    /// optimizer.safetensors. Returns the text of state.json.
    ///
    /// Each file must hold exactly the names given, each F32 in the shape of its tensor, with
    /// finite values; every name, shape and dtype is checked before a value is loaded.
    /// - Throws: `BERTKitError` naming the file and the problem (a missing file, a damaged
    ///   header, a missing, extra or misshapen tensor); when an older complete checkpoint lies
    ///   beside `checkpoint`, the message offers it: removing `checkpoint` makes a resumed run
    ///   start from it (`--init-checkpoint` in the same run directory would be refused, and
    ///   elsewhere starts a new run from its weights only). The model may be loaded when the
    ///   optimizer file then fails.
    public func read(_ checkpoint: Checkpoint, model: [(name: String, tensor: Tensor)],
                     optimizer: [(name: String, tensor: Tensor)]?) throws -> String {
        try read(checkpoint, model: model, optimizer: optimizer, transfer: .exact).state
    }

    /// Reads `checkpoint` as `read(_:model:optimizer:)` does, but into a model that may differ
    /// from the checkpoint's as `transfer` allows; returns the text of state.json and what the
    /// transfer did, in words for the log.
    public func read(_ checkpoint: Checkpoint, model: [(name: String, tensor: Tensor)],
                     optimizer: [(name: String, tensor: Tensor)]?,
                     transfer: WeightTransfer) throws -> (state: String, notes: [String]) {
        do {
            let files = [checkpoint.modelPath] + (optimizer == nil ? [] : [checkpoint.optimizerPath]) + [checkpoint.statePath]
            if let missing = files.first(where: { !FileSystem.exists($0) }) {
                throw BERTKitError(file: missing, "is missing: the checkpoint is incomplete")
            }
            var notes = try load(checkpoint.modelPath, into: model, transfer: transfer)
            if let optimizer { _ = try load(checkpoint.optimizerPath, into: optimizer, transfer: transfer) }
            if let vocabulary = transfer.vocabulary {
                notes.append("vocabulary changed: \(vocabulary.kept) tokens keep their rows of the checkpoint's "
                             + "embeddings and MLM head, \(vocabulary.fresh) start from fresh values")
            }
            return (String(decoding: try FileChunkReader.contents(of: checkpoint.statePath), as: UTF8.self), notes)
        } catch var error as BERTKitError {
            let parent = FileSystem.split(checkpoint.path).directory
            if let previous = try? Self.checkpoints(in: parent).last(where: { $0.step < checkpoint.step }) {
                error.message += "; the previous checkpoint \(previous.path) is complete: remove \(checkpoint.path) to "
                    + "resume from it, or start another run from its weights with --init-checkpoint \(previous.path)"
            }
            throw error
        }
    }

    /// The prefix of the directories a write works in, which listing ignores.
    private static let temporaryPrefix = ".tmp-"

    /// The complete checkpoints in `directory` by ascending step.
    private static func checkpoints(in directory: String) throws -> [Checkpoint] {
        guard FileSystem.isDirectory(directory) else { return [] }
        return try FileSystem.contents(of: directory)
            .compactMap { name in Checkpoint.step(named: name).map { Checkpoint(step: $0, path: directory + "/" + name) } }
            .filter(\.isComplete)
            .sorted { $0.step < $1.step }
    }

    /// Removes what an interrupted write left: every `.tmp-` entry of the directory.
    private func removeTemporaries() throws {
        for name in try FileSystem.contents(of: directory) where name.hasPrefix(Self.temporaryPrefix) {
            try FileSystem.removeTree(directory + "/" + name)
        }
    }

    /// The tensors' values as safetensors F32 tensors.
    private func safeTensors(_ tensors: [(name: String, tensor: Tensor)]) -> [SafeTensor] {
        tensors.map { name, tensor in
            precondition(tensor.dtype == .float32, "checkpoint tensor \(name) is \(tensor.dtype), not float32")
            return SafeTensor(name, shape: tensor.shape.dimensions, floats: backend.floats(tensor))
        }
    }

    /// Checks that the safetensors file at `path` holds exactly `tensors`' names, each F32 in
    /// its tensor's shape, then loads each into its tensor, checking that it is finite; as
    /// `transfer` allows, a head tensor may be missing on one side and vocabulary-indexed rows
    /// move by token. Returns what was left fresh or unused, in words.
    private func load(_ path: String, into tensors: [(name: String, tensor: Tensor)],
                      transfer: WeightTransfer) throws -> [String] {
        let file = try SafeTensorsFile(path: path)
        let expected = Set(tensors.map(\.name))
        let unused = file.names.filter { !expected.contains($0) }
        let extra = unused.filter { !transfer.isOptional($0) }
        if !extra.isEmpty {
            let listed = extra.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (extra.count > 5 ? " and \(extra.count - 5) more" : "")
            throw BERTKitError(file: path, "holds tensors this run does not have: \(listed) "
                               + "(was it written for another model configuration or optimizer?)")
        }
        var fresh: [String] = []
        for (name, tensor) in tensors {
            guard file.contains(name) else {
                if transfer.isOptional(name) {
                    fresh.append(name)
                    continue
                }
                throw BERTKitError(file: path, place: "tensor '\(name)'", "is missing (was the file written for another model configuration or optimizer?)")
            }
            let (dtype, shape) = (try file.dtype(name), try file.shape(name))
            guard dtype == .f32 else {
                throw BERTKitError(file: path, place: "tensor '\(name)'", "is \(dtype.rawValue), but a checkpoint holds F32")
            }
            let rowsMove = transfer.movesRows(name)
            guard rowsMove ? shape.dropFirst() == tensor.shape.dimensions.dropFirst() : shape == tensor.shape.dimensions else {
                throw BERTKitError(file: path, place: "tensor '\(name)'",
                                   "has shape \(shape), but this run's tensor has shape \(tensor.shape)")
            }
        }
        for (name, tensor) in tensors where file.contains(name) {
            var values = try file.floats(name)
            guard values.allSatisfy(\.isFinite) else {
                throw BERTKitError(file: path, place: "tensor '\(name)'", "holds NaN or infinite values: the file is damaged")
            }
            if let vocabulary = transfer.vocabulary, transfer.movesRows(name) {
                let width = tensor.shape.dimensions.dropFirst().reduce(1, *)
                values = vocabulary.apply(old: values, to: backend.floats(tensor), width: width)
            }
            backend.write(values, to: tensor)
        }
        var notes: [String] = []
        if !unused.isEmpty { notes.append("\(path): the pooler and next-sentence head are not used (the model is MLM-only)") }
        if !fresh.isEmpty { notes.append("\(path) has no pooler and next-sentence head: they start from fresh values") }
        return notes
    }
}
