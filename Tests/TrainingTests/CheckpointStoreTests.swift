import Interop
import Support
import Tensor
import TestSupport
import Testing
import Training

extension TrainingTests {
    /// Checkpoints written whole, pruned to the last K, read back with every name and shape
    /// checked, and damaged ones reported with the checkpoint to fall back on.
    @Suite struct CheckpointStoreTests {
        /// A weight, a bias and a LayerNorm weight, as `makeStore` registers them.
        static let layout: [(name: String, shape: Shape)] = [
            ("bert.encoder.layer.0.output.dense.weight", [3, 3]),
            ("bert.encoder.layer.0.output.dense.bias", [3]),
            ("bert.encoder.layer.0.output.LayerNorm.weight", [4]),
        ]

        /// A model of `layout` holding values drawn from `seed`, and an Adam-like optimizer
        /// state for it whose moments are drawn too.
        static func model(_ layout: [(name: String, shape: Shape)] = CheckpointStoreTests.layout, seed: UInt64)
            -> (parameters: ParameterStore, optimizer: OptimizerState) {
            let parameters = ParameterStore()
            for (name, shape) in layout { parameters.register(name, shape, initializer: .zeros) }
            parameters.allocate(on: backend)
            let optimizer = OptimizerState(bufferNames: ["exp_avg", "exp_avg_sq"])
            for (index, named) in (parameters.namedValues + optimizer.tensors(for: parameters)).enumerated() {
                backend.write(randomFloats(named.tensor.count, seed: seed &* 1000 &+ UInt64(index)), to: named.tensor)
            }
            return (parameters, optimizer)
        }

        /// The bit patterns of every model and optimizer value, in order, for exact comparison.
        static func bits(_ model: (parameters: ParameterStore, optimizer: OptimizerState)) -> [UInt32] {
            (model.parameters.namedValues + model.optimizer.tensors(for: model.parameters))
                .flatMap { backend.floats($0.tensor).map(\.bitPattern) }
        }

        @discardableResult
        static func write(_ store: CheckpointStore, step: Int, _ model: (parameters: ParameterStore, optimizer: OptimizerState),
                          state: String = "{}") throws -> Checkpoint {
            try store.write(step: step, model: model.parameters.namedValues,
                            optimizer: model.optimizer.tensors(for: model.parameters), state: state)
        }

        static func read(_ store: CheckpointStore, _ checkpoint: Checkpoint,
                         into model: (parameters: ParameterStore, optimizer: OptimizerState)) throws -> String {
            try store.read(checkpoint, model: model.parameters.namedValues,
                           optimizer: model.optimizer.tensors(for: model.parameters))
        }

        @Test func roundTripRestoresEveryValueBitForBitAndTheStateText() throws {
            let run = TestFiles.temporaryDirectory()
            let store = CheckpointStore(runDirectory: run, backend: backend)
            let written = Self.model(seed: 1)
            let state = "{\"step\": 20, \"samples\": 640, \"note\": \"ü\"}\n"
            let checkpoint = try Self.write(store, step: 20, written, state: state)
            #expect(checkpoint.path == run + "/checkpoints/step_20" && checkpoint.step == 20)
            #expect(try store.checkpoints() == [checkpoint] && store.latest == checkpoint)

            let model = try SafeTensorsFile(path: checkpoint.modelPath)
            #expect(model.names == Self.layout.map(\.name))
            #expect(try Self.layout.allSatisfy { try model.dtype($0.name) == .f32 && model.shape($0.name) == $0.shape.dimensions })
            let optimizer = try SafeTensorsFile(path: checkpoint.optimizerPath)
            #expect(optimizer.names == ["exp_avg", "exp_avg_sq"].flatMap { prefix in Self.layout.map { prefix + "." + $0.name } })

            let restored = Self.model(seed: 2)
            #expect(Self.bits(restored) != Self.bits(written))
            #expect(try Self.read(store, checkpoint, into: restored) == state)
            #expect(Self.bits(restored) == Self.bits(written))
        }

