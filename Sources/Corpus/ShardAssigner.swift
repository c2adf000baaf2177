/// Assigns documents greedily to the shard with the fewest sentences so far, ties to the
/// lowest shard id, as the CharacterBERT and NVIDIA sharding scripts do.
///
/// A binary min-heap over (sentences, id): each assignment costs O(log shards).
struct ShardAssigner {
    private var heap: [(sentences: Int, id: Int)]

    /// Starts with `count` empty shards.
    init(count: Int) {
        heap = (0..<count).map { (0, $0) }
    }

    /// The shard for a document of `sentences` sentences; its count grows by that much.
    mutating func assign(sentences: Int) -> Int {
        let id = heap[0].id
        heap[0].sentences += sentences
        siftDown(0)
        return id
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].sentences != heap[b].sentences ? heap[a].sentences < heap[b].sentences : heap[a].id < heap[b].id
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = less(left, parent) ? left : parent
            if left + 1 < heap.count && less(left + 1, smallest) { smallest = left + 1 }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
