import Support
import TestSupport
import Testing
@testable import Training

extension TrainingTests {
    /// Resolving a pre-training configuration: recipe < files < command line, the recipe a
    /// layer selects, the YAML written back, and the errors of bad keys and values.
    @Suite struct PretrainingConfigurationTests {
        /// A YAML file with `text` in a fresh directory.
        static func file(_ text: String, name: String = "run.yaml") -> String {
            TestFiles.temporaryFile(Array(text.utf8), name: name)
        }

        /// The message of the error resolving throws, nil when it resolves.
        static func message(files: [String] = [], _ commandLine: [(key: String, value: PretrainingConfiguration.Value)] = [])
            -> String? {
            do {
                _ = try PretrainingConfiguration.resolve(files: files, commandLine: commandLine)
                return nil
            } catch {
                return "\(error)"
            }
        }

        @Test func withoutLayersTheRecipeIsNVIDIAsPhaseOne() throws {
            let configuration = try PretrainingConfiguration.resolve(files: [], commandLine: [])
            #expect(configuration.preset == "bert-base-phase1")
            #expect(configuration.sequenceLength == 128 && configuration.maxPredictions == 20)
            #expect(configuration.learningRate == 6e-3 && configuration.warmupProportion == 0.2843)
            #expect(configuration.maxSteps == 7038 && configuration.microBatchSize == 64)
            #expect(configuration.optimizer == .lamb && configuration.schedule == .poly && configuration.epsilon == 1e-6)
        }

        @Test func phaseTwoAndCharacterBERTSelectTheirRecipes() throws {
            let phase2 = try PretrainingConfiguration.resolve(files: [], commandLine: [("phase", .integer(2))])
            #expect(phase2.preset == "bert-base-phase2")
            #expect(phase2.sequenceLength == 512 && phase2.maxPredictions == 80 && phase2.learningRate == 4e-3)
            #expect(phase2.maxSteps == 1563 && phase2.microBatchSize == 16 && phase2.warmupProportion == 0.128)
            let file = Self.file("character_bert: true\nphase: 2\n")
            let characterBERT = try PretrainingConfiguration.resolve(files: [file], commandLine: [])
            #expect(characterBERT.preset == "character-bert-phase2" && characterBERT.characterBERT)
            #expect(characterBERT.sequenceLength == 512)
        }

        @Test func laterLayersWin() throws {
            let first = Self.file("learning_rate: 1e-3\nmax_steps: 100\nmodel: tiny\n")
            let second = Self.file("max_steps: 200\nseed: 7\n")
            let configuration = try PretrainingConfiguration.resolve(
                files: [first, second], commandLine: [("seed", .integer(9)), ("run_dir", .string("runs/a b"))])
            #expect(configuration.learningRate == 1e-3 && configuration.model == "tiny")
            #expect(configuration.maxSteps == 200 && configuration.seed == 9 && configuration.runDirectory == "runs/a b")
            #expect(configuration.sequenceLength == 128)
        }

        @Test func aLayerSetsTheRecipeItBuildsOn() throws {
            let file = Self.file("preset: bert-base-phase2\nlearning_rate: 0.002\n")
            let configuration = try PretrainingConfiguration.resolve(files: [file], commandLine: [])
            #expect(configuration.sequenceLength == 512 && configuration.learningRate == 0.002)
            #expect(Self.message([("preset", .string("bert-base-phase3"))])?.contains("closest is 'bert-base-phase1'") == true)
        }

        @Test func yamlReadsBackToTheSameConfiguration() throws {
            let configuration = try PretrainingConfiguration.resolve(files: [], commandLine: [
                ("model", .string("configs/tiny \"quoted\".yaml")), ("data", .string("data/128")),
                ("learning_rate", .number(0.0013)), ("optimizer", .string("adamw")), ("schedule", .string("linear")),
                ("target_batch_size", .integer(48)), ("accumulation_steps", .integer(3)),
                ("next_sentence_prediction", .bool(false)), ("init_checkpoint", .string("runs/a/checkpoints/step_5")),
                ("allreduce_dtype", .string("bf16")),
            ])
            #expect(configuration.yaml.contains("learning_rate: 0.0013\n"))
            #expect(configuration.allReduceDType == .bf16 && configuration.yaml.contains("allreduce_dtype: \"bf16\"\n"))
            let reread = try PretrainingConfiguration.resolve(files: [Self.file(configuration.yaml)], commandLine: [])
            #expect(reread == configuration)
        }

        @Test func unknownKeysNameTheFileTheLineAndTheClosestKey() {
            let file = Self.file("model: tiny\nlearning_rte: 0.1\n")
            let message = Self.message(files: [file])
            #expect(message == "\(file): line 2: unknown key 'learning_rte'; the closest valid key is 'learning_rate'")
        }

        @Test func wrongTypesAndChoicesNameTheKey() {
            #expect(Self.message([("max_steps", .string("many"))]) == "command line: line 1: max_steps: expected an integer, got \"many\"")
            #expect(Self.message([("optimizer", .string("sgd"))])
                    == "command line: line 1: optimizer: expected one of lamb, adamw, got \"sgd\"")
            #expect(Self.message([("allreduce_dtype", .string("fp16"))])
                    == "command line: line 1: allreduce_dtype: expected one of fp32, bf16, got \"fp16\"")
        }

        @Test func valuesThatCannotWorkTogetherAreRefused() {
            let message = Self.message([("target_batch_size", .integer(10)), ("accumulation_steps", .integer(4))])
            #expect(message?.contains("target_batch_size 10 is not a multiple of accumulation_steps 4") == true)
            #expect(Self.message([("phase", .integer(3))])?.contains("phase must be 1 or 2") == true)
        }

        @Test func schedulesFollowTheConfiguration() throws {
            func schedule(_ kind: String) throws -> LearningRateSchedule {
                try PretrainingConfiguration.resolve(files: [], commandLine: [
                    ("max_steps", .integer(100)), ("warmup_proportion", .number(0.1)), ("schedule", .string(kind))])
                    .learningRateSchedule
            }
            let steps = [1, 5, 10, 11, 50, 100]
            let expected: [(String, LearningRateSchedule)] = [
                ("poly", PolyWarmUp(baseRate: 6e-3, warmup: 0.1, totalSteps: 100)),
                ("linear", LinearWarmUpDecay(baseRate: 6e-3, warmupSteps: 10, totalSteps: 100)),
                ("constant", ConstantWithWarmUp(baseRate: 6e-3, warmupSteps: 10)),
            ]
            for (kind, reference) in expected {
                let rates = try steps.map(schedule(kind).learningRate(atStep:))
                #expect(rates == steps.map(reference.learningRate(atStep:)), "\(kind)")
            }
        }
    }
}
