import Tensor

/// A highway layer: y = g·x + (1 − g)·ReLU(A·x + a) with the gate g = σ(B·x + b), where
/// [A; B] is one Linear(D → 2D) whose first half is the transform and second half the gate.
///
/// Shapes: x, y [N, D]; weight [2D, D]; bias [2D]; transform, gate [N, D].
struct Highway {
    let transform: Linear
    let gate: Linear

    /// What the forward pass keeps for the backward pass.
    struct Activations {
        let transformInput: Tensor, transformed: Tensor
        let gateInput: Tensor, gate: Tensor
        let output: Tensor

        init(tokens: Int, width: Int, _ backend: Backend) {
            transformInput = backend.zeros([tokens, width])
            transformed = backend.zeros([tokens, width])
            gateInput = backend.zeros([tokens, width])
            gate = backend.zeros([tokens, width])
            output = backend.zeros([tokens, width])
        }
    }

    /// Registers `<name>.weight` [2D, D] (normal(0, σ)) and `<name>.bias` [2D] (0 for the
    /// transform, 1 for the gate, so that a new layer mostly carries its input).
    init(_ store: ParameterStore, _ name: String, width: Int, initializerRange: Float) {
        let weight = store.register(name + ".weight", [2 * width, width],
                                    initializer: .normal(standardDeviation: initializerRange))
        let bias = store.register(name + ".bias", [2 * width],
                                  initializer: .values([Float](repeating: 0, count: width) + [Float](repeating: 1, count: width)))
        transform = Linear(weight: weight, bias: bias, rows: 0..<width)
        gate = Linear(weight: weight, bias: bias, rows: width..<2 * width)
    }

    /// y = g·x + (1 − g)·ReLU(transform), into `saved.output`.
    func forward(_ x: Tensor, _ saved: Activations, _ parameters: ParameterStore) {
        let backend = parameters.backend
        transform.forward(x, into: saved.transformInput, parameters)
        backend.activate(.relu, saved.transformInput, into: saved.transformed)
        gate.forward(x, into: saved.gateInput, parameters)
        backend.activate(.sigmoid, saved.gateInput, into: saved.gate)
        backend.gatedMix(gate: saved.gate, x, saved.transformed, into: saved.output)
    }

    /// dx from dy (three `scratch` buffers of x's shape are used); parameter gradients accumulate.
    func backward(_ dy: Tensor, x: Tensor, into dx: Tensor, _ saved: Activations, scratch: [Tensor],
                  _ parameters: ParameterStore) {
        let backend = parameters.backend
        let (dGate, dCarry, dTransform) = (scratch[0], scratch[1], scratch[2])
        backend.gatedMixBackward(gate: saved.gate, x, saved.transformed, dy: dy, dGate: dGate, dA: dCarry, dB: dTransform)
        backend.activateBackward(.sigmoid, x: saved.gateInput, y: saved.gate, dy: dGate, into: dGate)
        backend.activateBackward(.relu, x: saved.transformInput, y: saved.transformed, dy: dTransform, into: dTransform)
        transform.backward(dTransform, x: x, into: dx, parameters)
        gate.backward(dGate, x: x, into: dx, accumulate: true, parameters)
        backend.add(dx, dCarry, into: dx)
    }
}
