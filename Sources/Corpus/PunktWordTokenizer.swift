/// Splits text into Punkt's word tokens, as NLTK's `_tokenize_words` and
/// `PunktLanguageVars.word_tokenize` do, working on UTF-8 bytes.
///
/// Text is cut into lines at "\n"; a line of whitespace only marks the next token as a
/// paragraph start. Within a line a token is one of:
/// - multi-character punctuation: `--…`, `..…`, or spaced periods `. . .`;
/// - a word: from a character that may start one, up to whitespace, the end of the line,
///   punctuation that ends words, multi-character punctuation, or a comma that is followed
///   by one of those (so "1,000" stays whole);
/// - any other single non-space character.
///
/// Each token keeps its case-folded text (Python's `str.lower`) for the model to look up.
/// Reuse one tokenizer to keep its buffers; it is not shared between threads.
struct PunktWordTokenizer {
    /// The tokens of the last call, for the caller to annotate in place.
    var tokens: [PunktToken] = []
    /// The case-folded texts of those tokens, back to back.
    private(set) var folded: [UInt8] = []

    /// Tokenizes `range` of `text`, replacing the tokens of the previous call.
    mutating func tokenize(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        tokens.removeAll(keepingCapacity: true)
        folded.removeAll(keepingCapacity: true)
        var paragraphStart = false
        var lineStart = range.lowerBound
        while lineStart <= range.upperBound {
            var lineEnd = lineStart
            while lineEnd < range.upperBound && text[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if Self.isBlank(text, lineStart..<lineEnd) {
                paragraphStart = true
            } else {
                let first = tokens.count
                tokenizeLine(text, lineStart..<lineEnd)
                tokens[first].properties.insert(paragraphStart ? [.lineStart, .paragraphStart] : .lineStart)
                paragraphStart = false
            }
            lineStart = lineEnd + 1
        }
    }

    /// Whether a line is empty after Python's `strip()`.
    private static func isBlank(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
        var index = line.lowerBound
        while index < line.upperBound {
            let (classes, length) = PunktCharacterClass.at(text, index)
            if !classes.contains(.pythonSpace) { return false }
            index += length
        }
        return true
    }

    /// Appends the tokens of one line (no "\n" in it).
    private mutating func tokenizeLine(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) {
        let end = line.upperBound
        var index = line.lowerBound
        while index < end {
            let (classes, length) = PunktCharacterClass.at(text, index)
            if classes.contains(.space) {
                index += length
                continue
            }
            var tokenEnd = index + length
            if let punctuationEnd = Self.multiCharacterPunctuationEnd(text, index, end) {
                tokenEnd = punctuationEnd
            } else if !classes.contains(.notWordStart) {
                while tokenEnd < end && !Self.endsWord(text, tokenEnd, end) {
                    tokenEnd += PunktCharacterClass.decode(text, tokenEnd).length
                }
            }
            append(text, index..<tokenEnd)
            index = tokenEnd
        }
    }

    /// Whether a word ends before `index`: whitespace, punctuation that ends words,
    /// multi-character punctuation, or a comma followed by one of those or the line's end.
    @inline(__always)
    private static func endsWord(_ text: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int) -> Bool {
        let (classes, _) = PunktCharacterClass.at(text, index)
        if !classes.isDisjoint(with: [.space, .nonWord]) { return true }
        switch text[index] {
        case UInt8(ascii: "-"), UInt8(ascii: "."):
            return multiCharacterPunctuationEnd(text, index, end) != nil
        case UInt8(ascii: ","):
            let next = index + 1
            if next == end { return true }
            let (nextClasses, _) = PunktCharacterClass.at(text, next)
            return !nextClasses.isDisjoint(with: [.space, .nonWord])
                || multiCharacterPunctuationEnd(text, next, end) != nil
        default:
            return false
        }
    }

    /// The end of multi-character punctuation starting at `index` (`-{2,}`, `\.{2,}` or
    /// `(\.\s){2,}\.`), or nil if there is none.
    private static func multiCharacterPunctuationEnd(_ text: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int) -> Int? {
        let first = text[index]
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: ".") else { return nil }
        if index + 1 < end && text[index + 1] == first {
            var runEnd = index + 2
            while runEnd < end && text[runEnd] == first { runEnd += 1 }
            return runEnd
        }
        guard first == UInt8(ascii: ".") else { return nil }
        // Spaced periods: as many "period, whitespace" pairs as there are, then a period;
        // failing that final period, one pair fewer and the last pair's period.
        var pairs = 0
        var lastPeriod = index
        var position = index
        while position + 1 < end && text[position] == UInt8(ascii: ".") {
            let (classes, length) = PunktCharacterClass.at(text, position + 1)
            guard classes.contains(.space) else { break }
            pairs += 1
            lastPeriod = position
            position += 1 + length
        }
        if pairs >= 2 && position < end && text[position] == UInt8(ascii: ".") { return position + 1 }
        return pairs >= 3 ? lastPeriod + 1 : nil
    }

