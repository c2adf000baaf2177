import Support
/// BERT's text normalization, the same as Hugging Face `tokenizers`' `BertNormalizer`.
///
/// In order, each step optional:
/// 1. Clean text: remove U+0000, U+FFFD and control characters (Cc, Cf, Co but tab, line
///    feed and carriage return); turn every whitespace character into a space.
/// 2. Pad CJK ideographs (Google BERT's ranges) with a space on each side.
/// 3. Strip accents: canonical decomposition (NFD), then remove nonspacing marks (Mn).
/// 4. Lowercase each character (Unicode full lowercase mapping, without context).
///
/// Unicode data is that of `tokenizers` (see `UnicodeTable`). ASCII takes a fast path.
public struct BertNormalizer: Sendable, Equatable {
    /// Whether to remove control characters and turn whitespace into spaces.
    public let cleanText: Bool
    /// Whether to put spaces around CJK ideographs.
    public let handleChineseCharacters: Bool
    /// Whether to decompose and remove nonspacing marks.
    public let stripAccents: Bool
    /// Whether to lowercase.
    public let lowercase: Bool
    /// What each ASCII byte becomes; `asciiRemoved` when it is removed.
    private let asciiMap: [UInt8]
    private static let asciiRemoved: UInt8 = 0xFF

    /// A normalizer with the steps chosen; the defaults are `tokenizers`' (uncased BERT).
    /// - Parameter stripAccents: nil follows `lowercase`, as in `tokenizers`.
    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents ?? lowercase
        self.lowercase = lowercase
        let table = UnicodeTable.current
        asciiMap = (0..<128).map { byte in
            let traits = table.entry(Unicode.Scalar(UInt8(byte))).traits
            if cleanText && (byte == 0 || traits.contains(.control)) { return Self.asciiRemoved }
            if cleanText && traits.contains(.whitespace) { return UInt8(ascii: " ") }
            if lowercase && (0x41...0x5A).contains(byte) { return UInt8(byte) + 0x20 }
            return UInt8(byte)
        }
    }

    /// The normalized form of `text`.
    public func normalize(_ text: String) -> NormalizedText {
        var output = NormalizedText()
        var text = text
        text.withUTF8 { normalize(utf8: $0, into: &output) }
        return output
    }

    /// Normalizes UTF-8 text into `output`, replacing its contents but reusing its storage.
    public func normalize(utf8 input: UnsafeBufferPointer<UInt8>, into output: inout NormalizedText) {
        var pass = Pass(normalizer: self)
        swap(&pass.output, &output)
        pass.output.removeAll(reservingCapacity: input.count + 16)
        var index = 0
        var character: Int32 = 0
        while index < input.count {
            let byte = input[index]
            if byte < 0x80 {
                let mapped = asciiMap[Int(byte)]
                if mapped != Self.asciiRemoved { pass.appendStarter(Unicode.Scalar(mapped), source: character) }
                index += 1
            } else {
                let (scalar, length) = UTF8Codec.decode(input, at: index)
                pass.append(scalar, source: character)
                index += length
            }
            character += 1
        }
        pass.finish()
        swap(&pass.output, &output)
    }

    /// The state of one normalization: the output and the marks waiting for canonical order.
    private struct Pass {
        let normalizer: BertNormalizer
        let table = UnicodeTable.current
        var output = NormalizedText()
        var run = CombiningRun()
        /// The original character of the scalar that NFD consumed last.
        var lastSource: Int32 = 0
        /// The original character kept last by cleaning (a padding space before an ideograph
        /// belongs to it).
        var lastKept: Int32 = 0

        init(normalizer: BertNormalizer) { self.normalizer = normalizer }

        /// Appends an ASCII scalar already cleaned and lowercased by the ASCII map.
        @inline(__always)
        mutating func appendStarter(_ scalar: Unicode.Scalar, source: Int32) {
            if !run.isEmpty { drainRun() }
            output.appendASCII(UInt8(scalar.value), from: source)
            lastSource = source
            lastKept = source
        }

        /// Steps 1 and 2 for a non-ASCII scalar.
        mutating func append(_ scalar: Unicode.Scalar, source: Int32) {
            let entry = table.entry(scalar)
            if normalizer.cleanText {
                if entry.traits.contains(.control) { return }
                if entry.traits.contains(.whitespace) {
                    decompose(" ", table.entry(" "), source: source)
                    lastKept = source
                    return
                }
            }
            if normalizer.handleChineseCharacters && entry.traits.contains(.chinese) {
                decompose(" ", table.entry(" "), source: lastKept)
                decompose(scalar, entry, source: source)
                decompose(" ", table.entry(" "), source: source)
            } else {
                decompose(scalar, entry, source: source)
            }
            lastKept = source
        }

        /// Step 3, canonical decomposition and ordering, when accents are stripped.
        @inline(__always)
        mutating func decompose(_ scalar: Unicode.Scalar, _ entry: UnicodeTable.Entry, source: Int32) {
            guard normalizer.stripAccents else { return emit(scalar, entry, source: source) }
            guard entry.decompositionCount > 0 else {
                return appendDecomposed(scalar, entry, beginsCharacter: true, source: source)
            }
            table.withDecomposition(scalar, entry) { decomposition in
                for (index, part) in zip(decomposition.indices, decomposition) {
                    appendDecomposed(part, table.entry(part), beginsCharacter: index == decomposition.startIndex, source: source)
                }
            }
        }

        /// One scalar of a decomposition: a starter goes out, after any waiting marks; a
        /// non-starter waits for canonical ordering.
        @inline(__always)
        mutating func appendDecomposed(_ scalar: Unicode.Scalar, _ entry: UnicodeTable.Entry, beginsCharacter: Bool, source: Int32) {
            if entry.combiningClass != 0 {
                run.append(scalar, combiningClass: entry.combiningClass, beginsCharacter: beginsCharacter, source: source)
                return
            }
            if !run.isEmpty { drainRun() }
            if beginsCharacter { lastSource = source }
            emit(scalar, entry, source: lastSource)
        }

        /// Sends the waiting marks out in canonical order.
        mutating func drainRun() {
            run.putInCanonicalOrder(lastSource: &lastSource)
            for index in 0..<run.count {
                let (scalar, source) = run[index]
                emit(scalar, table.entry(scalar), source: source)
            }
            run.removeAll()
        }

        /// Step 3's removal of nonspacing marks and step 4.
        @inline(__always)
        mutating func emit(_ scalar: Unicode.Scalar, _ entry: UnicodeTable.Entry, source: Int32) {
            if normalizer.stripAccents && entry.traits.contains(.nonspacingMark) { return }
            guard normalizer.lowercase && entry.lowercaseCount > 0 else { return output.append(scalar, from: source) }
            table.withLowercase(scalar, entry) { lowercase in
                for part in lowercase { output.append(part, from: source) }
            }
        }

        /// Sends out what is still waiting at the end of the text.
        mutating func finish() {
            if !run.isEmpty { drainRun() }
        }
    }
}
