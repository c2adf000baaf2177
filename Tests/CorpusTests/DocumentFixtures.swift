import TestSupport
@testable import Corpus

/// Document files in each input format with every layout quirk a cut between parts must
/// respect: byte-order marks, CRLF, runs of blank lines (some of spaces and tabs), a file
/// without a final line break, an empty file, and documents from a few bytes to a few kB.
enum DocumentFixtures {
    /// The text of document `index`: `sentences` sentences, each of up to 40 words.
    static func document(_ index: Int) -> [String] {
        let sentences = 1 + (index * 7) % 11
        return (0..<sentences).map { sentence in
            "Sentence \(sentence) of document \(index) says"
                + String(repeating: " word", count: (index * 31 + sentence * 17) % 40) + " and ends here."
        }
    }

    /// The files of `count` documents in `format`: the text split in two files around its
    /// middle (inside a line, a JSON line's end for `jsonl`), each starting with a byte-order
    /// mark, with an empty file between them.
    static func files(_ format: DocumentReader.Format, count: Int = 60) -> [String] {
        var text = "\u{FEFF}"
        for index in 0..<count {
            let sentences = document(index)
            let lineBreak = index % 5 == 0 ? "\r\n" : "\n"
            switch format {
            case .jsonl:
                text += #"{"id": "\#(index)", "text": "\#(sentences.joined(separator: " "))"}"# + lineBreak
                if index % 7 == 0 { text += "\n" }
            case .lines:
                text += sentences.joined(separator: " ") + lineBreak
                if index % 7 == 0 { text += " \t\n" }
            case .blocks:
                text += sentences.joined(separator: lineBreak) + lineBreak
                text += [lineBreak, " \t" + lineBreak + "\n\n", "\n\n\n"][index % 3]
            }
        }
        var bytes = Array(text.utf8)
        var middle = bytes.count / 2
        if format == .jsonl {
            while bytes[middle - 1] != 0x0A { middle += 1 }
        }
        bytes.removeLast()  // the last file ends without a line break
        let directory = TestFiles.temporaryDirectory()
        let paths = ["a", "b", "c"].map { directory + "/" + $0 + ".txt" }
        TestFiles.write(Array(bytes[..<middle]), to: paths[0])
        TestFiles.write([], to: paths[1])
        TestFiles.write(Array("\u{FEFF}".utf8) + bytes[middle...], to: paths[2])
        return paths
    }

    /// A file of two documents in `format`, the first of most of its bytes, the second
    /// short: cut in 5 parts, the middle three are empty.
    static func longAndShortDocument(_ format: DocumentReader.Format) -> String {
        let long = (0..<200).map { "Long sentence \($0) of the first document." }.joined(separator: " ")
        let text = switch format {
        case .jsonl: #"{"text": "\#(long)"}"# + "\n" + #"{"text": "Short one. Short two."}"# + "\n"
        case .lines: long + "\nShort one. Short two.\n"
        case .blocks: long + "\n" + long + "\n\nShort one. Short two.\n"
        }
        let path = TestFiles.temporaryDirectory() + "/docs"
        TestFiles.write(Array(text.utf8), to: path)
        return path
    }
}
