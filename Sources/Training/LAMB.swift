import Tensor

/// LAMB as apex's FusedLAMB, NVIDIA's BERT optimizer: Adam's moments, bias-corrected, the
/// update u = m̂ / (√v̂ + ε) + wd·p, and p ← p − lr·r·u, with the trust ratio r = ‖p‖ / ‖u‖
/// of each parameter that decays (1 when either norm is 0) and r = 1 for the others (for
/// all, as in apex, when the weight decay is 0).
///
/// FusedLAMB's clipping by global norm comes first, as the step's `gradientScale` (see
/// `GradientClipping`). A step overwrites the gradients with the update.
public final class LAMB: Optimizer {
    /// The settings, which may change between steps.
    public var hyperparameters: AdamHyperparameters
    /// The step count and the moments, "exp_avg" (m) and "exp_avg_sq" (v).
    public let state = OptimizerState(bufferNames: AdamHyperparameters.bufferNames)

    /// An optimizer with FusedLAMB's defaults unless told otherwise: β (0.9, 0.999), ε 1e-6,
    /// weight decay 0.01, bias correction.
    public init(_ hyperparameters: AdamHyperparameters = AdamHyperparameters(epsilon: 1e-6)) {
        self.hyperparameters = hyperparameters
    }

    public func step(parameters: ParameterStore, learningRate: Float, gradientScale: Float) {
        hyperparameters.step(state, parameters: parameters, learningRate: learningRate, gradientScale: gradientScale,
                             parameters.backend.lamb)
    }
}
