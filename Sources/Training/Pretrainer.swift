import Distributed
import Model
import PretrainingData
import Support
import Tensor

/// A pre-training run: the model, its optimizer and schedule, the data, and the run
/// directory that keeps checkpoints, the log, TensorBoard files and the configuration.
///
/// Where a run starts (`init`):
/// - with `resume`, from the newest checkpoint of the run directory: the same phase
///   continues exactly where it stopped (weights, optimizer, step, dropout generator, data
///   position), and a phase-1 checkpoint under a phase-2 configuration starts phase 2;
/// - for phase 2 in a run directory holding phase-1 checkpoints, from the newest of them;
/// - from `init_checkpoint` (a checkpoint or a run directory, its newest), whose pooler and
///   next-sentence head may be missing (they start fresh) or unused (an MLM-only run), and
///   whose vocabulary (the checkpoint's vocab.txt) may differ from the data's: then the rows
///   of the tokens both share are kept and the others start fresh (`WeightTransfer`);
/// - otherwise from random weights.
///
/// Every checkpoint carries, besides the weights, what using the model elsewhere needs
/// (`ModelDescription`): model.json, the data's vocabulary and tokenizer settings.
///
/// Phase 2 starts as NVIDIA's trainer does: phase 1's weights and Adam moments, the
/// optimizer's step count and the schedule back at 0, its own data and sequence length, and
/// checkpoints numbered after phase 1's.
///
/// A step (`run`) reads accumulation_steps micro-batches, weighs each one's mean losses by
/// its share of the step's masked tokens and sentences (`LossWeights`), sums their
/// gradients, clips the global norm and takes one optimizer step. A step whose loss or
/// gradient norm is not finite is skipped and counted; after max_skipped_steps in a row the
/// run stops. Every checkpoint_interval steps, and at the last, the validation data is
/// evaluated and a checkpoint written, unless that step was skipped: a checkpoint always
/// follows a finite step.
///
/// Data parallel (`communicator` with W > 1 processes, started by `mpirun` or `srun`): every
/// process holds the whole model, starts from the same weights and reads its own files
/// (NVIDIA's order: rank r reads file (f·W + r) mod n at file step f). A step's micro-batches
/// are weighted by their shares of the masked tokens and sentences of the whole step over
/// all processes (the counts are summed first), so that summing the gradients over the
/// processes (one all-reduce of the flat gradient buffer, before clipping) gives exactly the
/// gradient of one process running W × accumulation_steps micro-batches (in fp32; with
/// `allreduce_dtype: bf16` the gradients travel and are summed in bfloat16); the losses logged
/// are the whole step's, and every process takes the same decisions (clipping, skipping,
/// stopping on a signal any of them received). `target_batch_size` is per process, as
/// NVIDIA's `train_batch_size` is per GPU: a step trains on W times as many sequences.
/// Validation splits the validation files between the processes and sums their metrics.
/// Rank 0 alone writes config.yaml, log.txt, TensorBoard files and checkpoints, and reports
/// progress; the run directory must be on a file system every process sees. A checkpoint
/// keeps every process's data position; resumed by as many processes, the run continues
/// exactly; resumed by another number, it continues at the start of the epoch after the
/// furthest one any process had reached (the order of files depends on W). Rank 0's dropout
/// generator is a single process's; every other rank's is seeded apart from it, and a
/// checkpoint keeps each one.
public final class Pretrainer {
    /// The resolved configuration.
    public let configuration: PretrainingConfiguration
    /// The model trained.
    public let model: BertForPreTraining
    /// The run directory.
    public let runDirectory: String
    private let optimizer: Optimizer
    private let schedule: LearningRateSchedule
    private let clipping: GradientClipping
    private let loader: PretrainingDataLoader
    private let validationLoader: PretrainingDataLoader?
    private let checkpoints: CheckpointStore
    /// What each checkpoint carries besides the weights: model.json, the vocabulary, the
    /// tokenizer settings.
    private let modelDescription: ModelDescription
    /// The TensorBoard files; nil in the processes after rank 0.
    private let tensorBoard: TensorBoardWriter?
    private let log: RunLog
    /// The processes training together.
    private let communicator: any Communicator
    private var state: TrainingState
    private var lastCheckpoint: Checkpoint?

