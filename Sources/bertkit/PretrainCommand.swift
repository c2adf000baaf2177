import ArgumentParser
import Distributed
import Support
import Tensor
import Training
#if canImport(Glibc)
import Glibc
#endif

struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pre-train BERT or CharacterBERT on HDF5 pre-training data, with checkpoints and exact resume.",
        discussion: """
            The configuration is resolved in layers, later ones winning: a built-in recipe
            (--preset; by default NVIDIA's BERT-base phase 1 or 2, or CharacterBERT's, after
            --phase and --character-bert), then the --config YAML files in order, then the
            flags. It is printed at the start and saved as <run-dir>/config.yaml; every key
            of that file can go in a --config file.

            Each step reads --accumulation-steps micro-batches of target/accumulation
            sequences, averages the MLM loss over all the step's masked tokens and the NSP
            loss over its sentences, clips the global gradient norm and takes one LAMB (or
            AdamW) step. Every --checkpoint-interval steps the validation data is evaluated
            (MLM and NSP loss and accuracy) and <run-dir>/checkpoints/step_<n>/ written:
            model.safetensors (Hugging Face names), optimizer.safetensors, state.json, and
            model.json, vocab.txt (the data's) and tokenizer_config.json for `export hf`;
            the last keep_checkpoints are kept. The log goes to <run-dir>/log.txt, TensorBoard
            event files to <run-dir>/tensorboard.

            --resume continues from the newest checkpoint, repeating the uninterrupted run
            exactly (same thread count, on the CPU; on a GPU the embeddings' gradients are summed
            by atomic adds in no fixed order, so only closely); the run directory's config.yaml
            is then the first file layer. SIGINT or SIGTERM ends the current step, writes a
            checkpoint and exits with 128 + the signal's number. Phase 2 in a run directory
            holding phase 1's checkpoints starts from the newest of them, as NVIDIA's trainer
            does: weights and Adam moments kept, step count and schedule restarted.
            --init-checkpoint starts from another run's weights; when its vocabulary differs
            from the data's, the rows of the tokens both share are kept and the others start
            fresh, and the log says how many of each.

            Data parallel: `mpirun -np N bertkit pretrain …` (or `srun` under SLURM)
            runs N processes, each reading its own files (rank r the file (f·N + r)
            mod n at file step f, NVIDIA's order) and summing the gradients of every
            step over all of them (MPI all-reduce), so a step is that of one process
            with N times the accumulation steps. --target-batch-size is per process,
            and each process takes its share of its machine's cores unless --threads
            says otherwise. Rank 0 alone writes the run directory (shared by all) and
            prints; an error in any process ends them all. --resume with as many
            processes continues exactly; with another number, at the start of the
            next epoch.

            --device cpu|cuda picks where the model trains (default: the first CUDA GPU when
            its driver, cuBLASLt and NVRTC load, else the CPU); `bertkit selftest --device cuda`
            checks a GPU first.

            Examples:
              bertkit pretrain --model tiny --data hdf5/128_20 --validation-data hdf5/val \\
                  --run-dir runs/tiny --target-batch-size 32 --accumulation-steps 1 \\
                  --max-steps 1000 --learning-rate 1e-3
              bertkit pretrain --run-dir runs/tiny --resume
              bertkit pretrain --phase 2 --data hdf5/512_80 --run-dir runs/base
              mpirun -np 2 bertkit pretrain --model tiny --data hdf5/128_20 \\
                  --run-dir runs/dp
            """)

    @Option(parsing: .upToNextOption, help: "YAML configuration files, later ones winning over earlier ones.")
    var config: [String] = []

    @Option(help: "A built-in recipe: \(PretrainingRecipe.all.map(\.name).joined(separator: ", ")).")
    var preset: String?

    @Option(help: "A model preset (tiny, mini, small, medium, base, large) or a model configuration file.")
    var model: String?

    @Flag(help: "CharacterBERT: the character CNN in place of the word embeddings.")
    var characterBert = false

    @Flag(help: "Train the MLM head only (no next-sentence prediction).")
    var mlmOnly = false

    @Option(help: "The directory of training HDF5 files.")
    var data: String?

    @Option(help: "The directory of validation HDF5 files.")
    var validationData: String?

    @Option(help: "The run directory: checkpoints, log, TensorBoard files, configuration.")
    var runDir: String?

    @Option(help: "1 (sequences of 128, 20 masked) or 2 (512, 80).")
    var phase: Int?

    @Option(help: "Tokens per sequence (the data's).")
    var maxSeqLength: Int?

    @Option(help: "Masked slots per sequence.")
    var maxPredictionsPerSeq: Int?

    @Option(help: "Optimizer steps of this phase.")
    var maxSteps: Int?

    @Option(help: "Steps between checkpoints and validations.")
    var checkpointInterval: Int?

    @Option(help: "lamb or adamw.")
    var optimizer: String?

    @Option(help: "The peak learning rate.")
    var learningRate: Double?

    @Option(help: "Sequences per optimizer step.")
    var targetBatchSize: Int?

    @Option(help: "Micro-batches per optimizer step.")
    var accumulationSteps: Int?

    @Option(help: "The seed of the weights, the data order and dropout.")
    var seed: Int?

    @Flag(help: "Continue from the run directory's newest checkpoint.")
    var resume = false

    @Option(help: "Start from this checkpoint (or a run directory's newest) instead of random weights.")
    var initCheckpoint: String?

    @Option(help: "Worker threads (default: the machine's cores, divided among its processes under mpirun).")
    var threads: Int?

    @OptionGroup var deviceOptions: DeviceOptions

    @OptionGroup var progressOptions: ProgressOptions

    /// The flags given, as configuration keys.
    private var commandLine: [(key: String, value: PretrainingConfiguration.Value)] {
        var values: [(String, PretrainingConfiguration.Value?)] = [
            ("preset", preset.map { .string($0) }), ("model", model.map { .string($0) }),
            ("data", data.map { .string($0) }), ("validation_data", validationData.map { .string($0) }),
            ("run_dir", runDir.map { .string($0) }), ("phase", phase.map { .integer($0) }),
            ("max_seq_length", maxSeqLength.map { .integer($0) }),
            ("max_predictions_per_seq", maxPredictionsPerSeq.map { .integer($0) }),
            ("max_steps", maxSteps.map { .integer($0) }), ("checkpoint_interval", checkpointInterval.map { .integer($0) }),
            ("optimizer", optimizer.map { .string($0) }), ("learning_rate", learningRate.map { .number($0) }),
            ("target_batch_size", targetBatchSize.map { .integer($0) }),
            ("accumulation_steps", accumulationSteps.map { .integer($0) }), ("seed", seed.map { .integer($0) }),
            ("init_checkpoint", initCheckpoint.map { .string($0) }), ("threads", threads.map { .integer($0) }),
        ]
        if characterBert { values.append(("character_bert", .bool(true))) }
        if mlmOnly { values.append(("next_sentence_prediction", .bool(false))) }
        return values.compactMap { key, value in value.map { (key, $0) } }
    }

    func run() throws {
        let communicator = try CommandErrors.communicator()
        var stoppedBy: Int32?
        try CommandErrors.report(communicator) {
            var files = config
            if resume, let runDir, FileSystem.exists(runDir + "/config.yaml") { files.insert(runDir + "/config.yaml", at: 0) }
            let configuration = try PretrainingConfiguration.resolve(files: files, commandLine: commandLine)
            let threads = configuration.threads > 0 ? configuration.threads : communicator.threadsPerProcess
            SignalFlag.install()
            let backend = try deviceOptions.makeBackend(threads: threads, ordinal: communicator.localRank)
            let trainer = try Pretrainer(configuration: configuration, backend: backend, resume: resume,
                                         progress: progressOptions.reporter(), communicator: communicator)
            let summary = try trainer.run(stopRequested: { SignalFlag.received })
            stoppedBy = summary.stoppedBy
            guard communicator.rank == 0 else { return }
            var fields = ["steps=\(summary.steps)", "step=\(summary.lastStep)/\(configuration.maxSteps)"]
            if let loss = summary.lastLoss { fields.append("loss=\(Formatting.fixed(Double(loss), 4))") }
            if let validation = summary.validation {
                fields.append("validation_mlm_loss=\(Formatting.fixed(validation.maskedLanguageModelLoss, 4))")
                fields.append("validation_mlm_accuracy=\(Formatting.fixed(validation.maskedLanguageModelAccuracy, 4))")
            }
            if let checkpoint = summary.checkpoint { fields.append("checkpoint=\(checkpoint)") }
            fields += DeviceOptions.fields(backend).map { "\($0.0)=\($0.1)" }
            if let rate = summary.tokensPerSecond { fields.append("tokens/s=\(Formatting.fixed(rate, 1))") }
            print("pretrain " + fields.joined(separator: " "))
        }
        communicator.finalize()
        if let stoppedBy { throw ExitCode(128 + stoppedBy) }
    }
}
