@_spi(_Unicode) import Swift
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Unicode properties of scalars as Hugging Face `tokenizers` sees them, looked up in
/// blocks of 256 scalars that are built on first use and kept for the calling thread.
///
/// `tokenizers` takes its data from three places, and each is reproduced here from the
/// standard library's Unicode data (`Unicode.Scalar.Properties`):
/// - General categories (control, punctuation, nonspacing mark) come from the
///   `unicode_categories` crate, which holds Unicode 8.0: scalars assigned later have none,
///   and the few scalars whose category changed since 8.0 keep their 8.0 category.
/// - Canonical decompositions and combining classes come from
///   `unicode-normalization-alignments`, which holds Unicode 9.0: scalars assigned later
///   neither decompose nor reorder.
/// - Lowercase mappings and White_Space come from Rust's standard library, which follows
///   the current Unicode version, as Swift's standard library does (17.0 in Swift 6.3).
///
/// The versions were found by comparing every scalar with `tokenizers` 0.23, and the
/// compat tests (`test_every_scalar`) keep checking them. Decompositions come from the
/// standard library's NFD (`String._nfd`, an SPI: Swift has no public NFD yet).
///
/// Each thread has its own table (`current`), so lookups need no lock; a block costs some
/// tens of microseconds to build and text touches few of them.
final class UnicodeTable {
    /// Flags of one scalar.
    struct Traits: OptionSet {
        let rawValue: UInt8
        /// Removed by text cleaning: Cc, Cf, Co (except tab, line feed, carriage return), U+FFFD.
        static let control = Traits(rawValue: 1 << 0)
        /// White_Space, plus tab, line feed and carriage return.
        static let whitespace = Traits(rawValue: 1 << 1)
        /// ASCII punctuation or a P* general category: a token of its own.
        static let punctuation = Traits(rawValue: 1 << 2)
        /// General category Mn: removed when stripping accents.
        static let nonspacingMark = Traits(rawValue: 1 << 3)
        /// A CJK ideograph by Google BERT's ranges: padded with spaces.
        static let chinese = Traits(rawValue: 1 << 4)
    }

    /// What the normalizer needs to know about one scalar.
    struct Entry {
        var traits: Traits = []
        /// The canonical combining class (0 for starters).
        var combiningClass: UInt8 = 0
        /// How many scalars the full canonical decomposition has; 0 when the scalar is its own.
        var decompositionCount: UInt8 = 0
        /// How many scalars the lowercase mapping has; 0 when the scalar is its own.
        var lowercaseCount: UInt8 = 0
        /// Where the decomposition, then the lowercase mapping, start in the block's pool.
        var mappingStart: UInt16 = 0
    }

    /// The entries of 256 consecutive scalars and the scalars of their mappings.
    private final class Block {
        var entries = [Entry](repeating: Entry(), count: 256)
        var pool: [Unicode.Scalar] = []
    }

    private var blocks = [Block?](repeating: nil, count: 0x110000 >> 8)

