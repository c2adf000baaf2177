import Distributed
import Support
import Yams

/// Everything a pre-training run is told: the model, the data, the optimisation recipe and
/// how the run is kept (checkpoints, logs).
///
/// A configuration is resolved in layers, later ones winning: a built-in recipe
/// (`PretrainingRecipe`), then YAML files in order, then the command line. Each layer may set
/// any of `keys`; the recipe is the one a layer names with `preset`, else the one for the
/// resolved `phase` and `character_bert`. `yaml` writes the resolved configuration back in
/// the same keys, so a saved configuration reads as a file.
public struct PretrainingConfiguration: Sendable, Equatable {
    /// The optimizers a run can use.
    public enum OptimizerKind: String, Sendable, CaseIterable {
        /// apex's FusedLAMB (NVIDIA's BERT recipe).
        case lamb
        /// torch.optim.AdamW.
        case adamw
    }

    /// The learning-rate schedules a run can use.
    public enum ScheduleKind: String, Sendable, CaseIterable {
        /// NVIDIA's PolyWarmUp: linear warm-up, then (1 − progress)^0.5.
        case poly
        /// Google's: linear warm-up, then linear decay to 0.
        case linear
        /// Linear warm-up, then constant.
        case constant
    }

    /// The recipe the lower layer came from (`PretrainingRecipe.all`).
    public var preset = "bert-base-phase1"
    /// A model preset (tiny, mini, small, medium, base, large) or a model configuration file.
    public var model = "base"
    /// CharacterBERT (the character CNN) instead of BERT's word embeddings.
    public var characterBERT = false
    /// Next-sentence prediction; false trains MLM only.
    public var nextSentencePrediction = true
    /// The directory of training HDF5 shards.
    public var data: String?
    /// The directory of validation HDF5 shards; none skips validation.
    public var validationData: String?
    /// Where checkpoints, logs, TensorBoard files and the configuration go.
    public var runDirectory: String?
    /// 1 (sequences of 128) or 2 (sequences of 512, started from phase 1's last checkpoint).
    public var phase = 1
    /// Tokens per sequence; the data must have been made for it.
    public var sequenceLength = 128
    /// Masked slots per sequence; files with fewer are padded up to it.
    public var maxPredictions = 20
    /// LAMB or AdamW.
    public var optimizer = OptimizerKind.lamb
    /// The peak learning rate.
    public var learningRate: Float = 6e-3
    /// The learning-rate schedule.
    public var schedule = ScheduleKind.poly
    /// The share of `maxSteps` spent warming up.
    public var warmupProportion: Float = 0.2843
    /// Optimizer steps in this phase.
    public var maxSteps = 7038
    /// Sequences per optimizer step (NVIDIA's `train_batch_size`).
    public var targetBatchSize = 8192
    /// Micro-batches per optimizer step: each holds targetBatchSize / accumulationSteps sequences.
    public var accumulationSteps = 128
    /// Decoupled weight decay, except for biases and LayerNorm parameters.
    public var weightDecay: Float = 0.01
    /// The global gradient norm above which gradients are scaled down to it.
    public var maxGradientNorm: Float = 1
    /// Adam's β₁.
    public var beta1: Float = 0.9
    /// Adam's β₂.
    public var beta2: Float = 0.999
    /// Adam's ε.
    public var epsilon: Float = 1e-6
    /// Optimizer steps between checkpoints (and validations).
    public var checkpointInterval = 200
    /// The number of newest checkpoints kept.
    public var keepCheckpoints = 3
    /// Optimizer steps between log lines when standard error is not a terminal.
    public var logInterval = 10
    /// The seed of the initial weights, the data order and dropout.
    public var seed = 42
    /// Worker threads (0: one per processor).
    public var threads = 0
    /// A checkpoint (or a run directory, its newest) to start from instead of random weights.
    public var initCheckpoint: String?
    /// Steps with a non-finite loss or gradient in a row after which the run stops.
    public var maxSkippedSteps = 5
    /// Sequences per validation batch (0: the micro-batch size).
    public var validationBatchSize = 0
    /// The format gradients are summed over the processes in (data parallel only).
    public var allReduceDType = ReductionPrecision.fp32

    public init() {}

    /// Sequences per forward and backward pass.
    public var microBatchSize: Int { targetBatchSize / accumulationSteps }

