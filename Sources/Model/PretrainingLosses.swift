/// The losses of one forward pass, as Hugging Face's `BertForPreTraining` computes them.
public struct PretrainingLosses: Sendable, Equatable {
    /// The mean cross-entropy over the labelled masked slots (0 when there are none).
    public var maskedLanguageModel: Float
    /// The mean cross-entropy over the labelled next-sentence rows, nil for an MLM-only model.
    public var nextSentence: Float?
    /// The labelled masked slots.
    public var maskedTokens: Int
    /// The labelled next-sentence rows.
    public var sentences: Int

    /// The loss that the gradients are of: MLM plus NSP.
    public var total: Float { maskedLanguageModel + (nextSentence ?? 0) }
}
