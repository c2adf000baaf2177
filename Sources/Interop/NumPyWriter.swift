import Support

/// Writes a NumPy `.npy` file (format version 1.0) of little-endian float32 values, row by
/// row, so that a large array never has to be held whole.
///
/// The file is the magic `\x93NUMPY`, the version bytes 1 and 0, the header's length as a
/// little-endian UInt16, the header (a Python dict literal, `{'descr': '<f4',
/// 'fortran_order': False, 'shape': (N, D), }`, padded with spaces and ended by a newline
/// so that the data starts at a multiple of 64 bytes), then the values in C order. It is
/// written under a temporary name and renamed when every row is there.
public final class NumPyWriter {
    /// The array's shape.
    public let shape: [Int]
    private let file: OutputFile
    private let rowLength: Int
    private var rowsWritten = 0

    /// Starts the file at `path` for an array of `shape` (rows, then the rest); an existing
    /// file is replaced only with `overwrite`.
    /// - Throws: `BERTKitError` naming the file when it exists without `overwrite` or cannot
    ///   be created.
    public init(path: String, shape: [Int], overwrite: Bool) throws {
        precondition(!shape.isEmpty && shape.allSatisfy { $0 >= 0 }, "a .npy array needs a shape, not \(shape)")
        self.shape = shape
        rowLength = shape.dropFirst().reduce(1, *)
        file = try OutputFile(path: path, overwrite: overwrite)
        try file.write(Self.header(shape: shape))
    }

    /// The bytes before the data: magic, version, header length and the padded header.
    static func header(shape: [Int]) -> [UInt8] {
        let dimensions = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(dimensions), }".utf8)
        let prefix = 10
        let padding = (64 - (prefix + header.count + 1) % 64) % 64
        header += [UInt8](repeating: 0x20, count: padding) + [0x0A]
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header
    }

    /// Appends the next row (all dimensions after the first: D values for an N × D array).
    /// - Throws: `BERTKitError` naming the file when writing fails.
    public func append(_ row: [Float]) throws {
        precondition(row.count == rowLength, "a row of \(row.count) values for an array of shape \(shape)")
        precondition(rowsWritten < shape[0], "more rows than the \(shape[0]) of the array's shape")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(row.count * 4)
        for value in row {
            let bits = value.bitPattern
            bytes += [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                      UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)]
        }
        try file.write(bytes)
        rowsWritten += 1
    }

    /// Finishes the file, which must hold every row of the shape.
    /// - Throws: `BERTKitError` naming the file when rows are missing or writing fails.
    public func commit() throws {
        guard rowsWritten == shape[0] else {
            throw BERTKitError(file: file.path, "holds \(rowsWritten) of the \(shape[0]) rows of its shape: not written")
        }
        try file.commit()
    }
}
