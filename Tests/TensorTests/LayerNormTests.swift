import Testing
@testable import Tensor

extension TensorTests {
    /// LayerNorm against the double-precision definition, its backward against central
    /// differences of it.
    @Suite struct LayerNormTests {
        let rows = 5, columns = 37
        let epsilon: Float = 1e-5
        // Rows with a mean and spread away from 0 and 1, as hidden states have.
        var x: [Float] { randomFloats(rows * columns, seed: 1).map { 3 * $0 + 2 } }
        var gamma: [Float] { randomFloats(columns, in: 0.5...1.5, seed: 2) }
        var beta: [Float] { randomFloats(columns, seed: 3) }

        // Worst relative errors measured: forward 3.3e-7 (y), backward 2.8e-6 (dx).

        @Test func forwardNormalisesEachRowAndSavesItsStatistics() {
            let (y, mean, rstd) = (backend.zeros([rows, columns]), backend.zeros([rows]), backend.zeros([rows]))
            backend.layerNorm(tensor(x, [rows, columns]), gamma: tensor(gamma, [columns]), beta: tensor(beta, [columns]),
                              epsilon: epsilon, into: y, mean: mean, rstd: rstd)
            let expected = Reference.layerNorm(widened(x), gamma: widened(gamma), beta: widened(beta), columns: columns,
                                               epsilon: Double(epsilon))
            // y = x̂·gamma + beta may cancel: judged relative to |x̂·gamma| + |beta|.
            let scale = expected.y.indices.map { abs(expected.y[$0] - Double(beta[$0 % columns])) + abs(Double(beta[$0 % columns])) }
            expectClose(values(y), expected.y, tolerance: 1e-6, scale: scale, "layerNorm y")
            expectClose(values(mean), expected.mean, tolerance: 1e-6, "layerNorm mean")
            expectClose(values(rstd), expected.rstd, tolerance: 1e-6, "layerNorm rstd")
        }

        @Test(arguments: [false, true])
        func backwardMatchesCentralDifferences(inPlace: Bool) {
            let dy = randomFloats(rows * columns, seed: 4)
            let xTensor = tensor(x, [rows, columns]), gammaTensor = tensor(gamma, [columns])
            let (y, mean, rstd) = (backend.zeros([rows, columns]), backend.zeros([rows]), backend.zeros([rows]))
            backend.layerNorm(xTensor, gamma: gammaTensor, beta: tensor(beta, [columns]), epsilon: epsilon,
                              into: y, mean: mean, rstd: rstd)
            // The parameter gradients start at 1 to show that they accumulate.
            let dGamma = tensor([Float](repeating: 1, count: columns), [columns])
            let dBeta = tensor([Float](repeating: 1, count: columns), [columns])
            let dyTensor = tensor(dy, [rows, columns])
            let dx = inPlace ? dyTensor : backend.zeros([rows, columns])
            backend.layerNormBackward(dy: dyTensor, x: xTensor, gamma: gammaTensor, mean: mean, rstd: rstd,
                                      into: dx, dGamma: dGamma, dBeta: dBeta)
            let (x64, gamma64, beta64) = (widened(x), widened(gamma), widened(beta))
            func loss(_ x: [Double], _ gamma: [Double], _ beta: [Double]) -> Double {
                weightedSum(Reference.layerNorm(x, gamma: gamma, beta: beta, columns: columns, epsilon: Double(epsilon)).y, dy)
            }
            expectClose(values(dx), numericalGradient(at: x64) { loss($0, gamma64, beta64) }, tolerance: 1e-5, "layerNorm dx")
            expectClose(values(dGamma), numericalGradient(at: gamma64) { loss(x64, $0, beta64) }.map { $0 + 1 },
                        tolerance: 1e-5, "layerNorm dGamma")
            expectClose(values(dBeta), numericalGradient(at: beta64) { loss(x64, gamma64, $0) }.map { $0 + 1 },
                        tolerance: 1e-5, "layerNorm dBeta")
        }
    }
}
