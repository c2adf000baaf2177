import Tensor

/// AdamW as torch.optim.AdamW: Adam's moments, bias-corrected, and weight decay decoupled from
/// them, p ← p·(1 − lr·wd) − lr·m̂ / (√v̂ + ε), the decay only for the parameters that decay.
///
/// Google's original BERT optimizer is this with ε = 1e-6 and no bias correction: its step
/// p − lr·(m / (√v + ε) + wd·p) is the same.
public final class AdamW: Optimizer {
    /// The settings, which may change between steps.
    public var hyperparameters: AdamHyperparameters
    /// The step count and the moments, "exp_avg" (m) and "exp_avg_sq" (v).
    public let state = OptimizerState(bufferNames: AdamHyperparameters.bufferNames)

    /// An optimizer with torch's defaults unless told otherwise: β (0.9, 0.999), ε 1e-8,
    /// weight decay 0.01, bias correction.
    public init(_ hyperparameters: AdamHyperparameters = AdamHyperparameters(epsilon: 1e-8)) {
        self.hyperparameters = hyperparameters
    }

    public func step(parameters: ParameterStore, learningRate: Float, gradientScale: Float) {
        hyperparameters.step(state, parameters: parameters, learningRate: learningRate, gradientScale: gradientScale,
                             parameters.backend.adamW)
    }
}
