#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Tensor

extension TensorTests {
    /// The vectorised functions against glibc's double-precision ones over dense sweeps.
    @Suite struct VectorMathTests {
        /// The worst relative error of `f` against `reference` on `count` evenly spaced points
        /// of `range`, judged relative to max(|reference|, floor).
        func sweep(_ range: ClosedRange<Double>, count: Int = 200_000, floor: Double = 0,
                   _ f: (FloatVector) -> FloatVector, _ reference: (Double) -> Double) -> Double {
            var worst = 0.0
            for start in stride(from: 0, to: count, by: 16) {
                var x = FloatVector.zero
                for lane in 0..<16 {
                    x[lane] = Float(range.lowerBound + (range.upperBound - range.lowerBound) * Double(start + lane) / Double(count))
                }
                let y = f(x)
                for lane in 0..<16 {
                    let expected = reference(Double(x[lane]))
                    worst = max(worst, abs(Double(y[lane]) - expected) / max(abs(expected), floor))
                }
            }
            return worst
        }

        // Measured worst relative errors (a float ulp is 6e-8 to 1.2e-7 of the value):
        // exp 1.04e-7 (over [−103, 88.7], subnormal results judged against 1e-38), erf 1.64e-7,
        // Φ 6.6e-7 (down to Φ(−13) ≈ 6e-39), tanh 2.6e-7, sigmoid 1.5e-7, √ 1.36e-7.

        @Test func expIsAccurateOverTheFloatRange() {
            let error = sweep(-103...88.7, floor: 1e-38, { VectorMath.exp($0) }, exp)
            print("exp: worst relative error \(error)")
            #expect(error < 3e-7)
        }

        @Test func expUnderflowsToZeroOverflowsToInfinityAndKeepsNaN() {
            let y = VectorMath.exp(FloatVector(-.infinity, -105, -200, 0, 89, 100, .infinity, 1, .nan, 0, 0, 0, 0, 0, 0, 0))
            #expect(y[0] == 0 && y[1] == 0 && y[2] == 0 && y[3] == 1)
            #expect(y[4] == .infinity && y[5] == .infinity && y[6] == .infinity)
            #expect(abs(Double(y[7]) - M_E) < 3e-7)
            #expect(y[8].isNaN)
        }

        @Test func erfIsAccurate() {
            let error = sweep(-6...6, floor: 1e-30, { VectorMath.erf($0) }, erf)
            print("erf: worst relative error \(error)")
            #expect(error < 3e-7)
        }

        @Test func normalCDFKeepsItsRelativeAccuracyInTheLowerTail() {
            let error = sweep(-13...8, floor: 1e-38, { VectorMath.normalCDF($0) }) { 0.5 * erfc(-$0 / 2.0.squareRoot()) }
            print("normalCDF: worst relative error \(error)")
            #expect(error < 1e-6)
        }

        /// GELU's backward takes Φ and φ from one call that shares their exponential; the
        /// sweep crosses √2, where Φ switches to its tail, in vectors of mixed lanes.
        @Test func normalCDFAndDensityAreAccurateTogether() {
            let cdf = sweep(-13...8, floor: 1e-38, { VectorMath.normalCDFAndDensity($0).cdf }) {
                0.5 * erfc(-$0 / 2.0.squareRoot())
            }
            let density = sweep(-13...8, floor: 1e-38, { VectorMath.normalCDFAndDensity($0).density }) {
                exp(-0.5 * $0 * $0) / (2 * Double.pi).squareRoot()
            }
            print("normalCDFAndDensity: worst relative errors \(cdf) (Φ), \(density) (φ)")
            #expect(cdf < 1e-6 && density < 1e-6)
        }

        @Test func tanhIsAccurate() {
            let error = sweep(-12...12, floor: 1e-30, { VectorMath.tanh($0) }, tanh)
            print("tanh: worst relative error \(error)")
            #expect(error < 3e-7)
            // Tiny inputs keep their relative accuracy (no cancellation).
            let tiny = sweep(-1e-3...1e-3, count: 10_000, floor: 1e-30, { VectorMath.tanh($0) }, tanh)
            #expect(tiny < 3e-7)
        }

        /// Over [0, 16] and over every binade of normal floats (x = 2^u); 0, ∞ and NaN kept;
        /// subnormal x give a result between 0 and √x.
        @Test func squareRootIsAccurateForNormalFloats() {
            let linear = sweep(0...16, floor: 1e-30, { VectorMath.squareRoot($0) }, sqrt)
            func binades(_ u: FloatVector) -> FloatVector {
                var x = FloatVector.zero
                for lane in 0..<16 { x[lane] = Float(exp2(Double(u[lane]))) }
                return x
            }
            let logarithmic = sweep(-126...127.99, { VectorMath.squareRoot(binades($0)) }) { sqrt(Double(Float(exp2($0)))) }
            print("squareRoot: worst relative error \(linear) over [0, 16], \(logarithmic) over the normal floats")
            #expect(linear < 1.5e-7 && logarithmic < 1.5e-7)
            let subnormals: [Float] = [.leastNonzeroMagnitude, 1e-30 * 1e-10, .leastNormalMagnitude.nextDown]
            let y = VectorMath.squareRoot(FloatVector(0, .infinity, .nan, 1, 4, subnormals[0], subnormals[1], subnormals[2],
                                                      0, 0, 0, 0, 0, 0, 0, 0))
            #expect(y[0] == 0 && y[1] == .infinity && y[2].isNaN && y[3] == 1 && y[4] == 2)
            #expect(subnormals.indices.allSatisfy { y[5 + $0] >= 0 && Double(y[5 + $0]) <= sqrt(Double(subnormals[$0])) * (1 + 1e-7) })
        }

        @Test func sigmoidIsAccurate() {
            let error = sweep(-80...30, floor: 1e-30, { VectorMath.sigmoid($0) }) { 1 / (1 + exp(-$0)) }
            print("sigmoid: worst relative error \(error)")
            #expect(error < 5e-7)
        }
    }
}
