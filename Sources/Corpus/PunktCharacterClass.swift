/// The character classes NLTK's Punkt patterns and string methods test, for one Unicode scalar.
///
/// NLTK compiles Punkt's patterns with the `regex` module: its `\s` is Unicode's White_Space,
/// `\d` is a decimal number (Nd) and `\w` is Alphabetic, Mark, Nd, Connector_Punctuation or
/// Join_Control. Python's `str.isspace` adds the information separators U+001C…U+001F to
/// White_Space; `str.isupper` and `str.islower` on one character are the Uppercase and
/// Lowercase properties.
///
/// The properties come from Swift's Unicode tables, which may be newer than the Python's
/// that NLTK runs on: characters assigned or recased since (U+0295 ʕ is no longer lower
/// case in Unicode 16, Python 3.11 has Unicode 14) are the only ones classified otherwise.
struct PunktCharacterClass: OptionSet {
    let rawValue: UInt16

    /// `\s`: White_Space.
    static let space = PunktCharacterClass(rawValue: 1 << 0)
    /// `str.isspace()`: what `strip` removes.
    static let pythonSpace = PunktCharacterClass(rawValue: 1 << 1)
    /// `[^\W\d]`: a word character that is not a decimal digit ("alphabetic" in Punkt).
    static let letter = PunktCharacterClass(rawValue: 1 << 2)
    /// `\d`: a decimal digit.
    static let digit = PunktCharacterClass(rawValue: 1 << 3)
    /// `str.isupper()`.
    static let upper = PunktCharacterClass(rawValue: 1 << 4)
    /// `str.islower()`.
    static let lower = PunktCharacterClass(rawValue: 1 << 5)
    /// Punctuation that ends a word: `)";}]*:@'({[`, curly quotes, guillemets, `?` and `!`.
    static let nonWord = PunktCharacterClass(rawValue: 1 << 6)
    /// Punctuation that never starts a word token: `("`{[:;&#*@)}]-,`.
    static let notWordStart = PunktCharacterClass(rawValue: 1 << 7)
    /// Closing punctuation moved back onto the sentence before it: `"')]}`, curly quotes, guillemets.
    static let closing = PunktCharacterClass(rawValue: 1 << 8)
    /// ASCII whitespace (Python's `string.whitespace`): ` \t\n\r\v\f`.
    static let asciiSpace = PunktCharacterClass(rawValue: 1 << 9)

    /// The classes of a scalar.
    @inline(__always)
    static func of(_ scalar: UInt32) -> PunktCharacterClass {
        switch scalar {
        case ..<0x80: return PunktCharacterClass(rawValue: ascii[Int(scalar)])
        case ..<0x180: return latin[Int(scalar - 0x80)]
        case 0x370..<0x530: return greekAndCyrillic[Int(scalar - 0x370)]
        case 0x2000..<0x2070: return punctuation[Int(scalar - 0x2000)]
        default: return classify(scalar)
        }
    }

    /// The classes of the scalar at `index` in valid UTF-8, and the scalar's length in bytes.
    @inline(__always)
    static func at(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (PunktCharacterClass, length: Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (PunktCharacterClass(rawValue: ascii[Int(lead)]), 1) }
        let (scalar, length) = decode(bytes, index)
        return (of(scalar), length)
    }

    /// Decodes the scalar at `index` in valid UTF-8: its value and length in bytes.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> (scalar: UInt32, length: Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2) }
        if lead < 0xF0 {
            return ((lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
        }
        return ((lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F), 4)
    }

    /// The start of the scalar that ends just before `index` in valid UTF-8.
    @inline(__always)
    static func previousScalarStart(_ bytes: UnsafeBufferPointer<UInt8>, before index: Int) -> Int {
        var start = index - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return start
    }

    /// The classes of ASCII as raw values, written out so that the compiler lays the table
    /// out statically (`classify` gives the same; a test checks it).
    static let ascii: [UInt16] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 515, 515, 515, 515, 515, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2,
        515, 64, 448, 128, 0, 0, 128, 320, 192, 448, 192, 0, 128, 128, 0, 0,
        8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 192, 192, 0, 0, 0, 64,
        192, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,
        20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 192, 0, 448, 0, 4,
        128, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36,
        36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 192, 0, 448, 0, 0,
    ]

    // Blocks frequent in European text get tables, each built on first use (reading Unicode
    // properties costs about half a microsecond a scalar); other scalars are classified as met.
    private static let latin = (UInt32(0x80)..<0x180).map(classify)
    private static let greekAndCyrillic = (UInt32(0x370)..<0x530).map(classify)
    private static let punctuation = (UInt32(0x2000)..<0x2070).map(classify)

    /// The classes of a scalar from its Unicode properties.
    static func classify(_ value: UInt32) -> PunktCharacterClass {
        guard let scalar = Unicode.Scalar(value) else { return [] }
        var classes: PunktCharacterClass = []
        switch value {
        case 0x2018, 0x2019, 0x201C, 0x201D, 0xAB, 0xBB:
            // Curly quotes and guillemets: the only non-ASCII punctuation Punkt names.
            return [.nonWord, .closing]
        case 0x09...0x0D, 0x20:
            classes.insert(.asciiSpace)
        case 0x1C...0x1F:
            classes.insert(.pythonSpace)
        case 0..<0x80:
            if #")";}]*:@'({[?!"#.unicodeScalars.contains(scalar) { classes.insert(.nonWord) }
            if #"("`{[:;&#*@)}]-,"#.unicodeScalars.contains(scalar) { classes.insert(.notWordStart) }
            if #""')]}"#.unicodeScalars.contains(scalar) { classes.insert(.closing) }
        default:
            break
        }
        let properties = scalar.properties
        if properties.isWhitespace { classes.formUnion([.space, .pythonSpace]) }
        switch properties.generalCategory {
        case .decimalNumber:
            classes.insert(.digit)
        case .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation:
            classes.insert(.letter)
        default:
            if properties.isAlphabetic || properties.isJoinControl { classes.insert(.letter) }
        }
        if properties.isUppercase { classes.insert(.upper) }
        if properties.isLowercase { classes.insert(.lower) }
        return classes
    }
}
