import Testing
@testable import Tensor

extension TensorTests {
    /// CharacterBERT's convolution as window unfolding + matmul, and max-pooling over positions,
    /// against PyTorch's definitions; backward against central differences.
    @Suite struct WindowsTests {
        // x [n 2, length 9, channels 3]; weight [filters 4, channels 3, width 3] as PyTorch's
        // Conv1d stores it.
        let n = 2, length = 9, channels = 3, filters = 4, width = 3
        var positions: Int { length - width + 1 }
        var x: [Float] { randomFloats(n * length * channels, seed: 1) }
        var weight: [Float] { randomFloats(filters * channels * width, seed: 2) }
        var bias: [Float] { randomFloats(filters, seed: 3) }

        // Worst relative errors measured: forward 7e-8, backward 1.4e-6 (dWeight), max-pool 4e-9.

        @Test func convolutionByUnfoldingMatchesConv1dForwardAndBackward() {
            let dy = randomFloats(n * positions * filters, seed: 4)
            let (xTensor, weightTensor, biasTensor) = (tensor(x, [n, length, channels]),
                                                      tensor(weight, [filters, channels * width]), tensor(bias, [filters]))
            // Forward: columns [n·P, C·W] · weightᵀ [C·W, F] + bias.
            let columns = backend.zeros([n, positions, channels * width])
            backend.unfoldWindows(xTensor, width: width, into: columns)
            let y = backend.zeros([n, positions, filters])
            backend.matmul(columns, weightTensor, transposeB: true, into: y)
            backend.addBias(biasTensor, to: y)
            func convolve(_ x: [Double], _ weight: [Double], _ bias: [Double]) -> [Double] {
                Reference.convolve(x, n: n, length: length, channels: channels, weight: weight, bias: bias,
                                   filters: filters, width: width)
            }
            let (x64, weight64, bias64) = (widened(x), widened(weight), widened(bias))
            expectClose(values(y), convolve(x64, weight64, bias64), tolerance: 1e-6,
                        scale: convolve(magnitudes(x), magnitudes(weight), magnitudes(bias)), "conv1d forward")
            // Backward: dColumns = dy · weight, folded back onto dx; dWeight = dyᵀ · columns.
            let dyTensor = tensor(dy, [n, positions, filters])
            let dColumns = backend.zeros([n, positions, channels * width])
            backend.matmul(dyTensor, weightTensor, into: dColumns)
            let dx = backend.zeros([n, length, channels])
            backend.foldWindows(dColumns, width: width, into: dx)
            let dWeight = backend.zeros([filters, channels * width]), dBias = backend.zeros([filters])
            backend.matmul(dyTensor, transposeA: true, columns, into: dWeight)
            backend.accumulateBiasGradient(dyTensor, into: dBias)
            expectClose(values(dx), numericalGradient(at: x64) { weightedSum(convolve($0, weight64, bias64), dy) },
                        tolerance: 1e-5, "conv1d dx")
            expectClose(values(dWeight), numericalGradient(at: weight64) { weightedSum(convolve(x64, $0, bias64), dy) },
                        tolerance: 1e-5, "conv1d dWeight")
            expectClose(values(dBias), numericalGradient(at: bias64) { weightedSum(convolve(x64, weight64, $0), dy) },
                        tolerance: 1e-5, "conv1d dBias")
        }

        /// 20 filters: a whole vector and a partial one.
        @Test func maxPoolTakesTheMaximumAndRoutesTheGradientToIt() {
            let (positions, filters) = (6, 20)
            let input = randomFloats(n * positions * filters, seed: 5), dy = randomFloats(n * filters, seed: 6)
            let (y, argmax) = (backend.zeros([n, filters]), backend.allocate([n, filters], dtype: .int32))
            backend.maxPool(tensor(input, [n, positions, filters]), into: y, argmax: argmax)
            let pooled = values(y), positionOfMaximum = backend.integers(argmax)
            #expect(pooled == Reference.maxPool(widened(input), n: n, positions: positions, filters: filters).map(Float.init))
            for i in 0..<n * filters {
                #expect(input[(i / filters * positions + Int(positionOfMaximum[i])) * filters + i % filters] == pooled[i])
            }
            let dx = tensor([Float](repeating: 7, count: input.count), [n, positions, filters])
            backend.maxPoolBackward(dy: tensor(dy, [n, filters]), argmax: argmax, into: dx)
            let expected = numericalGradient(at: widened(input)) {
                weightedSum(Reference.maxPool($0, n: n, positions: positions, filters: filters), dy)
            }
            expectClose(values(dx), expected, tolerance: 1e-6, "maxPool backward")
        }
    }
}
