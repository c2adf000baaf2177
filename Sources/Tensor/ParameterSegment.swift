/// One parameter's place in a `ParameterStore`'s flat buffers, as the optimizer steps of a
/// `Backend` see it: where it starts, how long it is, and whether weight decay applies.
///
/// The optimizer steps take every segment of a store in one call (the multi-tensor style of
/// apex's fused optimizers), so that a step is one pass over the flat buffers.
public struct ParameterSegment: Sendable, Hashable {
    /// The position of the first element in the flat buffers, in elements.
    public var offset: Int
    /// The number of elements.
    public var count: Int
    /// Whether weight decay (and LAMB's trust ratio) applies.
    public var decays: Bool

    public init(offset: Int, count: Int, decays: Bool) {
        precondition(offset >= 0 && count >= 0, "segment of \(count) elements at \(offset)")
        self.offset = offset
        self.count = count
        self.decays = decays
    }

    /// The positions of the elements in the flat buffers.
    public var elements: Range<Int> { offset ..< offset + count }
}
