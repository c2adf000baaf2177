/// The dimensions of a tensor, outermost first (row-major).
public struct Shape: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The size of each dimension.
    public var dimensions: [Int]

    /// Makes a shape from its dimensions; each must be non-negative.
    public init(_ dimensions: [Int]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "negative dimension in \(dimensions)")
        self.dimensions = dimensions
    }

    public init(arrayLiteral dimensions: Int...) { self.init(dimensions) }

    /// The number of dimensions.
    public var rank: Int { dimensions.count }

    /// The number of elements: the product of the dimensions (1 for a scalar).
    public var count: Int { dimensions.reduce(1, *) }

    /// The size of dimension `axis`; negative axes count from the end.
    public subscript(axis: Int) -> Int { dimensions[axis < 0 ? rank + axis : axis] }

    /// The last dimension: the length of a row.
    public var columns: Int { dimensions.last ?? 1 }

    /// The number of rows when every dimension but the last is flattened.
    public var rows: Int { columns == 0 ? 0 : count / columns }

    public var description: String { "[" + dimensions.map(String.init).joined(separator: ", ") + "]" }
}
