import Testing
import Tensor
import Training

extension TrainingTests {
    /// AdamW and LAMB: the scalars each hands to the backend, checked where a step has a
    /// closed form; the step count; the state a checkpoint saves and restores.
    @Suite struct OptimizerTests {
        // Worst relative errors measured against the closed forms: 1.5e-7 (parameters
        // relative to the larger of |p| and the move, lr = 0.1).

        static let values = randomFloats(16, seed: 1), gradients = randomFloats(16, seed: 2)
        /// Whether each element's parameter decays: the weight's nine, not the bias's and
        /// LayerNorm's.
        static let decays = (0..<16).map { $0 < 9 }

        /// The first step with bias correction: m̂ = g and v̂ = g², so every parameter moves by
        /// lr·g / (|g| + ε), after the decay of the weight's.
        @Test func adamWFirstStepMovesEveryParameterByAboutTheLearningRate() {
            let store = makeStore(values: Self.values, gradients: Self.gradients)
            let optimizer = AdamW()
            optimizer.step(parameters: store, learningRate: 0.1, gradientScale: 1)
            let expected = (0..<16).map { i -> Double in
                let (p, g) = (Double(Self.values[i]), Double(Self.gradients[i]))
                return p * (Self.decays[i] ? 1 - 0.1 * 0.01 : 1) - 0.1 * g / (abs(g) + 1e-8)
            }
            expectClose(parameterValues(store), expected, tolerance: 1e-6, floor: 0.1, "AdamW step 1")
            #expect(optimizer.state.stepCount == 1)
        }

        /// Google's optimizer: no bias correction, so m = 0.1·g and v = 0.001·g² at the first
        /// step, a move of lr·0.1·g / (√0.001·|g| + ε).
        @Test func adamWWithoutBiasCorrectionIsGooglesOptimizer() {
            let store = makeStore(values: Self.values, gradients: Self.gradients)
            AdamW(AdamHyperparameters(epsilon: 1e-6, biasCorrection: false))
                .step(parameters: store, learningRate: 0.1, gradientScale: 1)
            let expected = (0..<16).map { i -> Double in
                let (p, g) = (Double(Self.values[i]), Double(Self.gradients[i]))
                return p - 0.1 * ((Self.decays[i] ? 0.01 * p : 0) + 0.1 * g / (0.001.squareRoot() * abs(g) + 1e-6))
            }
            expectClose(parameterValues(store), expected, tolerance: 1e-6, floor: 0.1, "Google AdamW step 1")
        }

        /// The first step: u = g / (|g| + ε) + wd·p; the weight moves by lr·(‖p‖ / ‖u‖)·u,
        /// the bias and LayerNorm weight, which do not decay, by lr·u.
        @Test func lambTakesTheTrustRatioOfTheWeightsThatDecay() {
            let store = makeStore(values: Self.values, gradients: Self.gradients)
            LAMB().step(parameters: store, learningRate: 0.1, gradientScale: 1)
            let (p, g) = (Self.values.map(Double.init), Self.gradients.map(Double.init))
            let u = (0..<16).map { g[$0] / (abs(g[$0]) + 1e-6) + (Self.decays[$0] ? 0.01 * p[$0] : 0) }
            let ratio = (0..<9).reduce(0.0) { $0 + p[$1] * p[$1] }.squareRoot() / (0..<9).reduce(0.0) { $0 + u[$1] * u[$1] }.squareRoot()
            let expected = (0..<16).map { p[$0] - 0.1 * (Self.decays[$0] ? ratio : 1) * u[$0] }
            expectClose(parameterValues(store), expected, tolerance: 1e-6, floor: 0.1, "LAMB step 1")
        }

        /// The moments after one step, by their checkpoint names: (1 − β1)·s·g and (1 − β2)·(s·g)².
        @Test func stateNamesTheMomentsOfEveryParameterAndTheyTakeTheGradientScale() {
            let store = makeStore(values: Self.values, gradients: Self.gradients)
            let optimizer = LAMB()
            optimizer.step(parameters: store, learningRate: 0.1, gradientScale: 0.25)
            let state = optimizer.state.tensors(for: store)
            #expect(state.map(\.name) == [
                "exp_avg.bert.encoder.layer.0.output.dense.weight", "exp_avg.bert.encoder.layer.0.output.dense.bias",
                "exp_avg.bert.encoder.layer.0.output.LayerNorm.weight", "exp_avg_sq.bert.encoder.layer.0.output.dense.weight",
                "exp_avg_sq.bert.encoder.layer.0.output.dense.bias", "exp_avg_sq.bert.encoder.layer.0.output.LayerNorm.weight",
            ])
            #expect(state.map(\.tensor.shape) == [[3, 3], [3], [4], [3, 3], [3], [4]])
            let scaled = Self.gradients.map { 0.25 * Double($0) }
            expectClose(state[0..<3].flatMap { backend.floats($0.tensor) }, scaled.map { 0.1 * $0 }, tolerance: 1e-6, "exp_avg")
            expectClose(state[3..<6].flatMap { backend.floats($0.tensor) }, scaled.map { 0.001 * $0 * $0 }, tolerance: 1e-6, "exp_avg_sq")
        }

        /// A run of three steps, against two steps, a checkpoint (parameters, moments and step
        /// count copied into a fresh store and optimizer) and the third: the same bits.
        @Test(arguments: [false, true])
        func restoredStateRepeatsTheRun(lamb: Bool) {
            func makeOptimizer() -> Optimizer { lamb ? LAMB() : AdamW() }
            func step(_ optimizer: Optimizer, _ store: ParameterStore, _ t: Int) {
                backend.write(randomFloats(store.count, seed: 10 + UInt64(t)), to: store.gradients)
                optimizer.step(parameters: store, learningRate: 0.01 * Float(t), gradientScale: 0.5)
            }
            let (store, optimizer) = (makeStore(values: Self.values, gradients: Self.gradients), makeOptimizer())
            for t in 1...2 { step(optimizer, store, t) }
            let (resumed, restored) = (makeStore(values: Self.values, gradients: Self.gradients), makeOptimizer())
            backend.copy(store.values, into: resumed.values)
            for (saved, loaded) in zip(optimizer.state.tensors(for: store), restored.state.tensors(for: resumed)) {
                #expect(saved.name == loaded.name)
                backend.write(backend.floats(saved.tensor), to: loaded.tensor)
            }
            restored.state.stepCount = optimizer.state.stepCount
            step(optimizer, store, 3)
            step(restored, resumed, 3)
            #expect(restored.state.stepCount == 3)
            #expect(backend.floats(resumed.values) == backend.floats(store.values))
            #expect(zip(optimizer.state.buffers(for: store), restored.state.buffers(for: resumed))
                .allSatisfy { backend.floats($0) == backend.floats($1) })
        }
    }
}
