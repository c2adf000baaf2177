#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Records that the process was asked to stop (SIGINT, SIGTERM), so that long work can
/// finish its step, save and exit instead of dying mid-write.
///
/// The handler only stores the signal's number; the work polls `received` between steps. A
/// second signal of the same kind while the first is pending ends the process at once, as a
/// user pressing Ctrl-C twice expects, the way `TemporaryFiles` ends an interrupted process:
/// unfinished outputs removed, exit status 128 + the signal's number.
public enum SignalFlag {
    /// The signal received since `install`, or nil.
    public static var received: Int32? {
        let value = pendingSignal
        return value == 0 ? nil : value
    }

    /// Routes `signals` to the flag. `TemporaryFiles` installs its handlers first, which it
    /// would otherwise do at the first output file, taking the signals back from the flag.
    public static func install(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        TemporaryFiles.installHandlersNow()
        for number in signals {
            signal(number) { number in
                if pendingSignal == number { TemporaryFiles.removeAllAndExit(number) }
                pendingSignal = number
            }
        }
    }

    /// The name of a signal number, for messages.
    public static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        default: return "signal \(number)"
        }
    }
}

/// The number of the pending signal, 0 for none; written only by the handler.
nonisolated(unsafe) private var pendingSignal: Int32 = 0