    /// What a call of `run` did.
    public struct Summary: Sendable {
        /// Why it returned: nil when every step is done, else the signal that stopped it.
        public var stoppedBy: Int32?
        /// The steps it ran.
        public var steps: Int
        /// The phase's step it ended at.
        public var lastStep: Int
        /// The loss of its last step.
        public var lastLoss: Float?
        /// Tokens (padding included) per second of its steps after the first (which allocates
        /// the activations and the optimizer's buffers), nil below two steps.
        public var tokensPerSecond: Double?
        /// The newest checkpoint.
        public var checkpoint: String?
        /// The last validation's metrics.
        public var validation: ValidationMetrics?
    }

    /// Sets the run up as the type's summary describes, on `backend`, reporting to
    /// `progress` and `<run-dir>/log.txt`, as one of `communicator`'s processes.
    /// - Throws: `BERTKitError` for a missing run directory or data, data that does not fit
    ///   the model, a run directory that already holds checkpoints without `resume`, a
    ///   checkpoint that cannot be read (naming an older one when there is one), or processes
    ///   that see different checkpoints.
    public init(configuration: PretrainingConfiguration, backend: Backend, resume: Bool, progress: ProgressReporter,
                communicator: any Communicator = SingleProcessCommunicator()) throws {
        guard let runDirectory = configuration.runDirectory else {
            throw BERTKitError("pre-training needs a run directory for its checkpoints and logs: give --run-dir or run_dir")
        }
        guard let data = configuration.data else {
            throw BERTKitError("pre-training needs training data: give --data (or data) a directory of HDF5 files")
        }
        // MPI sums host memory; a GPU's gradients would need NCCL, which is not there yet.
        guard !communicator.isDistributed || backend is CPUBackend else {
            throw BERTKitError("data-parallel training over several processes runs on the CPU only for now (--device cpu): "
                               + "summing GPU gradients needs NCCL, which BERTKit does not use yet")
        }
        let checkpoints = CheckpointStore(runDirectory: runDirectory, backend: backend, keep: configuration.keepCheckpoints)
        let start = try Self.start(configuration, checkpoints: checkpoints, resume: resume)
        let startPath = start.checkpoint?.path ?? ""
        let rootStartPath = try communicator.broadcast(startPath, from: 0)
        guard rootStartPath == startPath else {
            throw BERTKitError(file: runDirectory, "rank 0 starts from '\(rootStartPath)' but rank \(communicator.rank) from "
                               + "'\(startPath)': every process must see the same run directory (a shared file system)")
        }

        let firstFile = try PretrainingFile(path: try PretrainingDataLoader.filePaths(in: data, split: .training)[0])
        var modelConfiguration = try ModelConfigurationFile.resolve(model: configuration.model,
                                                                    characterBERT: configuration.characterBERT)
        var notes: [String] = []
        // Data of the other kind (WordPiece ids for a CharacterBERT) is the loader's error to report.
        if (firstFile.layout == .characterBERT) == modelConfiguration.isCharacterBERT,
           let vocabularySize = firstFile.integerAttribute("vocab_size") {
            if BertConfiguration.preset(configuration.model) != nil {
                modelConfiguration.vocabularySize = vocabularySize
            } else if vocabularySize > modelConfiguration.vocabularySize {
                throw BERTKitError(file: firstFile.path, "its labels come from a vocabulary of \(vocabularySize) tokens, more "
                                   + "than the \(modelConfiguration.vocabularySize) of the model \(configuration.model)")
            }
        }
        modelConfiguration.nextSentencePrediction = configuration.nextSentencePrediction
        if configuration.nextSentencePrediction && firstFile.nspMeaning == .none {
            modelConfiguration.nextSentencePrediction = false
            notes.append("the data has no next-sentence labels: training the MLM head only")
        }
        guard configuration.sequenceLength <= modelConfiguration.maxPositions else {
            throw BERTKitError("max_seq_length \(configuration.sequenceLength) exceeds the model's "
                               + "\(modelConfiguration.maxPositions) position embeddings")
        }
        let (modelDescription, vocabularyProblem) = ModelDescription.fromData(firstFile, configuration: modelConfiguration)
        var warnings = vocabularyProblem.map { ["checkpoints will carry no vocabulary: \($0)"] } ?? []

        let model = try BertForPreTraining(configuration: modelConfiguration, backend: backend,
                                           seed: UInt64(truncatingIfNeeded: configuration.seed))
        let optimizer = configuration.makeOptimizer()
        let worldSize = communicator.worldSize
        var state = TrainingState(phase: configuration.phase, step: 0, globalStep: 0, optimizerSteps: 0, skippedSteps: 0,
                                  consecutiveSkippedSteps: 0,
                                  dropoutGenerators: (0..<worldSize).map { Self.dropoutGenerator(model.dropoutGenerator.state, rank: $0) },
                                  dataPositions: Array(repeating: DataPosition(), count: communicator.worldSize),
                                  configuration: configuration.yaml)
        switch start {
        case .fresh:
            break
        case .resume(let checkpoint):
            let text = try checkpoints.read(checkpoint, model: model.parameters.namedValues,
                                            optimizer: optimizer.state.tensors(for: model.parameters))
            state = try TrainingState(json: text, file: checkpoint.statePath)
            state.configuration = configuration.yaml
            optimizer.state.stepCount = state.optimizerSteps
            notes.append("resuming phase \(state.phase) at step \(state.step) from \(checkpoint.path)")
            if state.dataPositions.count != communicator.worldSize {
                let epoch = state.dataPositions.map(\.epoch).max()! + 1
                notes.append("the checkpoint was written by \(state.dataPositions.count) process(es), this run has "
                             + "\(communicator.worldSize): the order of files depends on their number, so the data starts "
                             + "afresh at epoch \(epoch)")
                state.dataPositions = Array(repeating: DataPosition(epoch: epoch), count: worldSize)
                state.dropoutGenerators = (0..<worldSize).map { Self.dropoutGenerator(state.dropoutGenerators[0], rank: $0) }
            }
        case .initialize(let checkpoint, let withMoments):
            var transfer = WeightTransfer(adaptsHeads: true, vocabulary: nil)
            if FileSystem.exists(checkpoint.path + "/" + ModelDescription.configurationFileName),
               let old = try ModelDescription(directory: checkpoint.path).vocabulary, let new = modelDescription.vocabulary,
               old != new {
                transfer.vocabulary = VocabularyTransfer(from: old, to: new)
            }
            let moments = withMoments && transfer.vocabulary == nil
            let (text, transferNotes) = try checkpoints.read(
                checkpoint, model: model.parameters.namedValues,
                optimizer: moments ? optimizer.state.tensors(for: model.parameters) : nil, transfer: transfer)
            if let previous = try? TrainingState(json: text, file: checkpoint.statePath) {
                state.globalStep = previous.globalStep
            }
            notes.append("starting phase \(configuration.phase) from \(checkpoint.path)"
                         + (moments ? " (weights and Adam moments; step count and schedule restarted)" : " (weights)"))
            if withMoments && !moments { notes.append("Adam moments start at zero: the vocabulary changed") }
            notes += transferNotes
        }

        model.dropoutGenerator.state = state.dropoutGenerators[communicator.rank]
        let seed = UInt64(truncatingIfNeeded: configuration.seed)
        loader = try PretrainingDataLoader(directory: data, split: .training, configuration: modelConfiguration,
                                           sequenceLength: configuration.sequenceLength,
                                           maxPredictions: configuration.maxPredictions, seed: seed,
                                           rank: communicator.rank, worldSize: communicator.worldSize,
                                           position: state.dataPositions[communicator.rank])
        if loader.paths.count % communicator.worldSize != 0 {
            warnings.append("\(loader.paths.count) training files for \(communicator.worldSize) processes: the processes' "
                            + "passes over the files overlap (some files come round again before others are read once); "
                            + "with a file count that is a multiple of the process count, they read every file once "
                            + "before any file again")
        }
        validationLoader = try configuration.validationData.map {
            try PretrainingDataLoader(directory: $0, split: .validation, configuration: modelConfiguration,
                                      sequenceLength: configuration.sequenceLength,
                                      maxPredictions: configuration.maxPredictions, seed: seed)
        }
        if communicator.rank == 0 {
            try FileSystem.createDirectory(runDirectory)
            let configurationFile = try OutputFile(path: runDirectory + "/config.yaml", overwrite: true)
            try configurationFile.write(configuration.yaml)
            try configurationFile.commit()
            log = try RunLog(path: runDirectory + "/log.txt", progress: progress, interval: configuration.logInterval)
            tensorBoard = try TensorBoardWriter(directory: runDirectory + "/tensorboard")
        } else {
            log = try RunLog(path: nil, progress: ProgressReporter(enabled: false, warningSink: { _ in }),
                             interval: configuration.logInterval)
            tensorBoard = nil
        }
        self.communicator = communicator

        self.configuration = configuration
        self.runDirectory = runDirectory
        self.model = model
        self.optimizer = optimizer
        self.checkpoints = checkpoints
        self.modelDescription = modelDescription
        self.state = state
        schedule = configuration.learningRateSchedule
        clipping = GradientClipping(maxNorm: configuration.maxGradientNorm)
        lastCheckpoint = try checkpoints.latest
        if case .resume = start { tensorBoard?.restart(at: state.globalStep + 1) }

        let parameterCount = model.parameters.parameters.reduce(0) { $0 + $1.count }
        log.message("pretrain: configuration\n" + configuration.yaml.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        log.message("pretrain: \(modelConfiguration.isCharacterBERT ? "CharacterBERT" : "BERT") \(configuration.model), "
                    + "\(parameterCount) parameters, vocabulary \(modelConfiguration.vocabularySize); "
                    + "\(loader.paths.count) training files, \(loader.rowCount(epoch: 0)) sequences per epoch"
                    + (communicator.isDistributed ? " and process" : "") + "; batch \(configuration.targetBatchSize) = "
                    + "\(configuration.accumulationSteps) × \(configuration.microBatchSize)"
                    + (communicator.isDistributed ? " per process, \(communicator.worldSize) processes: "
                       + "\(configuration.targetBatchSize * communicator.worldSize) sequences per step" : ""))
        for note in notes { log.message("pretrain: " + note) }
        for warning in warnings { log.warning(warning) }
    }

    /// The dropout generator of process `rank`, from rank 0's `state`: rank 0's own, and for
    /// every other rank one seeded apart, so that the processes draw different masks.
    private static func dropoutGenerator(_ state: (UInt64, UInt64, UInt64, UInt64),
                                         rank: Int) -> (UInt64, UInt64, UInt64, UInt64) {
        guard rank > 0 else { return state }
        var mixer = SeededGenerator(seed: state.0 ^ state.2 ^ UInt64(rank))
        return SeededGenerator(seed: mixer.next()).state
    }

    /// Where a run starts.
    private enum Start {
        case fresh
        case resume(Checkpoint)
        case initialize(Checkpoint, withMoments: Bool)

        /// The checkpoint started from, nil for a fresh start.
        var checkpoint: Checkpoint? {
            switch self {
            case .fresh: nil
            case .resume(let checkpoint), .initialize(let checkpoint, _): checkpoint
            }
        }
    }

    /// Where a run of `configuration` starts, as the type's summary says.
    private static func start(_ configuration: PretrainingConfiguration, checkpoints: CheckpointStore,
                              resume: Bool) throws -> Start {
        if let newest = try checkpoints.latest {
            let phase = try TrainingState(json: String(decoding: try FileChunkReader.contents(of: newest.statePath),
                                                       as: UTF8.self), file: newest.statePath).phase
            if phase == configuration.phase {
                guard resume else {
                    throw BERTKitError(file: checkpoints.directory, "already holds checkpoints (the newest is \(newest.path)): "
                                       + "pass --resume to continue that run, or choose another --run-dir")
                }
                return .resume(newest)
            }
            guard phase == 1 && configuration.phase == 2 else {
                throw BERTKitError(file: newest.path, "is a phase-\(phase) checkpoint; a phase-\(configuration.phase) run "
                                   + "cannot continue it")
            }
            return .initialize(newest, withMoments: true)
        }
        if resume {
            throw BERTKitError(file: checkpoints.directory, "holds no complete checkpoint to resume from")
        }
        guard let initial = configuration.initCheckpoint else { return .fresh }
        return .initialize(try CheckpointStore.resolve(initial), withMoments: configuration.phase == 2)
    }

    /// Runs steps until max_steps, or until `stopRequested` returns a signal; then writes a
    /// checkpoint (unless the last step wrote one) and returns.
    /// - Throws: `BERTKitError` when the data cannot be read, a checkpoint cannot be written,
    ///   or too many steps in a row were not finite (naming the last good checkpoint).
    public func run(stopRequested: () -> Int32? = { nil }) throws -> Summary {
        let microBatch = configuration.microBatchSize
        let tokensPerStep = configuration.targetBatchSize * configuration.sequenceLength * communicator.worldSize
        var summary = Summary(stoppedBy: nil, steps: 0, lastStep: state.step, lastLoss: nil, tokensPerSecond: nil,
                              checkpoint: lastCheckpoint?.path, validation: nil)
        var timedSeconds = 0.0
        let runStart = MonotonicClock.now()
        while state.step < configuration.maxSteps {
            if let signal = try agreedSignal(stopRequested()) {
                summary.stoppedBy = signal
                log.message("pretrain: \(SignalFlag.name(signal)) received after step \(state.step)")
                break
            }
            let stepStart = MonotonicClock.now()
            let batches = try (0..<configuration.accumulationSteps).map { _ in try loader.next(batchSize: microBatch) }
            let loss = try accumulateGradients(batches)
            let (norm, scale) = clipping.measure(model.parameters)
            state.step += 1
            state.globalStep += 1
            let learningRate = schedule.learningRate(atStep: state.step)
            let finite = loss.total.isFinite && norm.isFinite
            if finite {
                optimizer.step(parameters: model.parameters, learningRate: learningRate, gradientScale: scale)
                state.consecutiveSkippedSteps = 0
            } else {
                state.skippedSteps += 1
                state.consecutiveSkippedSteps += 1
                log.warning("step \(state.step): loss \(loss.total), gradient norm \(norm): not finite, step skipped "
                            + "(\(state.consecutiveSkippedSteps) in a row)")
            }
            let seconds = MonotonicClock.now() - stepStart
            if summary.steps > 0 { timedSeconds += seconds }
            summary.steps += 1
            summary.lastLoss = loss.total
            report(loss, norm: norm, learningRate: learningRate, seconds: seconds, skipped: !finite,
                   elapsed: MonotonicClock.now() - runStart, stepsDone: summary.steps)
            if state.consecutiveSkippedSteps >= configuration.maxSkippedSteps {
                try? tensorBoard?.flush()
                throw BERTKitError("\(state.consecutiveSkippedSteps) steps in a row had a non-finite loss or gradient: "
                                   + "stopping at step \(state.step). "
                                   + (lastCheckpoint.map { "The last good checkpoint is \($0.path)." } ?? "No checkpoint was written.")
                                   + " Lower the learning rate or check the data.")
            }
            if state.step % configuration.checkpointInterval == 0 || state.step == configuration.maxSteps {
                if finite {
                    summary.validation = try validate() ?? summary.validation
                    summary.checkpoint = try saveCheckpoint().path
                } else {
                    log.warning("checkpoint of step \(state.step) not written: the step was not finite")
                }
            }
        }
        if summary.stoppedBy != nil, lastCheckpoint?.step != state.globalStep, state.consecutiveSkippedSteps == 0 {
            summary.checkpoint = try saveCheckpoint().path
        }
        try tensorBoard?.flush()
        summary.lastStep = state.step
        if summary.steps > 1 {
            summary.tokensPerSecond = Double(tokensPerStep * (summary.steps - 1)) / timedSeconds
        }
        return summary
    }

    /// `signal` (what this process received, if anything) when no process received one; else
    /// the signal of this process or, when it received none, of another: every process stops
    /// after the same step.
    private func agreedSignal(_ signal: Int32?) throws -> Int32? {
        guard communicator.isDistributed else { return signal }
        let sums = try communicator.allReduceSum([signal == nil ? 0 : 1, Int(signal ?? 0)])
        guard sums[0] > 0 else { return nil }
        return signal ?? Int32(sums[1] / sums[0])
    }

    /// The losses of one step, each the mean over the whole step.
    private struct StepLoss {
        var maskedLanguageModel: Float
        var nextSentence: Float?
        var total: Float { maskedLanguageModel + (nextSentence ?? 0) }
    }

    /// Zeroes the gradients, then runs forward and backward on each micro-batch with the
    /// weights that make the summed gradients those of the step's mean losses, the step being
    /// every process's micro-batches; then sums the gradients and losses over the processes.
    private func accumulateGradients(_ batches: [PretrainingInputs]) throws -> StepLoss {
        let ignored = PretrainingInputs.ignoredLabel
        let masked = batches.map { batch in batch.maskedLabels.reduce(0) { $0 + ($1 == ignored ? 0 : 1) } }
        let sentences = batches.map { batch in batch.nextSentenceLabels.reduce(0) { $0 + ($1 == ignored ? 0 : 1) } }
        let totals = try communicator.allReduceSum([masked.reduce(0, +), sentences.reduce(0, +)])
        let (totalMasked, totalSentences) = (totals[0], totals[1])
        model.parameters.zeroGradients()
        var (maskedLoss, sentenceLoss) = (Float(0), Float(0))
        for (index, batch) in batches.enumerated() {
            let weights = LossWeights(
                maskedLanguageModel: totalMasked > 0 ? Float(masked[index]) / Float(totalMasked) : 0,
                nextSentence: totalSentences > 0 ? Float(sentences[index]) / Float(totalSentences) : 0)
            let losses = try model.forward(batch, training: true, weights: weights)
            model.backward()
            maskedLoss += weights.maskedLanguageModel * losses.maskedLanguageModel
            sentenceLoss += weights.nextSentence * (losses.nextSentence ?? 0)
        }
        if communicator.isDistributed {
            let gradients = model.parameters.gradients
            try communicator.allReduceSum(UnsafeMutableBufferPointer(
                start: gradients.address.assumingMemoryBound(to: Float.self), count: gradients.count),
                precision: configuration.allReduceDType)
            let sums = try communicator.allReduceSum([Double(maskedLoss), Double(sentenceLoss)])
            (maskedLoss, sentenceLoss) = (Float(sums[0]), Float(sums[1]))
        }
        return StepLoss(maskedLanguageModel: maskedLoss, nextSentence: model.configuration.nextSentencePrediction ? sentenceLoss : nil)
    }

    /// Logs a step: the exact values in log.txt and TensorBoard, a rounded line with the ETA
    /// on the terminal.
    private func report(_ loss: StepLoss, norm: Double, learningRate: Float, seconds: Double, skipped: Bool,
                        elapsed: Double, stepsDone: Int) {
        let sequencesPerSecond = Double(configuration.targetBatchSize * communicator.worldSize) / seconds
        var scalars: [(tag: String, value: Float)] = [
            ("train/loss", loss.total), ("train/mlm_loss", loss.maskedLanguageModel),
        ]
        if let nextSentence = loss.nextSentence { scalars.append(("train/nsp_loss", nextSentence)) }
        scalars += [("train/learning_rate", learningRate), ("train/grad_norm", Float(norm)),
                    ("train/sequences_per_second", Float(sequencesPerSecond))]
        tensorBoard?.add(scalars, step: state.globalStep)
        let record = "step \(state.step) " + scalars.map { "\($0.tag.dropFirst(6))=\($0.value)" }.joined(separator: " ")
            + (skipped ? " skipped" : "")
        let remaining = Double(configuration.maxSteps - state.step) * elapsed / Double(stepsDone)
        log.step(state.step, record: record, display:
            "step \(state.step)/\(configuration.maxSteps) loss \(Formatting.fixed(Double(loss.total), 4)) "
            + "lr \(learningRate) \(Formatting.fixed(sequencesPerSecond, 1)) seq/s ETA \(Formatting.duration(remaining))")
        if state.step % configuration.logInterval == 0 { try? tensorBoard?.flush() }
    }

    /// Evaluates the validation data, logs the metrics and returns them; nil without
    /// validation data.
    private func validate() throws -> ValidationMetrics? {
        guard let validationLoader else { return nil }
        let start = MonotonicClock.now()
        let batchSize = configuration.validationBatchSize > 0 ? configuration.validationBatchSize : configuration.microBatchSize
        let metrics = try ValidationMetrics(model: model, data: validationLoader, batchSize: batchSize,
                                            communicator: communicator)
        var scalars: [(tag: String, value: Float)] = [
            ("validation/mlm_loss", Float(metrics.maskedLanguageModelLoss)),
            ("validation/mlm_accuracy", Float(metrics.maskedLanguageModelAccuracy)),
        ]
        if model.configuration.nextSentencePrediction {
            scalars += [("validation/nsp_loss", Float(metrics.nextSentenceLoss)),
                        ("validation/nsp_accuracy", Float(metrics.nextSentenceAccuracy))]
        }
        tensorBoard?.add(scalars, step: state.globalStep)
        try tensorBoard?.flush()
        log.message("validation step \(state.step) " + scalars.map { "\($0.tag.dropFirst(11))=\($0.value)" }.joined(separator: " ")
                    + " sequences=\(metrics.sentences) seconds=\(Formatting.fixed(MonotonicClock.now() - start, 1))")
        return metrics
    }

    /// Writes a checkpoint of the state after the last step, with every process's data
    /// position and dropout generator; rank 0 writes, the others return the checkpoint it
    /// writes.
    private func saveCheckpoint() throws -> Checkpoint {
        state.optimizerSteps = optimizer.state.stepCount
        let position = loader.position
        let generator = TrainingState.words(model.dropoutGenerator.state).map { Int(bitPattern: UInt($0)) }
        let gathered = try communicator.allGather([position.epoch, position.fileStep, position.row, position.rowsServed] + generator)
        state.dataPositions = gathered.map { DataPosition(epoch: $0[0], fileStep: $0[1], row: $0[2], rowsServed: $0[3]) }
        state.dropoutGenerators = gathered.map { values in
            let words = values[4...].map { UInt64(UInt(bitPattern: $0)) }
            return (words[0], words[1], words[2], words[3])
        }
        guard communicator.rank == 0 else {
            lastCheckpoint = Checkpoint(step: state.globalStep, path: checkpoints.directory + "/" + Checkpoint.name(step: state.globalStep))
            return lastCheckpoint!
        }
        var schedule = JSONObjectWriter()
        schedule.add("kind", configuration.schedule.rawValue)
        schedule.add("learning_rate", configuration.learningRate)
        schedule.add("warmup_proportion", configuration.warmupProportion)
        schedule.add("total_steps", configuration.maxSteps)
        let checkpoint = try checkpoints.write(step: state.globalStep, model: model.parameters.namedValues,
                                               optimizer: optimizer.state.tensors(for: model.parameters),
                                               state: state.json(schedule: schedule), files: modelDescription.files)
        lastCheckpoint = checkpoint
        log.message("checkpoint step \(state.step): \(checkpoint.path)")
        return checkpoint
    }
}
