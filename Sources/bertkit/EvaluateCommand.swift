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
            Hugging Face model directory. DATA is a directory of HDF5 files as
            `data create` writes them (its validation* files when it has any, else every
            file; --split training takes its training* files) or one HDF5 file. Every row
            is read once, dropout off, by the code of pre-training's validation: with the
            same batch size and --threads, the numbers are those of a run's
            `validation step` log line.

            Prints one line: evaluate mlm_loss=… mlm_accuracy=… [nsp_loss=…
            nsp_accuracy=…] sequences=… masked_tokens=… files=… seconds=…; the losses
            are mean cross-entropies (per masked token, per sentence), the accuracies the
            share of top-1 predictions equal to the label. NSP fields are there when the
            model has a next-sentence head and the data next-sentence labels.

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
            let summary = try ModelEvaluation.evaluate(modelOptions.load().model, data: data, split: split,
                                                       batchSize: batchSize)
            print("evaluate " + summary.fields.joined(separator: " "))
        }
    }
}

extension DataSplit: ExpressibleByArgument {}
