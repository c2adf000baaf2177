/// The bytes of one dump file that one part of a split extraction reads.
struct DumpSpan {
    /// The file.
    var path: String
    /// The bytes read, or nil for the whole file.
    var range: Range<Int>?
    /// Whether the span ends at the file's end (else just before a page, at a cut).
    var endsFile = true

    /// Whether the span starts at the file's start (else at a cut, after the file's head).
    var startsFile: Bool { (range?.lowerBound ?? 0) == 0 }

    /// Where in the file the span starts, for messages: nil at the file's start.
    var place: String? { startsFile ? nil : "part from byte \(range!.lowerBound)" }

    /// How messages name the span: the path, and the place when the span starts inside the file.
    var name: String { [path, place].compactMap { $0 }.joined(separator: ": ") }
}
