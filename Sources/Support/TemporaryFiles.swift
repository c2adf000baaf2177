#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes unfinished temporary outputs when the process is interrupted (SIGINT, SIGTERM,
/// SIGHUP), so that an interrupted run leaves nothing half-written behind.
///
/// Paths are kept as C strings in a fixed table that the signal handler reads with
/// async-signal-safe calls only (`unlink`, `_exit`).
public enum TemporaryFiles {
    private static let capacity = 256
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()
    nonisolated(unsafe) private static var handlersInstalled = false
    private static let lock: UnsafeMutablePointer<pthread_mutex_t> = {
        let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(lock, nil)
        return lock
    }()

    /// Registers `path` for removal on interruption; returns a token for `unregister`.
    public static func register(_ path: String) -> Int? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        installHandlers()
        for index in 0..<capacity where slots[index] == nil {
            slots[index] = strdup(path)
            return index
        }
        return nil
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

    private static func installHandlers() {
        guard !handlersInstalled else { return }
        handlersInstalled = true
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                for index in 0..<TemporaryFiles.capacity {
                    if let path = TemporaryFiles.slots[index] { unlink(path) }
                }
                _exit(128 + received)
            }
        }
    }
}
