import Support
import Tensor

/// The input layer: word representation + position embedding + token-type embedding, then
/// LayerNorm and dropout. The word representation is a WordPiece embedding table (BERT) or
/// the character CNN (CharacterBERT).
///
/// Shapes (N tokens, H hidden, V vocabulary, L characters per token): token ids int32 [N]
/// (BERT) or [N·L] (CharacterBERT); position and token-type ids int32 [N]; word table [V, H];
/// sum, output [N, H].
struct BertEmbeddings {
    /// How a token becomes a vector before the position and segment are added.
    enum Words {
        /// A lookup in `bert.embeddings.word_embeddings.weight`, whose padding row gets no gradient.
        case table(ParameterID, padding: Int32)
        /// CharacterBERT's character CNN.
        case characters(CharacterCNN)
    }

    let words: Words
    let positions: ParameterID
    let tokenTypes: ParameterID
    let norm: LayerNorm
    let dropout: Dropout

    /// What the forward pass keeps for the backward pass.
    struct Activations {
        let sum: Tensor
        let norm: LayerNorm.Activations
        let normalized: Tensor
        let dropout: Dropout.Activations
        let characters: CharacterCNN.Activations?

        init(tokens: Int, _ embeddings: BertEmbeddings, hiddenSize: Int, _ backend: Backend) {
            sum = backend.zeros([tokens, hiddenSize])
            norm = .init(rows: tokens, backend)
            normalized = backend.zeros([tokens, hiddenSize])
            dropout = .init([tokens, hiddenSize], probability: embeddings.dropout.probability, backend)
            if case .characters(let cnn) = embeddings.words {
                characters = .init(tokens: tokens, cnn, backend)
            } else {
                characters = nil
            }
        }
    }

    /// Registers `bert.embeddings.*`, the word table or the character CNN first.
    init(_ store: ParameterStore, _ configuration: BertConfiguration) {
        let (h, range) = (configuration.hiddenSize, configuration.initializerRange)
        let prefix = "bert.embeddings."
        if let cnn = configuration.characterCNN {
            words = .characters(CharacterCNN(store, prefix: prefix + "word_embeddings.", cnn, hiddenSize: h,
                                             initializerRange: range))
        } else {
            words = .table(store.register(prefix + "word_embeddings.weight", [configuration.vocabularySize, h],
                                          initializer: .normal(standardDeviation: range)),
                           padding: configuration.paddingTokenID)
        }
        positions = store.register(prefix + "position_embeddings.weight", [configuration.maxPositions, h],
                                   initializer: .normal(standardDeviation: range))
        tokenTypes = store.register(prefix + "token_type_embeddings.weight", [configuration.typeVocabularySize, h],
                                    initializer: .normal(standardDeviation: range))
        norm = LayerNorm(store, prefix + "LayerNorm", size: h, epsilon: configuration.layerNormEpsilon)
        dropout = Dropout(probability: configuration.hiddenDropout)
    }

    /// The embedded tokens: `saved.normalized`, or the dropout's output when training.
    func forward(_ inputs: DeviceInputs, _ saved: Activations, training: Bool, generator: inout SeededGenerator,
                 _ parameters: ParameterStore) -> Tensor {
        let backend = parameters.backend
        switch words {
        case .table(let table, _):
            backend.gatherRows(parameters.value(table), indices: inputs.tokenIDs, into: saved.sum, accumulate: false)
        case .characters(let cnn):
            cnn.forward(inputs.tokenIDs, into: saved.sum, saved.characters!, parameters)
        }
        backend.gatherRows(parameters.value(positions), indices: inputs.positionIDs, into: saved.sum, accumulate: true)
        backend.gatherRows(parameters.value(tokenTypes), indices: inputs.tokenTypeIDs, into: saved.sum, accumulate: true)
        norm.forward(saved.sum, into: saved.normalized, saved.norm, parameters)
        return dropout.forward(saved.normalized, saved.dropout, training: training, generator: &generator, backend)
    }

    /// Takes d(output) in `dy` and accumulates the gradients of every embedding parameter;
    /// `scratch` [N, H] is overwritten.
    func backward(_ dy: Tensor, _ inputs: DeviceInputs, _ saved: Activations, training: Bool, scratch: Tensor,
                  _ parameters: ParameterStore) {
        let backend = parameters.backend
        let dNormalized = dropout.backward(dy, saved.dropout, training: training, into: dy, backend)
        norm.backward(dNormalized, x: saved.sum, into: scratch, saved.norm, parameters)
        backend.scatterAddRows(scratch, indices: inputs.positionIDs, into: parameters.gradient(positions))
        backend.scatterAddRows(scratch, indices: inputs.tokenTypeIDs, into: parameters.gradient(tokenTypes))
        switch words {
        case .table(let table, let padding):
            backend.scatterAddRows(scratch, indices: inputs.tokenIDs, into: parameters.gradient(table), skipping: padding)
        case .characters(let cnn):
            cnn.backward(scratch, characterIDs: inputs.tokenIDs, saved.characters!, parameters)
        }
    }
}
