import Tensor

/// Every buffer a model needs for one batch shape: the inputs on the backend, what each
/// layer keeps for its backward pass, and the shared working buffers. With `headRowsOnly`,
/// the last layer is made to compute only the rows the heads read.
final class ModelActivations {
    let shape: BatchShape
    let headRowsOnly: Bool
    let inputs: DeviceInputs
    let embeddings: BertEmbeddings.Activations
    let layers: [EncoderLayer.Activations]
    let maskedLanguageModel: MaskedLanguageModelHead.Activations
    let nextSentence: NextSentenceHead.Activations?
    let workspace: Workspace

    init(_ shape: BatchShape, headRowsOnly: Bool, _ model: BertForPreTraining, _ backend: Backend) {
        let configuration = model.configuration
        let (h, n) = (configuration.hiddenSize, shape.tokens)
        self.shape = shape
        self.headRowsOnly = headRowsOnly
        let inputs = DeviceInputs(shape, idsPerToken: configuration.characterCNN?.charactersPerToken ?? 1,
                                  headRowsOnly: headRowsOnly, classifies: model.nextSentence != nil, backend)
        self.inputs = inputs
        embeddings = .init(tokens: n, model.embeddings, hiddenSize: h, backend)
        layers = model.layers.indices.map { index in
            .init(shape, model.layers[index], intermediateSize: configuration.intermediateSize,
                  queryRows: index == model.layers.count - 1 ? inputs.headRows : nil, backend)
        }
        maskedLanguageModel = .init(predictions: shape.predictions, hiddenSize: h,
                                    vocabularySize: configuration.vocabularySize, backend)
        nextSentence = model.nextSentence.map { _ in .init(batchSize: shape.batchSize, hiddenSize: h, backend) }
        workspace = Workspace(shape, configuration, backend)
    }
}
