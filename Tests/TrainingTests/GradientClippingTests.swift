import Testing
import Tensor
import Training

extension TrainingTests {
    /// The global gradient norm and the scale that clips it.
    @Suite struct GradientClippingTests {
        /// Gradients of norm 5 (3, 4 and zeros), in a store whose gaps are zero.
        let store = makeStore(values: [Float](repeating: 0, count: 16),
                              gradients: [3] + [Float](repeating: 0, count: 9) + [4] + [Float](repeating: 0, count: 5))

        @Test func normAboveTheLimitIsScaledDownToIt() {
            let (norm, scale) = GradientClipping(maxNorm: 1).measure(store)
            #expect(norm == 5 && scale == 0.2)
        }

        @Test func normWithinTheLimitIsLeftAlone() {
            let (norm, scale) = GradientClipping(maxNorm: 5).measure(store)
            #expect(norm == 5 && scale == 1)
        }

        /// Gradients summed over 4 micro-batches: the norm is the average's, and the scale both
        /// averages and clips.
        @Test func gradientScaleComesBeforeTheLimit() {
            let clipping = GradientClipping(maxNorm: 1)
            let (norm, scale) = clipping.measure(store, gradientScale: 0.25)
            #expect(norm == 1.25 && scale == 0.25 * 0.8)
            #expect(clipping.measure(store, gradientScale: 0.125) == (0.625, 0.125))
        }
    }
}
