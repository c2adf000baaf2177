/// The vectors of a range of elements, in order: (start, lanes) for whole vectors of sixteen,
/// then one partial vector of `lanes` < 16 for the rest.
///
/// A sequence walked with `for`, not a function taking the loop body as a closure: a large
/// body (one that inlines `VectorMath.exp`, say) would be outlined, and called, per vector.
struct Vectors: Sequence, IteratorProtocol {
    private var start: Int
    private let end: Int

    @inline(__always)
    init(_ range: Range<Int>) { (start, end) = (range.lowerBound, range.upperBound) }

    @inline(__always)
    mutating func next() -> (start: Int, lanes: Int)? {
        guard start < end else { return nil }
        defer { start += 16 }
        return (start, Swift.min(16, end - start))
    }
}
