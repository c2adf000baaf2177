import Support

/// A checkpoint directory, `step_<n>`: the model's parameters in `model.safetensors`, the
/// optimizer's state in `optimizer.safetensors`, and the trainer's own state in `state.json`;
/// beside them, what using the model elsewhere needs (`ModelDescription`: model.json, the
/// vocabulary, tokenizer_config.json).
public struct Checkpoint: Sendable, Hashable {
    /// The step it was written after, from its name.
    public let step: Int
    /// Its directory.
    public let path: String

    /// The checkpoint in the directory at `path` (which may belong to another run).
    /// - Throws: `BERTKitError` naming `path` when its last component is not `step_<n>`.
    public init(path: String) throws {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        guard let step = Self.step(named: FileSystem.split(path).name) else {
            throw BERTKitError(file: path, "is not a checkpoint directory: its name should be step_<n>, as in checkpoints/step_1000")
        }
        self.init(step: step, path: path)
    }

    /// The checkpoint of `step` in the directory at `path`, its name taken as given.
    init(step: Int, path: String) {
        self.step = step
        self.path = path
    }

    /// The parameters, under their Hugging Face names.
    public var modelPath: String { path + "/model.safetensors" }
    /// The optimizer's buffers, named as `OptimizerState.tensors(for:)` names them.
    public var optimizerPath: String { path + "/optimizer.safetensors" }
    /// The trainer's state, JSON text the store does not interpret.
    public var statePath: String { path + "/state.json" }

    /// Whether all three files are there.
    var isComplete: Bool {
        [modelPath, optimizerPath, statePath].allSatisfy { FileSystem.exists($0) && !FileSystem.isDirectory($0) }
    }

    /// The directory name of the checkpoint of `step`.
    static func name(step: Int) -> String { "step_\(step)" }

    /// The step a directory name gives, nil unless it is exactly `step_<n>` (no sign, no
    /// leading zero).
    static func step(named name: String) -> Int? {
        guard name.hasPrefix("step_"), let step = Int(name.dropFirst(5)), step >= 0, name == Self.name(step: step)
        else { return nil }
        return step
    }
}
