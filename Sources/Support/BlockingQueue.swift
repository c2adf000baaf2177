#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bounded first-in first-out queue shared by threads; `push` waits while it is full and
/// `pop` waits while it is empty, until the queue is closed.
public final class BlockingQueue<Element>: @unchecked Sendable {
    private var items: [Element?] = []
    private var head = 0
    private var closed = false
    private let capacity: Int
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let notEmpty = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let notFull = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// Makes a queue holding at most `capacity` elements.
    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(notEmpty, nil)
        pthread_cond_init(notFull, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(notEmpty)
        pthread_cond_destroy(notFull)
        mutex.deallocate()
        notEmpty.deallocate()
        notFull.deallocate()
    }

    private var count: Int { items.count - head }

    /// Appends an element, waiting for room. Returns false (dropping it) if the queue is closed.
    @discardableResult
    public func push(_ element: Element) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count >= capacity && !closed { pthread_cond_wait(notFull, mutex) }
        if closed { return false }
        items.append(element)
        pthread_cond_signal(notEmpty)
        return true
    }

    /// Removes the oldest element, waiting for one; nil once the queue is closed and drained.
    public func pop() -> Element? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while count == 0 && !closed { pthread_cond_wait(notEmpty, mutex) }
        if count == 0 { return nil }
        let element = items[head].take()
        head += 1
        if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        pthread_cond_signal(notFull)
        return element
    }

    /// Closes the queue: waiting pushers give up, poppers drain what is left and then get nil.
    public func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(notEmpty)
        pthread_cond_broadcast(notFull)
        pthread_mutex_unlock(mutex)
    }
}