    /// The table of the calling thread.
    static var current: UnicodeTable {
        if let existing = pthread_getspecific(threadKey) {
            return Unmanaged<UnicodeTable>.fromOpaque(existing).takeUnretainedValue()
        }
        let table = UnicodeTable()
        pthread_setspecific(threadKey, Unmanaged.passRetained(table).toOpaque())
        return table
    }

    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        let result = pthread_key_create(&key) { table in
            // Optional on Linux, not on Darwin.
            let pointer: UnsafeMutableRawPointer? = table
            guard let pointer else { return }
            Unmanaged<UnicodeTable>.fromOpaque(pointer).release()
        }
        precondition(result == 0, "pthread_key_create failed: \(result)")
        return key
    }()

    /// The entry of `scalar`.
    @inline(__always)
    func entry(_ scalar: Unicode.Scalar) -> Entry {
        block(scalar).entries[Int(scalar.value & 0xFF)]
    }

    /// Calls `body` with the canonical decomposition of `scalar`, described by `entry`.
    @inline(__always)
    func withDecomposition<R>(_ scalar: Unicode.Scalar, _ entry: Entry, _ body: (ArraySlice<Unicode.Scalar>) -> R) -> R {
        let start = Int(entry.mappingStart)
        return body(block(scalar).pool[start..<start + Int(entry.decompositionCount)])
    }

    /// Calls `body` with the lowercase mapping of `scalar`, described by `entry`.
    @inline(__always)
    func withLowercase<R>(_ scalar: Unicode.Scalar, _ entry: Entry, _ body: (ArraySlice<Unicode.Scalar>) -> R) -> R {
        let start = Int(entry.mappingStart) + Int(entry.decompositionCount)
        return body(block(scalar).pool[start..<start + Int(entry.lowercaseCount)])
    }

    @inline(__always)
    private func block(_ scalar: Unicode.Scalar) -> Block {
        let index = Int(scalar.value >> 8)
        if let block = blocks[index] { return block }
        let block = Self.makeBlock(index)
        blocks[index] = block
        return block
    }

    private static func makeBlock(_ index: Int) -> Block {
        let block = Block()
        for offset in 0..<256 {
            guard let scalar = Unicode.Scalar(UInt32(index << 8 | offset)) else { continue }
            var entry = Entry()
            entry.traits = traits(of: scalar)
            entry.mappingStart = UInt16(block.pool.count)
            if isAssigned(scalar, byMajor: 9) {
                entry.combiningClass = UInt8(scalar.properties.canonicalCombiningClass.rawValue)
                let decomposition = Array(String(scalar)._nfd)
                if decomposition != [scalar] {
                    block.pool += decomposition
                    entry.decompositionCount = UInt8(decomposition.count)
                }
            }
            if scalar.properties.changesWhenLowercased {
                let lowercase = Array(scalar.properties.lowercaseMapping.unicodeScalars)
                block.pool += lowercase
                entry.lowercaseCount = UInt8(lowercase.count)
            }
            block.entries[offset] = entry
        }
        return block
    }

    private static func traits(of scalar: Unicode.Scalar) -> Traits {
        var traits: Traits = []
        let category = unicode8Category(of: scalar)
        switch category {
        case .control?, .format?, .privateUse?:
            if !isTabOrNewline(scalar) { traits.insert(.control) }
        case .connectorPunctuation?, .dashPunctuation?, .openPunctuation?, .closePunctuation?,
             .initialPunctuation?, .finalPunctuation?, .otherPunctuation?:
            traits.insert(.punctuation)
        case .nonspacingMark?:
            traits.insert(.nonspacingMark)
        default:
            break
        }
        if scalar.value == 0xFFFD { traits.insert(.control) }
        if scalar.properties.isWhitespace || isTabOrNewline(scalar) { traits.insert(.whitespace) }
        if isASCIIPunctuation(scalar) { traits.insert(.punctuation) }
        if isChinese(scalar) { traits.insert(.chinese) }
        return traits
    }

    private static func isTabOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// Rust's `char::is_ascii_punctuation`: the 32 ASCII symbols and punctuation marks.
    static func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
        default: return false
        }
    }

    /// The CJK ideograph ranges of Google BERT's `_is_chinese_char`.
    static func isChinese(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// The general category in Unicode 8.0, or nil for a scalar unassigned then.
    private static func unicode8Category(of scalar: Unicode.Scalar) -> Unicode.GeneralCategory? {
        guard isAssigned(scalar, byMajor: 8) else { return nil }
        return categoryChangesSinceUnicode8[scalar.value] ?? scalar.properties.generalCategory
    }

    /// Scalars assigned by Unicode 8.0 whose general category has changed since.
    private static let categoryChangesSinceUnicode8: [UInt32: Unicode.GeneralCategory] = [
        0x166D: .otherPunctuation,  // CANADIAN SYLLABICS CHI SIGN, now So
        0x111C9: .otherPunctuation,  // SHARADA SANDHI MARK, now Mn
        0x1734: .nonspacingMark,  // HANUNOO SIGN PAMUDPOD, now Mc
        0x1171E: .nonspacingMark,  // AHOM CONSONANT SIGN MEDIAL RA, now Mc
        0x1885: .otherLetter,  // MONGOLIAN LETTER ALI GALI BALUDA, now Mn
        0x1886: .otherLetter,  // MONGOLIAN LETTER ALI GALI THREE BALUDA, now Mn
        0xA9BD: .spacingMark,  // JAVANESE CONSONANT SIGN KERET, now Mn
    ]

    private static func isAssigned(_ scalar: Unicode.Scalar, byMajor major: Int) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major <= major
    }
}
