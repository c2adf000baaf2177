import Tensor

/// A batch's inputs on the backend, as the layers use them.
///
/// When the last encoder layer computes only the rows the heads read (`headRows`), those
/// are, per sequence, its [CLS] row (when the model has the next-sentence head) and then its
/// P masked slots, R rows in all; the heads' masked and [CLS] rows then index the last
/// layer's [B·R, H] output instead of the [N, H] hidden states.
///
/// Shapes (N = B·S tokens, M = B·P slots): token ids int32 [N] or [N·L]; position and
/// token-type ids int32 [N]; additive attention mask [B, S] (0 or −10000); masked rows and
/// labels int32 [M]; [CLS] rows and next-sentence labels int32 [B]; head rows int32 [B·R].
struct DeviceInputs {
    let tokenIDs: Tensor
    let positionIDs: Tensor
    let tokenTypeIDs: Tensor
    let attentionMask: Tensor
    let maskedRows: Tensor
    let maskedLabels: Tensor
    let classificationRows: Tensor
    let nextSentenceLabels: Tensor
    /// The hidden-state rows the last layer computes, or nil when it computes every row.
    let headRows: Tensor?
    /// Whether the head rows start with each sequence's [CLS] row.
    private let classifies: Bool

    /// The value added to the attention scores of padding keys, as the original BERT does.
    static let maskedScore: Float = -10_000

    /// Buffers for batches of `shape`; with `headRowsOnly`, for a last layer that computes
    /// only the head rows, which begin with the [CLS] rows when `classifies`.
    init(_ shape: BatchShape, idsPerToken: Int, headRowsOnly: Bool, classifies: Bool, _ backend: Backend) {
        let (b, s, p) = (shape.batchSize, shape.sequenceLength, shape.maxPredictions)
        let r = Self.headRowsPerSequence(shape, classifies: classifies)
        let first = classifies ? 1 : 0
        tokenIDs = backend.allocate([shape.tokens * idsPerToken], dtype: .int32)
        positionIDs = backend.tensor(integers: (0..<shape.tokens).map { Int32($0 % s) }, [shape.tokens])
        tokenTypeIDs = backend.allocate([shape.tokens], dtype: .int32)
        attentionMask = backend.zeros([b, s])
        maskedRows = headRowsOnly
            ? backend.tensor(integers: (0..<shape.predictions).map { Int32($0 / p * r + first + $0 % p) }, [b * p])
            : backend.allocate([shape.predictions], dtype: .int32)
        maskedLabels = backend.allocate([shape.predictions], dtype: .int32)
        classificationRows = backend.tensor(integers: (0..<b).map { Int32($0 * (headRowsOnly ? r : s)) }, [b])
        nextSentenceLabels = backend.allocate([b], dtype: .int32)
        headRows = headRowsOnly ? backend.allocate([b * r], dtype: .int32) : nil
        self.classifies = classifies
    }

    /// The rows per sequence the heads read (R): its P masked slots, and its [CLS] row when
    /// `classifies`.
    static func headRowsPerSequence(_ shape: BatchShape, classifies: Bool) -> Int {
        shape.maxPredictions + (classifies ? 1 : 0)
    }

    /// Copies a batch in; its shape must be the one these buffers were made for.
    func load(_ inputs: PretrainingInputs, _ backend: Backend) {
        let s = inputs.shape.sequenceLength, p = inputs.shape.maxPredictions
        backend.write(inputs.tokenIDs, to: tokenIDs)
        backend.write(inputs.tokenTypeIDs, to: tokenTypeIDs)
        backend.write(inputs.attentionMask.map { $0 == 0 ? Self.maskedScore : 0 }, to: attentionMask)
        let hiddenRows = inputs.maskedPositions.enumerated().map { slot, position in Int32(slot / p * s) + position }
        if let headRows {
            let sequences = (0..<inputs.shape.batchSize).map { sequence in
                (classifies ? [Int32(sequence * s)] : []) + hiddenRows[sequence * p ..< (sequence + 1) * p]
            }
            backend.write(Array(sequences.joined()), to: headRows)
        } else {
            backend.write(hiddenRows, to: maskedRows)
        }
        backend.write(inputs.maskedLabels, to: maskedLabels)
        backend.write(inputs.nextSentenceLabels, to: nextSentenceLabels)
    }
}
