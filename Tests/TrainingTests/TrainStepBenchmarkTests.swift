import Model
import Support
import Testing
import Training

extension TrainingTests {
    /// The training-step benchmark: its batches, its operation count and a short run.
    @Suite struct TrainStepBenchmarkTests {
        static let tiny = BertConfiguration(vocabularySize: 50, hiddenSize: 16, layers: 2, attentionHeads: 2,
                                            intermediateSize: 32, maxPositions: 32)

        @Test func maskedSlotsAreFifteenPercentRoundedUpCappedAtTwenty() {
            let slots = [1, 2, 3, 4, 16, 100, 128, 512].map { TrainStepBenchmark.maskedSlots(sequenceLength: $0) }
            #expect(slots == [1, 1, 1, 1, 3, 15, 20, 20])
        }

        /// REFERENCE.md §8: BERT-base phase 1 costs about 70 GFLOP a sequence (20 predictions).
        @Test func bertBaseCostsSeventyGigaflopsASequence() throws {
            let base = try #require(BertConfiguration.preset("base"))
            let shape = BatchShape(batchSize: 1, sequenceLength: 128, maxPredictions: 20)
            let flops = TrainStepBenchmark.flopsPerStep(base, shape)
            #expect(flops > 69.5e9 && flops < 70.5e9, "\(flops)")
        }

        /// The paper's character CNN, counted by hand per token: convolutions 8,808,448 (e.g.
        /// width 7: 44 windows × 16 × 7 × 1024), two highways 2 × 2048 × 4096, projection
        /// 2048 × 768; six operations each.
        @Test func characterCNNAddsItsProductsAtEveryToken() throws {
            let base = try #require(BertConfiguration.preset("base"))
            let characterBase = try #require(BertConfiguration.preset("base", characterBERT: true))
            let shape = BatchShape(batchSize: 3, sequenceLength: 64, maxPredictions: 10)
            let extra = TrainStepBenchmark.flopsPerStep(characterBase, shape) - TrainStepBenchmark.flopsPerStep(base, shape)
            #expect(extra == 6 * 3 * 64 * Double(8_808_448 + 2 * 2048 * 4096 + 2048 * 768))
        }

        @Test(arguments: [false, true])
        func batchesAreValidWithDistinctMaskedPositionsInside(characterBERT: Bool) throws {
            var configuration = Self.tiny
            configuration.paddingTokenID = 3
            if characterBERT { configuration.characterCNN = CharacterCNNConfiguration(charactersPerToken: 9, filters: [.init(width: 2, count: 4)]) }
            let benchmark = try TrainStepBenchmark(configuration: configuration, batchSize: 3, sequenceLength: 16, steps: 1)
            var generator = SeededGenerator(seed: 1)
            let batch = benchmark.randomBatch(generator: &generator)
            try batch.validate(for: configuration)
            #expect(batch.shape == BatchShape(batchSize: 3, sequenceLength: 16, maxPredictions: 3))
            for row in 0..<3 {
                let positions = batch.maskedPositions[row * 3 ..< row * 3 + 3]
                #expect(positions.sorted() == Array(positions) && Set(positions).count == 3)
                #expect(positions.allSatisfy { (1..<15).contains($0) })
            }
            #expect(!batch.maskedLabels.contains(PretrainingInputs.ignoredLabel))
            #expect(batch.attentionMask.allSatisfy { $0 == 1 })
            #expect(Set(batch.nextSentenceLabels).isSubset(of: [0, 1]))
            if !characterBERT { #expect(!batch.tokenIDs.contains(3)) }
            #expect(!characterBERT || !batch.tokenIDs.contains(0))
        }

        /// Two runs from one seed train alike; the rates follow from the step time.
        @Test func runTrainsAndReports() throws {
            let benchmark = try TrainStepBenchmark(configuration: Self.tiny, batchSize: 2, sequenceLength: 8, steps: 3)
            let first = try benchmark.run(on: backend), second = try benchmark.run(on: backend)
            #expect(first.lastLoss.isFinite && first.lastLoss == second.lastLoss)
            #expect(first.secondsPerStep > 0 && first.tokensPerSecond == 16 / first.secondsPerStep)
            #expect(first.gigaflopsPerSecond == first.flopsPerStep / first.secondsPerStep / 1e9)
            #expect(first.peakResidentBytes.map { $0 > 0 } ?? true)
        }

        @Test func emptyRunsAreRefused() {
            #expect(throws: BERTKitError.self) {
                try TrainStepBenchmark(configuration: Self.tiny, batchSize: 2, sequenceLength: 8, steps: 0)
            }
        }
    }
}
