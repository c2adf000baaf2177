import Tensor

/// The MLM head, Hugging Face's `BertLMPredictionHead`, evaluated only at the masked slots:
/// gather, dense, GELU, LayerNorm, then the decoder to vocabulary logits and the
/// cross-entropy against the labels.
///
/// Shapes (N tokens, M = B·P slots, H hidden, V vocabulary): hidden states [N, H]; masked
/// rows and labels int32 [M]; gathered, transformed, activated, normalized [M, H]; decoder
/// weight [V, H] (BERT: the word embeddings; CharacterBERT: its own); logits [M, V].
struct MaskedLanguageModelHead {
    let transform: Linear
    let norm: LayerNorm
    let decoder: Linear

    /// What the forward pass keeps for the backward pass, and the logits.
    struct Activations {
        let gathered: Tensor
        let transformed: Tensor
        let activated: Tensor
        let norm: LayerNorm.Activations
        let normalized: Tensor
        let logits: Tensor
        let dLogits: Tensor
        /// Gradients on the way back, [M, H] each.
        let dHidden: (Tensor, Tensor)

        init(predictions: Int, hiddenSize: Int, vocabularySize: Int, _ backend: Backend) {
            gathered = backend.zeros([predictions, hiddenSize])
            transformed = backend.zeros([predictions, hiddenSize])
            activated = backend.zeros([predictions, hiddenSize])
            norm = .init(rows: predictions, backend)
            normalized = backend.zeros([predictions, hiddenSize])
            logits = backend.zeros([predictions, vocabularySize])
            dLogits = backend.zeros([predictions, vocabularySize])
            dHidden = (backend.zeros([predictions, hiddenSize]), backend.zeros([predictions, hiddenSize]))
        }
    }

    /// Registers `cls.predictions.*`; the decoder is tied to `tiedWeight` when given (BERT),
    /// and is `cls.predictions.decoder.weight` otherwise (CharacterBERT).
    init(_ store: ParameterStore, _ configuration: BertConfiguration, tiedWeight: ParameterID?) {
        let (h, v) = (configuration.hiddenSize, configuration.vocabularySize)
        let weights = Initializer.normal(standardDeviation: configuration.initializerRange)
        transform = Linear(store, "cls.predictions.transform.dense", inputs: h, outputs: h, weight: weights)
        norm = LayerNorm(store, "cls.predictions.transform.LayerNorm", size: h, epsilon: configuration.layerNormEpsilon)
        let decoderWeight = tiedWeight ?? store.register("cls.predictions.decoder.weight", [v, h], initializer: weights)
        decoder = Linear(weight: decoderWeight, bias: store.register("cls.predictions.bias", [v], initializer: .zeros))
    }

    /// The mean cross-entropy over the labelled slots, its gradient w.r.t. the logits scaled
    /// by `gradientScale` and kept for `backward`, and the number of labelled slots.
    func forward(_ hidden: Tensor, _ inputs: DeviceInputs, _ saved: Activations, gradientScale: Float,
                 _ parameters: ParameterStore) -> (loss: Float, counted: Int) {
        let backend = parameters.backend
        backend.gatherRows(hidden, indices: inputs.maskedRows, into: saved.gathered, accumulate: false)
        transform.forward(saved.gathered, into: saved.transformed, parameters)
        backend.activate(.gelu, saved.transformed, into: saved.activated)
        norm.forward(saved.activated, into: saved.normalized, saved.norm, parameters)
        decoder.forward(saved.normalized, into: saved.logits, parameters)
        return backend.crossEntropy(logits: saved.logits, labels: inputs.maskedLabels, ignoreIndex: PretrainingInputs.ignoredLabel,
                                    gradientScale: gradientScale, dLogits: saved.dLogits)
    }

    /// Adds d(hidden) at the masked rows into `dHidden` [N, H].
    func backward(_ inputs: DeviceInputs, _ saved: Activations, into dHidden: Tensor, _ parameters: ParameterStore) {
        let backend = parameters.backend
        let (first, second) = saved.dHidden
        decoder.backward(saved.dLogits, x: saved.normalized, into: first, parameters)
        norm.backward(first, x: saved.activated, into: first, saved.norm, parameters)
        backend.activateBackward(.gelu, x: saved.transformed, y: saved.activated, dy: first, into: first)
        transform.backward(first, x: saved.gathered, into: second, parameters)
        backend.scatterAddRows(second, indices: inputs.maskedRows, into: dHidden)
    }
}
