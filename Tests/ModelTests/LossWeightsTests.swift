import Model
import Support
import Tensor
import Testing

extension ModelTests {
    /// Gradient accumulation: micro-batches weighted by their share of the masked tokens and
    /// sentences add up to the gradient of the whole batch's mean losses.
    @Suite struct LossWeightsTests {
        @Test func weightedRowsAddUpToTheWholeBatch() throws {
            let configuration = ModelTestSupport.bertConfiguration(dropout: 0)
            let model = try BertForPreTraining(configuration: configuration, backend: ModelTestSupport.backend, seed: 3)
            let batch = ModelTestSupport.batch(for: configuration)
            model.parameters.zeroGradients()
            let whole = try model.forward(batch, training: true)
            model.backward()
            let expected = model.backend.floats(model.parameters.gradients)

            // Row 0 holds 3 of the batch's 5 labelled slots, row 1 the other 2: unequal shares,
            // so plain averaging of the two rows' means would give another gradient.
            model.parameters.zeroGradients()
            var (maskedLoss, sentenceLoss) = (Float(0), Float(0))
            for row in 0..<2 {
                let part = Self.row(row, of: batch)
                let labelled = part.maskedLabels.filter { $0 != PretrainingInputs.ignoredLabel }.count
                let weights = LossWeights(maskedLanguageModel: Float(labelled) / 5, nextSentence: 0.5)
                let losses = try model.forward(part, training: true, weights: weights)
                model.backward()
                maskedLoss += weights.maskedLanguageModel * losses.maskedLanguageModel
                sentenceLoss += weights.nextSentence * (losses.nextSentence ?? .nan)
            }
            let accumulated = model.backend.floats(model.parameters.gradients)

            #expect(abs(maskedLoss - whole.maskedLanguageModel) <= 1e-5 * whole.maskedLanguageModel)
            #expect(abs(sentenceLoss - whole.nextSentence!) <= 1e-5 * whole.nextSentence!)
            let scale = expected.map(abs).max()!
            let worst = zip(expected, accumulated).map { abs($0 - $1) }.max()!
            #expect(scale > 0 && worst <= 1e-5 * scale, "worst difference \(worst) of gradients up to \(scale)")
        }

        /// Row `row` of `batch` as a batch of one.
        static func row(_ row: Int, of batch: PretrainingInputs) -> PretrainingInputs {
            let (s, p) = (batch.shape.sequenceLength, batch.shape.maxPredictions)
            let slots = row * p..<(row + 1) * p
            return PretrainingInputs(
                shape: BatchShape(batchSize: 1, sequenceLength: s, maxPredictions: p),
                tokenIDs: Array(batch.tokenIDs[row * s..<(row + 1) * s]),
                tokenTypeIDs: Array(batch.tokenTypeIDs[row * s..<(row + 1) * s]),
                attentionMask: Array(batch.attentionMask[row * s..<(row + 1) * s]),
                maskedPositions: Array(batch.maskedPositions[slots]), maskedLabels: Array(batch.maskedLabels[slots]),
                nextSentenceLabels: [batch.nextSentenceLabels[row]])
        }
    }
}
