import Testing
@testable import Tensor

extension TensorTests {
    /// Cross-entropy with ignored rows: the loss against the double-precision definition, the
    /// logits' gradient against central differences of it.
    @Suite struct CrossEntropyTests {
        let rows = 6, vocabulary = 21
        let labels: [Int32] = [3, -100, 20, 0, -100, 7]
        var logits: [Float] { randomFloats(rows * vocabulary, in: -3...3, seed: 1) }

        // Worst relative errors measured: loss 4.9e-8, gradient 3.4e-7.

        @Test(arguments: [false, true])
        func lossAndGradientMatchTheDefinition(inPlace: Bool) {
            let logitTensor = tensor(logits, [rows, vocabulary])
            let dLogits = inPlace ? logitTensor : backend.zeros([rows, vocabulary])
            let (loss, counted) = backend.crossEntropy(logits: logitTensor, labels: backend.tensor(integers: labels, [rows]),
                                                       ignoreIndex: -100, gradientScale: 0.5, dLogits: dLogits)
            let logits64 = widened(logits)
            #expect(counted == 4)
            expectClose([loss], [Reference.crossEntropy(logits64, labels: labels, columns: vocabulary, ignoreIndex: -100)],
                        tolerance: 1e-6, "cross-entropy loss")
            let expected = numericalGradient(at: logits64) {
                0.5 * Reference.crossEntropy($0, labels: labels, columns: vocabulary, ignoreIndex: -100)
            }
            let gradient = values(dLogits)
            expectClose(gradient, expected, tolerance: 1e-5, floor: 1e-4, "cross-entropy gradient")
            #expect(gradient[vocabulary ..< 2 * vocabulary].allSatisfy { $0 == 0 })
        }

        @Test func hugeLogitsStayFinite() {
            let huge = logits.map { $0 * 3000 }
            let dLogits = backend.zeros([rows, vocabulary])
            let (loss, _) = backend.crossEntropy(logits: tensor(huge, [rows, vocabulary]), labels: backend.tensor(integers: labels, [rows]),
                                                 ignoreIndex: -100, gradientScale: 1, dLogits: dLogits)
            expectClose([loss], [Reference.crossEntropy(widened(huge), labels: labels, columns: vocabulary, ignoreIndex: -100)],
                        tolerance: 1e-6, "cross-entropy loss of huge logits")
            #expect(values(dLogits).allSatisfy { $0.isFinite })
        }

        @Test func allRowsIgnoredGivesZero() {
            let dLogits = tensor([Float](repeating: 5, count: 2 * vocabulary), [2, vocabulary])
            let head: [Float] = Array(logits.prefix(2 * vocabulary))
            let (loss, counted) = backend.crossEntropy(logits: tensor(head, [2, vocabulary]),
                                                       labels: backend.tensor(integers: [-100, -100], [2]), ignoreIndex: -100,
                                                       gradientScale: 1, dLogits: dLogits)
            #expect(loss == 0 && counted == 0)
            #expect(values(dLogits).allSatisfy { $0 == 0 })
        }
    }
}
