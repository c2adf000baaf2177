import Testing
import Tensor
import Support

/// The parent of every suite here, run one test at a time: they share one backend, whose
/// calls must come from one thread at a time.
@Suite(.serialized) struct TrainingTests {}

/// The backend the tests use: two threads, so that every kernel's parallel split runs.
let backend = CPUBackend(threads: 2)

/// A store of three BERT-like parameters, a weight that decays and a bias and a LayerNorm
/// weight that do not (9 + 3 + 4 elements), holding `values` and `gradients` in that order.
func makeStore(values: [Float], gradients: [Float]) -> ParameterStore {
    let store = ParameterStore()
    let ids = [
        store.register("bert.encoder.layer.0.output.dense.weight", [3, 3], initializer: .zeros),
        store.register("bert.encoder.layer.0.output.dense.bias", [3], initializer: .zeros),
        store.register("bert.encoder.layer.0.output.LayerNorm.weight", [4], initializer: .zeros),
    ]
    store.allocate(on: backend)
    var start = 0
    for id in ids {
        let elements = start ..< start + store[id].count
        backend.write(Array(values[elements]), to: store.value(id))
        backend.write(Array(gradients[elements]), to: store.gradient(id))
        start = elements.upperBound
    }
    return store
}

/// The values of a store's parameters in order, without the gaps between them.
func parameterValues(_ store: ParameterStore) -> [Float] {
    store.parameters.flatMap { backend.floats(store.value(store.id(named: $0.name)!)) }
}

/// `count` floats drawn uniformly from [−1, 1].
func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Float.random(in: -1...1, using: &generator) }
}

/// Expects each of `actual` within `tolerance` of `expected`, relative to the larger of
/// |expected| and `floor`, printing the worst error.
func expectClose(_ actual: [Float], _ expected: [Double], tolerance: Double, floor: Double = 1e-30, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    let error = zip(actual, expected).map { abs(Double($0) - $1) / max(abs($1), floor) }.max() ?? 0
    print("\(what): worst relative error \(error)")
    #expect(actual.count == expected.count && error <= tolerance, "\(what): worst relative error \(error)",
            sourceLocation: sourceLocation)
}
