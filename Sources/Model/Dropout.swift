import Support
import Tensor

/// Inverted dropout: during training each element is kept with probability 1 − p and scaled
/// by 1/(1 − p); otherwise, or with p = 0, the input passes through unchanged.
///
/// Shapes: x, y, mask (int8) any shape of equal count.
struct Dropout {
    let probability: Float

    /// The activations kept for the backward pass: the output and its keep mask, or nil when
    /// the layer never drops anything.
    struct Activations {
        let output: Tensor?
        let mask: Tensor?

        init(_ shape: Shape, probability: Float, _ backend: Backend) {
            output = probability > 0 ? backend.zeros(shape) : nil
            mask = probability > 0 ? backend.allocate(shape, dtype: .int8) : nil
        }

        /// What `forward` returned for the input `x` (the saved output when training with
        /// something to drop, x itself otherwise), for the backward pass of the layer after.
        func result(of x: Tensor, training: Bool) -> Tensor {
            training ? output ?? x : x
        }
    }

    /// The output: x itself when nothing is dropped, the saved output otherwise.
    func forward(_ x: Tensor, _ saved: Activations, training: Bool, generator: inout SeededGenerator,
                 _ backend: Backend) -> Tensor {
        guard training, let output = saved.output, let mask = saved.mask else { return x }
        backend.dropout(x, probability: probability, generator: &generator, mask: mask, into: output)
        return output
    }

    /// dx from dy, written into `scratch` (in place over dy is allowed); dy itself when the
    /// forward pass dropped nothing.
    func backward(_ dy: Tensor, _ saved: Activations, training: Bool, into scratch: Tensor, _ backend: Backend) -> Tensor {
        guard training, let mask = saved.mask else { return dy }
        backend.dropoutBackward(dy: dy, mask: mask, probability: probability, into: scratch)
        return scratch
    }
}
