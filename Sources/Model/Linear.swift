import Tensor

/// A fully connected layer over the rows of its input: y = x·Wᵀ + b.
///
/// Shapes: x [N, in]; weight [out, in] (Hugging Face's layout); bias [out]; y [N, out].
/// A layer can also be a block of rows of a larger weight (a highway layer's two halves) or
/// share another layer's weight (the MLM decoder tied to the word embeddings).
struct Linear {
    let weight: ParameterID
    let bias: ParameterID?
    /// The rows of the weight and bias this layer uses, or nil for all of them.
    let rows: Range<Int>?

    /// Registers `<name>.weight` [outputs, inputs] and, when `bias` is given, `<name>.bias`
    /// [outputs] with that initializer.
    init(_ store: ParameterStore, _ name: String, inputs: Int, outputs: Int, weight: Initializer,
         bias: Initializer? = .zeros) {
        self.weight = store.register(name + ".weight", [outputs, inputs], initializer: weight)
        self.bias = bias.map { store.register(name + ".bias", [outputs], initializer: $0) }
        rows = nil
    }

    /// A layer over existing parameters, or over the block `rows` of them.
    init(weight: ParameterID, bias: ParameterID?, rows: Range<Int>? = nil) {
        self.weight = weight
        self.bias = bias
        self.rows = rows
    }

    /// y = x·Wᵀ + b.
    func forward(_ x: Tensor, into y: Tensor, _ parameters: ParameterStore) {
        let backend = parameters.backend
        backend.matmul(x, weightView(parameters.value), transposeB: true, into: y)
        if let bias { backend.addBias(biasView(parameters.value, bias), to: y) }
    }

    /// dW += dyᵀ·x, db += Σ dy, then dx = dy·W (added to dx when `accumulate`; skipped when
    /// dx is nil). x is read before dx is written, so dx may be x's own buffer.
    func backward(_ dy: Tensor, x: Tensor, into dx: Tensor?, accumulate: Bool = false, _ parameters: ParameterStore) {
        let backend = parameters.backend
        backend.matmul(dy, transposeA: true, x, into: weightView(parameters.gradient), accumulate: true)
        if let bias { backend.accumulateBiasGradient(dy, into: biasView(parameters.gradient, bias)) }
        if let dx { backend.matmul(dy, weightView(parameters.value), into: dx, accumulate: accumulate) }
    }

    /// The weight (or its rows) as a matrix [out, in]; a convolution's [F, E, W] is [F, E·W].
    private func weightView(_ view: (ParameterID) -> Tensor) -> Tensor {
        let weight = rows.map { view(self.weight).slice($0) } ?? view(self.weight)
        return weight.reshaped([weight.shape[0], weight.count / max(weight.shape[0], 1)])
    }

    private func biasView(_ view: (ParameterID) -> Tensor, _ bias: ParameterID) -> Tensor {
        rows.map { view(bias).slice($0) } ?? view(bias)
    }
}
