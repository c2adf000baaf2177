import Testing
@testable import Tensor
import Support

extension TensorTests {
    /// The flat parameter and gradient buffers and their named views.
    @Suite struct ParameterStoreTests {
        /// A few BERT parameters, registered as a model would.
        func makeStore() -> (ParameterStore, [ParameterID]) {
            let store = ParameterStore()
            let ids = [
                store.register("bert.embeddings.word_embeddings.weight", [10, 8], initializer: .normal(standardDeviation: 0.02)),
                store.register("bert.embeddings.LayerNorm.weight", [8], initializer: .ones),
                store.register("bert.embeddings.LayerNorm.bias", [8], initializer: .zeros),
                store.register("bert.encoder.layer.0.attention.self.query.weight", [3, 5], initializer: .normal(standardDeviation: 0.02)),
                store.register("highway.gate.bias", [5], initializer: .constant(1)),
            ]
            store.allocate(on: backend)
            return (store, ids)
        }

        @Test func viewsFollowRegistrationOrderAt16ElementBoundaries() {
            let (store, ids) = makeStore()
            #expect(store.parameters.map(\.offset) == [0, 80, 96, 112, 128])
            #expect(store.count == 133)
            #expect(store.values.count == 133 && store.gradients.count == 133)
            #expect(store[ids[3]].shape == [3, 5] && store[ids[3]].count == 15)
            #expect(store.id(named: "bert.embeddings.LayerNorm.bias") == ids[2])
            #expect(store.id(named: "missing") == nil)
            let view = store.value(ids[3]), gradient = store.gradient(ids[3])
            #expect(view.offset == 112 && view.shape == [3, 5] && view.storage === store.values.storage)
            #expect(gradient.offset == 112 && gradient.storage === store.gradients.storage)
        }

        @Test func weightDecaySkipsBiasesAndLayerNorm() {
            let (store, _) = makeStore()
            #expect(store.parameters.map(\.decays) == [true, false, false, true, false])
            let gamma = Parameter(name: "cls.predictions.transform.LayerNorm.gamma", shape: [2], offset: 0, initializer: .ones)
            #expect(!gamma.decays)
        }

        @Test func initializationFollowsEachInitializerAndTheSeed() {
            let (store, ids) = makeStore()
            var generator = SeededGenerator(seed: 42)
            store.initialize(generator: &generator)
            let all = backend.floats(store.values)
            #expect(backend.floats(store.value(ids[1])) == [Float](repeating: 1, count: 8))
            #expect(backend.floats(store.value(ids[2])) == [Float](repeating: 0, count: 8))
            #expect(backend.floats(store.value(ids[4])) == [Float](repeating: 1, count: 5))
            // The gaps between parameters stay zero.
            #expect(all[127] == 0 && all[111] == 0)
            let (other, _) = makeStore()
            var sameSeed = SeededGenerator(seed: 42)
            other.initialize(generator: &sameSeed)
            #expect(backend.floats(other.values) == all)
        }

        @Test func normalInitializerHasTheRequestedSpread() {
            var generator = SeededGenerator(seed: 3)
            let draws = Initializer.normal(standardDeviation: 0.02).values(count: 100_001, generator: &generator).map(Double.init)
            let mean = draws.reduce(0, +) / Double(draws.count)
            let deviation = (draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count)).squareRoot()
            // Standard errors: 6e-5 for the mean, 4.5e-5 for the deviation.
            #expect(abs(mean) < 3e-4)
            #expect(abs(deviation - 0.02) < 3e-4)
            #expect(draws.filter { abs($0) > 0.04 }.count > 4000)  // about 4.6% beyond 2σ
        }

        @Test func writesThroughViewsLandInTheFlatBuffersAndGradientsZero() {
            let (store, ids) = makeStore()
            backend.write([Float](repeating: 3, count: 15), to: store.gradient(ids[3]))
            var gradients = backend.floats(store.gradients)
            #expect(gradients[112..<127].allSatisfy { $0 == 3 } && gradients[111] == 0 && gradients[127] == 0)
            store.zeroGradients()
            gradients = backend.floats(store.gradients)
            #expect(gradients.allSatisfy { $0 == 0 })
        }
    }
}
