import Support

/// A text given to a model (`fill-mask`, `embed`) and where it came from, so that an error
/// about it names its place: `FILE: line N`, or `argument N` for one on the command line.
public struct InputText: Sendable, Equatable {
    /// The text.
    public var text: String
    /// The file it was read from, or nil for a command-line argument.
    public var file: String?
    /// Where: "line N" in the file, or "argument N".
    public var place: String

    /// A text from `file` at `place`.
    public init(_ text: String, file: String?, place: String) {
        self.text = text
        self.file = file
        self.place = place
    }

    /// The texts of `arguments` (numbered from 1), then each line of `file` when given, in
    /// order; invalid UTF-8 is replaced by U+FFFD.
    /// - Throws: `BERTKitError` naming the file when it cannot be read.
    public static func read(arguments: [String], file: String?) throws -> [InputText] {
        var texts = arguments.enumerated().map { InputText($0.element, file: nil, place: "argument \($0.offset + 1)") }
        guard let file else { return texts }
        let reader = try LineReader(path: file)
        while let line = try reader.next({ String(decoding: $0, as: UTF8.self) }) {
            texts.append(InputText(line, file: file, place: "line \(reader.lineNumber)"))
        }
        return texts
    }

    /// An error about this text: `FILE: PLACE: message`.
    public func error(_ message: String) -> BERTKitError {
        BERTKitError(file: file, place: place, message)
    }
}
