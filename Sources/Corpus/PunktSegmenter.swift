/// Splits text into sentences with Punkt's parameters, as NLTK's `PunktSentenceTokenizer`
/// does (`span_tokenize`, `tokenize`).
///
/// Only the neighbourhood of each `.`, `?` and `!` followed by punctuation or by whitespace
/// and a word is looked at: the word before it, itself and what follows are annotated as in
/// NLTK's two passes, and a sentence ends there if a token other than the last is a break.
/// Closing quotes and brackets after a break are moved back onto the sentence they close
/// (`realign_boundaries`, on by default). Sentences hold no leading or trailing whitespace.
///
/// A segmenter is immutable: one instance can split texts on many threads at once.
public struct PunktSegmenter: Sendable {
    private let model: PunktModel

    /// A segmenter that splits with `parameters`.
    public init(parameters: PunktParameters) {
        model = PunktModel(parameters)
    }

    /// The sentences of a text.
    public func sentences(in text: String, realigningBoundaries: Bool = true) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            spans(utf8: bytes, realigningBoundaries: realigningBoundaries).map {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self)
            }
        }
    }

    /// Where the sentences of a text are, as ranges of UTF-8 byte offsets.
    ///
    /// These are NLTK's `span_tokenize` spans, counted in bytes rather than characters.
    /// Without realignment the last span can be empty, as NLTK's can.
    public func spans(in text: String, realigningBoundaries: Bool = true) -> [Range<Int>] {
        var text = text
        return text.withUTF8 { spans(utf8: $0, realigningBoundaries: realigningBoundaries) }
    }

    /// The spans of UTF-8 text, which must be valid (as a String's is).
    func spans(utf8 text: UnsafeBufferPointer<UInt8>, realigningBoundaries: Bool = true) -> [Range<Int>] {
        var finder = BreakFinder(model: model, text: text)
        var slices = finder.slices()
        if realigningBoundaries { slices = Self.realign(slices, text) }
        return slices.map { $0.start ..< max($0.start, $0.end) }
    }

    /// A sentence as NLTK slices it: `end` may be below `start` in one odd case (text ending
    /// in U+001C…U+001F, which Python strips but `\S` matches).
    struct Slice {
        var start: Int
        var end: Int
    }

    /// Moves closing punctuation at the start of each sentence to the end of the one before
    /// (`_realign_boundaries`), and drops empty sentences.
    private static func realign(_ slices: [Slice], _ text: UnsafeBufferPointer<UInt8>) -> [Slice] {
        var realigned: [Slice] = []
        realigned.reserveCapacity(slices.count)
        var movedStart: Int?
        for (index, slice) in slices.enumerated() {
            var sentence = slice
            if let movedStart { sentence.start = movedStart }
            movedStart = nil
            if index + 1 < slices.count, let closing = closingPunctuation(at: slices[index + 1], text) {
                realigned.append(Slice(start: sentence.start, end: closing.end))
                movedStart = closing.nextStart
            } else if sentence.start < sentence.end {
                realigned.append(sentence)
            }
        }
        return realigned
    }

    /// Closing punctuation at the start of a sentence (`re_boundary_realignment`): the
    /// fewest closing quotes and brackets followed by whitespace, "--" or the sentence's end.
    /// Returns where the punctuation ends and where the sentence then starts.
    private static func closingPunctuation(at sentence: Slice, _ text: UnsafeBufferPointer<UInt8>)
        -> (end: Int, nextStart: Int)? {
        var index = sentence.start
        let end = sentence.end
        guard index < end, PunktCharacterClass.at(text, index).0.contains(.closing) else { return nil }
        while true {
            index += PunktCharacterClass.decode(text, index).length
            if index == end { return (index, index) }
            let (classes, _) = PunktCharacterClass.at(text, index)
            if classes.contains(.space) {
                var spaceEnd = index
                while spaceEnd < end {
                    let (spaceClasses, length) = PunktCharacterClass.at(text, spaceEnd)
                    guard spaceClasses.contains(.space) else { break }
                    spaceEnd += length
                }
                return (index, spaceEnd)
            }
            if index + 2 <= end && text[index] == UInt8(ascii: "-") && text[index + 1] == UInt8(ascii: "-") {
                return (index, index)
            }
            guard classes.contains(.closing) else { return nil }
        }
    }
}

/// Finds the sentence breaks of one text (`_slices_from_text`), candidate by candidate.
private struct BreakFinder {
    /// A `.`, `?` or `!` followed by punctuation that ends words or by whitespace and a word
    /// (NLTK's period context).
    struct Candidate {
        /// Where the character is.
        var position: Int
        /// The end of what follows it: the punctuation, or the whitespace and the next word.
        var contextEnd: Int
        /// Where the next word starts, when whitespace follows.
        var nextWordStart: Int?
    }

    let model: PunktModel
    let text: UnsafeBufferPointer<UInt8>
    private var tokenizer = PunktWordTokenizer()
    private var sentences: [PunktSegmenter.Slice] = []
    private var lastBreak = 0

