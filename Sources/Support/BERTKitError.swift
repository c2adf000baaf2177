/// An error that names where it happened: the file and, when known, the place in it.
///
/// Every stage reports bad input with this type so that the CLI can print one clear
/// `error: FILE: PLACE: MESSAGE` line and exit non-zero.
public struct BERTKitError: Error, CustomStringConvertible, Sendable {
    /// The file the error is about, or nil when it concerns no file.
    public var file: String?
    /// Where in the file: "byte 1234", "line 7", "page 'Title' (id 12)", or nil.
    public var place: String?
    /// What went wrong, in words a user can act on.
    public var message: String

    public init(file: String? = nil, place: String? = nil, _ message: String) {
        self.file = file
        self.place = place
        self.message = message
    }

    public var description: String {
        [file, place, message].compactMap { $0 }.joined(separator: ": ")
    }
}
