import Model
import PretrainingData

extension PretrainingInputs {
    /// An empty batch of `shape`, with room for the rows that `appendRow` and
    /// `appendPaddingRow` add; `idsPerToken` is 50 for CharacterBERT's character ids, else 1.
    init(reservingFor shape: BatchShape, idsPerToken: Int) {
        self.init(shape: shape, tokenIDs: [], tokenTypeIDs: [], attentionMask: [], maskedPositions: [],
                  maskedLabels: [], nextSentenceLabels: [])
        tokenIDs.reserveCapacity(shape.tokens * idsPerToken)
        tokenTypeIDs.reserveCapacity(shape.tokens)
        attentionMask.reserveCapacity(shape.tokens)
        maskedPositions.reserveCapacity(shape.predictions)
        maskedLabels.reserveCapacity(shape.predictions)
        nextSentenceLabels.reserveCapacity(shape.batchSize)
    }

    /// Appends row `row` of `batch` (whose sequence length is the shape's and whose masked
    /// slots are no more than the shape's) in Hugging Face's conventions.
    ///
    /// The masked slots before the first position 0 keep their positions and labels; the
    /// rest, and the slots past the file's own count, get position 0 and the ignored label.
    /// `nextSentence` is what the file's next-sentence label 1 means: labels meaning
    /// "random next" are kept, "is next" ones flipped, and `.none` (no labels in the file, or
    /// a model without the next-sentence head) gives the ignored label.
    mutating func appendRow(_ row: Int, of batch: PretrainingBatch, nextSentence: NSPLabelMeaning) {
        let tokens = row * batch.sequenceLength..<(row + 1) * batch.sequenceLength
        tokenIDs += batch.inputIDs[tokens.lowerBound * batch.idsPerToken..<tokens.upperBound * batch.idsPerToken]
        tokenTypeIDs += batch.segmentIDs[tokens]
        attentionMask += batch.inputMask[tokens]
        let used = row * batch.maxPredictions..<row * batch.maxPredictions + batch.predictionCount(ofRow: row)
        maskedPositions += batch.maskedPositions[used]
        maskedLabels += batch.maskedLabels[used]
        maskedPositions += repeatElement(0, count: shape.maxPredictions - used.count)
        maskedLabels += repeatElement(Self.ignoredLabel, count: shape.maxPredictions - used.count)
        let stored = batch.nextSentenceLabels[row]
        switch nextSentence {
        case .randomNext: nextSentenceLabels.append(stored)
        case .isNext: nextSentenceLabels.append(1 - stored)
        case .none: nextSentenceLabels.append(Self.ignoredLabel)
        }
    }

    /// Appends a row that counts for nothing, to fill a last batch up to the shape: padding
    /// tokens, every label ignored, and attention on the first token only, so that attention's
    /// softmax has one finite term.
    mutating func appendPaddingRow(idsPerToken: Int) {
        tokenIDs += repeatElement(0, count: shape.sequenceLength * idsPerToken)
        tokenTypeIDs += repeatElement(0, count: shape.sequenceLength)
        attentionMask += [1] + repeatElement(0, count: shape.sequenceLength - 1)
        maskedPositions += repeatElement(0, count: shape.maxPredictions)
        maskedLabels += repeatElement(Self.ignoredLabel, count: shape.maxPredictions)
        nextSentenceLabels.append(Self.ignoredLabel)
    }
}
