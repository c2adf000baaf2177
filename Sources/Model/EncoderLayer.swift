import Support
import Tensor

/// One post-LN transformer encoder layer, Hugging Face's `BertLayer`: self-attention over the
/// unpadded keys, output dense, dropout, residual sum and LayerNorm; then the intermediate
/// dense with GELU, the output dense, dropout, residual sum and LayerNorm.
///
/// A layer can compute its output for only some rows of each sequence (the last layer, for
/// the rows the pre-training heads read): keys and values still come from every token, but
/// the queries, and everything after the attention, only from those rows.
///
/// Shapes (N = B·S tokens, R rows computed per sequence (S, or fewer), Q = B·R, H hidden,
/// h heads of d = H/h, I intermediate): x [N, H]; y [Q, H]; query heads [B, h, R, d];
/// key/value heads [B, h, S, d]; probabilities [B, h, R, S]; additive mask [B, S];
/// inner [Q, I].
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
        /// The rows of x the layer computes, int32 [Q], and x at those rows [Q, H]; nil when
        /// it computes every row.
        let queryRows: Tensor?, queryInput: Tensor?
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

        /// Buffers for a layer that computes the rows `queryRows` (int32 [Q], the same number
        /// in every sequence), or every row when nil.
        init(_ shape: BatchShape, _ layer: EncoderLayer, intermediateSize: Int, queryRows: Tensor? = nil,
             _ backend: Backend) {
            let (b, s, h) = (shape.batchSize, shape.sequenceLength, layer.heads * layer.headSize)
            let n = queryRows?.count ?? shape.tokens
            let r = n / b
            precondition(r * b == n, "\(n) query rows do not split evenly between \(b) sequences")
            let scoreShape: Shape = [b, layer.heads, r, s]
            self.queryRows = queryRows
            queryInput = queryRows.map { _ in backend.zeros([n, h]) }
            queryHeads = backend.zeros([b, layer.heads, r, layer.headSize])
            keyHeads = backend.zeros([b, layer.heads, s, layer.headSize])
            valueHeads = backend.zeros([b, layer.heads, s, layer.headSize])
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

    /// y = LN(a + FFN(a)) with a = LN(x + Attention(x)) at the rows the layer computes; the
    /// result is `saved.output`.
    func forward(_ x: Tensor, mask: Tensor, _ saved: Activations, _ work: Workspace, training: Bool,
                 generator: inout SeededGenerator, _ parameters: ParameterStore) {
        let backend = parameters.backend
        let rows = saved.output.shape[0]
        var queries = x
        if let queryRows = saved.queryRows, let queryInput = saved.queryInput {
            backend.gatherRows(x, indices: queryRows, into: queryInput, accumulate: false)
            queries = queryInput
        }
        for (linear, input, heads) in [(query, queries, saved.queryHeads), (key, x, saved.keyHeads),
                                       (value, x, saved.valueHeads)] {
            let projection = work.projections[0].slice(0..<input.shape[0])
            linear.forward(input, into: projection, parameters)
            backend.swapMiddleAxes(projection.reshaped(splitShape(heads)), into: heads)
        }
        backend.batchedMatmul(saved.queryHeads, saved.keyHeads, transposeB: true, into: saved.probabilities)
        backend.softmax(saved.probabilities, scale: scoreScale, mask: mask, into: saved.probabilities)
        let attention = probabilityDropout.forward(saved.probabilities, saved.probabilityDropout, training: training,
                                                   generator: &generator, backend)
        let context = work.heads[0].view(at: 0, saved.queryHeads.shape)
        backend.batchedMatmul(attention, saved.valueHeads, into: context)
        backend.swapMiddleAxes(context, into: saved.context.reshaped(splitShape(context)))

        let hidden = work.hidden.slice(0..<rows)
        attentionOutput.forward(saved.context, into: hidden, parameters)
        let attentionResult = hiddenDropout.forward(hidden, saved.attentionDropout, training: training,
                                                    generator: &generator, backend)
        backend.add(attentionResult, queries, into: saved.attentionSum)
        attentionNorm.forward(saved.attentionSum, into: saved.attended, saved.attentionNorm, parameters)

        intermediate.forward(saved.attended, into: saved.inner, parameters)
        backend.activate(.gelu, saved.inner, into: saved.activated)
        output.forward(saved.activated, into: hidden, parameters)
        let feedForwardResult = hiddenDropout.forward(hidden, saved.outputDropout, training: training,
                                                      generator: &generator, backend)
        backend.add(feedForwardResult, saved.attended, into: saved.outputSum)
        outputNorm.forward(saved.outputSum, into: saved.output, saved.outputNorm, parameters)
    }

    /// Takes dy [Q, H] in the first rows of `work.gradient` and leaves dx [N, H] there;
    /// parameter gradients accumulate.
    func backward(_ x: Tensor, _ saved: Activations, _ work: Workspace, training: Bool, _ parameters: ParameterStore) {
        let backend = parameters.backend
        let rows = saved.output.shape[0]
        let (gradient, residual, hidden) = (work.gradient.slice(0..<rows), work.residual.slice(0..<rows),
                                            work.hidden.slice(0..<rows))
        let inner = work.inner.slice(0..<rows)
        // Feed-forward block: dy → d(outputSum) → d(activated) → d(inner) → d(attended).
        outputNorm.backward(gradient, x: saved.outputSum, into: residual, saved.outputNorm, parameters)
        let dFeedForward = hiddenDropout.backward(residual, saved.outputDropout, training: training, into: hidden,
                                                  backend)
        output.backward(dFeedForward, x: saved.activated, into: inner, parameters)
        backend.activateBackward(.gelu, x: saved.inner, y: saved.activated, dy: inner, into: inner)
        intermediate.backward(inner, x: saved.attended, into: gradient, parameters)
        backend.add(gradient, residual, into: gradient)

        // Attention block: d(attended) → d(attentionSum) → d(context) → d(heads) → dx.
        attentionNorm.backward(gradient, x: saved.attentionSum, into: residual, saved.attentionNorm, parameters)
        let dAttention = hiddenDropout.backward(residual, saved.attentionDropout, training: training, into: hidden,
                                                backend)
        let dQueryProjection = work.projections[0].slice(0..<rows)
        attentionOutput.backward(dAttention, x: saved.context, into: dQueryProjection, parameters)
        let dContext = work.heads[0].view(at: 0, saved.queryHeads.shape)
        backend.swapMiddleAxes(dQueryProjection.reshaped(splitShape(dContext)), into: dContext)
        let attention = saved.probabilityDropout.result(of: saved.probabilities, training: training)
        let dQuery = work.heads[1].view(at: 0, saved.queryHeads.shape)
        let (dKey, dValue) = (work.heads[2], work.heads[3])
        let dScores = work.scores.view(at: 0, saved.probabilities.shape)
        backend.batchedMatmul(dContext, saved.valueHeads, transposeB: true, into: dScores)
        backend.batchedMatmul(attention, transposeA: true, dContext, into: dValue)
        let dProbabilities = probabilityDropout.backward(dScores, saved.probabilityDropout, training: training,
                                                         into: dScores, backend)
        backend.softmaxBackward(dy: dProbabilities, y: saved.probabilities, scale: scoreScale, into: dScores)
        backend.batchedMatmul(dScores, saved.keyHeads, into: dQuery)
        backend.batchedMatmul(dScores, transposeA: true, saved.queryHeads, into: dKey)
        // dx = the key and value paths' gradients at every row, plus the query path's and the
        // residual's at the rows computed.
        for (index, (linear, dHeads)) in [(key, dKey), (value, dValue)].enumerated() {
            let dProjection = work.projections[index + 1]
            backend.swapMiddleAxes(dHeads, into: dProjection.reshaped(splitShape(dHeads)))
            linear.backward(dProjection, x: x, into: work.gradient, accumulate: index > 0, parameters)
        }
        backend.swapMiddleAxes(dQuery, into: dQueryProjection.reshaped(splitShape(dQuery)))
        if let queryRows = saved.queryRows, let queryInput = saved.queryInput {
            query.backward(dQueryProjection, x: queryInput, into: hidden, parameters)
            backend.add(hidden, residual, into: hidden)
            backend.scatterAddRows(hidden, indices: queryRows, into: work.gradient)
        } else {
            query.backward(dQueryProjection, x: x, into: work.gradient, accumulate: true, parameters)
            backend.add(work.gradient, residual, into: work.gradient)
        }
    }

    /// [B, R, h, d]: the rows' hidden states seen as heads, before the axes swap, for heads
    /// [B, h, R, d].
    private func splitShape(_ heads: Tensor) -> Shape {
        [heads.shape[0], heads.shape[2], heads.shape[1], heads.shape[3]]
    }
}
