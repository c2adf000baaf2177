/// BERT's post-processing, the same as `tokenizers`' `BertProcessing`: `[CLS] A [SEP]` for
/// one text and `[CLS] A [SEP] B [SEP]` for a pair, type id 0 up to the first `[SEP]` and 1
/// after it.
public struct BertPostProcessor: Sendable {
    /// The classification token that starts every sequence, and its id.
    public let classifier: (token: String, id: UInt32)
    /// The separator token that ends each text, and its id.
    public let separator: (token: String, id: UInt32)

    /// A post-processor with the ids of `classifier` and `separator` in `vocabulary`.
    /// - Throws: `BERTKitError` when the vocabulary lacks either token.
    public init(vocabulary: Vocabulary, classifier: String = "[CLS]", separator: String = "[SEP]") throws {
        self.classifier = (classifier, try vocabulary.requiredID(of: classifier))
        self.separator = (separator, try vocabulary.requiredID(of: separator))
    }

    /// `first` and `pair` (whose type ids must be 0 and 1) framed by the special tokens.
    public func process(_ first: Encoding, pair: Encoding? = nil) -> Encoding {
        var result = Encoding()
        result.append(id: classifier.id, token: classifier.token, offsets: 0..<0, typeID: 0)
        result.append(contentsOf: first)
        result.append(id: separator.id, token: separator.token, offsets: 0..<0, typeID: 0)
        if let pair {
            result.append(contentsOf: pair)
            result.append(id: separator.id, token: separator.token, offsets: 0..<0, typeID: 1)
        }
        return result
    }
}
