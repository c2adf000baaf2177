import Model
import Support
import Tensor

/// Small models and batches for the model tests.
enum ModelTestSupport {
    /// The backend every test uses (one at a time, see `ModelTests`), on two threads.
    static let backend: Backend = CPUBackend(threads: 2)

    /// A 2-layer BERT of width 16 with dropout on and larger initial weights, so that every
    /// path is far from linear.
    static func bertConfiguration(nextSentencePrediction: Bool = true, dropout: Float = 0.1) -> BertConfiguration {
        BertConfiguration(vocabularySize: 37, hiddenSize: 16, layers: 2, attentionHeads: 2, intermediateSize: 24,
                          maxPositions: 12, hiddenDropout: dropout, attentionDropout: dropout, initializerRange: 0.2,
                          nextSentencePrediction: nextSentencePrediction)
    }

    /// The same with a small character CNN in place of the word embeddings.
    static func characterBertConfiguration(dropout: Float = 0.1) -> BertConfiguration {
        var configuration = bertConfiguration(dropout: dropout)
        configuration.characterCNN = CharacterCNNConfiguration(
            characterVocabularySize: 263, characterEmbeddingSize: 4, charactersPerToken: 9,
            filters: [.init(width: 1, count: 3), .init(width: 2, count: 4), .init(width: 4, count: 5)], highwayLayers: 2)
        return configuration
    }

    /// A batch of two rows of 10 tokens, the second with 4 padding tokens; 3 masked slots per
    /// row, one unused in the second row; one next-sentence label of each kind.
    static func batch(for configuration: BertConfiguration, seed: UInt64 = 7) -> PretrainingInputs {
        var generator = SeededGenerator(seed: seed)
        let shape = BatchShape(batchSize: 2, sequenceLength: 10, maxPredictions: 3)
        let lengths = [10, 6]
        var tokenIDs: [Int32] = [], types: [Int32] = [], mask: [Int32] = []
        for row in 0..<2 {
            for position in 0..<10 {
                let real = position < lengths[row]
                mask.append(real ? 1 : 0)
                types.append(real && position >= lengths[row] / 2 ? 1 : 0)
                if let cnn = configuration.characterCNN {
                    tokenIDs += real ? characters(of: Int(generator.next() % 5) + 1, cnn, &generator)
                                     : [Int32](repeating: 0, count: cnn.charactersPerToken)
                } else {
                    tokenIDs.append(real ? Int32(1 + generator.next() % UInt64(configuration.vocabularySize - 1)) : 0)
                }
            }
        }
        let label = { Int32(generator.next() % UInt64(configuration.vocabularySize)) }
        return PretrainingInputs(shape: shape, tokenIDs: tokenIDs, tokenTypeIDs: types, attentionMask: mask,
                                 maskedPositions: [1, 4, 8, 2, 5, 0],
                                 maskedLabels: [label(), label(), label(), label(), label(), PretrainingInputs.ignoredLabel],
                                 nextSentenceLabels: [0, 1])
    }

    /// `batch` with `extra` more slots per sequence, unused (position 0, label ignored): the
    /// same losses, but with enough slots (more than half of each sequence) the model's last
    /// layer computes every row instead of only the rows the heads read.
    static func withUnusedSlots(_ batch: PretrainingInputs, extra: Int) -> PretrainingInputs {
        let p = batch.shape.maxPredictions
        var widened = batch
        widened.shape.maxPredictions = p + extra
        widened.maskedPositions = []
        widened.maskedLabels = []
        for sequence in 0..<batch.shape.batchSize {
            widened.maskedPositions += batch.maskedPositions[sequence * p..<(sequence + 1) * p] + Array(repeating: 0, count: extra)
            widened.maskedLabels += batch.maskedLabels[sequence * p..<(sequence + 1) * p]
                + Array(repeating: PretrainingInputs.ignoredLabel, count: extra)
        }
        return widened
    }

    /// CharacterBERT's ids for a word of `length` random letters: begin-of-word, the bytes,
    /// end-of-word, padding, each +1.
    private static func characters(of length: Int, _ cnn: CharacterCNNConfiguration,
                                   _ generator: inout SeededGenerator) -> [Int32] {
        let letters = (0..<min(length, cnn.charactersPerToken - 2)).map { _ in Int32(97 + generator.next() % 26) + 1 }
        let word = [259] + letters + [260]
        return word + [Int32](repeating: 261, count: cnn.charactersPerToken - word.count)
    }
}
