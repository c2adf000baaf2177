/// One message of an NVRTC compilation log: the file and line it is about, its severity and
/// its text.
///
/// NVRTC writes each as `NAME(LINE): SEVERITY: MESSAGE` (followed by the source line and a
/// caret, which are not kept), NAME being the program's or an included header's name.
public struct NVRTCDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file, as NVRTC names it.
    public var file: String
    /// The line, counted from 1.
    public var line: Int
    /// "error", "catastrophic error", "warning" (its number, as in "warning #177-D", dropped) or
    /// "remark".
    public var severity: String
    /// The message.
    public var message: String

    public init(file: String, line: Int, severity: String, message: String) {
        self.file = file
        self.line = line
        self.severity = severity
        self.message = message
    }

    /// Whether the compilation fails because of it.
    public var isError: Bool { severity.hasSuffix("error") }

    public var description: String { "\(file):\(line): \(severity): \(message)" }

    /// The messages of a log, in order; lines of another form are skipped.
    public static func parse(log: String) -> [NVRTCDiagnostic] {
        log.split(separator: "\n", omittingEmptySubsequences: true).compactMap { parse(line: $0) }
    }

    /// The message on one line of a log, if the line holds one.
    static func parse(line: Substring) -> NVRTCDiagnostic? {
        // NAME "(" DIGITS "): " SEVERITY ": " MESSAGE, NAME not empty.
        var open = line.startIndex
        while let found = line[open...].firstIndex(of: "(") {
            open = line.index(after: found)
            let digits = line[open...].prefix { $0.isNumber }
            let after = line[digits.endIndex...]
            guard found > line.startIndex, let number = Int(digits), after.hasPrefix("): ") else { continue }
            let rest = after.dropFirst(3)
            guard let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix(": ") else { return nil }
            let severity = String(rest[..<colon])
            guard severity == "remark" || severity.hasSuffix("error") || severity.hasPrefix("warning") else { return nil }
            return NVRTCDiagnostic(file: String(line[..<found]), line: number,
                                   severity: severity.hasPrefix("warning") ? "warning" : severity,
                                   message: String(rest[colon...].dropFirst(2)))
        }
        return nil
    }
}
