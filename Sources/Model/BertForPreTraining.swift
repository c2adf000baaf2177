import Support
import Tensor

/// BERT or CharacterBERT with its pre-training heads, Hugging Face's `BertForPreTraining`:
/// embeddings, post-LN encoder layers, the MLM head evaluated at the masked slots only and,
/// unless the model is MLM-only, the pooler and the next-sentence head.
///
/// As the heads read only the masked and [CLS] rows, the last layer computes only those
/// (its keys and values still come from every token) when they are at most half of each
/// sequence: the same losses and gradients for less work.
///
/// Parameters live in one `ParameterStore` under Hugging Face's names; activations are made
/// for one batch shape at a time and kept while batches keep that shape. A step is
/// `forward` (losses, and the gradients of the logits), then `backward` (every parameter's
/// gradient accumulated into the store).
///
/// Shapes (B sequences, S tokens, P masked slots, H hidden, V vocabulary): hidden states
/// [B·S, H]; MLM logits [B·P, V]; NSP logits [B, 2].
public final class BertForPreTraining {
    /// The sizes and settings.
    public let configuration: BertConfiguration
    /// Every parameter and gradient.
    public let parameters: ParameterStore
    /// The generator dropout draws from; part of a run's state.
    public var dropoutGenerator: SeededGenerator

    let embeddings: BertEmbeddings
    let layers: [EncoderLayer]
    let maskedLanguageModel: MaskedLanguageModelHead
    let nextSentence: NextSentenceHead?
    private var activations: ModelActivations?
    private var lastForwardWasTraining: Bool?

    /// Registers the parameters in Hugging Face's order, allocates them on `backend` and
    /// initialises them from `seed` (weights normal(0, σ), biases 0, LayerNorm 1 and 0).
    public init(configuration: BertConfiguration, backend: Backend, seed: UInt64 = 0) throws {
        let problems = configuration.problems
        guard problems.isEmpty else {
            throw BERTKitError("model configuration: " + problems.joined(separator: "; "))
        }
        self.configuration = configuration
        let store = ParameterStore()
        embeddings = BertEmbeddings(store, configuration)
        layers = (0..<configuration.layers).map { EncoderLayer(store, index: $0, configuration) }
        let tiedWeight: ParameterID? = if case .table(let table, _) = embeddings.words { table } else { nil }
        maskedLanguageModel = MaskedLanguageModelHead(store, configuration, tiedWeight: tiedWeight)
        nextSentence = configuration.nextSentencePrediction ? NextSentenceHead(store, configuration) : nil
        store.allocate(on: backend)
        var generator = SeededGenerator(seed: seed)
        store.initialize(generator: &generator)
        parameters = store
        dropoutGenerator = SeededGenerator(seed: seed ^ 0xD80F_0D80_F0D8_0F0D)
    }

    /// The backend everything runs on.
    public var backend: Backend { parameters.backend }

    /// Runs the model on a batch and returns its losses. The gradients of the logits (of each
    /// mean loss times its weight in `weights`) are kept for `backward`. With `training`,
    /// dropout is on.
    public func forward(_ inputs: PretrainingInputs, training: Bool, weights: LossWeights = .unit) throws -> PretrainingLosses {
        let (saved, hidden) = try encode(inputs, training: training, headRowsOnly: headRowsSuffice(inputs.shape))
        let masked = maskedLanguageModel.forward(hidden, saved.inputs, saved.maskedLanguageModel,
                                                 gradientScale: weights.maskedLanguageModel, parameters)
        var sentences: (loss: Float, counted: Int)?
        if let nextSentence, let headActivations = saved.nextSentence {
            sentences = nextSentence.forward(hidden, saved.inputs, headActivations,
                                             gradientScale: weights.nextSentence, parameters)
        }
        lastForwardWasTraining = training
        return PretrainingLosses(maskedLanguageModel: masked.loss, nextSentence: sentences?.loss,
                                 maskedTokens: masked.counted, sentences: sentences?.counted ?? 0)
    }

