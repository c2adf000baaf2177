import Support

extension PretrainingInputs {
    /// Checks the sizes and every id against the model's configuration, so that bad data
    /// stops with a message rather than reading outside a table.
    public func validate(for configuration: BertConfiguration) throws {
        let idsPerToken = configuration.characterCNN?.charactersPerToken ?? 1
        let idLimit = configuration.characterCNN?.characterVocabularySize ?? configuration.vocabularySize
        let (s, v) = (shape.sequenceLength, Int32(configuration.vocabularySize))
        guard shape.batchSize >= 1, s >= 1, shape.maxPredictions >= 0 else {
            throw BERTKitError("batch shape \(shape) has an empty dimension")
        }
        guard s <= configuration.maxPositions else {
            throw BERTKitError("sequence length \(s) is longer than the model's \(configuration.maxPositions) positions")
        }
        let counts = [("token ids", tokenIDs.count, shape.tokens * idsPerToken),
                      ("token type ids", tokenTypeIDs.count, shape.tokens), ("attention mask", attentionMask.count, shape.tokens),
                      ("masked positions", maskedPositions.count, shape.predictions),
                      ("masked labels", maskedLabels.count, shape.predictions),
                      ("next-sentence labels", nextSentenceLabels.count, shape.batchSize)]
        for (name, count, expected) in counts where count != expected {
            throw BERTKitError("\(name): \(count) values for a batch of \(shape.batchSize) × \(s) that needs \(expected)")
        }
        try Self.check(tokenIDs, "token id", per: shape.sequenceLength * idsPerToken) { $0 >= 0 && $0 < idLimit }
        try Self.check(tokenTypeIDs, "token type id", per: s) { $0 >= 0 && $0 < configuration.typeVocabularySize }
        try Self.check(maskedPositions, "masked position", per: max(shape.maxPredictions, 1)) { $0 >= 0 && $0 < s }
        try Self.check(maskedLabels, "masked label", per: max(shape.maxPredictions, 1)) {
            $0 == Self.ignoredLabel || ($0 >= 0 && $0 < v)
        }
        try Self.check(nextSentenceLabels, "next-sentence label", per: 1) { $0 == Self.ignoredLabel || $0 == 0 || $0 == 1 }
    }

    /// Throws for the first value that `valid` refuses, naming its row.
    private static func check(_ values: [Int32], _ name: String, per rowLength: Int, _ valid: (Int) -> Bool) throws {
        if let index = values.firstIndex(where: { !valid(Int($0)) }) {
            throw BERTKitError(place: "batch row \(index / rowLength)", "\(name) \(values[index]) out of range")
        }
    }
}
