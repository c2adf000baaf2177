/// The sizes one batch of pre-training inputs has, for which a model's activations are made.
public struct BatchShape: Sendable, Hashable {
    /// Sequences per batch (B).
    public var batchSize: Int
    /// Tokens per sequence, padding included (S).
    public var sequenceLength: Int
    /// Masked-position slots per sequence (P).
    public var maxPredictions: Int

    public init(batchSize: Int, sequenceLength: Int, maxPredictions: Int) {
        self.batchSize = batchSize
        self.sequenceLength = sequenceLength
        self.maxPredictions = maxPredictions
    }

    /// Tokens per batch (N = B·S).
    public var tokens: Int { batchSize * sequenceLength }
    /// Masked-position slots per batch (M = B·P).
    public var predictions: Int { batchSize * maxPredictions }
}
