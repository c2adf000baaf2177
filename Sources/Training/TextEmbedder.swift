import Model
import Support

/// `bertkit embed`: one vector per text, pooled from a model's last hidden states (the
/// encoder's output, dropout off, before any head).
///
/// Each text becomes `[CLS]` text `[SEP]` (`ModelTokenizer`); texts run in batches padded to
/// their longest, the padding masked out of attention, so a text's vector does not depend on
/// the texts beside it (up to rounding).
public struct TextEmbedder {
    /// How a text's hidden states become one vector.
    public enum Pooling: String, Sendable, CaseIterable {
        /// The hidden state of `[CLS]`, the first token.
        case cls
        /// The mean of the hidden states of the text's tokens, `[CLS]` and `[SEP]` included
        /// (the attention mask's ones, as sentence-transformers' mean pooling takes them).
        case mean
    }

    /// The model used.
    public let model: CheckpointModel
    /// How vectors are pooled.
    public let pooling: Pooling
    private let tokenizer: ModelTokenizer

    /// Embeddings of `model`, pooled by `pooling`.
    /// - Throws: `BERTKitError` when a BERT has no vocabulary.
    public init(_ model: CheckpointModel, pooling: Pooling) throws {
        self.model = model
        self.pooling = pooling
        tokenizer = try ModelTokenizer(model)
    }

    /// The length of every vector, the model's hidden size.
    public var dimension: Int { model.description.configuration.hiddenSize }

    /// Embeds `texts` in batches of `batchSize`, calling `body` with each batch's vectors, in order.
    /// - Throws: `BERTKitError` naming a text longer than the model's positions (before any
    ///   batch runs), or what `body` throws.
    public func embed(_ texts: [InputText], batchSize: Int, _ body: ([[Float]]) throws -> Void) throws {
        precondition(batchSize >= 1, "embed needs batches of at least one text")
        let encoded = try texts.map(tokenizer.encode)
        let width = dimension
        for start in stride(from: 0, to: encoded.count, by: batchSize) {
            let batch = Array(encoded[start..<min(start + batchSize, encoded.count)])
            let inputs = tokenizer.inputs(batch, maxPredictions: 0)
            let hidden = model.model.backend.floats(try model.model.hiddenStates(inputs))
            let length = inputs.shape.sequenceLength
            try body(batch.enumerated().map { row, text in
                let rows = pooling == .cls ? 1 : text.tokens.count
                var vector = [Float](repeating: 0, count: width)
                for token in 0..<rows {
                    let offset = (row * length + token) * width
                    for index in 0..<width { vector[index] += hidden[offset + index] }
                }
                return rows == 1 ? vector : vector.map { $0 / Float(rows) }
            })
        }
    }
}