    /// What is wrong with the values, in words; empty when they can be used.
    public var problems: [String] {
        var problems: [String] = []
        func require(_ condition: Bool, _ problem: @autoclosure () -> String) {
            if !condition { problems.append(problem()) }
        }
        require(phase == 1 || phase == 2, "phase must be 1 or 2, not \(phase)")
        require(sequenceLength >= 2, "max_seq_length must be at least 2, not \(sequenceLength)")
        require(maxPredictions >= 1, "max_predictions_per_seq must be at least 1, not \(maxPredictions)")
        require(learningRate > 0 && learningRate.isFinite, "learning_rate must be positive, not \(learningRate)")
        require((0...1).contains(warmupProportion), "warmup_proportion must be between 0 and 1, not \(warmupProportion)")
        require(maxSteps >= 1, "max_steps must be at least 1, not \(maxSteps)")
        require(accumulationSteps >= 1, "accumulation_steps must be at least 1, not \(accumulationSteps)")
        require(targetBatchSize >= 1, "target_batch_size must be at least 1, not \(targetBatchSize)")
        if accumulationSteps >= 1 {
            require(targetBatchSize % accumulationSteps == 0,
                    "target_batch_size \(targetBatchSize) is not a multiple of accumulation_steps \(accumulationSteps)")
        }
        require(weightDecay >= 0, "weight_decay must not be negative, not \(weightDecay)")
        require(maxGradientNorm > 0, "max_grad_norm must be positive, not \(maxGradientNorm)")
        require((0..<1).contains(beta1) && (0..<1).contains(beta2), "adam_beta1 and adam_beta2 must be in [0, 1)")
        require(epsilon > 0, "adam_epsilon must be positive, not \(epsilon)")
        require(checkpointInterval >= 1, "checkpoint_interval must be at least 1, not \(checkpointInterval)")
        require(keepCheckpoints >= 1, "keep_checkpoints must be at least 1, not \(keepCheckpoints)")
        require(logInterval >= 1, "log_interval must be at least 1, not \(logInterval)")
        require(threads >= 0, "threads must not be negative, not \(threads)")
        require(maxSkippedSteps >= 1, "max_skipped_steps must be at least 1, not \(maxSkippedSteps)")
        require(validationBatchSize >= 0, "validation_batch_size must not be negative, not \(validationBatchSize)")
        return problems
    }

    /// The learning rate of each step of this phase.
    public var learningRateSchedule: LearningRateSchedule {
        switch schedule {
        case .poly:
            return PolyWarmUp(baseRate: learningRate, warmup: warmupProportion, totalSteps: maxSteps)
        case .linear:
            return LinearWarmUpDecay(baseRate: learningRate, warmupSteps: warmupSteps, totalSteps: maxSteps)
        case .constant:
            return ConstantWithWarmUp(baseRate: learningRate, warmupSteps: warmupSteps)
        }
    }

    /// The warm-up in steps, for the schedules counted in steps.
    private var warmupSteps: Int { Int((Double(warmupProportion) * Double(maxSteps)).rounded()) }

    /// The optimizer the configuration names, with its hyperparameters.
    public func makeOptimizer() -> Optimizer {
        let hyperparameters = AdamHyperparameters(beta1: Double(beta1), beta2: Double(beta2), epsilon: epsilon,
                                                  weightDecay: weightDecay)
        switch optimizer {
        case .lamb: return LAMB(hyperparameters)
        case .adamw: return AdamW(hyperparameters)
        }
    }
}

extension PretrainingConfiguration {
    /// A value given on the command line for one of `keys`.
    public enum Value: Sendable {
        case string(String)
        case integer(Int)
        case number(Double)
        case bool(Bool)

        /// The value as a YAML scalar.
        var yaml: String {
            switch self {
            case .string(let text): return JSONObjectWriter.quoted(text)
            case .integer(let value): return String(value)
            case .number(let value): return String(value)
            case .bool(let value): return String(value)
            }
        }
    }

    /// The configuration of `files` (read in order) over the recipe they select, with
    /// `commandLine` (key → value) over both.
    /// - Throws: `BERTKitError` naming the file (or "command line"), the line and the key for
    ///   an unknown key (with the closest valid one), a value of the wrong type, or values
    ///   that cannot be used together.
    public static func resolve(files: [String], commandLine: [(key: String, value: Value)]) throws -> Self {
        var layers: [(node: Node, reader: ConfigurationReader)] = []
        for file in files {
            let text = String(decoding: try FileChunkReader.contents(of: file), as: UTF8.self)
            guard let node = try ConfigurationReader.document(text, file: file) else { continue }
            layers.append((node, ConfigurationReader(file: file, prefix: "")))
        }
        if !commandLine.isEmpty {
            let text = commandLine.map { "\($0.key): \($0.value.yaml)" }.joined(separator: "\n")
            if let node = try ConfigurationReader.document(text, file: "command line") {
                layers.append((node, ConfigurationReader(file: "command line", prefix: "")))
            }
        }
        func applyLayers(to configuration: inout Self) throws {
            for (node, reader) in layers {
                try reader.apply(node, keys, to: &configuration, what: "a pre-training configuration")
            }
        }
        var probe = Self()
        probe.preset = ""
        try applyLayers(to: &probe)
        let recipe: PretrainingRecipe
        if probe.preset.isEmpty {
            recipe = PretrainingRecipe.recipe(characterBERT: probe.characterBERT, phase: probe.phase)
        } else if let named = PretrainingRecipe.all.first(where: { $0.name == probe.preset }) {
            recipe = named
        } else {
            let names = PretrainingRecipe.all.map(\.name)
            let closest = EditDistance.closest(to: probe.preset, among: names).map { "; the closest is '\($0)'" } ?? ""
            throw BERTKitError("unknown preset '\(probe.preset)' (presets: \(names.joined(separator: ", ")))\(closest)")
        }
        var configuration = recipe.configuration
        try applyLayers(to: &configuration)
        configuration.preset = recipe.name
        let problems = configuration.problems
        guard problems.isEmpty else {
            throw BERTKitError("pre-training configuration: " + problems.joined(separator: "; "))
        }
        return configuration
    }

