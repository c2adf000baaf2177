import Model
import PretrainingData
import Support

/// `bertkit evaluate`: a model's MLM and NSP loss and accuracy on HDF5 pre-training data,
/// every row once, measured by the code that measures pre-training's validation
/// (`ValidationMetrics`, `PretrainingDataLoader.validationPass`).
///
/// The sequence length is the files' and the masked slots per row the most any file has;
/// a row's unused slots count for nothing, so the numbers do not depend on them, and with
/// the batch size and thread count of a run's validation they are that validation's.
public enum ModelEvaluation {
    /// What an evaluation measured.
    public struct Summary: Sendable {
        /// The files read, sorted by name.
        public var files: [String]
        /// The rows (sequences) of the files, each evaluated once.
        public var sequences: Int
        /// The metrics.
        public var metrics: ValidationMetrics
        /// The seconds it took.
        public var seconds: Double

        /// The numbers as `key=value` fields: mlm_loss, mlm_accuracy, nsp_loss and
        /// nsp_accuracy (when sentences had next-sentence labels), sequences, masked_tokens,
        /// files, seconds; losses and accuracies written as the run's log writes them.
        public var fields: [String] {
            var fields = ["mlm_loss=\(Float(metrics.maskedLanguageModelLoss))",
                          "mlm_accuracy=\(Float(metrics.maskedLanguageModelAccuracy))"]
            if metrics.sentences > 0 {
                fields += ["nsp_loss=\(Float(metrics.nextSentenceLoss))", "nsp_accuracy=\(Float(metrics.nextSentenceAccuracy))"]
            }
            return fields + ["sequences=\(sequences)", "masked_tokens=\(metrics.maskedTokens)", "files=\(files.count)",
                             "seconds=\(Formatting.fixed(seconds, 1))"]
        }
    }

    /// Evaluates `model` on the files of `split` in `data` (a directory, or one HDF5 file), in
    /// batches of `batchSize`.
    /// - Throws: `BERTKitError` for missing data, data that does not fit the model, or a file
    ///   that cannot be read.
    public static func evaluate(_ model: BertForPreTraining, data: String, split: DataSplit,
                                batchSize: Int) throws -> Summary {
        let start = MonotonicClock.now()
        let files = try PretrainingDataLoader.filePaths(in: data, split: split).map { try PretrainingFile(path: $0) }
        let loader = try PretrainingDataLoader(directory: data, split: split, configuration: model.configuration,
                                               sequenceLength: files[0].sequenceLength,
                                               maxPredictions: files.map(\.maxPredictions).max()!, seed: 0)
        let metrics = try ValidationMetrics(model: model, data: loader, batchSize: batchSize)
        return Summary(files: loader.paths, sequences: loader.totalRows, metrics: metrics, seconds: MonotonicClock.now() - start)
    }
}
