/// Turns the cleaned text into the article's lines as WikiExtractor's `compact` does, after
/// its removal of punctuation-only lines and its tidying (`LineTidier`):
///
/// - blank lines go; section headings `== Title ==` become `Title.` (no period after `!` or
///   `?`), written only before the first paragraph of their section, with the headings of
///   enclosing sections still unwritten;
/// - indented lines (`:`) lose their colons and are kept even in sections without paragraphs;
/// - list items (`*`, `#`, `;`) go, unless `keepLists`, which keeps their text;
/// - lines starting with `{` or `|` or ending with `}` (table and template leftovers), lines
///   in parentheses, and lines of only dots and dashes go.
struct ParagraphCompactor {
    let keepLists: Bool

    /// The article's lines, joined by newlines.
    func compact(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var page = PageWriter(capacity: text.count)
        var headings = PendingHeadings()
        var filter = PunctuationLineFilter()
        let line = ByteBuffer(capacity: 1024)

        /// Writes a paragraph line, after the headings waiting for it.
        func emit(_ paragraph: UnsafeBufferPointer<UInt8>) {
            headings.write(to: &page)
            page.add(paragraph)
        }

        var lineStart = 0
        while lineStart <= text.count {
            let lineEnd = ByteSearch.endOfLine(in: text, from: lineStart)
            let raw = lineStart..<lineEnd
            lineStart = lineEnd + 1
            guard filter.keeps(text, raw, isLast: lineEnd == text.count),
                  UnicodeCharacterClass.endOfWhitespace(text, from: raw.lowerBound) < raw.upperBound else { continue }
            let first = text[raw.lowerBound]
            let isListItem = first == UInt8(ascii: "*") || first == UInt8(ascii: "#") || first == UInt8(ascii: ";")
            if (isListItem && !keepLists) || first == UInt8(ascii: "{") || first == UInt8(ascii: "|") { continue }
            line.removeAll()
            LineTidier.append(text, raw, to: line)
            let tidied = line.bytes
            if let (level, title) = Self.heading(in: tidied) {
                headings.set(level: level, title: UnsafeBufferPointer(rebasing: tidied[title]))
            } else if ByteSearch.hasPrefix("++", in: tidied, at: 0) {
                let end = Self.startOfLastTwoCharacters(tidied)
                if end > 2 { page.add(UnsafeBufferPointer(rebasing: tidied[2..<end]), period: true) }
            } else if tidied[0] == UInt8(ascii: ":") {
                page.add(UnsafeBufferPointer(rebasing: tidied[ByteSearch.endOfRun(of: UInt8(ascii: ":"), in: tidied, from: 0)...]))
            } else if isListItem {
                let itemStart = Self.endOfListMarkers(tidied)
                if itemStart < tidied.count { emit(UnsafeBufferPointer(rebasing: tidied[itemStart...])) }
            } else if !Self.isLeftover(tidied) {
                emit(tidied)
            }
        }
        return page.bytes
    }

    /// The level and title of a section heading: WikiExtractor's `(==+)\s*(.*?)\s*\1` at the
    /// start of the line (anything after the closing run is ignored).
    private static func heading(in line: UnsafeBufferPointer<UInt8>) -> (level: Int, title: Range<Int>)? {
        let run = ByteSearch.endOfRun(of: UInt8(ascii: "="), in: line, from: 0)
        guard run >= 2 else { return nil }
        for level in stride(from: run, through: 2, by: -1) {
            let titleStart = UnicodeCharacterClass.endOfWhitespace(line, from: level)
            var search = titleStart
            while let equals = ByteSearch.index(of: UInt8(ascii: "="), in: line, from: search) {
                let equalsEnd = ByteSearch.endOfRun(of: UInt8(ascii: "="), in: line, from: equals)
                if equalsEnd - equals >= level {
                    let titleEnd = UnicodeCharacterClass.startOfWhitespace(line, endingAt: equals, notBefore: titleStart)
                    return (level, titleStart..<titleEnd)
                }
                search = equalsEnd
            }
        }
        return nil
    }

    /// Where Python's `line[:-2]` ends: the start of the line's last two characters.
    private static func startOfLastTwoCharacters(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var index = line.count
        for _ in 0..<2 where index > 0 {
            index -= 1
            while index > 0 && line[index] & 0xC0 == 0x80 { index -= 1 }
        }
        return index
    }

    /// The start of a list item's text, after its markers and the spaces after them.
    private static func endOfListMarkers(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        while index < line.count {
            switch line[index] {
            case UInt8(ascii: "*"), UInt8(ascii: "#"), UInt8(ascii: ";"), UInt8(ascii: ":"): index += 1
            default: return UnicodeCharacterClass.endOfWhitespace(line, from: index)
            }
        }
        return index
    }

    /// Whether a line is a leftover `compact` drops: it ends with `}`, is in parentheses, or
    /// has only dots and dashes.
    private static func isLeftover(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        let first = line[0]
        let last = line[line.count - 1]
        return last == UInt8(ascii: "}") || (first == UInt8(ascii: "(") && last == UInt8(ascii: ")"))
            || line.allSatisfy { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }
}

/// The article's lines, joined by newlines.
private struct PageWriter {
    private let output: ByteBuffer
    private var lineCount = 0

    init(capacity: Int) { output = ByteBuffer(capacity: capacity) }

    var bytes: [UInt8] { Array(output.bytes) }

    /// Adds a line, with a period at its end when `period` and it does not end with `!` or `?`.
    mutating func add(_ line: UnsafeBufferPointer<UInt8>, period: Bool = false) {
        if lineCount > 0 { output.append(UInt8(ascii: "\n")) }
        output.append(line)
        if period, let last = line.last, last != UInt8(ascii: "!"), last != UInt8(ascii: "?") {
            output.append(UInt8(ascii: "."))
        }
        lineCount += 1
    }
}

/// Section headings waiting for their section's first paragraph, by increasing level.
private struct PendingHeadings {
    private var entries: [(level: Int, title: Range<Int>)] = []
    private let titles = ByteBuffer(capacity: 256)

    /// Records a heading, forgetting the pending ones of its level and deeper.
    mutating func set(level: Int, title: UnsafeBufferPointer<UInt8>) {
        entries.removeAll { $0.level >= level }
        let start = titles.count
        titles.append(title)
        entries.append((level, start..<titles.count))
    }

    /// Writes the pending headings and forgets them.
    mutating func write(to page: inout PageWriter) {
        for entry in entries {
            page.add(UnsafeBufferPointer(rebasing: titles.bytes[entry.title]), period: true)
        }
        entries.removeAll(keepingCapacity: true)
        titles.removeAll()
    }
}

/// WikiExtractor's `re.sub(r'\n\W+?\n', '\n', text)`, line by line: a line without word
/// characters goes when the newline before it was not consumed by the previous removal; an
/// empty line takes the next line with it when that one has no word characters either.
private struct PunctuationLineFilter {
    /// Whether the newline before the current line is free to start a match.
    private var newlineFree = false
    /// Whether the previous line was empty and its preceding newline free.
    private var afterFreeEmptyLine = false

    /// Whether the line `text[line]` stays; `isLast`: no newline follows it.
    mutating func keeps(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, isLast: Bool) -> Bool {
        let removable = !isLast && UnicodeCharacterClass.hasNoWord(text, line)
        if afterFreeEmptyLine {
            afterFreeEmptyLine = false
            newlineFree = !removable
            return !removable
        }
        guard newlineFree else {
            newlineFree = true
            return true
        }
        if line.isEmpty {
            afterFreeEmptyLine = !isLast
            return true
        }
        newlineFree = !removable
        return !removable
    }
}
