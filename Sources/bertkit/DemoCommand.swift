import ArgumentParser
import Corpus
import Model
import Support
import Tensor
import Training
#if canImport(Glibc)
import Glibc
#endif

/// `bertkit demo`: the whole pipeline on the sample corpus bundled in the binary.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the pipeline on the bundled sample corpus and show what each stage did.",
        discussion: """
            Runs the stages one after the other, as the commands a user would type: extract \
            the bundled MediaWiki dump, format it into sentences (training Punkt on it), shard \
            it, learn a WordPiece vocabulary from the shards, tokenize a few validation sentences \
            with it, make phase-1 pre-training data (128 tokens, 20 predictions) from the shards \
            and inspect one file; then pre-train a tiny BERT on it for --steps steps (the \
            settings in pretrain.yaml), evaluate it on the validation files against its initial \
            weights, export it to Hugging Face's format and fill in a masked frequent word of \
            validation sentences with it. Everything is written under the output directory; \
            --steps 0 stops after the data.
            """)

    @Option(name: .shortAndLong, help: "Directory for the demo's files.")
    var output: String = "runs/demo"

    @Option(help: "Pre-training steps of the tiny BERT (0: stop after making the data).")
    var steps = 400

    @OptionGroup var threadOptions: ThreadOptions

    @Flag(help: "Reuse a non-empty output directory, overwriting the demo's files.")
    var force = false

    /// The pre-training settings written to pretrain.yaml besides the steps: sequences per
    /// step, LAMB's peak learning rate (NVIDIA's schedule: warm-up over the first 28% of the
    /// steps, then polynomial decay) and the seed of the initial weights. On the sample
    /// corpus these bring the validation MLM loss from 8.3 to its floor near 6.75 in 400 steps;
    /// 1e-2 gets there sooner, then overfits.
    private static let (batchSize, learningRate, seed) = (32, "0.005", 42)

    /// The words masked in the fill-mask sentences, among the sample corpus's most frequent.
    private static let maskedWords = ["the", "of", "and", "is"]

    func validate() throws {
        if steps < 0 { throw ValidationError("--steps must not be negative") }
    }

    func run() throws {
        try CommandErrors.report {
            if FileSystem.isDirectory(output) && !force && !FileSystem.isEmptyDirectory(output) {
                throw BERTKitError(file: output, "is not empty (use --force to overwrite the demo's files)")
            }
            try FileSystem.createDirectory(output)
            let path = { (name: String) in output + "/" + name }
            let threads = ["--threads", String(threadOptions.threads)]
            let dump = path(SampleCorpus.fileName)
            try SampleCorpus.write(to: dump, overwrite: true)
            let start = MonotonicClock.now()
            // Stage headers go where the stages' summaries go (standard error), so the two interleave.
            let say = ProgressReporter().finish
            var stages: [(String, () throws -> Void)] = [
                ("extract \(SampleCorpus.fileName) (bundled, \(Formatting.bytes(SampleCorpus.dump.count))) -> docs.jsonl", {
                    try ExtractCommand.parse([dump, "--output", path("docs.jsonl"), "--force"] + threads).run()
                }),
                ("format docs.jsonl into sentences, Punkt trained on them -> formatted.txt", {
                    try FormatCommand.parse([path("docs.jsonl"), "--output", path("formatted.txt"), "--force",
                                             "--save-punkt", path("punkt.json")] + threads).run()
                }),
                ("shard formatted.txt -> shards/ (8 training, 2 validation)", {
                    try ShardCommand.parse([path("formatted.txt"), "--output", path("shards"), "--training-shards", "8",
                                            "--validation-shards", "2", "--force"]).run()
                }),
                ("learn a 4,000-token WordPiece vocabulary from shards/ -> vocab.txt", {
                    try VocabWordPieceCommand.parse([path("shards"), "--output", path("vocab.txt"), "--vocab-size", "4000",
                                                     "--force"] + threads).run()
                }),
                ("tokenize the first sentences of shards/validation.0.txt with it", {
                    try FileSystem.writeFirstLines(of: path("shards/validation.0.txt"), count: 3, to: path("sample-sentences.txt"))
                    try TokenizeCommand.parse(["--vocab", path("vocab.txt"), "--tokens", "--quiet", path("sample-sentences.txt")]).run()
                }),
                ("make phase-1 pre-training data (128/20, NVIDIA's HDF5 layout) from shards/ -> hdf5/128_20/", {
                    try DataCreateCommand.parse([path("shards"), "--vocab", path("vocab.txt"), "--phase", "1",
                                                 "--output", path("hdf5/128_20"), "--force"] + threads).run()
                }),
                ("inspect hdf5/128_20/validation.0.hdf5 and check every invariant", {
                    try DataInspectCommand.parse([path("hdf5/128_20/validation.0.hdf5"), "--vocab", path("vocab.txt"),
                                                  "--show", "1", "--check"]).run()
                }),
            ]
            if steps > 0 {
                stages += modelStages(path: path, threads: threads, say: say)
            }
            for (index, (title, stage)) in stages.enumerated() {
                let stageStart = MonotonicClock.now()
                say("\n[\(index + 1)/\(stages.count)] \(title)")
                try stage()
                fflush(stdout)
                say("      (\(Formatting.duration(MonotonicClock.now() - stageStart)))")
            }
            say("\nThe demo ran in \(Formatting.duration(MonotonicClock.now() - start)); its files are in \(output)/.")
            if steps > 0 {
                say("TensorBoard logs: \(path("run/tensorboard")) (tensorboard --logdir \(path("run/tensorboard")))")
                say("Exported model:   \(path("hf")) (transformers: AutoModelForMaskedLM.from_pretrained(\"\(path("hf"))\"))")
            }
        }
    }

    /// The stages that pre-train, evaluate, export and use the tiny BERT.
    private func modelStages(path: @escaping (String) -> String, threads: [String],
                             say: @escaping (String) -> Void) -> [(String, () throws -> Void)] {
        let interval = max(steps / 5, 1)
        return [
            ("pre-train a tiny BERT (2 layers, hidden 128) for \(steps) steps of \(Self.batchSize) sequences, LAMB at "
             + "\(Self.learningRate), on hdf5/128_20/ (settings in pretrain.yaml) -> run/, validating every \(interval) steps", {
                let settings = [
                    "model: tiny", "data: \(path("hdf5/128_20"))", "validation_data: \(path("hdf5/128_20"))",
                    "run_dir: \(path("run"))", "max_steps: \(steps)", "target_batch_size: \(Self.batchSize)",
                    "accumulation_steps: 1", "learning_rate: \(Self.learningRate)", "checkpoint_interval: \(interval)",
                    "log_interval: \(max(steps / 10, 1))", "seed: \(Self.seed)", "threads: \(threadOptions.threads)",
                ]
                let file = try OutputFile(path: path("pretrain.yaml"), overwrite: true)
                try file.write(settings.joined(separator: "\n") + "\n")
                try file.commit()
                if FileSystem.exists(path("run")) { try FileSystem.removeTree(path("run")) }
                try PretrainCommand.parse(["--config", path("pretrain.yaml")]).run()
            }),
            ("evaluate the trained model on hdf5/128_20/'s validation files, and its initial weights", {
                let backend = CPUBackend(threads: threadOptions.threads)
                let trained = try CheckpointModel(path: path("run"), backend: backend)
                let initial = try BertForPreTraining(configuration: trained.description.configuration, backend: backend,
                                                     seed: UInt64(Self.seed))
                let before = try ModelEvaluation.evaluate(initial, data: path("hdf5/128_20"), split: .validation, batchSize: 32)
                let after = try ModelEvaluation.evaluate(trained.model, data: path("hdf5/128_20"), split: .validation,
                                                         batchSize: 32)
                say("initial weights: evaluate " + before.fields.joined(separator: " "))
                say("after \(steps) steps: evaluate " + after.fields.joined(separator: " "))
                say("validation MLM loss \(Formatting.fixed(before.metrics.maskedLanguageModelLoss, 3)) -> "
                    + "\(Formatting.fixed(after.metrics.maskedLanguageModelLoss, 3)), accuracy "
                    + "\(Formatting.fixed(before.metrics.maskedLanguageModelAccuracy, 3)) -> "
                    + "\(Formatting.fixed(after.metrics.maskedLanguageModelAccuracy, 3)) "
                    + "(`bertkit evaluate \(path("run")) \(path("hdf5/128_20"))` prints the second line)")
            }),
            ("export run/ to Hugging Face's format -> hf/", {
                try ExportHFCommand.parse([path("run"), "--output", path("hf"), "--force"]).run()
            }),
            ("fill-mask with hf/ on validation sentences, a frequent word masked -> fill-mask.txt", {
                let sentences = try SampleCorpus.maskedSentences(in: path("shards/validation.0.txt"), words: Self.maskedWords)
                let file = try OutputFile(path: path("fill-mask.txt"), overwrite: true)
                try file.write(sentences.map { $0 + "\n" }.joined())
                try file.commit()
                try FillMaskCommand.parse([path("hf"), "--input", path("fill-mask.txt"), "--top-k", "3"] + threads).run()
            }),
        ]
    }
}
