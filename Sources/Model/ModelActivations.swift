import Tensor

/// Every buffer a model needs for one batch shape: the inputs on the backend, what each
/// layer keeps for its backward pass, and the shared working buffers.
final class ModelActivations {
    let shape: BatchShape
    let inputs: DeviceInputs
    let embeddings: BertEmbeddings.Activations
    let layers: [EncoderLayer.Activations]
    let maskedLanguageModel: MaskedLanguageModelHead.Activations
    let nextSentence: NextSentenceHead.Activations?
    let workspace: Workspace

    init(_ shape: BatchShape, _ model: BertForPreTraining, _ backend: Backend) {
        let configuration = model.configuration
        let (h, n) = (configuration.hiddenSize, shape.tokens)
        self.shape = shape
        inputs = DeviceInputs(shape, idsPerToken: configuration.characterCNN?.charactersPerToken ?? 1, backend)
        embeddings = .init(tokens: n, model.embeddings, hiddenSize: h, backend)
        layers = model.layers.map { .init(shape, $0, intermediateSize: configuration.intermediateSize, backend) }
        maskedLanguageModel = .init(predictions: shape.predictions, hiddenSize: h,
                                    vocabularySize: configuration.vocabularySize, backend)
        nextSentence = model.nextSentence.map { _ in .init(batchSize: shape.batchSize, hiddenSize: h, backend) }
        workspace = Workspace(shape, configuration, backend)
    }
}
