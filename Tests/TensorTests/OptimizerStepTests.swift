import Testing
@testable import Tensor

extension TensorTests {
    /// The AdamW and LAMB steps over the segments of flat buffers, against `ReferenceOptimizer`
    /// over several steps.
    @Suite struct OptimizerStepTests {
        // Worst relative errors measured over four steps, each of the scale of its rounding
        // error (the same recurrence over the terms' magnitudes, as p and m may cancel to near
        // 0): parameters 2.9e-7 (AdamW) and 2.1e-7 (LAMB), m 2.0e-7, v 3.8e-7, LAMB's update
        // 3.2e-7.

        /// The segments: mixed decay, odd counts, one longer than a thread's share (16,384),
        /// one empty, and some with zero parameters (‖p‖ = 0) or zero gradients (with zero
        /// parameters too, ‖u‖ = 0).
        static let layout: [(count: Int, decays: Bool, zeroParameters: Bool, zeroGradients: Bool)] = [
            (37, true, false, false), (1, false, false, false), (16, true, true, false),
            (40_003, true, false, false), (5, true, true, true), (29, false, false, true),
            (0, true, false, false), (23, false, false, false),
        ]
        /// The value of the parameter buffer between segments, which no step may change.
        static let gap: Float = 7

        let segments: [ParameterSegment]
        let count: Int

        /// The segments laid out as a `ParameterStore` lays out parameters, each at a multiple
        /// of 16 elements.
        init() {
            var segments: [ParameterSegment] = [], end = 0
            for entry in Self.layout {
                segments.append(ParameterSegment(offset: (end + 15) / 16 * 16, count: entry.count, decays: entry.decays))
                end = segments.last!.elements.upperBound
            }
            (self.segments, count) = (segments, end + 3)
        }

        /// `values` with the elements of the segments flagged by `zero` set to 0, the gaps to `gap`.
        func masked(_ values: [Float], zero: (Int) -> Bool, gap: Float?) -> [Float] {
            var result = gap.map { [Float](repeating: $0, count: count) } ?? values
            for (index, segment) in segments.enumerated() {
                for i in segment.elements { result[i] = zero(index) ? 0 : values[i] }
            }
            return result
        }

        func initialParameters() -> [Float] {
            masked(randomFloats(count, seed: 1), zero: { Self.layout[$0].zeroParameters }, gap: Self.gap)
        }

        /// Step t's gradients, random in the gaps too (which no step may read).
        func gradients(_ t: Int) -> [Float] {
            masked(randomFloats(count, seed: 100 + UInt64(t)), zero: { Self.layout[$0].zeroGradients }, gap: nil)
        }

        /// Step t's scalars, the learning rate and gradient scale changing from step to step.
        func adamStep(_ t: Int, weightDecay: Float, biasCorrection: Bool) -> AdamStep {
            let (rates, scales): ([Float], [Float]) = ([1e-2, 3e-3, 5e-2, 1e-3], [1, 0.5, 2, 0.25])
            return AdamStep(learningRate: rates[(t - 1) % 4], beta1: 0.9, beta2: 0.999, epsilon: 1e-6,
                            weightDecay: weightDecay, gradientScale: scales[(t - 1) % 4], step: t, biasCorrection: biasCorrection)
        }

        /// The buffers after `steps` steps of AdamW or LAMB on `backend`.
        func run(lamb: Bool, on backend: CPUBackend, steps: Int, weightDecay: Float, biasCorrection: Bool)
            -> (p: [Float], m: [Float], v: [Float], g: [Float]) {
            let p = backend.tensor(initialParameters(), [count]), g = backend.zeros([count])
            let m = backend.zeros([count]), v = backend.zeros([count])
            for t in 1...steps {
                backend.write(gradients(t), to: g)
                let step = adamStep(t, weightDecay: weightDecay, biasCorrection: biasCorrection)
                if lamb {
                    backend.lamb(step, parameters: p, gradients: g, firstMoments: m, secondMoments: v, segments: segments)
                } else {
                    backend.adamW(step, parameters: p, gradients: g, firstMoments: m, secondMoments: v, segments: segments)
                }
            }
            return (backend.floats(p), backend.floats(m), backend.floats(v), backend.floats(g))
        }

