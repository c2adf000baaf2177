import Testing
@testable import Tensor
import Support

extension TensorTests {
    /// Dropout: the kept fraction, the scaling, the backward, and determinism.
    @Suite struct DropoutTests {
        let count = 10_007
        let probability: Float = 0.1

        /// y and the mask for `x` with a generator seeded `seed`, on `backend`.
        func drop(_ x: [Float], seed: UInt64, on backend: CPUBackend) -> (y: [Float], mask: [Int8], generator: SeededGenerator) {
            var generator = SeededGenerator(seed: seed)
            let mask = backend.allocate([x.count], dtype: .int8)
            let y = backend.zeros([x.count])
            backend.dropout(backend.tensor(x, [x.count]), probability: probability, generator: &generator, mask: mask, into: y)
            let flags = Array(UnsafeBufferPointer(start: mask.address.assumingMemoryBound(to: Int8.self), count: x.count))
            return (backend.floats(y), flags, generator)
        }

        @Test func keepsAboutOneMinusPAndScalesTheKept() {
            let x = randomFloats(count, seed: 1)
            let (y, mask, _) = drop(x, seed: 7, on: backend)
            #expect(mask.allSatisfy { $0 == 0 || $0 == 1 })
            let kept = mask.reduce(0) { $0 + Int($1) }
            // Binomial(10007, 0.9): standard deviation 30; 5 of them is far in the tails.
            #expect(abs(Double(kept) - 0.9 * Double(count)) < 150)
            // Scaled as PyTorch does, by multiplying with 1 / (1 − p).
            #expect(y == x.indices.map { mask[$0] == 1 ? x[$0] * (1 / (1 - probability)) : 0 })
        }

        @Test func backwardPassesTheGradientThroughTheKept() {
            let x = randomFloats(count, seed: 2), dy = randomFloats(count, seed: 3)
            var generator = SeededGenerator(seed: 9)
            let mask = backend.allocate([count], dtype: .int8), y = backend.zeros([count]), dx = backend.zeros([count])
            backend.dropout(tensor(x, [count]), probability: probability, generator: &generator, mask: mask, into: y)
            backend.dropoutBackward(dy: tensor(dy, [count]), mask: mask, probability: probability, into: dx)
            let (forward, gradient) = (values(y), values(dx))
            // The same mask and scale as the forward: dx = dy / (1 − p) where y kept x, else 0.
            #expect(gradient == dy.indices.map { forward[$0] == 0 ? 0 : dy[$0] * (1 / (1 - probability)) })
        }

        @Test func equalSeedsGiveEqualMasksWhateverTheThreadCount() {
            let x = randomFloats(count, seed: 4)
            let first = drop(x, seed: 11, on: backend)
            let again = drop(x, seed: 11, on: backend)
            let oneThread = drop(x, seed: 11, on: CPUBackend(threads: 1))
            let otherSeed = drop(x, seed: 12, on: backend)
            #expect(first.mask == again.mask && first.y == again.y)
            #expect(first.mask == oneThread.mask)
            #expect(first.mask != otherSeed.mask)
            // One draw per call: the generator moves on, so the next call drops other elements.
            #expect(first.generator.state == again.generator.state)
            var next = first.generator
            let mask = backend.allocate([count], dtype: .int8)
            backend.dropout(tensor(x, [count]), probability: probability, generator: &next, mask: mask, into: backend.zeros([count]))
            let flags = Array(UnsafeBufferPointer(start: mask.address.assumingMemoryBound(to: Int8.self), count: count))
            #expect(flags != first.mask)
        }

        @Test func probabilityZeroKeepsEverything() {
            var generator = SeededGenerator(seed: 1)
            let x = randomFloats(100, seed: 5)
            let y = backend.zeros([100])
            backend.dropout(tensor(x, [100]), probability: 0, generator: &generator, mask: backend.allocate([100], dtype: .int8), into: y)
            #expect(values(y) == x)
        }
    }
}
