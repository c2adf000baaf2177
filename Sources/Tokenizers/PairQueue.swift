/// A binary max-heap of symbol pairs by count, the most frequent pair first and, among equal
/// counts, the pair with the smaller key (left symbol, then right symbol).
///
/// Entries are not updated in place: a pair whose count changed is pushed again, and the
/// reader drops entries whose count is no longer the pair's (lazy deletion, as in
/// `tokenizers`' BPE trainer).
struct PairQueue {
    /// A pair as queued: its count when pushed, its key and its slot in the pair table.
    struct Entry {
        var count: Int
        var key: UInt64
        var slot: Int32
    }

    private var entries: [Entry] = []

    /// Adds an entry.
    mutating func push(_ entry: Entry) {
        entries.append(entry)
        siftUp(entries.count - 1)
    }

    /// Removes and returns the first entry, or nil when empty.
    mutating func pop() -> Entry? {
        guard let last = entries.popLast() else { return nil }
        guard !entries.isEmpty else { return last }
        let top = entries[0]
        entries[0] = last
        siftDown(0)
        return top
    }

    /// Whether `a` comes out before `b`.
    @inline(__always)
    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.count != b.count ? a.count > b.count : a.key < b.key
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        let entry = entries[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(entry, entries[parent]) else { break }
            entries[child] = entries[parent]
            child = parent
        }
        entries[child] = entry
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let entry = entries[parent]
        let count = entries.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count && Self.precedes(entries[child + 1], entries[child]) { child += 1 }
            guard Self.precedes(entries[child], entry) else { break }
            entries[parent] = entries[child]
            parent = child
        }
        entries[parent] = entry
    }
}
