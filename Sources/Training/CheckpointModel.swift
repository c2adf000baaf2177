import Model
import Support
import Tensor

/// A checkpoint's model read back to be used rather than trained: a `BertForPreTraining`
/// built from the checkpoint's model.json holding its weights, and what else the checkpoint
/// carries (`ModelDescription`).
public struct CheckpointModel {
    /// The checkpoint read.
    public let checkpoint: Checkpoint
    /// Its configuration, vocabulary and tokenizer settings.
    public let description: ModelDescription
    /// The model with the checkpoint's weights.
    public let model: BertForPreTraining

    /// Reads the checkpoint `path` names (a checkpoint directory, or a run directory's
    /// newest) onto `backend`.
    /// - Throws: `BERTKitError` when there is no such checkpoint, it has no model.json, or its
    ///   weights do not match its configuration.
    public init(path: String, backend: Backend) throws {
        checkpoint = try CheckpointStore.resolve(path)
        description = try ModelDescription(directory: checkpoint.path)
        model = try BertForPreTraining(configuration: description.configuration, backend: backend)
        let store = CheckpointStore(directory: FileSystem.split(checkpoint.path).directory, backend: backend)
        _ = try store.read(checkpoint, model: model.parameters.namedValues, optimizer: nil)
    }

    /// The logits of a batch of B sequences of S tokens, dropout off: MLM logits at every
    /// position [B, S, V] and next-sentence logits [B, 2] (nil for an MLM-only model).
    /// `tokenIDs` holds B·S WordPiece ids, or B·S·L character ids for CharacterBERT.
    /// - Throws: `BERTKitError` when an id is out of the model's range or the sizes disagree.
    public func logits(tokenIDs: [Int32], tokenTypeIDs: [Int32], attentionMask: [Int32], batchSize: Int,
                       sequenceLength: Int) throws -> (maskedLanguageModel: [Float], nextSentence: [Float]?) {
        // Every position is a masked slot, labelled 0 (the losses computed with them are not used).
        let shape = BatchShape(batchSize: batchSize, sequenceLength: sequenceLength, maxPredictions: sequenceLength)
        let positions = (0..<batchSize).flatMap { _ in (0..<Int32(sequenceLength)).map { $0 } }
        let inputs = PretrainingInputs(shape: shape, tokenIDs: tokenIDs, tokenTypeIDs: tokenTypeIDs,
                                       attentionMask: attentionMask, maskedPositions: positions,
                                       maskedLabels: [Int32](repeating: 0, count: shape.predictions),
                                       nextSentenceLabels: [Int32](repeating: 0, count: batchSize))
        _ = try model.forward(inputs, training: false)
        let backend = model.backend
        return (backend.floats(model.maskedLanguageModelLogits!), model.nextSentenceLogits.map { backend.floats($0) })
    }
}
