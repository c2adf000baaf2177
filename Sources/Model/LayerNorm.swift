import Tensor

/// Layer normalisation over each row, with a learned scale and shift.
///
/// Shapes: x, y [N, H]; weight (γ), bias (β) [H]; saved mean, rstd [N].
struct LayerNorm {
    let gamma: ParameterID
    let beta: ParameterID
    let epsilon: Float

    /// The activations kept for the backward pass.
    struct Activations {
        let mean: Tensor
        let rstd: Tensor

        init(rows: Int, _ backend: Backend) {
            mean = backend.zeros([rows])
            rstd = backend.zeros([rows])
        }
    }

    /// Registers `<name>.weight` (ones) and `<name>.bias` (zeros) of width `size`.
    init(_ store: ParameterStore, _ name: String, size: Int, epsilon: Float) {
        gamma = store.register(name + ".weight", [size], initializer: .ones)
        beta = store.register(name + ".bias", [size], initializer: .zeros)
        self.epsilon = epsilon
    }

    /// y = (x − mean)·rstd·γ + β.
    func forward(_ x: Tensor, into y: Tensor, _ saved: Activations, _ parameters: ParameterStore) {
        parameters.backend.layerNorm(x, gamma: parameters.value(gamma), beta: parameters.value(beta), epsilon: epsilon,
                                     into: y, mean: saved.mean, rstd: saved.rstd)
    }

    /// dx from dy; dγ and dβ accumulated.
    func backward(_ dy: Tensor, x: Tensor, into dx: Tensor, _ saved: Activations, _ parameters: ParameterStore) {
        parameters.backend.layerNormBackward(dy: dy, x: x, gamma: parameters.value(gamma), mean: saved.mean,
                                             rstd: saved.rstd, into: dx, dGamma: parameters.gradient(gamma),
                                             dBeta: parameters.gradient(beta))
    }
}
