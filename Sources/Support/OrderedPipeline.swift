#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a producer, parallel workers and an in-order consumer with bounded memory.
///
/// The producer runs on its own thread and emits inputs; `workers` threads transform them;
/// the calling thread consumes the outputs in the order the inputs were emitted, whatever
/// the number of workers. At most `maxInFlight` inputs are emitted and not yet consumed, so
/// memory does not grow with the size of the work. The first error (from the producer, a
/// transform or the consumer) stops every thread and is rethrown.
public enum OrderedPipeline {
    /// Thrown into the producer's `emit` once the pipeline has stopped early.
    public struct Cancelled: Error {}

    public static func run<Input, Output>(
        workers: Int,
        maxInFlight: Int,
        produce: @escaping (_ emit: (Input) throws -> Void) throws -> Void,
        transform: @escaping (Input) throws -> Output,
        consume: (Output) throws -> Void
    ) throws {
        let inputs = BlockingQueue<(Int, Input)>(capacity: max(1, maxInFlight))
        let slots = BlockingQueue<Bool>(capacity: max(1, maxInFlight))
        for _ in 0..<max(1, maxInFlight) { slots.push(true) }
        let results = ReorderBuffer<Output>()

        let producer = WorkerThread {
            var sequence = 0
            do {
                try produce { input in
                    guard slots.pop() != nil, inputs.push((sequence, input)) else { throw Cancelled() }
                    sequence += 1
                }
                results.finish(count: sequence, error: nil)
            } catch {
                results.finish(count: sequence, error: error is Cancelled ? nil : error)
            }
            inputs.close()
        }
        let pool = (0..<max(1, workers)).map { _ in
            WorkerThread {
                while let (sequence, input) = inputs.pop() {
                    results.put(sequence, Result { try transform(input) })
                }
            }
        }
        func stop() {
            inputs.close()
            slots.close()
            producer.join()
            for worker in pool { worker.join() }
        }

        var next = 0
        do {
            while let result = try results.take(next) {
                try consume(try result.get())
                slots.push(true)
                next += 1
            }
        } catch {
            stop()
            throw error
        }
        stop()
    }
}

/// Holds results that finish out of order until the consumer asks for them in order.
private final class ReorderBuffer<Output>: @unchecked Sendable {
    private var pending: [Int: Result<Output, Error>] = [:]
    private var producedCount: Int?
    private var producerError: Error?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(changed)
        mutex.deallocate()
        changed.deallocate()
    }

    func put(_ sequence: Int, _ result: Result<Output, Error>) {
        pthread_mutex_lock(mutex)
        pending[sequence] = result
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    func finish(count: Int, error: Error?) {
        pthread_mutex_lock(mutex)
        producedCount = count
        producerError = error
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// The result for `sequence`, waiting for it; nil after the last one. Throws the
    /// producer's error once every result before it has been taken.
    func take(_ sequence: Int) throws -> Result<Output, Error>? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if let result = pending.removeValue(forKey: sequence) { return result }
            if let producedCount, sequence >= producedCount {
                if let producerError { throw producerError }
                return nil
            }
            pthread_cond_wait(changed, mutex)
        }
    }
}
