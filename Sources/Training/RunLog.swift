#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Where a run reports: every line goes to `log.txt` in the run directory (appended, so a
/// resumed run continues the same log); standard error gets the messages and, on a
/// terminal, one redrawn progress line, elsewhere every `interval`-th step's line. A log
/// without a file (the processes after rank 0 of a data-parallel run) reports to `progress`
/// only.
final class RunLog {
    private let file: UnsafeMutablePointer<FILE>?
    private let progress: ProgressReporter
    private let interval: Int

    /// Opens `path` for appending; nil keeps no file.
    /// - Throws: `BERTKitError` naming the file when it cannot be opened.
    init(path: String?, progress: ProgressReporter, interval: Int) throws {
        if let path {
            guard let file = fopen(path, "a") else {
                throw BERTKitError(file: path, "cannot open the run's log: \(FileSystem.lastErrorMessage())")
            }
            self.file = file
        } else {
            file = nil
        }
        self.progress = progress
        self.interval = interval
    }

    deinit { if let file { fclose(file) } }

    /// A message for both the log and standard error.
    func message(_ line: String) {
        append(line)
        progress.finish(line)
    }

    /// A warning for both the log and standard error.
    func warning(_ line: String) {
        append("warning: " + line)
        progress.warn(line)
    }

    /// Step `step`'s line: `record` (exact values) into the log; `display` (rounded, with
    /// the ETA) redrawn on a terminal, or `record` printed every `interval` steps elsewhere.
    func step(_ step: Int, record: String, display: @autoclosure () -> String) {
        append(record)
        if progress.isTerminal {
            progress.update(display())
        } else if step % interval == 0 {
            progress.finish(record)
        }
    }

    /// Appends a line to the file and flushes it, so that a killed run's log is complete.
    private func append(_ line: String) {
        guard let file else { return }
        var text = line + "\n"
        text.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, file) }
        fflush(file)
    }
}
