import Tensor

/// An optimizer over a `ParameterStore`'s flat buffers: each step is one or two `Backend`
/// calls over every parameter at once.
///
/// A step reads the gradients (and may overwrite them: LAMB writes its update there), so the
/// caller measures them first (`GradientClipping`) and zeroes them before the next step's
/// micro-batches. Everything the optimizer keeps between steps is in `state`, for checkpoints.
public protocol Optimizer: AnyObject {
    /// The step count and the per-element buffers kept between steps.
    var state: OptimizerState { get }

    /// Takes one step: updates `parameters.values` from `parameters.gradients` times
    /// `gradientScale` (clipping, averaging, undoing a loss scale) at `learningRate`, and
    /// counts it in `state.stepCount`. Every step must be given the same store.
    func step(parameters: ParameterStore, learningRate: Float, gradientScale: Float)
}
