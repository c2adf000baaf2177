#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// A fixed set of threads that run one job at a time, the calling thread taking part.
///
/// The threads are started once and wait on a condition between jobs, so a kernel call costs
/// a wake-up, not a thread start. A job is a non-escaping closure; nothing is allocated per
/// call. `run` is called from one thread at a time.
final class ThreadPool: @unchecked Sendable {
    /// The number of threads that run a job, the caller included.
    let threadCount: Int
    private var workers: [WorkerThread] = []
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let started = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The job in progress: called with the index of the thread running it.
    private var job: ((Int) -> Void)?
    /// Counts the jobs started, so that a waking worker knows whether there is a new one.
    private var generation = 0
    private var unfinished = 0
    private var stopping = false

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
        stopping = true
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
            pthread_mutex_lock(mutex)
            job = body
            generation += 1
            unfinished = threadCount - 1
            pthread_cond_broadcast(started)
            pthread_mutex_unlock(mutex)
            body(0)
            pthread_mutex_lock(mutex)
            while unfinished > 0 { pthread_cond_wait(finished, mutex) }
            job = nil
            pthread_mutex_unlock(mutex)
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
            pthread_mutex_lock(mutex)
            while generation == seen && !stopping { pthread_cond_wait(started, mutex) }
            if stopping { pthread_mutex_unlock(mutex); return }
            seen = generation
            pthread_mutex_unlock(mutex)
            runJob(index)
            pthread_mutex_lock(mutex)
            unfinished -= 1
            if unfinished == 0 { pthread_cond_signal(finished) }
            pthread_mutex_unlock(mutex)
        }
    }

    /// Runs the current job; kept apart so that the worker's reference to the closure ends
    /// before it reports the job finished (`withoutActuallyEscaping` checks that none is left).
    @inline(never)
    private func runJob(_ index: Int) { job!(index) }
}
