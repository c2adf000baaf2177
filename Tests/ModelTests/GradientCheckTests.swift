import Model
import Support
import Tensor
import Testing

extension ModelTests {
    /// Every parameter's gradient against a central finite difference of the loss along it.
    ///
    /// For each parameter tensor p with gradient g, the loss is evaluated at p ± h·g/|g|: the
    /// difference quotient must equal |g|. The loss is computed in float32 (relative rounding
    /// about 1e-6 of a loss near 4), so with h = 1e-2 the quotient carries an absolute error of
    /// about 4e-6/2e-2 = 2e-4 plus O(h²) truncation; the tolerance is 2e-2 relative with a floor
    /// of 1e-3. Dropout is on and draws the same masks in every evaluation.
    ///
    /// Each model is checked with the last layer computing only the rows the heads read (the
    /// test batch's 3 slots per sequence of 10 tokens) and computing every row (3 unused
    /// slots more per sequence, which leave the loss as it is).
    @Suite struct GradientCheckTests {
        static let step: Float = 1e-2

        @Test(arguments: [0, 3]) func bertGradientsMatchFiniteDifferences(extraSlots: Int) throws {
            try checkEveryParameter(ModelTestSupport.bertConfiguration(), extraSlots: extraSlots)
        }

        @Test(arguments: [0, 3]) func mlmOnlyBertGradientsMatchFiniteDifferences(extraSlots: Int) throws {
            try checkEveryParameter(ModelTestSupport.bertConfiguration(nextSentencePrediction: false), extraSlots: extraSlots)
        }

        @Test(arguments: [0, 3]) func characterBertGradientsMatchFiniteDifferences(extraSlots: Int) throws {
            try checkEveryParameter(ModelTestSupport.characterBertConfiguration(), extraSlots: extraSlots)
        }

        private func checkEveryParameter(_ configuration: BertConfiguration, extraSlots: Int) throws {
            let backend = ModelTestSupport.backend
            let model = try BertForPreTraining(configuration: configuration, backend: backend, seed: 3)
            let batch = ModelTestSupport.withUnusedSlots(ModelTestSupport.batch(for: configuration), extra: extraSlots)
            let dropoutState = model.dropoutGenerator
            func loss() throws -> Double {
                model.dropoutGenerator = dropoutState
                return Double(try model.forward(batch, training: true).total)
            }
            model.parameters.zeroGradients()
            _ = try loss()
            model.backward()
            var worst = 0.0
            for parameter in model.parameters.parameters {
                let id = model.parameters.id(named: parameter.name)!
                let value = model.parameters.value(id)
                let original = backend.floats(value)
                let gradient = backend.floats(model.parameters.gradient(id)).map(Double.init)
                let norm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
                #expect(norm > 0, "\(parameter.name) has no gradient")
                guard norm > 0 else { continue }
                func shifted(_ sign: Double) throws -> Double {
                    backend.write(zip(original, gradient).map { Float(Double($0) + sign * Double(Self.step) * $1 / norm) }, to: value)
                    return try loss()
                }
                let quotient = (try shifted(1) - shifted(-1)) / (2 * Double(Self.step))
                backend.write(original, to: value)
                let error = abs(quotient - norm) / max(norm, 1e-3 / 2e-2)
                worst = max(worst, error)
                #expect(error < 2e-2, "\(parameter.name): |g| = \(norm), finite difference \(quotient)")
            }
            print("worst relative error of the directional derivative: \(worst)")
        }
    }
}
