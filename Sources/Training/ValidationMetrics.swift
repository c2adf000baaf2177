import Distributed
import Model
import Tensor

/// The MLM and NSP loss and accuracy over a validation pass, each averaged over what it
/// counts: masked tokens for MLM, sentences for NSP.
public struct ValidationMetrics: Sendable, Equatable {
    /// The labelled masked slots seen.
    public private(set) var maskedTokens = 0
    /// The labelled sentences seen.
    public private(set) var sentences = 0
    private var maskedLossSum = 0.0
    private var maskedCorrect = 0
    private var sentenceLossSum = 0.0
    private var sentenceCorrect = 0

    public init() {}

    /// Measures `model` on every row of `data`'s files once (`validationPass`), in batches of
    /// `batchSize`, dropout off. The processes of `communicator` share the files, each
    /// measuring its own, and every one returns the sums over all of them.
    /// - Throws: `BERTKitError` naming a file that could not be read, a batch the model
    ///   refuses, or a failed reduction.
    public init(model: BertForPreTraining, data: PretrainingDataLoader, batchSize: Int,
                communicator: any Communicator = SingleProcessCommunicator()) throws {
        var metrics = ValidationMetrics()
        try data.validationPass(batchSize: batchSize, rank: communicator.rank, worldSize: communicator.worldSize) { inputs, _ in
            let losses = try model.forward(inputs, training: false)
            metrics.add(losses, inputs: inputs, maskedLanguageModelLogits: model.maskedLanguageModelLogits,
                        nextSentenceLogits: model.nextSentenceLogits, backend: model.backend)
        }
        let losses = try communicator.allReduceSum([metrics.maskedLossSum, metrics.sentenceLossSum])
        let counts = try communicator.allReduceSum([metrics.maskedTokens, metrics.maskedCorrect, metrics.sentences,
                                                    metrics.sentenceCorrect])
        (metrics.maskedLossSum, metrics.sentenceLossSum) = (losses[0], losses[1])
        (metrics.maskedTokens, metrics.maskedCorrect, metrics.sentences, metrics.sentenceCorrect) =
            (counts[0], counts[1], counts[2], counts[3])
        self = metrics
    }

    /// The mean MLM cross-entropy per masked token.
    public var maskedLanguageModelLoss: Double { maskedTokens > 0 ? maskedLossSum / Double(maskedTokens) : 0 }
    /// The share of masked tokens whose highest logit is the label.
    public var maskedLanguageModelAccuracy: Double { maskedTokens > 0 ? Double(maskedCorrect) / Double(maskedTokens) : 0 }
    /// The mean NSP cross-entropy per sentence.
    public var nextSentenceLoss: Double { sentences > 0 ? sentenceLossSum / Double(sentences) : 0 }
    /// The share of sentences whose higher logit is the label.
    public var nextSentenceAccuracy: Double { sentences > 0 ? Double(sentenceCorrect) / Double(sentences) : 0 }

    /// Adds one batch: its losses (means over what they counted) and its logits, MLM [B·P, V]
    /// and NSP [B, 2] (nil for an MLM-only model).
    mutating func add(_ losses: PretrainingLosses, inputs: PretrainingInputs, maskedLanguageModelLogits: Tensor?,
                      nextSentenceLogits: Tensor?, backend: Backend) {
        maskedLossSum += Double(losses.maskedLanguageModel) * Double(losses.maskedTokens)
        maskedTokens += losses.maskedTokens
        if let logits = maskedLanguageModelLogits {
            maskedCorrect += Self.correct(backend.floats(logits), labels: inputs.maskedLabels)
        }
        if let nextSentence = losses.nextSentence, let logits = nextSentenceLogits {
            sentenceLossSum += Double(nextSentence) * Double(losses.sentences)
            sentences += losses.sentences
            sentenceCorrect += Self.correct(backend.floats(logits), labels: inputs.nextSentenceLabels)
        }
    }

    /// The rows of `logits` (one per label, row-major) whose first highest value is at the
    /// label; ignored labels count for nothing.
    static func correct(_ logits: [Float], labels: [Int32]) -> Int {
        guard !labels.isEmpty else { return 0 }
        let width = logits.count / labels.count
        var correct = 0
        for (row, label) in labels.enumerated() where label != PretrainingInputs.ignoredLabel {
            let values = logits[row * width..<(row + 1) * width]
            if let best = values.indices.max(by: { values[$0] < values[$1] }), best - row * width == Int(label) { correct += 1 }
        }
        return correct
    }
}
