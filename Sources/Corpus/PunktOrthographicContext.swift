/// The orthographic contexts a word type was seen in: where in a sentence (beginning,
/// middle, unknown) and with which case of its first letter.
///
/// The flag values are NLTK's, so that files can be compared with its `ortho_context`.
public struct PunktOrthographicContext: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Upper case at the beginning of a sentence.
    public static let beginningUpper = PunktOrthographicContext(rawValue: 1 << 1)
    /// Upper case in the middle of a sentence.
    public static let middleUpper = PunktOrthographicContext(rawValue: 1 << 2)
    /// Upper case where the position could not be told (after an abbreviation, at a line start).
    public static let unknownUpper = PunktOrthographicContext(rawValue: 1 << 3)
    /// Lower case at the beginning of a sentence.
    public static let beginningLower = PunktOrthographicContext(rawValue: 1 << 4)
    /// Lower case in the middle of a sentence.
    public static let middleLower = PunktOrthographicContext(rawValue: 1 << 5)
    /// Lower case where the position could not be told.
    public static let unknownLower = PunktOrthographicContext(rawValue: 1 << 6)

    /// Upper case anywhere.
    public static let upper: PunktOrthographicContext = [.beginningUpper, .middleUpper, .unknownUpper]
    /// Lower case anywhere.
    public static let lower: PunktOrthographicContext = [.beginningLower, .middleLower, .unknownLower]
    /// Every flag.
    public static let all: PunktOrthographicContext = [.upper, .lower]
}
