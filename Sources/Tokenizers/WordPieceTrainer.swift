import Support

/// Learns a WordPiece vocabulary from word counts, the way Hugging Face `tokenizers`'
/// WordPiece trainer does: a BPE trainer whose pieces after the first of a word carry the
/// continuing-subword prefix "##".
///
/// Words are counted with `BertNormalizer` and `BertPreTokenizer`, exactly as the tokenizer
/// that will use the vocabulary splits text. Training then:
/// 1. puts the special tokens first, then `unusedTokens` rows `[unused0]`, `[unused1]`, …;
/// 2. adds the alphabet: the characters of the words (the `limitAlphabet` most frequent,
///    ties to the smaller code point), in code point order, then the "##" form of each one
///    that can continue a word (every character but punctuation and, when the normalizer
///    pads them, CJK ideographs, which are always words of their own);
/// 3. merges, until the vocabulary has `vocabularySize` tokens, the most frequent pair of
///    adjacent pieces (ties to the pair of lower ids), adding the joined piece; pairs seen
///    fewer than `minFrequency` times are never merged;
/// 4. pads the vocabulary with more `[unused…]` rows to a multiple of `padToMultipleOf`.
///
/// Differences from `tokenizers`, all deliberate: ties are broken by ids, so a run repeats
/// exactly; words longer than the tokenizer's limit (100 characters) are left out, since
/// the tokenizer turns them into `[UNK]` whatever the vocabulary; a character dropped from
/// the alphabet splits its word instead of being skipped (which would join its neighbours).
public struct WordPieceTrainer: Sendable {
    /// What to learn.
    public struct Options: Sendable {
        /// The number of tokens wanted, special and unused rows included, padding excluded.
        public var vocabularySize = 30522
        /// The fewest occurrences of a pair for it to be merged.
        public var minFrequency = 2
        /// The most distinct characters in the alphabet, nil for no limit.
        public var limitAlphabet: Int? = 1000
        /// `[unused…]` rows after the special tokens, for tokens added later.
        public var unusedTokens = 0
        /// Pad the vocabulary with `[unused…]` rows to a multiple of this (NVIDIA uses 8).
        public var padToMultipleOf: Int?
        /// The special tokens, first in the vocabulary.
        public var specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        /// Words longer than this many characters are not counted (the tokenizer's limit).
        public var maxWordCharacters = 100
        /// The prefix of pieces that continue a word.
        public var continuingSubwordPrefix = "##"

        /// `tokenizers`' BERT defaults with BERT-base's size.
        public init() {}
    }

    /// What training made.
    public struct Result: Sendable {
        /// The vocabulary, a token per id.
        public var tokens: [String] = []
        /// Characters in the alphabet (not counting their "##" forms).
        public var alphabet = 0
        /// Distinct characters left out of the alphabet.
        public var charactersDropped = 0
        /// Merges learned.
        public var merges = 0
        /// `[unused…]` rows added by padding.
        public var paddingTokens = 0
        /// Wall-clock time of training (not of counting).
        public var seconds = 0.0
    }

    /// What training learns.
    public let options: Options
    /// The normalizer applied before counting words: the tokenizer's.
    public let normalizer: BertNormalizer
    private let preTokenizer = BertPreTokenizer()
    private static let noID = UInt32.max

    /// A trainer with `options`, counting words normalized by `normalizer` (uncased by default).
    public init(options: Options = Options(), normalizer: BertNormalizer = BertNormalizer()) {
        self.options = options
        self.normalizer = normalizer
    }

    /// Counts the words of UTF-8 text as the tokenizer splits it; returns how many words
    /// were left out for being longer than `maxWordCharacters`.
    public func countWords(utf8 text: UnsafeBufferPointer<UInt8>, into counter: inout TokenCounter) -> Int {
        var normalized = NormalizedText()
        var words: [Range<Int>] = []
        normalizer.normalize(utf8: text, into: &normalized)
        preTokenizer.split(normalized, into: &words)
        var skipped = 0
        normalized.utf8.withUnsafeBufferPointer { bytes in
            for range in words {
                let word = UnsafeBufferPointer(rebasing: bytes[range])
                if word.count > options.maxWordCharacters && WordPiece.characterCount(word) > options.maxWordCharacters {
                    skipped += 1
                } else {
                    counter.add(word)
                }
            }
        }
        return skipped
    }

