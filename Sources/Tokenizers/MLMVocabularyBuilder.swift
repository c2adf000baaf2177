import Support

/// Builds CharacterBERT's masked-language-modelling vocabulary from a formatted,
/// pre-tokenized corpus, as the CharacterBERT repository's `build_mlm_vocabulary.py` does:
/// counts the whitespace-separated tokens, keeps the `maxVocabularySize` most frequent and
/// lists them most frequent first, as `"{count} {token}"` lines. No special tokens; the MLM
/// id of a token is its 0-based rank.
///
/// Tokens are split where Python's `str.split()` splits (the characters for which
/// `str.isspace()` holds). Ties are broken by first occurrence in the corpus, earliest
/// first, as `Counter.most_common()` breaks them, so the list is the script's, line for
/// line, whatever the thread count.
public struct MLMVocabularyBuilder: Sendable {
    /// One token of the vocabulary and its count.
    public struct Entry: Equatable, Sendable {
        public var token: String
        public var count: Int
    }

    /// The most tokens kept.
    public let maxVocabularySize: Int
    /// Counting threads.
    public let threads: Int

    /// A builder keeping `maxVocabularySize` tokens, counting on `threads` threads.
    public init(maxVocabularySize: Int = 100_000, threads: Int = WorkerThread.processorCount) {
        self.maxVocabularySize = maxVocabularySize
        self.threads = threads
    }

    /// Counts the tokens of the formatted corpus files `paths`, read in order.
    /// - Throws: `BERTKitError` naming a file that cannot be read.
    public func count(files paths: [String], progress: ProgressReporter) throws -> TextCounting.Result {
        try TextCounting(threads: threads, noun: "tokens").run(files: paths, count: Self.countTokens, progress: progress)
    }

    /// Counts the whitespace-separated tokens of UTF-8 text; returns 0 (nothing is left out).
    public static func countTokens(utf8 text: UnsafeBufferPointer<UInt8>, into counter: inout TokenCounter) -> Int {
        let asciiSpace = Self.asciiSpace
        var tokenStart = 0
        var index = 0
        while index < text.count {
            let length: Int
            let isSpace: Bool
            if text[index] < 0x80 {
                length = 1
                isSpace = asciiSpace[Int(text[index])]
            } else {
                let decoded = UTF8Codec.decode(text, at: index)
                length = decoded.length
                isSpace = isPythonSpace(decoded.scalar.value)
            }
            if isSpace {
                if tokenStart < index { counter.add(UnsafeBufferPointer(rebasing: text[tokenStart..<index])) }
                tokenStart = index + length
            }
            index += length
        }
        if tokenStart < text.count { counter.add(UnsafeBufferPointer(rebasing: text[tokenStart...])) }
        return 0
    }

    /// The vocabulary: the `maxVocabularySize` most frequent tokens of `counter`, most
    /// frequent first, ties in first-seen order.
    public func vocabulary(from counter: TokenCounter) -> [Entry] {
        var candidates = Array(0..<counter.count)
        if candidates.count > maxVocabularySize {
            // Only tokens at least as frequent as the K-th most frequent can be kept: find
            // that count from a histogram of counts (exact below `cap`), then sort only those.
            let cap = 1 << 16
            var histogram = [Int](repeating: 0, count: cap + 1)
            for index in candidates { histogram[min(counter.count(at: index), cap)] += 1 }
            var threshold = cap
            var atLeast = histogram[cap]
            while atLeast < maxVocabularySize && threshold > 1 {
                threshold -= 1
                atLeast += histogram[threshold]
            }
            candidates = candidates.filter { counter.count(at: $0) >= threshold }
        }
        candidates.sort { counter.count(at: $0) != counter.count(at: $1) ? counter.count(at: $0) > counter.count(at: $1) : $0 < $1 }
        return candidates.prefix(max(0, maxVocabularySize)).map { index in
            Entry(token: counter.withBytes(at: index) { String(decoding: $0, as: UTF8.self) }, count: counter.count(at: index))
        }
    }

    /// The vocabulary file's text: a `"{count} {token}"` line per entry.
    public static func lines(of entries: [Entry]) -> String {
        entries.map { "\($0.count) \($0.token)\n" }.joined()
    }

    private static let asciiSpace: [Bool] = (0..<128).map { (0x09...0x0D).contains($0) || (0x1C...0x20).contains($0) }

    /// Whether `str.isspace()` holds for a non-ASCII character.
    private static func isPythonSpace(_ value: UInt32) -> Bool {
        switch value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}
