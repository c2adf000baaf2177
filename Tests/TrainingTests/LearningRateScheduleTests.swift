import Testing
import Training

extension TrainingTests {
    /// The schedules at their boundary steps.
    @Suite struct LearningRateScheduleTests {
        /// NVIDIA's: progress = step / total, warm-up while progress < warmup, then
        /// (1 − progress)^0.5, 0 at the last step and after it.
        @Test func polyWarmUpFollowsNVIDIA() {
            let schedule = PolyWarmUp(baseRate: 1, warmup: 0.2, totalSteps: 10)
            #expect(schedule.learningRate(atStep: 1) == 0.1 / 0.2)
            #expect(schedule.learningRate(atStep: 2) == Float(0.8).squareRoot())  // progress = warmup: decay
            #expect(schedule.learningRate(atStep: 9) == (1 - Float(0.9)).squareRoot())
            #expect(schedule.learningRate(atStep: 10) == 0)
            #expect(schedule.learningRate(atStep: 11) == 0)
        }

        /// NVIDIA's phase 1 (lr 6e-3, warm-up 0.2843 of 7,038 steps): steps 1…2000 warm up.
        @Test func polyWarmUpPhaseOneTurnsAfterStep2000() {
            let schedule = PolyWarmUp(baseRate: 6e-3, warmup: 0.2843, totalSteps: 7038)
            let (last, first) = (schedule.learningRate(atStep: 2000), schedule.learningRate(atStep: 2001))
            #expect(abs(last - 6e-3 * (2000 / 7038) / 0.2843) < 1e-9)
            #expect(abs(first - 6e-3 * (1 - Float(2001) / 7038).squareRoot()) < 1e-9)
            #expect(last < 6e-3 && first < 6e-3 && schedule.learningRate(atStep: 1) == 6e-3 * (1 / 7038) / 0.2843)
        }

        @Test func polyWarmUpWithoutWarmUpStartsDecaying() {
            let schedule = PolyWarmUp(baseRate: 2, warmup: 0, totalSteps: 4)
            #expect(schedule.learningRate(atStep: 1) == 2 * Float(0.75).squareRoot())
        }

        /// Google's: step t is its global step t − 1, so the first rate is 0; the warm-up ends
        /// where the decay takes over, continuously; 0 from the last step on.
        @Test func linearWarmUpDecayFollowsGoogle() {
            let schedule = LinearWarmUpDecay(baseRate: 1, warmupSteps: 10, totalSteps: 100)
            #expect(schedule.learningRate(atStep: 1) == 0)
            #expect(schedule.learningRate(atStep: 10) == 0.9)
            #expect(schedule.learningRate(atStep: 11) == 0.9)
            #expect(schedule.learningRate(atStep: 100) == 1 - Float(99) / 100)
            #expect(schedule.learningRate(atStep: 101) == 0 && schedule.learningRate(atStep: 500) == 0)
            #expect(LinearWarmUpDecay(baseRate: 1, warmupSteps: 0, totalSteps: 100).learningRate(atStep: 1) == 1)
        }

        @Test func constantWithWarmUpReachesItsRateAtTheLastWarmUpStep() {
            let schedule = ConstantWithWarmUp(baseRate: 2, warmupSteps: 4)
            #expect((1...5).map(schedule.learningRate(atStep:)) == [0.5, 1, 1.5, 2, 2])
            #expect(ConstantWithWarmUp(baseRate: 2).learningRate(atStep: 1) == 2)
        }
    }
}
