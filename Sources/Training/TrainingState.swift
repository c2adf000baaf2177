import Support

/// Everything besides the weights and the optimizer's buffers that a checkpoint must hold
/// for a resumed run to repeat the uninterrupted one: the step counts, the generators, the
/// data position, and the configuration the run had. Written as a checkpoint's state.json.
///
///     {"format": 1, "phase": 1, "step": 200, "global_step": 200, "optimizer_steps": 199,
///      "skipped_steps": 1, "consecutive_skipped_steps": 0,
///      "dropout_generator": ["9e3779b97f4a7c15", …],
///      "dropout_generators": [["9e3779b97f4a7c15", …], ["3c6ef372fe94f82a", …]],
///      "data_position": {"epoch": 0, "file_step": 2, "row": 64, "rows_served": 12800},
///      "data_positions": [{"epoch": 0, …}, {"epoch": 0, …}],
///      "schedule": {"kind": "poly", "learning_rate": 0.006, …}, "configuration": "model: base\n…"}
///
/// Each process of a data-parallel run reads its own files and draws its own dropout masks,
/// so each has its own data position and dropout generator: `data_positions` and
/// `dropout_generators` list them by rank, written only when the run had more than one
/// process; `data_position` and `dropout_generator` are rank 0's (the only ones of a
/// single-process run).
struct TrainingState: Equatable {
    /// The phase the steps belong to.
    var phase: Int
    /// Steps of this phase done, skipped ones included: the next step is step + 1.
    var step: Int
    /// Steps of every phase done: what names the checkpoint (NVIDIA numbers phase 2's
    /// checkpoints after phase 1's).
    var globalStep: Int
    /// The optimizer's own step count (its bias correction), which skipped steps leave alone.
    var optimizerSteps: Int
    /// Steps skipped for a non-finite loss or gradient in this phase.
    var skippedSteps: Int
    /// Those skipped in a row up to now.
    var consecutiveSkippedSteps: Int
    /// The dropout generator's state in each process, by rank: one per process of the run
    /// that saved the state.
    var dropoutGenerators: [(UInt64, UInt64, UInt64, UInt64)]
    /// Where the training data stands for each process, by rank: one position per process of
    /// the run that saved the state.
    var dataPositions: [DataPosition]
    /// The resolved configuration, as YAML.
    var configuration: String

    /// The version of the layout written.
    static let format = 1

    static func == (a: Self, b: Self) -> Bool {
        a.phase == b.phase && a.step == b.step && a.globalStep == b.globalStep && a.optimizerSteps == b.optimizerSteps
            && a.skippedSteps == b.skippedSteps && a.consecutiveSkippedSteps == b.consecutiveSkippedSteps
            && a.dropoutGenerators.map(Self.words) == b.dropoutGenerators.map(Self.words) && a.dataPositions == b.dataPositions
            && a.configuration == b.configuration
    }

    /// The state as JSON text; `schedule` (the configuration's schedule, for a reader's eyes)
    /// is written with it.
    func json(schedule: JSONObjectWriter) -> String {
        var json = JSONObjectWriter()
        for (name, value) in [("format", Self.format), ("phase", phase), ("step", step), ("global_step", globalStep),
                              ("optimizer_steps", optimizerSteps), ("skipped_steps", skippedSteps),
                              ("consecutive_skipped_steps", consecutiveSkippedSteps)] {
            json.add(name, value)
        }
        let hexadecimal = dropoutGenerators.map { Self.words($0).map { String($0, radix: 16) } }
        json.add("dropout_generator", hexadecimal[0])
        if hexadecimal.count > 1 {
            json.add("dropout_generators", json: "[" + hexadecimal.map { words in
                "[" + words.map(JSONObjectWriter.quoted).joined(separator: ", ") + "]"
            }.joined(separator: ", ") + "]")
        }
        json.add("data_position", json: dataPositions[0].json.compact)
        if dataPositions.count > 1 {
            json.add("data_positions", json: "[" + dataPositions.map(\.json.compact).joined(separator: ", ") + "]")
        }
        json.add("schedule", json: schedule.compact)
        json.add("configuration", configuration)
        return json.text
    }

