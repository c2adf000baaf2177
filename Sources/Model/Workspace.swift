import Tensor

/// Working buffers that the encoder layers share, because no layer needs them after its own
/// forward or backward pass; sized for one batch shape.
///
/// Shapes (N tokens, H hidden, I intermediate, B batch, h heads, S sequence, d head size):
/// projections, hidden, residual, gradient [N, H]; inner [N, I]; heads [B, h, S, d];
/// scores [B, h, S, S].
final class Workspace {
    /// Query, key and value before their heads are split; their gradients on the way back.
    let projections: [Tensor]
    /// A sublayer's dense output before dropout; its gradient on the way back.
    let hidden: Tensor
    /// The gradient at a residual sum.
    let residual: Tensor
    /// The gradient flowing between layers, from the heads down to the embeddings.
    let gradient: Tensor
    /// The gradient of the feed-forward layer's inner activation.
    let inner: Tensor
    /// The attention context per head; on the way back its gradient and those of q, k and v.
    let heads: [Tensor]
    /// The gradient of the attention probabilities and scores.
    let scores: Tensor

    init(_ shape: BatchShape, _ configuration: BertConfiguration, _ backend: Backend) {
        let (n, h) = (shape.tokens, configuration.hiddenSize)
        let headShape: Shape = [shape.batchSize, configuration.attentionHeads, shape.sequenceLength, configuration.headSize]
        projections = (0..<3).map { _ in backend.zeros([n, h]) }
        hidden = backend.zeros([n, h])
        residual = backend.zeros([n, h])
        gradient = backend.zeros([n, h])
        inner = backend.zeros([n, configuration.intermediateSize])
        heads = (0..<4).map { _ in backend.zeros(headShape) }
        scores = backend.zeros([shape.batchSize, configuration.attentionHeads, shape.sequenceLength, shape.sequenceLength])
    }
}