        /// The reference after `steps` steps, with the last step's LAMB update.
        func reference(lamb: Bool, steps: Int, weightDecay: Float, biasCorrection: Bool)
            -> (ReferenceOptimizer, update: (u: [Double], scale: [Double])) {
            var reference = ReferenceOptimizer(initialParameters()), u: (u: [Double], scale: [Double]) = ([], [])
            for t in 1...steps {
                let step = adamStep(t, weightDecay: weightDecay, biasCorrection: biasCorrection)
                if lamb {
                    u = reference.lamb(gradients(t), step, t: t, biasCorrection: biasCorrection, segments: segments)
                } else {
                    reference.adamW(gradients(t), step, t: t, biasCorrection: biasCorrection, segments: segments)
                }
            }
            return (reference, u)
        }

        /// Expects the segments of the buffers close to the reference's, and the gaps untouched.
        func expectMatch(_ actual: (p: [Float], m: [Float], v: [Float], g: [Float]), _ reference: ReferenceOptimizer,
                         tolerance: Double, _ what: String) {
            let inside = segments.flatMap { Array($0.elements) }
            func pick<T>(_ values: [T]) -> [T] { inside.map { values[$0] } }
            expectClose(pick(actual.p), pick(reference.p), tolerance: tolerance, scale: pick(reference.pScale).map { max($0, 1e-30) }, "\(what) parameters")
            expectClose(pick(actual.m), pick(reference.m), tolerance: tolerance, scale: pick(reference.mScale).map { max($0, 1e-30) }, "\(what) m")
            expectClose(pick(actual.v), pick(reference.v), tolerance: tolerance, scale: pick(reference.v).map { max($0, 1e-30) }, "\(what) v")
            let outside = Set(0..<count).subtracting(inside)
            #expect(outside.allSatisfy { actual.p[$0] == Self.gap && actual.m[$0] == 0 && actual.v[$0] == 0 }, "\(what): a gap changed")
        }

        @Test(arguments: [true, false])
        func adamWMatchesTorchOverSeveralSteps(biasCorrection: Bool) {
            let actual = run(lamb: false, on: backend, steps: 4, weightDecay: 0.01, biasCorrection: biasCorrection)
            let (reference, _) = reference(lamb: false, steps: 4, weightDecay: 0.01, biasCorrection: biasCorrection)
            expectMatch(actual, reference, tolerance: 1e-6, "AdamW (bias correction \(biasCorrection))")
            #expect(actual.g == gradients(4), "AdamW changed the gradients")
        }

        /// With weight decay 0 no segment takes a trust ratio, as in apex.
        @Test(arguments: [Float(0.01), 0])
        func lambMatchesFusedLAMBOverSeveralSteps(weightDecay: Float) {
            let actual = run(lamb: true, on: backend, steps: 4, weightDecay: weightDecay, biasCorrection: true)
            let (reference, u) = reference(lamb: true, steps: 4, weightDecay: weightDecay, biasCorrection: true)
            expectMatch(actual, reference, tolerance: 1e-6, "LAMB (weight decay \(weightDecay))")
            // The last update lies over the gradients; the gaps keep the gradients.
            let inside = segments.flatMap { Array($0.elements) }
            expectClose(inside.map { actual.g[$0] }, inside.map { u.u[$0] }, tolerance: 1e-6,
                        scale: inside.map { max(u.scale[$0], 1e-30) }, "LAMB update")
            let last = gradients(4)
            #expect(Set(0..<count).subtracting(inside).allSatisfy { actual.g[$0] == last[$0] }, "LAMB wrote into a gap")
        }

        /// No segments (a fresh backend: no working memory yet): nothing changes.
        @Test func stepsOverNoSegmentsChangeNothing() {
            let fresh = CPUBackend(threads: 1)
            let (p, g) = (fresh.tensor([1, 2], [2]), fresh.tensor([3, 4], [2]))
            let step = adamStep(1, weightDecay: 0.01, biasCorrection: true)
            fresh.lamb(step, parameters: p, gradients: g, firstMoments: fresh.zeros([2]), secondMoments: fresh.zeros([2]), segments: [])
            fresh.adamW(step, parameters: p, gradients: g, firstMoments: fresh.zeros([2]), secondMoments: fresh.zeros([2]), segments: [])
            #expect(fresh.floats(p) == [1, 2] && fresh.floats(g) == [3, 4])
        }

        @Test(arguments: [false, true])
        func resultsDoNotDependOnTheThreadCount(lamb: Bool) {
            let single = CPUBackend(threads: 1)
            let one = run(lamb: lamb, on: single, steps: 3, weightDecay: 0.01, biasCorrection: true)
            let two = run(lamb: lamb, on: backend, steps: 3, weightDecay: 0.01, biasCorrection: true)
            #expect(one.p == two.p && one.m == two.m && one.v == two.v && one.g == two.g)
        }
    }
}
