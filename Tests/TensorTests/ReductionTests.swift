import Testing
@testable import Tensor

extension TensorTests {
    /// Sums over flat buffers, such as the global gradient norm.
    @Suite struct ReductionTests {
        let count = 100_003

        // Worst errors measured: 5.4e-10 of the sum of magnitudes (1.6e-7 of the sum), 5e-9
        // of the sum of squares.

        @Test func sumAndSumOfSquaresMatchDoublePrecision() {
            let x = randomFloats(count, seed: 1)
            let xTensor = tensor(x, [count])
            let sum = backend.sum(xTensor), squares = backend.sumOfSquares(xTensor)
            let expectedSum = x.reduce(0.0) { $0 + Double($1) }
            let expectedSquares = x.reduce(0.0) { $0 + Double($1) * Double($1) }
            let magnitudes = x.reduce(0.0) { $0 + abs(Double($1)) }
            print("sum: error \(abs(sum - expectedSum) / magnitudes) of the sum of magnitudes; sum of squares: \(abs(squares - expectedSquares) / expectedSquares)")
            #expect(abs(sum - expectedSum) <= 1e-6 * magnitudes)
            #expect(abs(squares - expectedSquares) <= 1e-6 * expectedSquares)
        }

        @Test func resultsDoNotDependOnTheThreadCount() {
            let x = randomFloats(count, seed: 2)
            let single = CPUBackend(threads: 1)
            #expect(single.sum(single.tensor(x, [count])) == backend.sum(tensor(x, [count])))
            #expect(single.sumOfSquares(single.tensor(x, [count])) == backend.sumOfSquares(tensor(x, [count])))
        }
    }
}
