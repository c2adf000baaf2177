import Tensor

/// Clipping by global norm: when the L2 norm of all gradients together exceeds `maxNorm`,
/// every gradient is scaled by maxNorm / norm (FusedLAMB's pre-normalisation, TensorFlow's
/// clip_by_global_norm).
///
/// The gradients are not changed: the scale goes into the optimizer step, which applies it as
/// it reads them.
public struct GradientClipping: Sendable, Hashable {
    /// The largest global norm left as it is.
    public var maxNorm: Float

    public init(maxNorm: Float = 1) {
        precondition(maxNorm > 0, "the clipping norm must be positive, got \(maxNorm)")
        self.maxNorm = maxNorm
    }

    /// The global norm of the gradients times `gradientScale` (an average over micro-batches,
    /// a loss scale undone), for logging, and the scale to pass to the optimizer step:
    /// `gradientScale`, times maxNorm / norm when the norm exceeds `maxNorm`.
    ///
    /// A norm that is not finite (an overflow) comes back as it is, for the caller to skip the
    /// step; its scale is then meaningless.
    public func measure(_ parameters: ParameterStore, gradientScale: Float = 1) -> (norm: Double, scale: Float) {
        let norm = parameters.backend.sumOfSquares(parameters.gradients).squareRoot() * Double(gradientScale.magnitude)
        let clipped = norm > Double(maxNorm) ? Float(Double(maxNorm) / norm) : 1
        return (norm, gradientScale * clipped)
    }
}
