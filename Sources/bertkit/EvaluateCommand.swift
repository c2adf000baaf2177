import ArgumentParser
import Support
import Training

/// `bertkit evaluate`: a model's MLM and NSP loss and accuracy on HDF5 pre-training data.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model's MLM and NSP loss and accuracy on HDF5 pre-training data.",
        discussion: """
            MODEL is a checkpoint directory, a run directory (its newest checkpoint) or a
            Hugging Face model directory. DATA is a directory of HDF5 files as `data create`
            writes them (its validation* files when it has any, else every file; --split
            training takes its training* files) or one HDF5 file. Every row is read once,
            dropout off, by the code of pre-training's validation: with the same batch size
            and --threads, the numbers are those of a run's `validation step` log line.

            Prints one line: evaluate mlm_loss=… mlm_accuracy=… [nsp_loss=… nsp_accuracy=…]
            sequences=… masked_tokens=… files=… seconds=…; the losses are mean
            cross-entropies (per masked token, per sentence), the accuracies the share of
            top-1 predictions equal to the label. A model trained without next-sentence
            prediction has no NSP fields.

            Example:
              bertkit evaluate runs/tiny runs/demo/hdf5/128_20 --batch-size 16
            """)

    @OptionGroup var modelOptions: ModelOptions

    @Argument(help: "A directory of HDF5 pre-training files, or one such file.")
    var data: String

    @Option(help: "Which files of a directory: validation or training.")
    var split: DataSplit = .validation

    @Option(help: "Sequences per batch.")
    var batchSize = 32

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        try CommandErrors.report {
            let start = MonotonicClock.now()
            let loaded = try modelOptions.load()
            let summary = try ModelEvaluation.evaluate(loaded.model, data: data, split: split, batchSize: batchSize)
            let metrics = summary.metrics
            var fields = ["mlm_loss=\(Float(metrics.maskedLanguageModelLoss))",
                          "mlm_accuracy=\(Float(metrics.maskedLanguageModelAccuracy))"]
            if loaded.description.configuration.nextSentencePrediction {
                fields += ["nsp_loss=\(Float(metrics.nextSentenceLoss))", "nsp_accuracy=\(Float(metrics.nextSentenceAccuracy))"]
            }
            fields += ["sequences=\(summary.sequences)", "masked_tokens=\(metrics.maskedTokens)",
                       "files=\(summary.files.count)", "seconds=\(Formatting.fixed(MonotonicClock.now() - start, 1))"]
            print("evaluate " + fields.joined(separator: " "))
        }
    }
}

extension DataSplit: ExpressibleByArgument {}
