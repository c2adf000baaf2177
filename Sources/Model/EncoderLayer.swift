import Support
import Tensor

/// One post-LN transformer encoder layer, Hugging Face's `BertLayer`: self-attention over the
/// unpadded keys, output dense, dropout, residual sum and LayerNorm; then the intermediate
/// dense with GELU, the output dense, dropout, residual sum and LayerNorm.
///
/// Shapes (N = B·S tokens, H hidden, h heads of d = H/h, I intermediate):
/// x, y [N, H]; query/key/value heads [B, h, S, d]; probabilities [B, h, S, S];
/// additive mask [B, S]; inner [N, I].
struct EncoderLayer {
    let query: Linear
    let key: Linear
    let value: Linear
    let attentionOutput: Linear
    let attentionNorm: LayerNorm
    let intermediate: Linear
    let output: Linear
    let outputNorm: LayerNorm
    let probabilityDropout: Dropout
    let hiddenDropout: Dropout
    let heads: Int
    let headSize: Int

    /// What the forward pass keeps for the backward pass.
    struct Activations {
        let queryHeads: Tensor, keyHeads: Tensor, valueHeads: Tensor
        let probabilities: Tensor
        let probabilityDropout: Dropout.Activations
        let context: Tensor
        let attentionDropout: Dropout.Activations
        let attentionSum: Tensor
        let attentionNorm: LayerNorm.Activations
        let attended: Tensor
        let inner: Tensor
        let activated: Tensor
        let outputDropout: Dropout.Activations
        let outputSum: Tensor
        let outputNorm: LayerNorm.Activations
        /// The layer's output y.
        let output: Tensor

        init(_ shape: BatchShape, _ layer: EncoderLayer, intermediateSize: Int, _ backend: Backend) {
            let (n, h) = (shape.tokens, layer.heads * layer.headSize)
            let headShape: Shape = [shape.batchSize, layer.heads, shape.sequenceLength, layer.headSize]
            let scoreShape: Shape = [shape.batchSize, layer.heads, shape.sequenceLength, shape.sequenceLength]
            queryHeads = backend.zeros(headShape)
            keyHeads = backend.zeros(headShape)
            valueHeads = backend.zeros(headShape)
            probabilities = backend.zeros(scoreShape)
            probabilityDropout = .init(scoreShape, probability: layer.probabilityDropout.probability, backend)
            context = backend.zeros([n, h])
            attentionDropout = .init([n, h], probability: layer.hiddenDropout.probability, backend)
            attentionSum = backend.zeros([n, h])
            attentionNorm = .init(rows: n, backend)
            attended = backend.zeros([n, h])
            inner = backend.zeros([n, intermediateSize])
            activated = backend.zeros([n, intermediateSize])
            outputDropout = .init([n, h], probability: layer.hiddenDropout.probability, backend)
            outputSum = backend.zeros([n, h])
            outputNorm = .init(rows: n, backend)
            output = backend.zeros([n, h])
        }
    }

    /// Registers the parameters of `bert.encoder.layer.<index>`.
    init(_ store: ParameterStore, index: Int, _ configuration: BertConfiguration) {
        let prefix = "bert.encoder.layer.\(index)."
        let (h, i) = (configuration.hiddenSize, configuration.intermediateSize)
        let weights = Initializer.normal(standardDeviation: configuration.initializerRange)
        query = Linear(store, prefix + "attention.self.query", inputs: h, outputs: h, weight: weights)
        key = Linear(store, prefix + "attention.self.key", inputs: h, outputs: h, weight: weights)
        value = Linear(store, prefix + "attention.self.value", inputs: h, outputs: h, weight: weights)
        attentionOutput = Linear(store, prefix + "attention.output.dense", inputs: h, outputs: h, weight: weights)
        attentionNorm = LayerNorm(store, prefix + "attention.output.LayerNorm", size: h, epsilon: configuration.layerNormEpsilon)
        intermediate = Linear(store, prefix + "intermediate.dense", inputs: h, outputs: i, weight: weights)
        output = Linear(store, prefix + "output.dense", inputs: i, outputs: h, weight: weights)
        outputNorm = LayerNorm(store, prefix + "output.LayerNorm", size: h, epsilon: configuration.layerNormEpsilon)
        probabilityDropout = Dropout(probability: configuration.attentionDropout)
        hiddenDropout = Dropout(probability: configuration.hiddenDropout)
        heads = configuration.attentionHeads
        headSize = configuration.headSize
    }

    /// The scale of the attention scores, 1/√d.
    private var scoreScale: Float { 1 / Float(headSize).squareRoot() }

