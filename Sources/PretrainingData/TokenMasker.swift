import Support

/// The masking step of Google's `create_masked_lm_predictions`: picks positions to predict and
/// replaces 80% of them with [MASK], keeps 10% and puts a random token in 10%.
///
/// Candidates are every position but [CLS] and [SEP] (and, for CharacterBERT, but words outside
/// the MLM vocabulary); with whole-word masking a "##" piece joins the group of the token just
/// before it (one after [SEP] starts a group of its own, where Google's script would join it to
/// the last word of segment A). Groups are shuffled and taken until `min(P, max(1, round(n * p)))` positions are chosen,
/// skipping a group that would overshoot. Positions come out ascending with their original tokens.
struct TokenMasker {
    let options: InstanceOptions
    let vocabulary: TokenVocabulary
    /// Candidate groups as (first position, length).
    private var groups: [SIMD2<Int32>] = []
    /// The chosen positions and their original tokens.
    private(set) var predictions: [(position: Int32, label: Int32)] = []

    init(options: InstanceOptions, vocabulary: TokenVocabulary) {
        self.options = options
        self.vocabulary = vocabulary
    }

    /// Masks `tokens` in place; the chosen positions are then in `predictions`.
    mutating func mask(_ tokens: inout [Int32], using generator: inout SeededGenerator) {
        groups.removeAll(keepingCapacity: true)
        predictions.removeAll(keepingCapacity: true)
        for (index, token) in tokens.enumerated() {
            if token == vocabulary.cls || token == vocabulary.sep || !vocabulary.isMaskCandidate(token) { continue }
            if options.wholeWordMask, let last = groups.last, last.x + last.y == Int32(index), vocabulary.continuesWord(token) {
                groups[groups.count - 1] = SIMD2(last.x, Int32(index) - last.x + 1)
            } else {
                groups.append(SIMD2(Int32(index), 1))
            }
        }
        groups.shuffle(using: &generator)
        // Python's round(): halves to even.
        let wanted = (Double(tokens.count) * options.maskedLMProb).rounded(.toNearestOrEven)
        let budget = min(options.maxPredictionsPerSeq, max(1, Int(wanted)))
        let randomCount = vocabulary.labels.count
        for group in groups {
            if predictions.count >= budget { break }
            if predictions.count + Int(group.y) > budget { continue }
            for position in Int(group.x)..<Int(group.x + group.y) {
                let original = tokens[position]
                if generator.nextUnitDouble() < 0.8 {
                    tokens[position] = vocabulary.mask
                } else if generator.nextUnitDouble() >= 0.5 {
                    tokens[position] = Int32(Int.random(in: 0..<randomCount, using: &generator))
                }
                predictions.append((Int32(position), original))
            }
        }
        predictions.sort { $0.position < $1.position }
    }
}
