/// Rows of a pre-training file in one shape whatever the layout: inputs padded to the
/// sequence length, masked positions and their labels padded to the maximum predictions.
public struct PretrainingBatch: Sendable {
    /// Rows (instances).
    public var count: Int
    /// Tokens per row (L).
    public var sequenceLength: Int
    /// Masked slots per row (P).
    public var maxPredictions: Int
    /// Ids per token: 1 for WordPiece ids, 50 for CharacterBERT's character ids.
    public var idsPerToken: Int
    /// (count, L, idsPerToken) input ids, 0-padded.
    public var inputIDs: [Int32]
    /// (count, L): 1 for real tokens, 0 for padding.
    public var inputMask: [Int32]
    /// (count, L): 0 for [CLS] A [SEP], 1 for B [SEP], 0 for padding.
    public var segmentIDs: [Int32]
    /// (count, P) masked positions, ascending, 0 for unused slots.
    public var maskedPositions: [Int32]
    /// (count, P) the label (original token's id) of each masked position, 0 for unused slots.
    public var maskedLabels: [Int32]
    /// (count) next-sentence labels as the file stores them (see `PretrainingFile.nspMeaning`).
    public var nextSentenceLabels: [Int32]

    /// The number of real tokens of row `row`.
    public func length(ofRow row: Int) -> Int {
        var length = 0
        for index in row * sequenceLength..<(row + 1) * sequenceLength where inputMask[index] != 0 { length += 1 }
        return length
    }

    /// The number of used masked slots of row `row`: those before the first position 0.
    public func predictionCount(ofRow row: Int) -> Int {
        let slots = maskedPositions[row * maxPredictions..<(row + 1) * maxPredictions]
        return (slots.firstIndex(of: 0) ?? slots.endIndex) - slots.startIndex
    }

    /// Row `row`'s labels of length L as NVIDIA's loader builds them: `ignore` everywhere but
    /// the masked positions, which hold their labels.
    public func denseLabels(ofRow row: Int, ignore: Int32 = -1) -> [Int32] {
        var labels = [Int32](repeating: ignore, count: sequenceLength)
        for slot in 0..<predictionCount(ofRow: row) {
            let position = Int(maskedPositions[row * maxPredictions + slot])
            if position < sequenceLength { labels[position] = maskedLabels[row * maxPredictions + slot] }
        }
        return labels
    }
}
