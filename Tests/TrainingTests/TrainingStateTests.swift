import Support
import Testing
@testable import Training

extension TrainingTests {
    /// A checkpoint's state.json: written and read back unchanged, and refused when damaged.
    @Suite struct TrainingStateTests {
        static let state = TrainingState(
            phase: 2, step: 17, globalStep: 7055, optimizerSteps: 16, skippedSteps: 1, consecutiveSkippedSteps: 0,
            dropoutGenerators: [(0x9E37_79B9_7F4A_7C15, 1, 0, UInt64.max)],
            dataPositions: [DataPosition(epoch: 1, fileStep: 3, row: 17, rowsServed: 5120)],
            configuration: "model: \"tiny\"\nlearning_rate: 0.004\n")

        @Test func jsonReadsBackToTheSameState() throws {
            var schedule = JSONObjectWriter()
            schedule.add("kind", "poly")
            schedule.add("total_steps", 1563)
            let text = Self.state.json(schedule: schedule)
            #expect(text.contains("\"schedule\": {\"kind\": \"poly\", \"total_steps\": 1563}"))
            #expect(text.contains("\"dropout_generator\": [\"9e3779b97f4a7c15\", \"1\", \"0\", \"ffffffffffffffff\"]"))
            #expect(try TrainingState(json: text, file: "state.json") == Self.state)
        }

        @Test func everyProcessDataPositionAndGeneratorReadBack() throws {
            var state = Self.state
            state.dataPositions.append(DataPosition(epoch: 2, fileStep: 0, row: 3, rowsServed: 5120))
            state.dropoutGenerators.append((2, 3, 4, 0xABC))
            let text = state.json(schedule: JSONObjectWriter())
            #expect(text.contains("\"dropout_generators\": [[\"9e3779b97f4a7c15\", \"1\", \"0\", \"ffffffffffffffff\"], "
                                  + "[\"2\", \"3\", \"4\", \"abc\"]]"))
            #expect(!Self.state.json(schedule: JSONObjectWriter()).contains("dropout_generators"))
            #expect(text.contains("\"data_position\": {\"epoch\": 1, \"file_step\": 3, \"row\": 17, \"rows_served\": 5120}"))
            #expect(text.contains("\"data_positions\": [{\"epoch\": 1, "))
            #expect(!Self.state.json(schedule: JSONObjectWriter()).contains("data_positions"))
            #expect(try TrainingState(json: text, file: "state.json") == state)
            let inconsistent = text.replacing("\"data_positions\": [{\"epoch\": 1,", with: "\"data_positions\": [{\"epoch\": 4,")
            #expect(throws: BERTKitError.self) { try TrainingState(json: inconsistent, file: "state.json") }
        }

        @Test func damagedStatesNameTheFile() {
            let text = Self.state.json(schedule: JSONObjectWriter())
            let truncated = String(text.prefix(text.count / 2))
            #expect(throws: BERTKitError.self) { try TrainingState(json: truncated, file: "step_5/state.json") }
            do {
                _ = try TrainingState(json: text.replacing("\"data_position\"", with: "\"other\""),
                                      file: "step_5/state.json")
                Issue.record("a state without its data position was read")
            } catch {
                #expect("\(error)".hasPrefix("step_5/state.json: not a complete training state"))
            }
            let future = text.replacing("\"format\": 1", with: "\"format\": 2")
            #expect(throws: BERTKitError.self) { try TrainingState(json: future, file: "state.json") }
        }
    }
}
