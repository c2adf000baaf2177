/// A constant rate after an optional linear warm-up: baseRate·step / warmupSteps while step <
/// warmupSteps, then baseRate (NVIDIA's ConstantWarmUpScheduler, with the warm-up in steps).
public struct ConstantWithWarmUp: LearningRateSchedule {
    /// The rate after the warm-up.
    public var baseRate: Float
    /// The number of warm-up steps (0: none).
    public var warmupSteps: Int

    public init(baseRate: Float, warmupSteps: Int = 0) {
        precondition(warmupSteps >= 0, "\(warmupSteps) warm-up steps")
        self.baseRate = baseRate
        self.warmupSteps = warmupSteps
    }

    public func learningRate(atStep step: Int) -> Float {
        step < warmupSteps ? baseRate * (Float(step) / Float(warmupSteps)) : baseRate
    }
}
