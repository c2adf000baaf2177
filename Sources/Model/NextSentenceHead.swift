import Tensor

/// The pooler (dense + tanh on the [CLS] token) and the next-sentence classifier, Hugging
/// Face's `BertPooler` and `cls.seq_relationship`, with their cross-entropy.
///
/// Shapes (N tokens, B sequences, H hidden): hidden states [N, H]; [CLS] rows and labels
/// int32 [B]; gathered, pooled [B, H]; classifier weight [2, H]; logits [B, 2].
struct NextSentenceHead {
    let pooler: Linear
    let classifier: Linear

    /// What the forward pass keeps for the backward pass, and the logits.
    struct Activations {
        let gathered: Tensor
        let poolerInput: Tensor
        let pooled: Tensor
        let logits: Tensor
        let dLogits: Tensor
        /// Gradients on the way back, [B, H] each.
        let dHidden: (Tensor, Tensor)

        init(batchSize: Int, hiddenSize: Int, _ backend: Backend) {
            gathered = backend.zeros([batchSize, hiddenSize])
            poolerInput = backend.zeros([batchSize, hiddenSize])
            pooled = backend.zeros([batchSize, hiddenSize])
            logits = backend.zeros([batchSize, 2])
            dLogits = backend.zeros([batchSize, 2])
            dHidden = (backend.zeros([batchSize, hiddenSize]), backend.zeros([batchSize, hiddenSize]))
        }
    }

    /// Registers `bert.pooler.dense.*` and `cls.seq_relationship.*`.
    init(_ store: ParameterStore, _ configuration: BertConfiguration) {
        let (h, weights) = (configuration.hiddenSize, Initializer.normal(standardDeviation: configuration.initializerRange))
        pooler = Linear(store, "bert.pooler.dense", inputs: h, outputs: h, weight: weights)
        classifier = Linear(store, "cls.seq_relationship", inputs: h, outputs: 2, weight: weights)
    }

    /// The mean cross-entropy over the labelled rows, its gradient kept for `backward`, and
    /// the number of labelled rows.
    func forward(_ hidden: Tensor, _ inputs: DeviceInputs, _ saved: Activations, gradientScale: Float,
                 _ parameters: ParameterStore) -> (loss: Float, counted: Int) {
        let backend = parameters.backend
        backend.gatherRows(hidden, indices: inputs.classificationRows, into: saved.gathered, accumulate: false)
        pooler.forward(saved.gathered, into: saved.poolerInput, parameters)
        backend.activate(.tanh, saved.poolerInput, into: saved.pooled)
        classifier.forward(saved.pooled, into: saved.logits, parameters)
        return backend.crossEntropy(logits: saved.logits, labels: inputs.nextSentenceLabels,
                                    ignoreIndex: PretrainingInputs.ignoredLabel, gradientScale: gradientScale,
                                    dLogits: saved.dLogits)
    }

    /// Adds d(hidden) at the [CLS] rows into `dHidden` [N, H].
    func backward(_ inputs: DeviceInputs, _ saved: Activations, into dHidden: Tensor, _ parameters: ParameterStore) {
        let backend = parameters.backend
        let (first, second) = saved.dHidden
        classifier.backward(saved.dLogits, x: saved.pooled, into: first, parameters)
        backend.activateBackward(.tanh, x: saved.poolerInput, y: saved.pooled, dy: first, into: first)
        pooler.backward(first, x: saved.gathered, into: second, parameters)
        backend.scatterAddRows(second, indices: inputs.classificationRows, into: dHidden)
    }
}
