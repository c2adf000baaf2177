import Testing
@testable import Tensor
import Support

extension TensorTests {
    /// sgemm and its batched form against the naive product, in every transpose combination.
    @Suite struct MatmulTests {
        static let transposes = [(false, false), (true, false), (false, true), (true, true)]

        // Worst errors measured, relative to the sums of the products' magnitudes: 1e-7.

        @Test(arguments: transposes)
        func matmulTransposesAndAccumulates(transposeA: Bool, transposeB: Bool) {
            let (m, n, k) = (5, 3, 7)
            let a = randomFloats(m * k, seed: 1), b = randomFloats(k * n, seed: 2), c = randomFloats(m * n, seed: 3)
            // A [M, K] is also seen as a rank-3 tensor, flattened to rows.
            let aTensor = tensor(a, transposeA ? [k, m] : [1, m, k])
            let cTensor = tensor(c, [m, n])
            backend.matmul(aTensor, transposeA: transposeA, tensor(b, transposeB ? [n, k] : [k, n]),
                           transposeB: transposeB, into: cTensor, alpha: 0.5, beta: 2)
            func reference(_ a: [Double], _ b: [Double], _ c: [Double]) -> [Double] {
                let product = Reference.matmul(a, transposeA: transposeA, b, transposeB: transposeB, m: m, n: n, k: k)
                return zip(product, c).map { 0.5 * $0 + 2 * $1 }
            }
            expectClose(values(cTensor), reference(widened(a), widened(b), widened(c)), tolerance: 1e-6,
                        scale: reference(magnitudes(a), magnitudes(b), magnitudes(c)), "matmul \(transposeA) \(transposeB)")
        }

        @Test func accumulateOptionAddsToTheOutput() {
            let a = tensor([1, 2, 3, 4], [2, 2]), c = tensor([1, 1, 1, 1], [2, 2])
            backend.matmul(a, a, into: c, accumulate: true)
            #expect(values(c) == [8, 11, 16, 23])
            backend.matmul(a, a, into: c)
            #expect(values(c) == [7, 10, 15, 22])
        }

        /// Batches of 12 matrices: more than the threads, so that the products are shared
        /// between them with single-threaded sgemm calls.
        @Test(arguments: transposes)
        func batchedMatmulMultipliesEachMatrix(transposeA: Bool, transposeB: Bool) {
            let (batch, m, n, k) = (12, 4, 6, 64)
            let a = randomFloats(batch * m * k, seed: 4), b = randomFloats(batch * k * n, seed: 5)
            let c = backend.zeros([3, 4, m, n])
            backend.batchedMatmul(tensor(a, transposeA ? [3, 4, k, m] : [3, 4, m, k]), transposeA: transposeA,
                                  tensor(b, transposeB ? [3, 4, n, k] : [3, 4, k, n]), transposeB: transposeB,
                                  into: c, alpha: 1, beta: 0)
            func reference(_ a: [Double], _ b: [Double]) -> [Double] {
                (0..<batch).flatMap { index in
                    Reference.matmul(Array(a[index * m * k ..< (index + 1) * m * k]), transposeA: transposeA,
                                     Array(b[index * k * n ..< (index + 1) * k * n]), transposeB: transposeB, m: m, n: n, k: k)
                }
            }
            expectClose(values(c), reference(widened(a), widened(b)), tolerance: 1e-6,
                        scale: reference(magnitudes(a), magnitudes(b)), "batchedMatmul \(transposeA) \(transposeB)")
        }

        @Test func swapMiddleAxesMovesEveryElementAndUndoesItself() {
            let (a, b, c, d) = (2, 3, 4, 5)
            let x = (0..<a * b * c * d).map(Float.init)
            let y = backend.zeros([a, c, b, d])
            backend.swapMiddleAxes(tensor(x, [a, b, c, d]), into: y)
            let swapped = values(y)
            for i in 0..<a { for j in 0..<b { for k in 0..<c { for l in 0..<d {
                #expect(swapped[((i * c + k) * b + j) * d + l] == x[((i * b + j) * c + k) * d + l])
            } } } }
            let back = backend.zeros([a, b, c, d])
            backend.swapMiddleAxes(y, into: back)
            #expect(values(back) == x)
        }

        /// Times a 1024³ sgemm (reported, not asserted: the yardstick the training benchmarks
        /// compare with) and checks a few of its entries against dot products.
        @Test func sgemmRateIsReported() {
            let n = 1024
            let a = randomFloats(n * n, seed: 6), b = randomFloats(n * n, seed: 7)
            let c = backend.zeros([n, n])
            let (aTensor, bTensor) = (tensor(a, [n, n]), tensor(b, [n, n]))
            var best = Double.infinity
            for _ in 0..<5 {
                let start = MonotonicClock.now()
                backend.matmul(aTensor, bTensor, into: c)
                best = min(best, MonotonicClock.now() - start)
            }
            print("sgemm 1024³ on \(backend.threadCount) threads: \(Formatting.fixed(2 * Double(n * n * n) / best / 1e9, 1)) GFLOP/s")
            let product = values(c)
            for (i, j) in [(0, 0), (17, 1000), (1023, 511)] {
                let dot = (0..<n).reduce(0.0) { $0 + Double(a[i * n + $1]) * Double(b[$1 * n + j]) }
                let scale = (0..<n).reduce(0.0) { $0 + abs(Double(a[i * n + $1]) * Double(b[$1 * n + j])) }
                #expect(abs(Double(product[i * n + j]) - dot) <= 1e-6 * scale)
            }
        }
    }
}
