import Testing
@testable import Tensor

extension TensorTests {
    /// Masked, scaled softmax against the double-precision definition, its backward against
    /// central differences of it.
    @Suite struct SoftmaxTests {
        // Scores [batch 2, heads 2, queries 3, keys 19]; the second batch entry has its last
        // 5 keys padded, with Hugging Face's mask value (the float minimum).
        let batch = 2, heads = 2, queries = 3, keys = 19
        let scale: Float = 0.37
        var rows: Int { batch * heads * queries }
        var x: [Float] { randomFloats(rows * keys, in: -4...4, seed: 1) }
        var mask: [Float] {
            (0..<batch * keys).map { $0 >= keys && $0 % keys >= keys - 5 ? -Float.greatestFiniteMagnitude : 0 }
        }

        // Worst relative errors measured: forward 3e-7, backward 1.6e-6.

        @Test func forwardMasksPaddingAndNormalisesRows() {
            let y = backend.zeros([batch, heads, queries, keys])
            backend.softmax(tensor(x, [batch, heads, queries, keys]), scale: scale, mask: tensor(mask, [batch, keys]), into: y)
            let expected = Reference.softmax(widened(x), columns: keys, scale: Double(scale), mask: widened(mask),
                                             rowsPerMaskRow: heads * queries)
            let probabilities = values(y)
            expectClose(probabilities, expected, tolerance: 1e-6, floor: 1e-6, "softmax")
            for row in rows / 2 ..< rows {
                #expect(probabilities[row * keys + keys - 5 ..< (row + 1) * keys].allSatisfy { $0 == 0 })
            }
            for row in 0..<rows {
                #expect(abs(probabilities[row * keys ..< (row + 1) * keys].reduce(0, +) - 1) < 1e-6)
            }
        }

        @Test func forwardWorksInPlaceAndWithoutMask() {
            let scores = tensor(x, [rows, keys])
            backend.softmax(scores, scale: 1, mask: nil, into: scores)
            let expected = Reference.softmax(widened(x), columns: keys, scale: 1, mask: nil, rowsPerMaskRow: rows)
            expectClose(values(scores), expected, tolerance: 1e-6, floor: 1e-6, "softmax in place")
        }

        @Test func backwardMatchesCentralDifferences() {
            let dy = randomFloats(rows * keys, seed: 2)
            let y = backend.zeros([rows, keys]), dx = backend.zeros([rows, keys])
            backend.softmax(tensor(x, [rows, keys]), scale: scale, mask: tensor(mask, [batch, keys]), into: y)
            backend.softmaxBackward(dy: tensor(dy, [rows, keys]), y: y, scale: scale, into: dx)
            // A finite mask stands in for the float minimum, which a difference step cannot move.
            let finiteMask = widened(mask).map { $0 == 0 ? 0 : -1e4 }
            let expected = numericalGradient(at: widened(x)) {
                weightedSum(Reference.softmax($0, columns: keys, scale: Double(scale), mask: finiteMask, rowsPerMaskRow: heads * queries), dy)
            }
            expectClose(values(dx), expected, tolerance: 1e-5, floor: 1e-4, "softmax backward")
        }
    }
}
