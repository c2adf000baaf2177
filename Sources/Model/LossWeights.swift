/// What each head's mean loss is multiplied by in the gradients a forward pass keeps.
///
/// One optimizer step over A micro-batches averages the MLM loss over all the step's masked
/// tokens and the NSP loss over all its sentences: micro-batch k, with Mₖ of the step's M
/// labelled slots and Nₖ of its N labelled sentences, weighs its mean losses by Mₖ/M and
/// Nₖ/N, so that the summed gradients are those of the step's means whatever the number of
/// masked tokens in each micro-batch. A single batch weighs both by 1.
public struct LossWeights: Sendable, Equatable {
    /// The weight of the mean MLM loss.
    public var maskedLanguageModel: Float
    /// The weight of the mean NSP loss.
    public var nextSentence: Float

    public init(maskedLanguageModel: Float, nextSentence: Float) {
        self.maskedLanguageModel = maskedLanguageModel
        self.nextSentence = nextSentence
    }

    /// Both losses at their own mean: one batch per step.
    public static let unit = LossWeights(maskedLanguageModel: 1, nextSentence: 1)
}
