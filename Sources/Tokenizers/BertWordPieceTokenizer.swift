import Support

/// BERT's WordPiece tokenizer, giving the same tokens, ids and offsets as Hugging Face
/// `tokenizers`' `BertWordPieceTokenizer`: `BertNormalizer`, then `BertPreTokenizer`, then
/// the `WordPiece` model, then `BertPostProcessor`.
public final class BertWordPieceTokenizer: Sendable {
    /// The first step: cleaning, CJK padding, accent stripping, lowercasing.
    public let normalizer: BertNormalizer
    /// The second step: words at whitespace and punctuation.
    public let preTokenizer: BertPreTokenizer
    /// The third step: words into vocabulary tokens.
    public let model: WordPiece
    /// The last step: `[CLS]` and `[SEP]` around the tokens.
    public let postProcessor: BertPostProcessor
    /// The id of the padding token, `[PAD]`.
    public let paddingID: UInt32
    /// The id of the mask token of masked language modelling, `[MASK]`.
    public let maskID: UInt32

    /// The tokenizer of `BertWordPieceTokenizer(vocabularyFile, lowercase:)`: text cleaning
    /// and CJK padding on; accents stripped exactly when lowercasing.
    /// - Throws: `BERTKitError` for an unreadable or malformed vocabulary, or one without
    ///   `[UNK]`, `[CLS]`, `[SEP]`, `[PAD]` or `[MASK]`.
    public convenience init(vocabularyFile path: String, lowercase: Bool = true) throws {
        try self.init(vocabulary: Vocabulary(contentsOfFile: path), normalizer: BertNormalizer(lowercase: lowercase))
    }

    /// A tokenizer over `vocabulary` with BERT's special tokens.
    public init(vocabulary: Vocabulary, normalizer: BertNormalizer = BertNormalizer()) throws {
        self.normalizer = normalizer
        self.preTokenizer = BertPreTokenizer()
        self.model = try WordPiece(vocabulary: vocabulary)
        self.postProcessor = try BertPostProcessor(vocabulary: vocabulary)
        self.paddingID = try vocabulary.requiredID(of: "[PAD]")
        self.maskID = try vocabulary.requiredID(of: "[MASK]")
    }

    /// The vocabulary.
    public var vocabulary: Vocabulary { model.vocabulary }

    /// The tokens of `text`, or of the pair `text`, `pair`, with `[CLS]` and `[SEP]` unless
    /// `addSpecialTokens` is false.
    public func encode(_ text: String, pair: String? = nil, addSpecialTokens: Bool = true) -> Encoding {
        var buffer = TokenBuffer()
        return encode(text, pair: pair, addSpecialTokens: addSpecialTokens, buffer: &buffer)
    }

    private func encode(_ text: String, pair: String?, addSpecialTokens: Bool, buffer: inout TokenBuffer) -> Encoding {
        let first = encoding(of: text, typeID: 0, buffer: &buffer)
        let second = pair.map { encoding(of: $0, typeID: 1, buffer: &buffer) }
        if addSpecialTokens { return postProcessor.process(first, pair: second) }
        var result = first
        if let second { result.append(contentsOf: second) }
        return result
    }

    /// The encodings of `texts`, in order, made on `threads` threads.
    public func encodeBatch(_ texts: [String], addSpecialTokens: Bool = true,
                            threads: Int = WorkerThread.processorCount) throws -> [Encoding] {
        var results: [Encoding] = []
        results.reserveCapacity(texts.count)
        let batchSize = 64
        try OrderedPipeline.run(
            workers: threads, maxInFlight: threads * 4,
            produce: { emit in
                for start in stride(from: 0, to: texts.count, by: batchSize) {
                    try emit(start..<min(start + batchSize, texts.count))
                }
            },
            transform: { (batch: Range<Int>) -> [Encoding] in
                var buffer = TokenBuffer()
                return batch.map { self.encode(texts[$0], pair: nil, addSpecialTokens: addSpecialTokens, buffer: &buffer) }
            },
            consume: { results += $0 })
        return results
    }

    /// Tokenizes UTF-8 text into `buffer` (ids and offsets, no special tokens): the path for
    /// bulk work, which allocates nothing once the buffer has grown.
    public func tokenize(utf8 text: UnsafeBufferPointer<UInt8>, into buffer: inout TokenBuffer) {
        normalizer.normalize(utf8: text, into: &buffer.normalized)
        preTokenizer.split(buffer.normalized, into: &buffer.words)
        buffer.ids.removeAll(keepingCapacity: true)
        buffer.offsets.removeAll(keepingCapacity: true)
        var pieces = buffer.pieces
        buffer.pieces = []
        let normalized = buffer.normalized
        normalized.utf8.withUnsafeBufferPointer { bytes in
            for word in buffer.words {
                pieces.removeAll(keepingCapacity: true)
                model.tokenize(word: UnsafeBufferPointer(rebasing: bytes[word]), appendingTo: &pieces)
                for piece in pieces {
                    buffer.ids.append(piece.id)
                    let start = word.lowerBound + piece.bytes.lowerBound
                    buffer.offsets.append(normalized.originalRange(of: start..<start + piece.bytes.count))
                }
            }
        }
        buffer.pieces = pieces
    }

    private func encoding(of text: String, typeID: UInt32, buffer: inout TokenBuffer) -> Encoding {
        var text = text
        text.withUTF8 { tokenize(utf8: $0, into: &buffer) }
        var encoding = Encoding()
        for (id, offsets) in zip(buffer.ids, buffer.offsets) {
            encoding.append(id: id, token: vocabulary.tokens[Int(id)], offsets: offsets, typeID: typeID)
        }
        return encoding
    }
}
