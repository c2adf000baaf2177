import ArgumentParser
import Support
import Tensor
import Training

/// `bertkit bench train-step`: the speed of full pre-training steps on random batches.
struct BenchTrainStepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-step",
        abstract: "Time pre-training steps (forward, backward, clipping, AdamW) on random batches.",
        discussion: """
            Makes the model, then runs --warmup-steps untimed and --steps timed steps, each
            on a fresh random batch from --seed: zero the gradients, forward with dropout,
            backward, clip the global gradient norm to 1, one AdamW step (torch's defaults).
            Every position is a real token; ⌈0.15·S⌉ masked slots, at most --max-predictions
            (20), all labelled.
            Prints one line of key=value fields ending in tokens/s: the mean seconds per
            timed step, GFLOP/s (matrix products counted from the shapes, TrainStepBenchmark
            documents the formula), the process's peak resident set in MB (10^6 bytes), the
            device (on a GPU also the peak device memory BERTKit's tensors held, in MB) and
            tokens (B·S per step) per second. --device picks the CPU or the first CUDA GPU.

            --model is a preset (tiny, mini, small, medium, base, large: Google's sizes, 64-wide
            heads) or a YAML file with Hugging Face's config.json keys (a config.json loads as
            it is; a character_cnn mapping makes a CharacterBERT).

            Example:
              bertkit bench train-step --model mini --batch-size 32 --seq-length 128 --steps 5
            """)

    @Option(help: "A preset (tiny, mini, small, medium, base, large) or a model configuration file.")
    var model: String

    @Flag(help: "CharacterBERT: the paper's character CNN in place of the word embeddings (presets: 100,000-word MLM vocabulary).")
    var characterBert = false

    @Option(help: "Sequences per batch.")
    var batchSize: Int

    @Option(help: "Tokens per sequence.")
    var seqLength: Int

    @Option(help: "The most masked slots per sequence (⌈0.15·S⌉ up to this; 80 for NVIDIA's phase 2 at 512).")
    var maxPredictions = TrainStepBenchmark.maxPredictions

    @Option(help: "Timed steps.")
    var steps: Int

    @Option(help: "Untimed steps before them.")
    var warmupSteps = 1

    @OptionGroup var threadOptions: ThreadOptions

    @OptionGroup var deviceOptions: DeviceOptions

    @Option(help: "The seed of the weights, dropout and batches.")
    var seed: UInt64 = 12345

    func run() throws {
        try CommandErrors.report {
            let configuration = try ModelConfigurationFile.resolve(model: model, characterBERT: characterBert)
            let benchmark = try TrainStepBenchmark(configuration: configuration, batchSize: batchSize, sequenceLength: seqLength,
                                                   steps: steps, warmupSteps: warmupSteps, seed: seed,
                                                   maxPredictions: maxPredictions)
            let backend = try deviceOptions.makeBackend(threads: threadOptions.threads)
            let result = try benchmark.run(on: backend)
            let fields = [
                ("model", model), ("kind", configuration.isCharacterBERT ? "character-bert" : "bert"),
                ("batch", "\(batchSize)"), ("seq", "\(seqLength)"), ("predictions", "\(benchmark.shape.maxPredictions)"),
                ("threads", "\(threadOptions.threads)"), ("steps", "\(steps)"), ("warmup", "\(warmupSteps)"),
                ("loss", Formatting.fixed(Double(result.lastLoss), 4)),
                ("GFLOP/step", Formatting.fixed(result.flopsPerStep / 1e9, 3)),
                ("s/step", Formatting.fixed(result.secondsPerStep, 4)),
                ("GFLOP/s", Formatting.fixed(result.gigaflopsPerSecond, 1)),
                ("peak_rss_mb", result.peakResidentBytes.map { Formatting.fixed(Double($0) / 1e6, 1) } ?? "?"),
            ] + DeviceOptions.fields(backend) + [("tokens/s", Formatting.fixed(result.tokensPerSecond, 1))]
            print("train-step " + fields.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        }
    }
}
