#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shows the progress of long work on standard error.
///
/// On a terminal it redraws one line at most ten times a second; otherwise it prints a
/// plain log line every `logInterval` seconds, so that logs of batch jobs stay readable.
public final class ProgressReporter: @unchecked Sendable {
    /// Whether standard error is a terminal, where progress redraws one line.
    public let isTerminal: Bool
    private let logInterval: Double
    private let start = MonotonicClock.now()
    private lazy var lastShown = start
    private var lineVisible = false
    private let enabled: Bool
    private let warningSink: ((String) -> Void)?

    /// - Parameters:
    ///   - enabled: false silences progress and summary lines (`--quiet`); warnings still show.
    ///   - logInterval: seconds between log lines when standard error is not a terminal.
    ///   - warningSink: receives warnings instead of standard error (tests read them).
    public init(enabled: Bool = true, logInterval: Double = 30, warningSink: ((String) -> Void)? = nil) {
        self.enabled = enabled
        self.isTerminal = isatty(2) != 0
        self.logInterval = logInterval
        self.warningSink = warningSink
    }

    /// Seconds since the reporter was made.
    public var elapsed: Double { MonotonicClock.now() - start }

    /// Offers a new progress line; it is shown only if enough time has passed.
    public func update(_ line: @autoclosure () -> String) {
        guard enabled else { return }
        let now = MonotonicClock.now()
        let interval = isTerminal ? 0.1 : logInterval
        guard now - lastShown >= interval else { return }
        lastShown = now
        if isTerminal {
            write("\r\u{1B}[2K" + line())
            lineVisible = true
        } else {
            write(line() + "\n")
        }
    }

    /// Clears the progress line and prints a final message on its own line.
    public func finish(_ line: String) {
        guard enabled else { return }
        if lineVisible { write("\r\u{1B}[2K") }
        lineVisible = false
        write(line + "\n")
    }

    /// Prints a warning on its own line without losing the progress line.
    public func warn(_ message: String) {
        if let warningSink { return warningSink(message) }
        if lineVisible { write("\r\u{1B}[2K") }
        lineVisible = false
        write("warning: " + message + "\n")
    }

    private func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stderr) }
        fflush(stderr)
    }
}
