#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support
import Synchronization

/// A fixed set of threads that run one job at a time, the calling thread taking part.
///
/// The threads are started once and wait between jobs, so a kernel call costs a hand-over,
/// not a thread start. A job is a non-escaping closure; nothing is allocated per call. `run`
/// is called from one thread at a time.
///
/// Waiting threads (the workers for the next job, the caller for the workers) first spin for
/// up to `spinSeconds`, then sleep on a condition. Kernels follow each other within
/// microseconds during a training step, and a thread that went to sleep between them would
/// cost a wake-up at every call: on a virtual machine whose host is busy, waking a vCPU that
/// went idle can take milliseconds, and a step makes thousands of calls.
final class ThreadPool: @unchecked Sendable {
    /// The number of threads that run a job, the caller included.
    let threadCount: Int
    /// How long a waiting thread spins before it sleeps.
    static let spinSeconds = 200e-6
    private var workers: [WorkerThread] = []
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let started = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The job in progress: called with the index of the thread running it.
    private var job: ((Int) -> Void)?
    /// Counts the jobs started, so that a waiting worker knows whether there is a new one;
    /// stored under the mutex, read by spinning workers without it.
    private let generation = Atomic<Int>(0)
    /// The workers that have not finished the current job.
    private let unfinished = Atomic<Int>(0)
    /// Set (before a last generation) when the pool goes away.
    private let stopping = Atomic<Bool>(false)

    /// Starts `threadCount − 1` worker threads.
    init(threadCount: Int) {
        precondition(threadCount >= 1)
        self.threadCount = threadCount
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(started, nil)
        pthread_cond_init(finished, nil)
        // Unretained: the workers must not keep the pool alive, and `deinit` joins them all
        // before the pool's memory goes away.
        workers = (1..<threadCount).map { index in WorkerThread { [unowned(unsafe) self] in self.serve(index) } }
    }

    deinit {
        pthread_mutex_lock(mutex)
        stopping.store(true, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(started)
        pthread_mutex_unlock(mutex)
        for worker in workers { worker.join() }
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(started)
        pthread_cond_destroy(finished)
        mutex.deallocate()
        started.deallocate()
        finished.deallocate()
    }

    /// Calls `body(i)` for every thread index i in 0..<threadCount at once, returning when all
    /// have returned.
    func run(_ body: (Int) -> Void) {
        if threadCount == 1 { return body(0) }
        withoutActuallyEscaping(body) { body in
            job = body
            unfinished.store(threadCount - 1, ordering: .relaxed)
            // Under the mutex, so that a worker about to sleep either sees the new generation
            // or is already waiting for the broadcast.
            pthread_mutex_lock(mutex)
            generation.add(1, ordering: .releasing)
            pthread_cond_broadcast(started)
            pthread_mutex_unlock(mutex)
            body(0)
            if !Self.spin(until: { unfinished.load(ordering: .acquiring) == 0 }) {
                pthread_mutex_lock(mutex)
                while unfinished.load(ordering: .acquiring) > 0 { pthread_cond_wait(finished, mutex) }
                pthread_mutex_unlock(mutex)
            }
            job = nil
        }
    }

    /// Splits 0..<count into contiguous ranges, at most one a thread and none shorter than
    /// `grain` (except the last), and calls `body` on each in parallel.
    func parallelFor(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(threadCount, max(1, count / max(grain, 1)))
        if chunks == 1 { return count > 0 ? body(0..<count) : () }
        run { index in
            guard index < chunks else { return }
            let start = count * index / chunks, end = count * (index + 1) / chunks
            if start < end { body(start..<end) }
        }
    }

    /// `parallelFor` over the elements 0..<count in whole vectors of 16: every range but the
    /// last starts and ends on a multiple of 16, so that threads share no vector (nor, for
    /// aligned floats, a cache line).
    func parallelForVectors(_ count: Int, grain: Int = CPUBackend.grain, _ body: (Range<Int>) -> Void) {
        parallelFor((count + 15) / 16, grain: max(grain / 16, 1)) { vectors in
            body(vectors.lowerBound * 16 ..< min(vectors.upperBound * 16, count))
        }
    }

    private func serve(_ index: Int) {
        var seen = 0
        while true {
            if !Self.spin(until: { generation.load(ordering: .acquiring) != seen }) {
                pthread_mutex_lock(mutex)
                while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(started, mutex) }
                pthread_mutex_unlock(mutex)
            }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .relaxed) { return }
            runJob(index)
            if unfinished.subtract(1, ordering: .releasing).newValue == 0 {
                // Under the mutex, so that the caller either sees 0 or is already waiting.
                pthread_mutex_lock(mutex)
                pthread_cond_signal(finished)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// Whether `condition` became true within `spinSeconds` of checking it over and over.
    @inline(__always)
    private static func spin(until condition: () -> Bool) -> Bool {
        let deadline = MonotonicClock.now() + spinSeconds
        while true {
            for _ in 0..<64 where condition() { return true }
            if MonotonicClock.now() > deadline { return condition() }
        }
    }

    /// Runs the current job; kept apart so that the worker's reference to the closure ends
    /// before it reports the job finished (`withoutActuallyEscaping` checks that none is left).
    @inline(never)
    private func runJob(_ index: Int) { job!(index) }
}
