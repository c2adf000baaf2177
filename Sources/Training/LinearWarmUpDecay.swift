/// Google's BERT schedule (`create_optimizer` in google-research/bert optimization.py): a
/// linear warm-up over `warmupSteps` steps, then a linear decay to 0 at `totalSteps`.
/// Computed in float, as TensorFlow's tensors are.
///
/// Google's global step counts the steps taken before the current one, so step t of this
/// protocol is its t − 1: the rate is baseRate·(t − 1) / warmupSteps while t − 1 <
/// warmupSteps (0 for the first step), then baseRate·(1 − (t − 1) / totalSteps), and 0 from
/// step totalSteps + 1 on (TensorFlow's polynomial_decay holds the step at its end).
public struct LinearWarmUpDecay: LearningRateSchedule {
    /// The peak rate, reached at the end of the warm-up.
    public var baseRate: Float
    /// The number of warm-up steps (none: the decay starts from baseRate at the first step).
    public var warmupSteps: Int
    /// The step count at which the rate reaches 0.
    public var totalSteps: Int

    public init(baseRate: Float, warmupSteps: Int, totalSteps: Int) {
        precondition(warmupSteps >= 0 && totalSteps >= 1, "\(warmupSteps) warm-up steps of \(totalSteps)")
        self.baseRate = baseRate
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    public func learningRate(atStep step: Int) -> Float {
        let taken = step - 1
        if taken < warmupSteps { return baseRate * (Float(taken) / Float(warmupSteps)) }
        return baseRate * (1 - Float(min(taken, totalSteps)) / Float(totalSteps))
    }
}
