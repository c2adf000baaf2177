import Model
import Support
import Tensor

/// A trained model read back to be used rather than trained: a `BertForPreTraining` holding
/// the weights of a checkpoint or of a Hugging Face directory, and what else it carries
/// (`ModelDescription`).
public struct CheckpointModel {
    /// The checkpoint read, or nil for a Hugging Face directory.
    public let checkpoint: Checkpoint?
    /// The directory the weights were read from: the checkpoint's, or the Hugging Face one.
    public let directory: String
    /// Its configuration, vocabulary and tokenizer settings.
    public let description: ModelDescription
    /// The model with the weights read.
    public let model: BertForPreTraining

    /// Reads `checkpoint` onto `backend`.
    /// - Throws: `BERTKitError` when the checkpoint has no model.json, or its weights do not
    ///   match its configuration.
    public init(checkpoint: Checkpoint, backend: Backend) throws {
        let description = try ModelDescription(directory: checkpoint.path)
        let model = try BertForPreTraining(configuration: description.configuration, backend: backend)
        let store = CheckpointStore(directory: FileSystem.split(checkpoint.path).directory, backend: backend)
        _ = try store.read(checkpoint, model: model.parameters.namedValues, optimizer: nil)
        self.init(checkpoint: checkpoint, directory: checkpoint.path, description: description, model: model)
    }

    /// Reads the model `path` names onto `backend`: a Hugging Face directory (one holding
    /// config.json, read as `import hf` reads it, in memory), a checkpoint directory, or a run
    /// directory, meaning its newest checkpoint.
    /// - Throws: `BERTKitError` when `path` is none of these, or what reading it throws.
    public init(path: String, backend: Backend) throws {
        guard FileSystem.isRegularFile(path + "/config.json") else {
            guard FileSystem.exists(path) else {
                throw BERTKitError(file: path, "no such model: expected a checkpoint, a run directory or a Hugging Face "
                                   + "model directory")
            }
            try self.init(checkpoint: CheckpointStore.resolve(path), backend: backend)
            return
        }
        let (model, description, _) = try HuggingFaceImport.load(path, backend: backend)
        self.init(checkpoint: nil, directory: path, description: description, model: model)
    }

    /// A model with what it was read from.
    private init(checkpoint: Checkpoint?, directory: String, description: ModelDescription, model: BertForPreTraining) {
        self.checkpoint = checkpoint
        self.directory = directory
        self.description = description
        self.model = model
    }

    /// The vocabulary, which using the model on text needs.
    /// - Throws: `BERTKitError` naming the directory when it has none.
    public func vocabulary() throws -> [String] {
        guard let vocabulary = description.vocabulary else {
            let name = ModelDescription.vocabularyFileName(characterBERT: description.configuration.isCharacterBERT)
            throw BERTKitError(file: directory, "has no \(name) (the run that wrote it could not read its data's "
                               + "vocabulary): export it with --vocab and use the exported directory")
        }
        return vocabulary
    }

    /// The logits of `inputs` with dropout off: MLM logits at the masked slots [B·P, V]
    /// (every slot, whatever its label) and next-sentence logits [B, 2] (nil for an MLM-only
    /// model).
    /// - Throws: `BERTKitError` when an id is out of the model's range or the sizes disagree.
    public func predictions(_ inputs: PretrainingInputs) throws -> (maskedLanguageModel: [Float], nextSentence: [Float]?) {
        _ = try model.forward(inputs, training: false)
        let backend = model.backend
        return (backend.floats(model.maskedLanguageModelLogits!), model.nextSentenceLogits.map { backend.floats($0) })
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
        return try predictions(PretrainingInputs(shape: shape, tokenIDs: tokenIDs, tokenTypeIDs: tokenTypeIDs,
                                                 attentionMask: attentionMask, maskedPositions: positions,
                                                 maskedLabels: [Int32](repeating: 0, count: shape.predictions),
                                                 nextSentenceLabels: [Int32](repeating: 0, count: batchSize)))
    }
}