    /// Runs the embeddings and the encoder on a batch with dropout off, and returns the last
    /// layer's hidden states [B·S, H] (row b·S + s is token s of sequence b), valid until the
    /// next forward pass. The heads do not run, and there is no `backward` after it; the
    /// masked slots of `inputs` are not read beyond their validation, so P may be 0.
    public func hiddenStates(_ inputs: PretrainingInputs) throws -> Tensor {
        let (_, hidden) = try encode(inputs, training: false, headRowsOnly: false)
        lastForwardWasTraining = nil
        return hidden
    }

    /// Accumulates every parameter's gradient of the last forward pass's weighted losses into
    /// `parameters.gradients`.
    public func backward() {
        guard let saved = activations, let training = lastForwardWasTraining else {
            preconditionFailure("backward without a forward pass")
        }
        let work = saved.workspace
        let dHidden = work.gradient.slice(0..<saved.layers[layers.count - 1].output.shape[0])
        backend.fill(dHidden, with: 0)
        maskedLanguageModel.backward(saved.inputs, saved.maskedLanguageModel, into: dHidden, parameters)
        if let nextSentence, let headActivations = saved.nextSentence {
            nextSentence.backward(saved.inputs, headActivations, into: dHidden, parameters)
        }
        for index in layers.indices.reversed() {
            let input = index == 0 ? saved.embeddings.dropout.result(of: saved.embeddings.normalized, training: training)
                                   : saved.layers[index - 1].output
            layers[index].backward(input, saved.layers[index], work, training: training, parameters)
        }
        embeddings.backward(work.gradient, saved.inputs, saved.embeddings, training: training, scratch: work.residual,
                            parameters)
    }

    /// The MLM logits of the last forward pass, [B·P, V].
    public var maskedLanguageModelLogits: Tensor? { activations?.maskedLanguageModel.logits }

    /// The next-sentence logits of the last forward pass, [B, 2] (nil for an MLM-only model).
    public var nextSentenceLogits: Tensor? { activations?.nextSentence?.logits }

    /// Whether the last layer computes only the heads' rows for batches of `shape`: when they
    /// are at most half of each sequence.
    private func headRowsSuffice(_ shape: BatchShape) -> Bool {
        let rows = DeviceInputs.headRowsPerSequence(shape, classifies: nextSentence != nil)
        return rows > 0 && 2 * rows <= shape.sequenceLength
    }

    /// Checks `inputs`, loads them onto the backend and runs the embeddings and the encoder
    /// layers; returns the activations and the last layer's output: [B·S, H], or [B·R, H]
    /// with `headRowsOnly`.
    private func encode(_ inputs: PretrainingInputs, training: Bool, headRowsOnly: Bool) throws
        -> (ModelActivations, Tensor) {
        try inputs.validate(for: configuration)
        let saved = prepare(inputs.shape, headRowsOnly: headRowsOnly)
        saved.inputs.load(inputs, backend)
        var hidden = embeddings.forward(saved.inputs, saved.embeddings, training: training, generator: &dropoutGenerator,
                                        parameters)
        for (layer, layerActivations) in zip(layers, saved.layers) {
            layer.forward(hidden, mask: saved.inputs.attentionMask, layerActivations, saved.workspace, training: training,
                          generator: &dropoutGenerator, parameters)
            hidden = layerActivations.output
        }
        return (saved, hidden)
    }

    /// The activations for `shape`, made anew when the shape or the last layer's rows change.
    private func prepare(_ shape: BatchShape, headRowsOnly: Bool) -> ModelActivations {
        if let activations, activations.shape == shape, activations.headRowsOnly == headRowsOnly { return activations }
        activations = nil  // the old buffers go before the new ones are made
        let made = ModelActivations(shape, headRowsOnly: headRowsOnly, self, backend)
        activations = made
        return made
    }
}
