#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scalars of one step of an Adam-family optimizer, as the `Backend` steps take them.
///
/// With g the gradient times `gradientScale`, a step updates the moment estimates
/// m ← β1·m + (1 − β1)·g and v ← β2·v + (1 − β2)·g², and moves along Adam's direction
/// (m / c1) / (√(v / c2) + ε), where c1 = 1 − β1^t and c2 = 1 − β2^t at step t are the bias
/// corrections (both 1 without bias correction, as in Google's original BERT optimizer).
///
/// The betas are double, as torch takes them: the kernels compute with β and 1 − β each
/// rounded to float (1 − β rounded from float β, as apex's kernels compute it, would be 1.3e-5
/// from 0.001 for β2 = 0.999).
public struct AdamStep: Sendable, Hashable {
    /// The learning rate of this step.
    public var learningRate: Float
    /// The decay rate β1 of the first moment.
    public var beta1: Double
    /// The decay rate β2 of the second moment.
    public var beta2: Double
    /// ε, added to √v̂ in the denominator.
    public var epsilon: Float
    /// The weight decay of the segments that decay; the others have none.
    public var weightDecay: Float
    /// The factor applied to every gradient before it is used: clipping by global norm,
    /// averaging over micro-batches, undoing a loss scale.
    public var gradientScale: Float
    /// c1 = 1 − β1^t, the divisor of m (1 without bias correction).
    public var firstCorrection: Float
    /// c2 = 1 − β2^t, the divisor of v (1 without bias correction).
    public var secondCorrection: Float

    /// The scalars of step `step` (counted from 1), the bias corrections computed in double
    /// precision when `biasCorrection` is set.
    public init(learningRate: Float, beta1: Double, beta2: Double, epsilon: Float, weightDecay: Float,
                gradientScale: Float, step: Int, biasCorrection: Bool) {
        precondition(step >= 1, "Adam steps count from 1, got \(step)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.gradientScale = gradientScale
        firstCorrection = biasCorrection ? Float(1 - pow(beta1, Double(step))) : 1
        secondCorrection = biasCorrection ? Float(1 - pow(beta2, Double(step))) : 1
    }
}
