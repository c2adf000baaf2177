import Support
import Tensor

/// CharacterBERT's word representation: each token's characters are embedded, convolved with
/// filters of several widths, max-pooled over the positions and passed through ReLU; the
/// concatenated features go through highway layers and a projection to the hidden size.
///
/// Shapes (N tokens, L characters per token, E character embedding, F_i filters of width
/// W_i, D = Σ F_i, H hidden): character ids int32 [N·L]; embedded characters [N, L, E];
/// windows [N, L − W_i + 1, E·W_i]; convolution [N, L − W_i + 1, F_i] (each convolution a
/// matrix product of the windows, seen as their rows, with the weight [F_i, E, W_i] seen as
/// [F_i, E·W_i]); features [N, D]; output [N, H].
struct CharacterCNN {
    let embedding: ParameterID
    let convolutions: [Linear]
    let highways: [Highway]
    let projection: Linear
    let configuration: CharacterCNNConfiguration

    /// What the forward pass keeps for the backward pass, and the working buffers of both.
    struct Activations {
        let characters: Tensor
        let argmax: [Tensor]
        let pooled: Tensor
        let features: Tensor
        let highways: [Highway.Activations]
        let work: Workspace

        init(tokens: Int, _ cnn: CharacterCNN, _ backend: Backend) {
            let configuration = cnn.configuration
            characters = backend.zeros([tokens, configuration.charactersPerToken, configuration.characterEmbeddingSize])
            argmax = configuration.filters.map { backend.allocate([tokens, $0.count], dtype: .int32) }
            pooled = backend.zeros([tokens, configuration.filterCount])
            features = backend.zeros([tokens, configuration.filterCount])
            highways = cnn.highways.map { _ in Highway.Activations(tokens: tokens, width: configuration.filterCount, backend) }
            work = Workspace(tokens: tokens, configuration, backend)
        }

        /// The highway layers' output, the projection's input.
        var highwayOutput: Tensor { highways.last?.output ?? features }
    }

    /// Buffers needed only during one pass, sized for the widest filter: the unfolded windows
    /// (on the way back, their gradient), the convolution output (its gradient), the pooled
    /// output (its gradient), the characters' gradient and five feature-wide gradients.
    struct Workspace {
        let tokens: Int
        let configuration: CharacterCNNConfiguration
        private let windows: Tensor
        private let convolution: Tensor
        private let pooled: Tensor
        let dCharacters: Tensor
        let dFeatures: [Tensor]

        init(tokens: Int, _ configuration: CharacterCNNConfiguration, _ backend: Backend) {
            let (length, size) = (configuration.charactersPerToken, configuration.characterEmbeddingSize)
            self.tokens = tokens
            self.configuration = configuration
            windows = backend.zeros([tokens * (configuration.filters.map { (length - $0.width + 1) * size * $0.width }.max() ?? 0)])
            convolution = backend.zeros([tokens * (configuration.filters.map { (length - $0.width + 1) * $0.count }.max() ?? 0)])
            pooled = backend.zeros([tokens * (configuration.filters.map(\.count).max() ?? 0)])
            dCharacters = backend.zeros([tokens, length, size])
            dFeatures = (0..<5).map { _ in backend.zeros([tokens, configuration.filterCount]) }
        }

        /// The windows of `filter`, [N, L − W + 1, E·W].
        func windows(_ filter: CharacterCNNConfiguration.Filter) -> Tensor {
            windows.view(at: 0, [tokens, positions(filter), configuration.characterEmbeddingSize * filter.width])
        }

        /// The convolution output of `filter`, [N, L − W + 1, F].
        func convolution(_ filter: CharacterCNNConfiguration.Filter) -> Tensor {
            convolution.view(at: 0, [tokens, positions(filter), filter.count])
        }

        /// The pooled output of `filter`, [N, F].
        func pooled(_ filter: CharacterCNNConfiguration.Filter) -> Tensor {
            pooled.view(at: 0, [tokens, filter.count])
        }

        /// The window positions of `filter`: L − W + 1.
        private func positions(_ filter: CharacterCNNConfiguration.Filter) -> Int {
            configuration.charactersPerToken - filter.width + 1
        }
    }