        @Test func aModelOnlyReadNeedsNoOptimizerFile() throws {
            let store = CheckpointStore(runDirectory: TestFiles.temporaryDirectory(), backend: backend)
            let written = Self.model(seed: 1)
            let checkpoint = try Self.write(store, step: 5, written, state: "phase 1")
            try FileSystem.remove(checkpoint.optimizerPath)
            let restored = Self.model(seed: 2)
            let moments = Self.bits(restored).suffix(32)
            #expect(try store.read(checkpoint, model: restored.parameters.namedValues, optimizer: nil) == "phase 1")
            #expect(parameterValues(restored.parameters) == parameterValues(written.parameters))
            #expect(Self.bits(restored).suffix(32) == moments)
            #expect(try store.checkpoints().isEmpty, "a checkpoint without its optimizer file is not complete")
        }

        @Test func writesKeepTheLastKCheckpoints() throws {
            let store = CheckpointStore(runDirectory: TestFiles.temporaryDirectory(), backend: backend, keep: 2)
            let model = Self.model(seed: 1)
            for step in [100, 200, 300] { try Self.write(store, step: step, model) }
            #expect(try store.checkpoints().map(\.step) == [200, 300])
            #expect(try FileSystem.contents(of: store.directory) == ["step_200", "step_300"])
        }

        @Test func rewritingAStepReplacesIt() throws {
            let store = CheckpointStore(runDirectory: TestFiles.temporaryDirectory(), backend: backend)
            try Self.write(store, step: 7, Self.model(seed: 1), state: "first")
            let second = Self.model(seed: 2)
            let checkpoint = try Self.write(store, step: 7, second, state: "second")
            let restored = Self.model(seed: 3)
            #expect(try Self.read(store, checkpoint, into: restored) == "second")
            #expect(Self.bits(restored) == Self.bits(second))
            #expect(try FileSystem.contents(of: store.directory) == ["step_7"])
        }

        /// What a crash leaves: a `.tmp-` directory and a `step_` directory without all files.
        @Test func leftoversAreNotListedAndAWriteRemovesTheTemporaryOnes() throws {
            let store = CheckpointStore(runDirectory: TestFiles.temporaryDirectory(), backend: backend)
            for directory in [".tmp-step_9", "step_9"] { try FileSystem.createDirectory(store.directory + "/" + directory) }
            TestFiles.write([1, 2, 3], to: store.directory + "/.tmp-step_9/model.safetensors")
            TestFiles.write([1, 2, 3], to: store.directory + "/step_9/model.safetensors")
            #expect(try store.checkpoints().isEmpty && store.latest == nil)
            try Self.write(store, step: 10, Self.model(seed: 1))
            #expect(try FileSystem.contents(of: store.directory) == ["step_10", "step_9"])
            #expect(try store.checkpoints().map(\.step) == [10])
        }

        @Test func valuesThatAreNotFiniteAreRefusedAndNothingIsWritten() throws {
            let store = CheckpointStore(runDirectory: TestFiles.temporaryDirectory(), backend: backend)
            let model = Self.model(seed: 1)
            let bias = model.parameters.namedValues[1]
            backend.write([1, .nan, 3], to: bias.tensor)
            let error = #expect(throws: BERTKitError.self) { try Self.write(store, step: 1, model) }
            #expect(error?.file == store.directory + "/step_1")
            #expect(error?.message.contains("model tensor '\(bias.name)' holds NaN or infinite values") == true)
            #expect(!FileSystem.exists(store.directory))

            backend.write([Float](repeating: 1, count: 3), to: bias.tensor)
            let moment = model.optimizer.tensors(for: model.parameters)[4]
            backend.write([0, 0, .infinity] as [Float], to: moment.tensor)
            let optimizerError = #expect(throws: BERTKitError.self) { try Self.write(store, step: 1, model) }
            #expect(optimizerError?.message.contains("optimizer tensor '\(moment.name)'") == true)
            #expect(!FileSystem.exists(store.directory))
        }

