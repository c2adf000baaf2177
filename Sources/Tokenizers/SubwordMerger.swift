/// The merge step of WordPiece training: words as sequences of symbol ids with their counts,
/// the count of every pair of adjacent symbols, for each pair the words that hold it, and a
/// queue of pairs by count, as in `tokenizers`' BPE trainer.
///
/// Merging a pair rewrites only the words listed for it and adjusts the counts of the pairs
/// around each occurrence, so a merge costs the occurrences it touches, not a pass over the
/// words. The lists of words are linked lists in shared arrays; a word listed for a pair it
/// no longer holds is rewritten to itself, so stale entries cost time but not correctness.
struct SubwordMerger {
    /// A pair chosen for merging.
    struct Pair: Equatable {
        /// The left and right symbols.
        var left: UInt32, right: UInt32
        /// The number of times the pair occurs, counting each word as often as it was seen.
        var count: Int
        fileprivate var slot: Int32
    }

    /// The symbols of every word back to back; a word shrinks in place as pairs merge.
    private var symbols: [UInt32] = []
    private var wordStarts: [Int] = []
    private var wordLengths: [Int32] = []
    private var wordCounts: [Int] = []

    /// The slot of each pair, keyed by `key(left, right)`, and what each slot holds.
    private var slots: [UInt64: Int32] = [:]
    private var pairKeys: [UInt64] = []
    private var pairCounts: [Int] = []
    /// The first entry of each pair's list of words, -1 when none.
    private var occurrenceHeads: [Int32] = []
    /// The merge during which each pair was last marked for queueing.
    private var markedInMerge: [Int32] = []
    /// List entries: a word and the next entry of the same list (-1 at the end).
    private var occurrenceWords: [Int32] = []
    private var occurrenceNexts: [Int32] = []

    private var queue = PairQueue()
    private var queued = false
    /// Pairs whose count rose during the current merge, to be queued once it is done.
    private var raised: [Int32] = []
    private var mergeNumber: Int32 = 0

    /// Adds a word seen `count` times; a word of fewer than two symbols has no pairs and is
    /// not kept. Words must all be added before the first `bestPair()`.
    mutating func addWord(_ word: [UInt32], count: Int) {
        precondition(!queued, "words are added before merging starts")
        guard word.count >= 2 else { return }
        precondition(wordCounts.count < Int(Int32.max), "more words than the merger holds")
        let index = Int32(wordCounts.count)
        wordStarts.append(symbols.count)
        wordLengths.append(Int32(word.count))
        wordCounts.append(count)
        symbols += word
        for position in 1..<word.count {
            let slot = slot(word[position - 1], word[position])
            pairCounts[Int(slot)] += count
            listWord(index, for: slot)
        }
    }

    /// The most frequent pair (the smaller pair among equals), or nil when no pair occurs
    /// at least `minimumCount` times (and at least once). The pair leaves the queue: the
    /// caller merges it before asking for the next.
    mutating func bestPair(minimumCount: Int) -> Pair? {
        if !queued {
            queued = true
            for slot in pairCounts.indices where pairCounts[slot] > 0 {
                queue.push(PairQueue.Entry(count: pairCounts[slot], key: pairKeys[slot], slot: Int32(slot)))
            }
        }
        while var entry = queue.pop() {
            let current = pairCounts[Int(entry.slot)]
            if entry.count != current {
                // Stale: a lower count is queued again; a higher one was queued when it rose.
                if current > 0 && current < entry.count {
                    entry.count = current
                    queue.push(entry)
                }
                continue
            }
            guard current >= max(1, minimumCount) else { return nil }
            return Pair(left: UInt32(truncatingIfNeeded: entry.key >> 32), right: UInt32(truncatingIfNeeded: entry.key),
                        count: current, slot: entry.slot)
        }
        return nil
    }

    /// Replaces every occurrence of `pair` by the symbol `merged`, left to right in each word.
    mutating func merge(_ pair: Pair, into merged: UInt32) {
        mergeNumber += 1
        var entry = occurrenceHeads[Int(pair.slot)]
        while entry >= 0 {
            mergeWord(Int(occurrenceWords[Int(entry)]), pair.left, pair.right, merged)
            entry = occurrenceNexts[Int(entry)]
        }
        pairCounts[Int(pair.slot)] = 0
        occurrenceHeads[Int(pair.slot)] = -1
        for slot in raised where pairCounts[Int(slot)] > 0 {
            queue.push(PairQueue.Entry(count: pairCounts[Int(slot)], key: pairKeys[Int(slot)], slot: slot))
        }
        raised.removeAll(keepingCapacity: true)
    }

    /// Merges the pair in one word, adjusting the counts of the pairs that its neighbours
    /// formed with it: each occurrence takes away (previous, left) and (right, next) and
    /// makes (previous, merged) and (merged, next).
    private mutating func mergeWord(_ word: Int, _ left: UInt32, _ right: UInt32, _ merged: UInt32) {
        let start = wordStarts[word]
        let end = start + Int(wordLengths[word])
        let count = wordCounts[word]
        var read = start
        var write = start
        while read < end {
            if symbols[read] == left && read + 1 < end && symbols[read + 1] == right {
                if write > start {
                    let previous = symbols[write - 1]
                    change(previous, left, by: -count, in: word)
                    change(previous, merged, by: count, in: word)
                }
                if read + 2 < end {
                    let next = symbols[read + 2]
                    change(right, next, by: -count, in: word)
                    change(merged, next, by: count, in: word)
                }
                symbols[write] = merged
                read += 2
            } else {
                symbols[write] = symbols[read]
                read += 1
            }
            write += 1
        }
        wordLengths[word] = Int32(write - start)
    }

    /// Adds `delta` to the count of a pair; a rise lists `word` for it and marks it for queueing.
    @inline(__always)
    private mutating func change(_ left: UInt32, _ right: UInt32, by delta: Int, in word: Int) {
        let slot = slot(left, right)
        pairCounts[Int(slot)] += delta
        guard delta > 0 else { return }
        listWord(Int32(word), for: slot)
        if markedInMerge[Int(slot)] != mergeNumber {
            markedInMerge[Int(slot)] = mergeNumber
            raised.append(slot)
        }
    }

    /// Puts `word` at the head of the pair's list unless it is already there.
    @inline(__always)
    private mutating func listWord(_ word: Int32, for slot: Int32) {
        let head = occurrenceHeads[Int(slot)]
        if head >= 0 && occurrenceWords[Int(head)] == word { return }
        occurrenceWords.append(word)
        occurrenceNexts.append(head)
        occurrenceHeads[Int(slot)] = Int32(occurrenceWords.count - 1)
    }

    /// The slot of the pair, made when the pair is new.
    @inline(__always)
    private mutating func slot(_ left: UInt32, _ right: UInt32) -> Int32 {
        let key = UInt64(left) << 32 | UInt64(right)
        if let slot = slots[key] { return slot }
        let slot = Int32(pairKeys.count)
        slots[key] = slot
        pairKeys.append(key)
        pairCounts.append(0)
        occurrenceHeads.append(-1)
        markedInMerge.append(0)
        return slot
    }
}