    /// Learns the vocabulary from `wordCounts` (made by `countWords`).
    /// - Throws: `BERTKitError` when there are no words, or when the special tokens, unused
    ///   rows and alphabet alone exceed the vocabulary size.
    public func train(wordCounts: TokenCounter, progress: ProgressReporter) throws -> Result {
        let start = MonotonicClock.now()
        guard wordCounts.count > 0 else { throw BERTKitError("no words to learn a vocabulary from: the text is empty") }
        var vocabulary = TokenList()
        for token in options.specialTokens { _ = vocabulary.add(Array(token.utf8)) }
        for index in 0..<options.unusedTokens { _ = vocabulary.add(Array("[unused\(index)]".utf8)) }

        var result = Result()
        let (alphabet, dropped) = chooseAlphabet(wordCounts)
        result.alphabet = alphabet.count
        result.charactersDropped = dropped
        let prefix = Array(options.continuingSubwordPrefix.utf8)
        var firstIDs = [UInt32](repeating: Self.noID, count: 0x110000)
        var continuationIDs = firstIDs
        for scalar in alphabet { firstIDs[Int(scalar.value)] = vocabulary.add(Array(String(scalar).utf8)) }
        for scalar in alphabet where canContinueWord(scalar) {
            continuationIDs[Int(scalar.value)] = vocabulary.add(prefix + Array(String(scalar).utf8))
        }
        if vocabulary.count > options.vocabularySize {
            throw BERTKitError("a vocabulary of \(options.vocabularySize) tokens cannot hold the \(vocabulary.count) special"
                               + " tokens, unused rows and alphabet characters: raise the size or limit the alphabet")
        }

        var merger = SubwordMerger()
        var word: [UInt32] = []
        wordCounts.forEach { bytes, count in
            var index = 0
            while index < bytes.count {
                let (scalar, length) = UTF8Codec.decode(bytes, at: index)
                let id = (index == 0 ? firstIDs : continuationIDs)[Int(scalar.value)]
                if id == Self.noID {
                    // A character outside the alphabet: the pieces on either side stay apart.
                    merger.addWord(word, count: count)
                    word.removeAll(keepingCapacity: true)
                } else {
                    word.append(id)
                }
                index += length
            }
            merger.addWord(word, count: count)
            word.removeAll(keepingCapacity: true)
        }

        while vocabulary.count < options.vocabularySize, let pair = merger.bestPair(minimumCount: options.minFrequency) {
            var joined = vocabulary.bytes(of: pair.left)
            let right = vocabulary.bytes(of: pair.right)
            joined += right.starts(with: prefix) ? right[prefix.count...] : right[...]
            merger.merge(pair, into: vocabulary.add(joined))
            result.merges += 1
            progress.update("merging: \(result.merges) merges, \(vocabulary.count) of \(options.vocabularySize) tokens")
        }

        if let multiple = options.padToMultipleOf, multiple > 1 {
            let unpadded = vocabulary.count
            var index = options.unusedTokens
            while vocabulary.count % multiple != 0 {
                _ = vocabulary.add(Array("[unused\(index)]".utf8))
                index += 1
            }
            result.paddingTokens = vocabulary.count - unpadded
        }
        result.tokens = vocabulary.strings
        result.seconds = MonotonicClock.now() - start
        return result
    }

    /// The alphabet, in code point order, and how many distinct characters were left out.
    private func chooseAlphabet(_ wordCounts: TokenCounter) -> (alphabet: [Unicode.Scalar], dropped: Int) {
        var counts = [Int](repeating: 0, count: 0x110000)
        var seen: [Unicode.Scalar] = []
        wordCounts.forEach { bytes, count in
            var index = 0
            while index < bytes.count {
                let (scalar, length) = UTF8Codec.decode(bytes, at: index)
                if counts[Int(scalar.value)] == 0 { seen.append(scalar) }
                counts[Int(scalar.value)] += count
                index += length
            }
        }
        var kept = seen
        if let limit = options.limitAlphabet, kept.count > limit {
            kept.sort { counts[Int($0.value)] != counts[Int($1.value)] ? counts[Int($0.value)] > counts[Int($1.value)] : $0.value < $1.value }
            kept.removeLast(kept.count - max(0, limit))
        }
        kept.sort { $0.value < $1.value }
        return (kept, seen.count - kept.count)
    }

    /// Whether a character can be a piece after the first of a word: punctuation never can,
    /// nor CJK ideographs when the normalizer puts spaces around them.
    private func canContinueWord(_ scalar: Unicode.Scalar) -> Bool {
        let traits = UnicodeTable.current.entry(scalar).traits
        return !traits.contains(.punctuation) && !(normalizer.handleChineseCharacters && traits.contains(.chinese))
    }

    private static func characterCount(_ word: UnsafeBufferPointer<UInt8>) -> Int {
        word.reduce(0) { $0 + (UTF8Codec.isContinuation($1) ? 0 : 1) }
    }
}

/// The tokens of a vocabulary being built, numbered in the order they were added.
private struct TokenList {
    private var tokens: [[UInt8]] = []
    private var ids: [[UInt8]: UInt32] = [:]

    /// The number of tokens.
    var count: Int { tokens.count }

    /// The id of `token`, added at the end when it is new.
    mutating func add(_ token: [UInt8]) -> UInt32 {
        if let id = ids[token] { return id }
        let id = UInt32(tokens.count)
        tokens.append(token)
        ids[token] = id
        return id
    }

    /// The UTF-8 of token `id`.
    func bytes(of id: UInt32) -> [UInt8] { tokens[Int(id)] }

    /// The tokens as strings.
    var strings: [String] { tokens.map { String(decoding: $0, as: UTF8.self) } }
}