    /// y = LN(a + FFN(a)) with a = LN(x + Attention(x)); the result is `saved.output`.
    func forward(_ x: Tensor, mask: Tensor, _ saved: Activations, _ work: Workspace, training: Bool,
                 generator: inout SeededGenerator, _ parameters: ParameterStore) {
        let backend = parameters.backend
        let split = splitShape(saved)
        for (linear, heads) in [(query, saved.queryHeads), (key, saved.keyHeads), (value, saved.valueHeads)] {
            linear.forward(x, into: work.projections[0], parameters)
            backend.swapMiddleAxes(work.projections[0].reshaped(split), into: heads)
        }
        backend.batchedMatmul(saved.queryHeads, saved.keyHeads, transposeB: true, into: saved.probabilities)
        backend.softmax(saved.probabilities, scale: scoreScale, mask: mask, into: saved.probabilities)
        let attention = probabilityDropout.forward(saved.probabilities, saved.probabilityDropout, training: training,
                                                   generator: &generator, backend)
        backend.batchedMatmul(attention, saved.valueHeads, into: work.heads[0])
        backend.swapMiddleAxes(work.heads[0], into: saved.context.reshaped(split))

        attentionOutput.forward(saved.context, into: work.hidden, parameters)
        let attentionResult = hiddenDropout.forward(work.hidden, saved.attentionDropout, training: training,
                                                    generator: &generator, backend)
        backend.add(attentionResult, x, into: saved.attentionSum)
        attentionNorm.forward(saved.attentionSum, into: saved.attended, saved.attentionNorm, parameters)

        intermediate.forward(saved.attended, into: saved.inner, parameters)
        backend.activate(.gelu, saved.inner, into: saved.activated)
        output.forward(saved.activated, into: work.hidden, parameters)
        let feedForwardResult = hiddenDropout.forward(work.hidden, saved.outputDropout, training: training,
                                                      generator: &generator, backend)
        backend.add(feedForwardResult, saved.attended, into: saved.outputSum)
        outputNorm.forward(saved.outputSum, into: saved.output, saved.outputNorm, parameters)
    }

    /// Takes dy in `work.gradient` and leaves dx there; parameter gradients accumulate.
    func backward(_ x: Tensor, _ saved: Activations, _ work: Workspace, training: Bool, _ parameters: ParameterStore) {
        let backend = parameters.backend
        // Feed-forward block: dy → d(outputSum) → d(activated) → d(inner) → d(attended).
        outputNorm.backward(work.gradient, x: saved.outputSum, into: work.residual, saved.outputNorm, parameters)
        let dFeedForward = hiddenDropout.backward(work.residual, saved.outputDropout, training: training,
                                                  into: work.hidden, backend)
        output.backward(dFeedForward, x: saved.activated, into: work.inner, parameters)
        backend.activateBackward(.gelu, x: saved.inner, y: saved.activated, dy: work.inner, into: work.inner)
        intermediate.backward(work.inner, x: saved.attended, into: work.gradient, parameters)
        backend.add(work.gradient, work.residual, into: work.gradient)

        // Attention block: d(attended) → d(attentionSum) → d(context) → d(heads) → dx.
        attentionNorm.backward(work.gradient, x: saved.attentionSum, into: work.residual, saved.attentionNorm, parameters)
        let dAttention = hiddenDropout.backward(work.residual, saved.attentionDropout, training: training,
                                                into: work.hidden, backend)
        let split = splitShape(saved)
        attentionOutput.backward(dAttention, x: saved.context, into: work.projections[0], parameters)
        let dContext = work.heads[0]
        backend.swapMiddleAxes(work.projections[0].reshaped(split), into: dContext)
        let attention = saved.probabilityDropout.result(of: saved.probabilities, training: training)
        let (dQuery, dKey, dValue) = (work.heads[1], work.heads[2], work.heads[3])
        backend.batchedMatmul(dContext, saved.valueHeads, transposeB: true, into: work.scores)
        backend.batchedMatmul(attention, transposeA: true, dContext, into: dValue)
        let dProbabilities = probabilityDropout.backward(work.scores, saved.probabilityDropout, training: training,
                                                         into: work.scores, backend)
        backend.softmaxBackward(dy: dProbabilities, y: saved.probabilities, scale: scoreScale, into: work.scores)
        backend.batchedMatmul(work.scores, saved.keyHeads, into: dQuery)
        backend.batchedMatmul(work.scores, transposeA: true, saved.queryHeads, into: dKey)
        for (index, (linear, dHeads)) in [(query, dQuery), (key, dKey), (value, dValue)].enumerated() {
            let dProjection = work.projections[index]
            backend.swapMiddleAxes(dHeads, into: dProjection.reshaped(split))
            linear.backward(dProjection, x: x, into: work.gradient, accumulate: index > 0, parameters)
        }
        backend.add(work.gradient, work.residual, into: work.gradient)
    }

    /// [B, S, h, d]: the tokens' hidden states seen as heads, before the axes swap.
    private func splitShape(_ saved: Activations) -> Shape {
        let headShape = saved.queryHeads.shape
        return [headShape[0], headShape[2], heads, headSize]
    }
}