    /// Adds the token at `range` with its case-folded text and properties.
    private mutating func append(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        let foldedStart = folded.count
        var properties: PunktToken.Properties = []
        let (firstClasses, firstLength) = PunktCharacterClass.at(text, range.lowerBound)
        if firstClasses.contains(.upper) { properties.insert(.firstUpper) }
        if firstClasses.contains(.lower) { properties.insert(.firstLower) }
        var allLetters = true
        var allPeriods = true
        folded.append(contentsOf: UnsafeBufferPointer(rebasing: text[range]))
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = text[index]
            guard byte < 0x80 else { break }
            let classes = PunktCharacterClass.of(UInt32(byte))
            allLetters = allLetters && classes.contains(.letter)
            allPeriods = allPeriods && byte == UInt8(ascii: ".")
            if classes.contains(.upper) { folded[foldedStart + index - range.lowerBound] = byte | 0x20 }
            index += 1
        }
        if index < range.upperBound {
            // Not ASCII: fold the rest scalar by scalar, as its length may change.
            folded.removeLast(range.upperBound - index)
            allPeriods = false
            while index < range.upperBound {
                let (scalar, length) = PunktCharacterClass.decode(text, index)
                allLetters = allLetters && PunktCharacterClass.of(scalar).contains(.letter)
                if scalar < 0x80 {
                    folded.append(PunktCharacterClass.of(scalar).contains(.upper) ? UInt8(scalar) | 0x20 : UInt8(scalar))
                } else {
                    appendLowercase(scalar, at: index, in: text, range)
                }
                index += length
            }
        }
        let count = range.count
        let last = text[range.upperBound - 1]
        if last == UInt8(ascii: ".") { properties.insert(.periodFinal) }
        if allLetters { properties.insert(.alphabetic) }
        if allPeriods && count >= 2 { properties.insert(.ellipsisText) }
        if count >= 2 && last == UInt8(ascii: ".") && text[range.upperBound - 2] == UInt8(ascii: ".") {
            properties.insert(.twoPeriodsFinal)
        }
        if range.lowerBound + firstLength + 1 == range.upperBound && last == UInt8(ascii: ".")
            && firstClasses.contains(.letter) {
            properties.insert(.initial)
        }
        if Self.isNumber(text, range) { properties.insert(.number) }
        switch text[range.lowerBound] {
        case UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"):
            properties.insert(.startsWithInternalPunctuation)
        default: break
        }
        if count == 1 {
            switch text[range.lowerBound] {
            case UInt8(ascii: "."), UInt8(ascii: "?"), UInt8(ascii: "!"):
                properties.formUnion([.sentenceEndCharacter, .punctuationCharacter])
            case UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: ","):
                properties.insert(.punctuationCharacter)
            default: break
            }
        }
        tokens.append(PunktToken(text: range, folded: foldedStart..<folded.count, properties: properties))
    }

    /// Whether the token matches NLTK's `^-?[\.,]?\d[\d,\.-]*\.?$`, making its type `##number##`.
    private static func isNumber(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        if text[index] == UInt8(ascii: "-") { index += 1 }
        if index < range.upperBound && (text[index] == UInt8(ascii: ".") || text[index] == UInt8(ascii: ",")) {
            index += 1
        }
        guard index < range.upperBound else { return false }
        var (scalar, length) = PunktCharacterClass.decode(text, index)
        guard PunktCharacterClass.of(scalar).contains(.digit) else { return false }
        index += length
        while index < range.upperBound {
            (scalar, length) = PunktCharacterClass.decode(text, index)
            switch scalar {
            case 0x2C, 0x2D, 0x2E: break  // , - .
            default: guard PunktCharacterClass.of(scalar).contains(.digit) else { return false }
            }
            index += length
        }
        return true
    }

    /// Appends the lower case of a non-ASCII scalar of the token `token`, as Python's
    /// `str.lower` does: full case mappings, and capital sigma as final sigma at a word's end.
    private mutating func appendLowercase(_ scalar: UInt32, at index: Int, in text: UnsafeBufferPointer<UInt8>,
                                          _ token: Range<Int>) {
        if scalar == 0x3A3 {
            let final = Self.isFinalSigma(at: index, in: text, token)
            folded.append(contentsOf: final ? [0xCF, 0x82] : [0xCF, 0x83])
            return
        }
        let properties = Unicode.Scalar(scalar)!.properties
        if properties.changesWhenLowercased {
            folded.append(contentsOf: properties.lowercaseMapping.utf8)
        } else {
            let length = PunktCharacterClass.decode(text, index).length
            folded.append(contentsOf: UnsafeBufferPointer(rebasing: text[index..<index + length]))
        }
    }

    /// Unicode's Final_Sigma condition within the token: a cased letter before the sigma
    /// and none after it, case-ignorable characters skipped.
    private static func isFinalSigma(at index: Int, in text: UnsafeBufferPointer<UInt8>, _ token: Range<Int>) -> Bool {
        var position = index
        var casedBefore = false
        while position > token.lowerBound {
            position = PunktCharacterClass.previousScalarStart(text, before: position)
            let properties = Unicode.Scalar(PunktCharacterClass.decode(text, position).scalar)!.properties
            if !properties.isCaseIgnorable {
                casedBefore = properties.isCased
                break
            }
        }
        guard casedBefore else { return false }
        position = index + 2
        while position < token.upperBound {
            let (scalar, length) = PunktCharacterClass.decode(text, position)
            let properties = Unicode.Scalar(scalar)!.properties
            if !properties.isCaseIgnorable { return !properties.isCased }
            position += length
        }
        return true
    }
}
