/// Splits text into the tokens `[[` and `]]`, left to right without overlaps, as the
/// regular expression `\[\[|\]\]` finds them.
struct BracketTokenizer {
    private let text: UnsafeBufferPointer<UInt8>
    private let end: Int
    private var position: Int
    private var nextOpening: Int?
    private var nextClosing: Int?

    init(_ text: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.text = UnsafeBufferPointer(rebasing: text[..<range.upperBound])
        end = range.upperBound
        position = range.lowerBound
        nextOpening = ByteSearch.index(of: UInt8(ascii: "["), in: self.text, from: position)
        nextClosing = ByteSearch.index(of: UInt8(ascii: "]"), in: self.text, from: position)
    }

    /// The next token's position and whether it is `[[`.
    mutating func next() -> (position: Int, isOpening: Bool)? {
        while true {
            if let opening = nextOpening, opening < position {
                nextOpening = ByteSearch.index(of: UInt8(ascii: "["), in: text, from: position)
            }
            if let closing = nextClosing, closing < position {
                nextClosing = ByteSearch.index(of: UInt8(ascii: "]"), in: text, from: position)
            }
            let candidate: Int
            switch (nextOpening, nextClosing) {
            case (nil, nil): return nil
            case let (opening?, nil): candidate = opening
            case let (nil, closing?): candidate = closing
            case let (opening?, closing?): candidate = min(opening, closing)
            }
            if candidate + 1 < end && text[candidate + 1] == text[candidate] {
                position = candidate + 2
                return (candidate, text[candidate] == UInt8(ascii: "["))
            }
            position = candidate + 1
        }
    }
}
