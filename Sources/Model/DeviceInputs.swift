import Tensor

/// A batch's inputs on the backend, as the layers use them.
///
/// Shapes (N = B·S tokens, M = B·P slots): token ids int32 [N] or [N·L]; position and
/// token-type ids int32 [N]; additive attention mask [B, S] (0 or −10000); masked rows and
/// labels int32 [M] (rows of the [N, H] hidden states); [CLS] rows and next-sentence labels
/// int32 [B].
struct DeviceInputs {
    let tokenIDs: Tensor
    let positionIDs: Tensor
    let tokenTypeIDs: Tensor
    let attentionMask: Tensor
    let maskedRows: Tensor
    let maskedLabels: Tensor
    let classificationRows: Tensor
    let nextSentenceLabels: Tensor

    /// The value added to the attention scores of padding keys, as the original BERT does.
    static let maskedScore: Float = -10_000

    init(_ shape: BatchShape, idsPerToken: Int, _ backend: Backend) {
        let (b, s) = (shape.batchSize, shape.sequenceLength)
        tokenIDs = backend.allocate([shape.tokens * idsPerToken], dtype: .int32)
        positionIDs = backend.tensor(integers: (0..<shape.tokens).map { Int32($0 % s) }, [shape.tokens])
        tokenTypeIDs = backend.allocate([shape.tokens], dtype: .int32)
        attentionMask = backend.zeros([b, s])
        maskedRows = backend.allocate([shape.predictions], dtype: .int32)
        maskedLabels = backend.allocate([shape.predictions], dtype: .int32)
        classificationRows = backend.tensor(integers: (0..<b).map { Int32($0 * s) }, [b])
        nextSentenceLabels = backend.allocate([b], dtype: .int32)
    }

    /// Copies a batch in; its shape must be the one these buffers were made for.
    func load(_ inputs: PretrainingInputs, _ backend: Backend) {
        let s = inputs.shape.sequenceLength, p = inputs.shape.maxPredictions
        backend.write(inputs.tokenIDs, to: tokenIDs)
        backend.write(inputs.tokenTypeIDs, to: tokenTypeIDs)
        backend.write(inputs.attentionMask.map { $0 == 0 ? Self.maskedScore : 0 }, to: attentionMask)
        backend.write(inputs.maskedPositions.enumerated().map { slot, position in Int32(slot / p * s) + position },
                      to: maskedRows)
        backend.write(inputs.maskedLabels, to: maskedLabels)
        backend.write(inputs.nextSentenceLabels, to: nextSentenceLabels)
    }
}
