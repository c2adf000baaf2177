#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes unfinished temporary outputs when the process is interrupted (SIGINT, SIGTERM,
/// SIGHUP), so that an interrupted run leaves nothing half-written behind; and turns a
/// file-size limit into a write error rather than a kill.
///
/// Paths are kept as C strings in a fixed table that the signal handler reads with
/// async-signal-safe calls only (`unlink`, `rmdir`, `_exit`); it goes from the newest entry
/// to the oldest, so files inside a registered directory go before the directory.
public enum TemporaryFiles {
    private static let capacity = 65536
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()
    nonisolated(unsafe) private static let isDirectory: UnsafeMutablePointer<Bool> = {
        let table = UnsafeMutablePointer<Bool>.allocate(capacity: capacity)
        table.initialize(repeating: false, count: capacity)
        return table
    }()
    nonisolated(unsafe) private static var used = 0
    nonisolated(unsafe) private static var handlersInstalled = false
    private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        return lock
    }()

    /// Registers a file (or an empty-once-cleaned directory) for removal on interruption;
    /// returns a token for `unregister`.
    public static func register(_ path: String, directory: Bool = false) -> Int? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        installHandlers()
        while used > 0 && slots[used - 1] == nil { used -= 1 }
        guard used < capacity else { return nil }
        isDirectory[used] = directory
        slots[used] = strdup(path)
        used += 1
        return used - 1
    }

    /// Forgets a registered path (it was committed or removed).
    public static func unregister(_ token: Int?) {
        guard let token else { return }
        pthread_mutex_lock(lock)
        let path = slots[token]
        slots[token] = nil
        pthread_mutex_unlock(lock)
        free(path)
    }

    /// Installs the handlers now if they are not yet, so that registering a path later
    /// leaves alone the handlers a caller installs afterwards (`SignalFlag`'s).
    static func installHandlersNow() {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        installHandlers()
    }

    /// What an interruption by `received` does: removes every registered path and ends the
    /// process with status 128 + `received`. Async-signal-safe.
    static func removeAllAndExit(_ received: Int32) -> Never {
        for index in stride(from: capacity - 1, through: 0, by: -1) {
            guard let path = slots[index] else { continue }
            if isDirectory[index] { rmdir(path) } else { unlink(path) }
        }
        _exit(128 + received)
    }

    private static func installHandlers() {
        guard !handlersInstalled else { return }
        handlersInstalled = true
        // Past a file-size limit (`ulimit -f`) a write then fails with EFBIG, which the
        // writer reports and cleans up after, instead of SIGXFSZ killing the process.
        signal(SIGXFSZ, SIG_IGN)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in TemporaryFiles.removeAllAndExit(received) }
        }
    }
}