    /// The configuration as YAML, one line per key in `keys`' order (keys without a value
    /// left out), which `resolve` reads back to an equal configuration.
    public var yaml: String {
        var lines: [String] = []
        func line(_ key: String, _ value: Value?) {
            if let value { lines.append("\(key): \(value.yaml)") }
        }
        /// A float as its shortest decimal (0.001, not 0.0010000000474974513).
        func number(_ value: Float) -> Value { .number(Double("\(value)") ?? Double(value)) }
        line("preset", .string(preset))
        line("model", .string(model))
        line("character_bert", .bool(characterBERT))
        line("next_sentence_prediction", .bool(nextSentencePrediction))
        line("data", data.map(Value.string))
        line("validation_data", validationData.map(Value.string))
        line("run_dir", runDirectory.map(Value.string))
        line("phase", .integer(phase))
        line("max_seq_length", .integer(sequenceLength))
        line("max_predictions_per_seq", .integer(maxPredictions))
        line("optimizer", .string(optimizer.rawValue))
        line("learning_rate", number(learningRate))
        line("schedule", .string(schedule.rawValue))
        line("warmup_proportion", number(warmupProportion))
        line("max_steps", .integer(maxSteps))
        line("target_batch_size", .integer(targetBatchSize))
        line("accumulation_steps", .integer(accumulationSteps))
        line("weight_decay", number(weightDecay))
        line("max_grad_norm", number(maxGradientNorm))
        line("adam_beta1", number(beta1))
        line("adam_beta2", number(beta2))
        line("adam_epsilon", number(epsilon))
        line("checkpoint_interval", .integer(checkpointInterval))
        line("keep_checkpoints", .integer(keepCheckpoints))
        line("log_interval", .integer(logInterval))
        line("seed", .integer(seed))
        line("threads", .integer(threads))
        line("init_checkpoint", initCheckpoint.map(Value.string))
        line("max_skipped_steps", .integer(maxSkippedSteps))
        line("validation_batch_size", .integer(validationBatchSize))
        line("allreduce_dtype", .string(allReduceDType.rawValue))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The keys a layer may set.
    static let keys: [ConfigurationKey<Self>] = [
        .value("preset", \.preset, ConfigurationReader.string),
        .value("model", \.model, ConfigurationReader.string),
        .value("character_bert", \.characterBERT, ConfigurationReader.bool),
        .value("next_sentence_prediction", \.nextSentencePrediction, ConfigurationReader.bool),
        .value("data", \.data, ConfigurationReader.optionalString),
        .value("validation_data", \.validationData, ConfigurationReader.optionalString),
        .value("run_dir", \.runDirectory, ConfigurationReader.optionalString),
        .value("phase", \.phase, ConfigurationReader.integer),
        .value("max_seq_length", \.sequenceLength, ConfigurationReader.integer),
        .value("max_predictions_per_seq", \.maxPredictions, ConfigurationReader.integer),
        .value("optimizer", \.optimizer, ConfigurationReader.choice),
        .value("learning_rate", \.learningRate, ConfigurationReader.number),
        .value("schedule", \.schedule, ConfigurationReader.choice),
        .value("warmup_proportion", \.warmupProportion, ConfigurationReader.number),
        .value("max_steps", \.maxSteps, ConfigurationReader.integer),
        .value("target_batch_size", \.targetBatchSize, ConfigurationReader.integer),
        .value("accumulation_steps", \.accumulationSteps, ConfigurationReader.integer),
        .value("weight_decay", \.weightDecay, ConfigurationReader.number),
        .value("max_grad_norm", \.maxGradientNorm, ConfigurationReader.number),
        .value("adam_beta1", \.beta1, ConfigurationReader.number),
        .value("adam_beta2", \.beta2, ConfigurationReader.number),
        .value("adam_epsilon", \.epsilon, ConfigurationReader.number),
        .value("checkpoint_interval", \.checkpointInterval, ConfigurationReader.integer),
        .value("keep_checkpoints", \.keepCheckpoints, ConfigurationReader.integer),
        .value("log_interval", \.logInterval, ConfigurationReader.integer),
        .value("seed", \.seed, ConfigurationReader.integer),
        .value("threads", \.threads, ConfigurationReader.integer),
        .value("init_checkpoint", \.initCheckpoint, ConfigurationReader.optionalString),
        .value("max_skipped_steps", \.maxSkippedSteps, ConfigurationReader.integer),
        .value("validation_batch_size", \.validationBatchSize, ConfigurationReader.integer),
        .value("allreduce_dtype", \.allReduceDType, ConfigurationReader.choice),
    ]
}
