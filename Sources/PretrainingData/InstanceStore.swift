import Support

/// The instances made from one shard, stored back to back, and the shuffled order they are
/// written in.
struct InstanceStore {
    /// Every instance's input tokens (after masking): [CLS] A [SEP] B [SEP], or [CLS] A [SEP].
    private(set) var tokens: [Int32] = []
    private var tokenEnds: [Int] = []
    /// Where segment B starts in each instance; its length when there is no segment B.
    private var secondSegmentStarts: [Int32] = []
    /// Every instance's masked positions, ascending, and the original token at each.
    private(set) var positions: [Int32] = []
    private(set) var labels: [Int32] = []
    private var predictionEnds: [Int] = []
    private var randomNext: [Bool] = []
    /// The order instances are written in: a permutation of 0..<count.
    private(set) var order: [Int32] = []

    /// The number of instances.
    var count: Int { tokenEnds.count }

    /// Adds an instance; `tokens` are its input tokens, `predictions` its masked positions
    /// (ascending) with their original tokens.
    mutating func append(tokens instance: [Int32], secondSegmentStart: Int, predictions: [(position: Int32, label: Int32)],
                         isRandomNext: Bool) {
        tokens += instance
        tokenEnds.append(tokens.count)
        secondSegmentStarts.append(Int32(secondSegmentStart))
        for prediction in predictions {
            positions.append(prediction.position)
            labels.append(prediction.label)
        }
        predictionEnds.append(positions.count)
        randomNext.append(isRandomNext)
        order.append(Int32(order.count))
    }

    /// Shuffles the written order (the script's final `rng.shuffle(instances)`).
    mutating func shuffle(using generator: inout SeededGenerator) {
        order.shuffle(using: &generator)
    }

    /// The tokens (indices into `tokens`) of instance `index` (in stored order).
    func tokenRange(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : tokenEnds[index - 1])..<tokenEnds[index]
    }

    /// The predictions (indices into `positions` and `labels`) of instance `index`.
    func predictionRange(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : predictionEnds[index - 1])..<predictionEnds[index]
    }

    /// Where segment B starts in instance `index`.
    func secondSegmentStart(_ index: Int) -> Int { Int(secondSegmentStarts[index]) }

    /// Whether segment B of instance `index` comes from another document.
    func isRandomNext(_ index: Int) -> Bool { randomNext[index] }
}
