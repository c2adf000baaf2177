import Tensor

/// The settings of an Adam-family optimizer (`AdamW`, `LAMB`): the moments' decay rates, ε,
/// the weight decay of the parameters that decay, and whether the moments are bias-corrected.
public struct AdamHyperparameters: Sendable, Hashable {
    /// The names of the two moment buffers in checkpoints, torch's: m, then v.
    static let bufferNames = ["exp_avg", "exp_avg_sq"]

    /// The decay rate β1 of the first moment m.
    public var beta1: Double
    /// The decay rate β2 of the second moment v.
    public var beta2: Double
    /// ε, added to √v̂ in the denominator.
    public var epsilon: Float
    /// The weight decay of the parameters whose `decays` is set.
    public var weightDecay: Float
    /// Whether m and v are divided by 1 − β^t (torch and apex do; Google's BERT does not).
    public var biasCorrection: Bool

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Float, weightDecay: Float = 0.01,
                biasCorrection: Bool = true) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.biasCorrection = biasCorrection
    }

    /// Counts a step in `state` and takes it with `update` (a `Backend`'s `adamW` or `lamb`),
    /// handing it the step's scalars, the store's buffers, the moments and the segments.
    func step(_ state: OptimizerState, parameters: ParameterStore, learningRate: Float, gradientScale: Float,
              _ update: (AdamStep, Tensor, Tensor, Tensor, Tensor, [ParameterSegment]) -> Void) {
        let moments = state.buffers(for: parameters)
        state.stepCount += 1
        let step = AdamStep(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                            weightDecay: weightDecay, gradientScale: gradientScale,
                            step: state.stepCount, biasCorrection: biasCorrection)
        update(step, parameters.values, parameters.gradients, moments[0], moments[1], parameters.segments)
    }
}
