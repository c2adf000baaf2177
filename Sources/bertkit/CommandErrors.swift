import ArgumentParser
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Turns library errors into the CLI's `error: …` line and a non-zero exit.
enum CommandErrors {
    /// Runs `body`; a `BERTKitError` is printed as `error: FILE: PLACE: MESSAGE` and exits 1.
    static func report(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as BERTKitError {
            var message = "error: \(error.description)\n"
            message.withUTF8 { _ = fwrite($0.baseAddress, 1, $0.count, stderr) }
            throw ExitCode.failure
        }
    }
}