    /// Reads the state that `json` wrote, from `file` (for messages).
    /// - Throws: `BERTKitError` naming the file when the text is not such a state.
    init(json text: String, file: String) throws {
        let bytes = Array(text.utf8)
        var found: (phase: Int?, step: Int?, global: Int?, optimizer: Int?, skipped: Int?, consecutive: Int?) =
            (nil, nil, nil, nil, nil, nil)
        var words: [UInt64] = []
        var generators: [[UInt64]] = []
        var position: DataPosition?
        var positions: [DataPosition] = []
        var configuration: String?
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(buffer)
                try scanner.object { scanner, keyBytes in
                    switch String(decoding: keyBytes, as: UTF8.self) {
                    case "format":
                        let format = try scanner.integer()
                        guard format == Self.format else {
                            throw JSONScanner.Malformed("state format \(format) is not the \(Self.format) this BERTKit reads")
                        }
                    case "phase": found.phase = try scanner.integer()
                    case "step": found.step = try scanner.integer()
                    case "global_step": found.global = try scanner.integer()
                    case "optimizer_steps": found.optimizer = try scanner.integer()
                    case "skipped_steps": found.skipped = try scanner.integer()
                    case "consecutive_skipped_steps": found.consecutive = try scanner.integer()
                    case "dropout_generator": words = try Self.generator(&scanner)
                    case "dropout_generators":
                        try scanner.array { scanner in generators.append(try Self.generator(&scanner)) }
                    case "data_position": position = try DataPosition(json: &scanner)
                    case "data_positions":
                        try scanner.array { scanner in positions.append(try DataPosition(json: &scanner)) }
                    case "configuration": configuration = String(decoding: try scanner.string(), as: UTF8.self)
                    default: try scanner.skipValue()
                    }
                }
                try scanner.end()
            }
        } catch let malformed as JSONScanner.Malformed {
            throw BERTKitError(file: file, "not a training state: \(malformed.message)")
        }
        guard let phase = found.phase, let step = found.step, let global = found.global, let optimizer = found.optimizer,
              let skipped = found.skipped, let consecutive = found.consecutive, words.count == 4, let position,
              let configuration else {
            throw BERTKitError(file: file, "not a complete training state: it lacks a step count, the generator, "
                               + "the data position or the configuration")
        }
        guard positions.isEmpty || positions[0] == position else {
            throw BERTKitError(file: file, "not a consistent training state: data_positions[0] is not data_position")
        }
        guard generators.isEmpty || (generators[0] == words && generators.allSatisfy { $0.count == 4 }) else {
            throw BERTKitError(file: file, "not a consistent training state: dropout_generators[0] is not dropout_generator, "
                               + "or a generator has not 4 words")
        }
        self.phase = phase
        self.step = step
        globalStep = global
        optimizerSteps = optimizer
        skippedSteps = skipped
        consecutiveSkippedSteps = consecutive
        dropoutGenerators = (generators.isEmpty ? [words] : generators).map { ($0[0], $0[1], $0[2], $0[3]) }
        dataPositions = positions.isEmpty ? [position] : positions
        self.configuration = configuration
    }

    init(phase: Int, step: Int, globalStep: Int, optimizerSteps: Int, skippedSteps: Int, consecutiveSkippedSteps: Int,
         dropoutGenerators: [(UInt64, UInt64, UInt64, UInt64)], dataPositions: [DataPosition], configuration: String) {
        self.phase = phase
        self.step = step
        self.globalStep = globalStep
        self.optimizerSteps = optimizerSteps
        self.skippedSteps = skippedSteps
        self.consecutiveSkippedSteps = consecutiveSkippedSteps
        self.dropoutGenerators = dropoutGenerators
        self.dataPositions = dataPositions
        self.configuration = configuration
    }

    /// A generator state's words in order.
    static func words(_ state: (UInt64, UInt64, UInt64, UInt64)) -> [UInt64] { [state.0, state.1, state.2, state.3] }

    /// A generator state written as hexadecimal words, read at the scanner's cursor.
    private static func generator(_ scanner: inout JSONScanner) throws -> [UInt64] {
        try scanner.strings().map { word in
            guard let value = UInt64(word, radix: 16) else {
                throw JSONScanner.Malformed("dropout generator word \"\(word)\" is not hexadecimal")
            }
            return value
        }
    }
}
