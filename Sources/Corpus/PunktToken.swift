/// A word token of Punkt: where it is, the properties NLTK's `PunktToken` derives from its
/// text, and the annotations the passes give it.
struct PunktToken {
    /// What the token's text says about it; fixed when the token is made.
    struct Properties: OptionSet {
        let rawValue: UInt16
        /// `period_final`: the text ends with ".".
        static let periodFinal = Properties(rawValue: 1 << 0)
        /// `first_upper`: the first character is upper case.
        static let firstUpper = Properties(rawValue: 1 << 1)
        /// `first_lower`: the first character is lower case.
        static let firstLower = Properties(rawValue: 1 << 2)
        /// `is_ellipsis`: two or more periods and nothing else.
        static let ellipsisText = Properties(rawValue: 1 << 3)
        /// `is_initial`: one letter and a period, as in "J.".
        static let initial = Properties(rawValue: 1 << 4)
        /// `is_alpha`: letters only.
        static let alphabetic = Properties(rawValue: 1 << 5)
        /// `is_number`: the type is `##number##` ("1,000", "-3.5", "1999.").
        static let number = Properties(rawValue: 1 << 6)
        /// The first token of a line.
        static let lineStart = Properties(rawValue: 1 << 7)
        /// The first token after a blank line.
        static let paragraphStart = Properties(rawValue: 1 << 8)
        /// The first character is sentence-internal punctuation: `,`, `:` or `;`.
        static let startsWithInternalPunctuation = Properties(rawValue: 1 << 9)
        /// The whole text is `.`, `?` or `!`.
        static let sentenceEndCharacter = Properties(rawValue: 1 << 10)
        /// The whole text is one of `;:,.!?`, which never start a sentence.
        static let punctuationCharacter = Properties(rawValue: 1 << 11)
        /// The text ends with "..".
        static let twoPeriodsFinal = Properties(rawValue: 1 << 12)
    }

    /// The decisions of the annotation passes.
    struct Annotations: OptionSet {
        let rawValue: UInt8
        /// The token ends a sentence.
        static let sentenceBreak = Annotations(rawValue: 1 << 0)
        /// The token is an abbreviation (its period does not end the sentence).
        static let abbreviation = Annotations(rawValue: 1 << 1)
        /// The token is an ellipsis.
        static let ellipsis = Annotations(rawValue: 1 << 2)
    }

    /// The token's text: a byte range in the tokenized text.
    var text: Range<Int>
    /// The case-folded text (`tok.lower()`): a byte range in the tokenizer's `folded` buffer.
    var folded: Range<Int>
    var properties: Properties
    var annotations: Annotations = []
    /// The model's ID of the token's type (0 when the model does not know it).
    var type: Int32 = 0
    /// The ID of the type without its final period (`type_no_period`); `type` when it has none.
    var typeWithoutPeriod: Int32 = 0

    /// `type_no_sentperiod`: the type without its final period when that period ends a sentence.
    var typeWithoutSentencePeriod: Int32 {
        annotations.contains(.sentenceBreak) ? typeWithoutPeriod : type
    }

    /// `sentbreak`.
    var isSentenceBreak: Bool { annotations.contains(.sentenceBreak) }

    /// `is_number or is_initial`: a period after it may well be an ordinal's or a name's.
    var isNumberOrInitial: Bool { !properties.isDisjoint(with: [.number, .initial]) }
}