    /// Registers the parameters under `<prefix>` (CharacterBERT's
    /// "bert.embeddings.word_embeddings."), initialised as PyTorch does for the embedding
    /// (normal(0, 1)) and the convolutions (uniform ±1/√(E·W)), and as Hugging Face does for
    /// the linear layers (normal(0, σ), zero biases) with the highway gates' biases at 1.
    init(_ store: ParameterStore, prefix: String, _ configuration: CharacterCNNConfiguration, hiddenSize: Int,
         initializerRange: Float) {
        let size = configuration.characterEmbeddingSize
        embedding = store.register(prefix + "_char_embedding_weights", [configuration.characterVocabularySize, size],
                                   initializer: .normal(standardDeviation: 1))
        convolutions = configuration.filters.enumerated().map { index, filter in
            let name = prefix + "char_conv_\(index)"
            let bound = 1 / Float(size * filter.width).squareRoot()
            return Linear(weight: store.register(name + ".weight", [filter.count, size, filter.width],
                                                 initializer: .uniform(bound: bound)),
                          bias: store.register(name + ".bias", [filter.count], initializer: .uniform(bound: bound)))
        }
        let width = configuration.filterCount
        highways = (0..<configuration.highwayLayers).map {
            Highway(store, prefix + "_highways._layers.\($0)", width: width, initializerRange: initializerRange)
        }
        projection = Linear(store, prefix + "_projection", inputs: width, outputs: hiddenSize,
                            weight: .normal(standardDeviation: initializerRange))
        self.configuration = configuration
    }

    /// The token representations, written into `output` [N, H].
    func forward(_ characterIDs: Tensor, into output: Tensor, _ saved: Activations, _ parameters: ParameterStore) {
        let backend = parameters.backend
        let work = saved.work
        backend.gatherRows(parameters.value(embedding), indices: characterIDs, into: saved.characters, accumulate: false)
        var column = 0
        for (index, filter) in configuration.filters.enumerated() {
            let (windows, convolution, pooled) = (work.windows(filter), work.convolution(filter), work.pooled(filter))
            backend.unfoldWindows(saved.characters, width: filter.width, into: windows)
            convolutions[index].forward(windows, into: convolution, parameters)
            backend.maxPool(convolution, into: pooled, argmax: saved.argmax[index])
            backend.copyColumns(pooled, into: saved.pooled, at: column)
            column += filter.count
        }
        backend.activate(.relu, saved.pooled, into: saved.features)
        var input = saved.features
        for (highway, activations) in zip(highways, saved.highways) {
            highway.forward(input, activations, parameters)
            input = activations.output
        }
        projection.forward(saved.highwayOutput, into: output, parameters)
    }

    /// Takes d(output) [N, H] and accumulates every parameter's gradient.
    func backward(_ dOutput: Tensor, characterIDs: Tensor, _ saved: Activations, _ parameters: ParameterStore) {
        let backend = parameters.backend
        let work = saved.work
        var (dy, dx) = (work.dFeatures[0], work.dFeatures[1])
        projection.backward(dOutput, x: saved.highwayOutput, into: dy, parameters)
        for index in highways.indices.reversed() {
            let input = index == 0 ? saved.features : saved.highways[index - 1].output
            highways[index].backward(dy, x: input, into: dx, saved.highways[index], scratch: Array(work.dFeatures[2...]),
                                     parameters)
            swap(&dy, &dx)
        }
        backend.activateBackward(.relu, x: saved.pooled, y: saved.features, dy: dy, into: dy)
        backend.fill(work.dCharacters, with: 0)
        var column = 0
        for (index, filter) in configuration.filters.enumerated() {
            let (windows, dConvolution, dPooled) = (work.windows(filter), work.convolution(filter), work.pooled(filter))
            backend.extractColumns(dy, at: column, into: dPooled)
            column += filter.count
            backend.maxPoolBackward(dy: dPooled, argmax: saved.argmax[index], into: dConvolution)
            // The windows are unfolded again rather than kept: they are the largest activation.
            // Their gradient then overwrites them, which Linear reads before it writes dx.
            backend.unfoldWindows(saved.characters, width: filter.width, into: windows)
            convolutions[index].backward(dConvolution, x: windows, into: windows, parameters)
            backend.foldWindows(windows, width: filter.width, into: work.dCharacters)
        }
        backend.scatterAddRows(work.dCharacters.reshaped([work.tokens * configuration.charactersPerToken,
                                                          configuration.characterEmbeddingSize]),
                               indices: characterIDs, into: parameters.gradient(embedding))
    }
}
