import Testing
@testable import Tensor

extension TensorTests {
    /// Bias, residual, scaling, activation and gated-mix kernels; backward against central
    /// differences of the double-precision definitions.
    @Suite struct ElementwiseTests {
        @Test func addBiasAddsToEveryRow() {
            let x = randomFloats(3 * 20, seed: 1), bias = randomFloats(20, seed: 2)
            let xTensor = tensor(x, [3, 20])
            backend.addBias(tensor(bias, [20]), to: xTensor)
            #expect(values(xTensor) == x.indices.map { x[$0] + bias[$0 % 20] })
        }

        /// 130 rows and 1,100 columns: three blocks of 64 rows and three chunks of 512 columns
        /// in the column sums, the last of each partial (and 1,100 not a multiple of 16); the
        /// same bits on 1, 2 and 3 threads.
        @Test func biasGradientAccumulatesColumnSums() {
            let (rows, columns) = (130, 1_100)
            let dy = randomFloats(rows * columns, seed: 3)
            let dBias = tensor([Float](repeating: 1, count: columns), [columns])
            backend.accumulateBiasGradient(tensor(dy, [rows, columns]), into: dBias)
            func columnSums(_ dy: [Double]) -> [Double] {
                (0..<columns).map { c in 1 + (0..<rows).reduce(0.0) { $0 + dy[$1 * columns + c] } }
            }
            expectClose(values(dBias), columnSums(widened(dy)), tolerance: 1e-6, scale: columnSums(magnitudes(dy)), "bias gradient")
            for threads in [1, 3] {
                let other = CPUBackend(threads: threads)
                let otherBias = other.tensor([Float](repeating: 1, count: columns), [columns])
                other.accumulateBiasGradient(other.tensor(dy, [rows, columns]), into: otherBias)
                #expect(other.floats(otherBias) == values(dBias), "\(threads) threads")
            }
        }

        @Test func addAndScaleWorkInPlace() {
            let a = randomFloats(100, seed: 4), b = randomFloats(100, seed: 5)
            let aTensor = tensor(a, [100])
            backend.add(aTensor, tensor(b, [100]), into: aTensor)
            #expect(values(aTensor) == zip(a, b).map(+))
            backend.scale(aTensor, by: -2, into: aTensor)
            #expect(values(aTensor) == zip(a, b).map { -2 * ($0 + $1) })
        }

        // Worst relative errors measured: forward 5.3e-7 (GELU); backward 2.4e-6 (GELU), 7.7e-6
        // (tanh, near saturation, see below).

        @Test(arguments: [Activation.gelu, .tanh, .relu, .sigmoid])
        func activationMatchesItsDefinitionAndDerivative(function: Activation) {
            let count = 1001
            let x = randomFloats(count, in: -6...6, seed: 6), dy = randomFloats(count, seed: 7)
            let (xTensor, yTensor, dxTensor) = (tensor(x, [count]), backend.zeros([count]), backend.zeros([count]))
            backend.activate(function, xTensor, into: yTensor)
            expectClose(values(yTensor), x.map { Reference.activate(function, Double($0)) },
                        tolerance: 1e-6, floor: 1e-6, "\(function) forward")
            backend.activateBackward(function, x: xTensor, y: yTensor, dy: tensor(dy, [count]), into: dxTensor)
            let step = 1e-5
            let expected = x.indices.map { i in
                let point = Double(x[i])
                return Double(dy[i]) * (Reference.activate(function, point + step) - Reference.activate(function, point - step)) / (2 * step)
            }
            // tanh′ = 1 − y² and σ′ = y(1 − y) are computed from the output y, as PyTorch does;
            // where y saturates near ±1 the error is about an ulp of y times dy (1e-7)
            // absolute, not relative, hence the floor.
            expectClose(values(dxTensor), expected, tolerance: 1e-5, floor: 1e-2, "\(function) backward")
        }

        @Test func gatedMixAndItsBackward() {
            let count = 40
            let gate = randomFloats(count, in: 0...1, seed: 8), a = randomFloats(count, seed: 9)
            let b = randomFloats(count, seed: 10), dy = randomFloats(count, seed: 11)
            let (gateTensor, aTensor, bTensor) = (tensor(gate, [count]), tensor(a, [count]), tensor(b, [count]))
            let y = backend.zeros([count])
            backend.gatedMix(gate: gateTensor, aTensor, bTensor, into: y)
            func mix(_ g: [Double], _ a: [Double], _ b: [Double]) -> [Double] {
                g.indices.map { g[$0] * a[$0] + (1 - g[$0]) * b[$0] }
            }
            let (g64, a64, b64) = (widened(gate), widened(a), widened(b))
            expectClose(values(y), mix(g64, a64, b64), tolerance: 1e-6, "gatedMix")
            let (dGate, dA, dB) = (backend.zeros([count]), backend.zeros([count]), backend.zeros([count]))
            backend.gatedMixBackward(gate: gateTensor, aTensor, bTensor, dy: tensor(dy, [count]), dGate: dGate, dA: dA, dB: dB)
            expectClose(values(dGate), numericalGradient(at: g64) { weightedSum(mix($0, a64, b64), dy) }, tolerance: 1e-5, "dGate")
            expectClose(values(dA), numericalGradient(at: a64) { weightedSum(mix(g64, $0, b64), dy) }, tolerance: 1e-5, "dA")
            expectClose(values(dB), numericalGradient(at: b64) { weightedSum(mix(g64, a64, $0), dy) }, tolerance: 1e-5, "dB")
        }
    }
}
