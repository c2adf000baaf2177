#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX thread running one closure, joined explicitly.
public final class WorkerThread: @unchecked Sendable {
    private var thread: pthread_t?
    private final class Body { let run: () -> Void; init(_ run: @escaping () -> Void) { self.run = run } }

    /// Starts `body` on a new thread with an 8 MiB stack.
    public init(_ body: @escaping () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        var handle = pthread_t()
        let result = pthread_create(&handle, &attributes, { context in
            let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            body.run()
            return nil
        }, context)
        pthread_attr_destroy(&attributes)
        precondition(result == 0, "pthread_create failed: \(result)")
        thread = handle
    }

    /// Waits for the thread to finish.
    public func join() {
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    /// The number of processors available, the default for `--threads`.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
