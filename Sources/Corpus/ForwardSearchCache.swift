/// Remembers the last result of a search for the first match of a pattern at or after a
/// position, for searches from increasing positions: a match found is reused while it
/// lies ahead, and once none is found none is searched for again. This keeps a sweep
/// linear when the closing part of many constructs is missing or far away.
///
/// The pattern must be position-local: whether it matches at a position may not depend on
/// where the search started.
struct ForwardSearchCache {
    private var searchedFrom = Int.max
    private var last: Range<Int>?

    /// The first match at or after `start`, from the cache or from `search`.
    mutating func firstMatch(from start: Int, _ search: (Int) -> Range<Int>?) -> Range<Int>? {
        if start >= searchedFrom && (last.map { $0.lowerBound >= start } ?? true) { return last }
        searchedFrom = start
        last = search(start)
        return last
    }

    /// The index of the first `byte` at or after `start`.
    mutating func index(of byte: UInt8, in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        firstMatch(from: start) { from in ByteSearch.index(of: byte, in: text, from: from).map { $0..<$0 + 1 } }?.lowerBound
    }
}
