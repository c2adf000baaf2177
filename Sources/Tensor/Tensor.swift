/// A typed, contiguous, row-major view of part of a `Storage`: an element offset and a shape.
///
/// Tensors are cheap values: making a view, a reshape or a slice copies no elements. Every
/// operation on them goes through a `Backend`.
public struct Tensor: @unchecked Sendable {
    /// The memory viewed.
    public let storage: Storage
    /// The offset of the first element from the start of the storage, in elements.
    public let offset: Int
    /// The dimensions of the view.
    public let shape: Shape
    /// The element type.
    public let dtype: DType

    /// A view of `shape.count` elements of `dtype` starting `offset` elements into `storage`.
    public init(storage: Storage, offset: Int = 0, shape: Shape, dtype: DType) {
        precondition(offset >= 0 && (offset + shape.count) * dtype.byteSize <= storage.byteCount,
                     "view \(shape) at offset \(offset) exceeds its storage")
        self.storage = storage
        self.offset = offset
        self.shape = shape
        self.dtype = dtype
    }

    /// The number of elements.
    public var count: Int { shape.count }

    /// The same elements seen with another shape of equal count.
    public func reshaped(_ newShape: Shape) -> Tensor {
        precondition(newShape.count == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(storage: storage, offset: offset, shape: newShape, dtype: dtype)
    }

    /// The elements `start ..< start + shape.count` of this view, seen with `shape`.
    public func view(at start: Int, _ shape: Shape) -> Tensor {
        precondition(start >= 0 && start + shape.count <= count, "view \(shape) at \(start) exceeds \(self.shape)")
        return Tensor(storage: storage, offset: offset + start, shape: shape, dtype: dtype)
    }

    /// The entries `range` of the first dimension, keeping the other dimensions.
    public func slice(_ range: Range<Int>) -> Tensor {
        precondition(shape.rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "slice \(range) out of \(shape)")
        var dimensions = shape.dimensions
        let stride = dimensions[0] == 0 ? 0 : count / dimensions[0]
        dimensions[0] = range.count
        return view(at: range.lowerBound * stride, Shape(dimensions))
    }

    /// The address of the first element; meaningful to the backend that owns the storage.
    public var address: UnsafeMutableRawPointer { storage.address + offset * dtype.byteSize }
}