    init(model: PunktModel, text: UnsafeBufferPointer<UInt8>) {
        self.model = model
        self.text = text
    }

    /// The sentences, the last one up to the end of the text less trailing whitespace.
    mutating func slices() -> [PunktSegmenter.Slice] {
        // A candidate is decided once the next one is known: when the word before the next
        // one reaches back over it ("acting!!!"), only the last of the run is considered.
        var previous: Candidate?
        var previousWord = 0..<0
        var index = 0
        while let candidate = nextCandidate(from: index) {
            index = candidate.position + 1
            let word = wordStart(before: candidate.position, after: previousWord)..<candidate.position
            if let previous, previousWord.upperBound <= word.lowerBound {
                decide(previous, contextStart: previousWord.lowerBound)
            }
            previous = candidate
            previousWord = word
        }
        if let previous { decide(previous, contextStart: previousWord.lowerBound) }
        sentences.append(PunktSegmenter.Slice(start: lastBreak, end: strippedEnd()))
        return sentences
    }

    /// Ends a sentence at the candidate if its context holds a break.
    private mutating func decide(_ candidate: Candidate, contextStart: Int) {
        guard containsBreak(contextStart..<candidate.contextEnd) else { return }
        sentences.append(PunktSegmenter.Slice(start: lastBreak, end: candidate.position + 1))
        lastBreak = candidate.nextWordStart ?? candidate.position + 1
    }

    /// The next candidate at or after `start`.
    private func nextCandidate(from start: Int) -> Candidate? {
        let count = text.count
        var index = start
        while true {
            index = nextSentenceEndCharacter(from: index) + 1
            guard index < count else { return nil }
            let (classes, length) = PunktCharacterClass.at(text, index)
            if classes.contains(.nonWord) {
                return Candidate(position: index - 1, contextEnd: index + length, nextWordStart: nil)
            }
            guard classes.contains(.space) else { continue }
            var wordStart = index + length
            while wordStart < count {
                let (spaceClasses, spaceLength) = PunktCharacterClass.at(text, wordStart)
                guard spaceClasses.contains(.space) else { break }
                wordStart += spaceLength
            }
            guard wordStart < count else { return nil }
            var wordEnd = wordStart
            while wordEnd < count {
                let (wordClasses, wordLength) = PunktCharacterClass.at(text, wordEnd)
                if wordClasses.contains(.space) { break }
                wordEnd += wordLength
            }
            return Candidate(position: index - 1, contextEnd: wordEnd, nextWordStart: wordStart)
        }
    }

    /// The index of the next `.`, `?` or `!` at or after `start`, or the text's length;
    /// eight bytes at a time where none is.
    private func nextSentenceEndCharacter(from start: Int) -> Int {
        var index = start
        let count = text.count
        if let base = text.baseAddress {
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if Self.contains(word, UInt8(ascii: ".")) || Self.contains(word, UInt8(ascii: "?"))
                    || Self.contains(word, UInt8(ascii: "!")) {
                    break
                }
                index += 8
            }
        }
        while index < count {
            switch text[index] {
            case UInt8(ascii: "."), UInt8(ascii: "?"), UInt8(ascii: "!"): return index
            default: index += 1
            }
        }
        return count
    }

    /// Whether one of the eight bytes of `word` is `byte`.
    @inline(__always)
    private static func contains(_ word: UInt64, _ byte: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & 0x8080_8080_8080_8080 != 0
    }

    /// Where the word before a candidate starts: after the last ASCII whitespace since the
    /// previous candidate, or where the previous candidate's word started if there is none
    /// (NLTK's `_match_potential_end_contexts`, including its reading of index 0 as none).
    private func wordStart(before position: Int, after previousWord: Range<Int>) -> Int {
        var index = position
        while index > previousWord.upperBound {
            index -= 1
            if PunktCharacterClass.of(UInt32(text[index])).contains(.asciiSpace) {
                return index == previousWord.upperBound ? previousWord.lowerBound : index + 1
            }
        }
        return previousWord.lowerBound
    }

    /// `text_contains_sentbreak`: whether a token other than the last of the context is a
    /// sentence break after both annotation passes.
    private mutating func containsBreak(_ context: Range<Int>) -> Bool {
        tokenizer.tokenize(text, context)
        model.lookUpTypes(of: &tokenizer.tokens, folded: tokenizer.folded)
        let count = tokenizer.tokens.count
        guard count > 1 else { return false }
        model.annotateFirstPass(&tokenizer.tokens, folded: tokenizer.folded)
        for index in 0..<count - 1 {
            model.annotateSecondPass(&tokenizer.tokens[index], next: tokenizer.tokens[index + 1])
            if tokenizer.tokens[index].isSentenceBreak { return true }
        }
        return false
    }

    /// The length of the text without trailing whitespace (Python's `rstrip`).
    private func strippedEnd() -> Int {
        var end = text.count
        while end > 0 {
            let start = PunktCharacterClass.previousScalarStart(text, before: end)
            guard PunktCharacterClass.at(text, start).0.contains(.pythonSpace) else { break }
            end = start
        }
        return end
    }
}
