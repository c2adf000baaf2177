/// The learning rate as a pure function of the step.
///
/// Steps count from 1: step t is the optimizer's t-th step, the one taken when its
/// `state.stepCount` is t − 1 (and the t of its bias correction). Each schedule says how it
/// maps its source's own step numbering onto this.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate of step `step` (≥ 1).
    func learningRate(atStep step: Int) -> Float
}