        @Test func aTruncatedModelFileOffersThePreviousCheckpoint() throws {
            let store = CheckpointStore(runDirectory: TestFiles.temporaryDirectory(), backend: backend)
            let model = Self.model(seed: 1)
            let previous = try Self.write(store, step: 1000, model)
            let latest = try Self.write(store, step: 2000, model)
            let bytes = try #require(TestFiles.read(latest.modelPath))
            TestFiles.write(Array(bytes.prefix(bytes.count - 10)), to: latest.modelPath)

            let checkpoint = try #require(try store.latest)
            let error = try #require(throws: BERTKitError.self) { _ = try Self.read(store, checkpoint, into: Self.model(seed: 2)) }
            #expect(error.file == latest.modelPath)
            #expect(error.message.contains("the previous checkpoint \(previous.path) is complete: remove \(latest.path) "
                                           + "to resume from it, or start another run from its weights with "
                                           + "--init-checkpoint \(previous.path)"))
        }

        @Test func theOldestCheckpointHasNoPreviousToOffer() throws {
            let store = CheckpointStore(runDirectory: TestFiles.temporaryDirectory(), backend: backend)
            let checkpoint = try Self.write(store, step: 1, Self.model(seed: 1))
            try FileSystem.remove(checkpoint.statePath)
            let error = #expect(throws: BERTKitError.self) { _ = try Self.read(store, checkpoint, into: Self.model(seed: 2)) }
            #expect(error?.file == checkpoint.statePath)
            #expect(error?.message == "is missing: the checkpoint is incomplete")
        }

        @Test func aShapeMismatchNamesTheTensor() throws {
            let store = CheckpointStore(runDirectory: TestFiles.temporaryDirectory(), backend: backend)
            let checkpoint = try Self.write(store, step: 1, Self.model(seed: 1))
            var layout = Self.layout
            layout[2].shape = [2, 2]
            let error = #expect(throws: BERTKitError.self) { _ = try Self.read(store, checkpoint, into: Self.model(layout, seed: 2)) }
            #expect(error?.file == checkpoint.modelPath)
            #expect(error?.place == "tensor '\(layout[2].name)'")
            #expect(error?.message == "has shape [4], but this run's tensor has shape [2, 2]")
        }

        @Test func extraAndMissingTensorsAreNamed() throws {
            let store = CheckpointStore(runDirectory: TestFiles.temporaryDirectory(), backend: backend)
            let checkpoint = try Self.write(store, step: 1, Self.model(seed: 1))

            let fewer = #expect(throws: BERTKitError.self) { _ = try Self.read(store, checkpoint, into: Self.model(Array(Self.layout.prefix(2)), seed: 2)) }
            #expect(fewer?.file == checkpoint.modelPath)
            #expect(fewer?.message.contains("holds tensors this run does not have: '\(Self.layout[2].name)'") == true)

            let pooler = (name: "bert.pooler.dense.bias", shape: Shape([3]))
            let more = #expect(throws: BERTKitError.self) { _ = try Self.read(store, checkpoint, into: Self.model(Self.layout + [pooler], seed: 2)) }
            #expect(more?.file == checkpoint.modelPath && more?.place == "tensor '\(pooler.name)'")
            #expect(more?.message.hasPrefix("is missing") == true)
        }

        @Test func aCheckpointIsNamedByItsStep() throws {
            #expect(try Checkpoint(path: "runs/a/checkpoints/step_1200/").step == 1200)
            #expect(try Checkpoint(path: "runs/a/checkpoints/step_1200/").path == "runs/a/checkpoints/step_1200")
            for path in ["runs/a/checkpoints/step_012", "runs/a/checkpoints/step_-1", "runs/a/model"] {
                let error = #expect(throws: BERTKitError.self) { _ = try Checkpoint(path: path) }
                #expect(error?.file == path && error?.message.hasPrefix("is not a checkpoint directory") == true)
            }
        }
    }
}
