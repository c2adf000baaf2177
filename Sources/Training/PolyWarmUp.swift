#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NVIDIA's BERT schedule (PolyWarmUpScheduler in DeepLearningExamples'
/// PyTorch/LanguageModeling/BERT/schedulers.py): with progress = step / totalSteps, the rate
/// rises linearly, baseRate·progress / warmup, while progress < warmup, then decays as
/// baseRate·(1 − progress)^degree. Computed in float, as NVIDIA's tensors are.
///
/// NVIDIA's scheduler sets its step to the optimizer's step count + 1 before each optimizer
/// step, so its step is this protocol's: the first step has rate baseRate / (warmup·total),
/// and the last (step = totalSteps) has rate 0. Past totalSteps, where NVIDIA's power would
/// be NaN, the rate stays 0.
public struct PolyWarmUp: LearningRateSchedule {
    /// The peak rate, reached at the end of the warm-up.
    public var baseRate: Float
    /// The fraction of the steps spent warming up (0.2843 in NVIDIA's phase 1).
    public var warmup: Float
    /// The number of steps of the run.
    public var totalSteps: Int
    /// The power of the decay.
    public var degree: Float

    public init(baseRate: Float, warmup: Float, totalSteps: Int, degree: Float = 0.5) {
        precondition(warmup >= 0 && totalSteps >= 1, "warm-up \(warmup) over \(totalSteps) steps")
        self.baseRate = baseRate
        self.warmup = warmup
        self.totalSteps = totalSteps
        self.degree = degree
    }

    public func learningRate(atStep step: Int) -> Float {
        let progress = Float(step) / Float(totalSteps)
        if progress < warmup { return baseRate * progress / warmup }
        return progress < 1 ? baseRate * pow(1 - progress, degree) : 0
    }
}
