import CHDF5
import Support

/// A dataset of an `HDF5File`: its shape and element kind, direct writes of compressed
/// chunks, and reads of row ranges converted to `Int32`.
public final class HDF5Dataset {
    /// The file holding the dataset (kept open while the dataset is).
    public let file: HDF5File
    /// The dataset's name in the root group.
    public let name: String
    /// The extent of each dimension; rows are the first.
    public let shape: [Int]
    /// Whether elements are integers (pre-training data is all integers).
    public let isInteger: Bool
    /// Bytes per element in the file.
    public let elementSize: Int
    /// The extent of each chunk's dimensions, or nil for contiguous storage.
    public let chunkShape: [Int]?
    /// Whether the gzip (deflate) filter is in the dataset's filter pipeline.
    public let isGzipCompressed: Bool
    let id: hid_t

    init(file: HDF5File, name: String, id: hid_t) throws {
        self.file = file
        self.name = name
        self.id = id
        let space = H5Dget_space(id)
        let type = H5Dget_type(id)
        let properties = H5Dget_create_plist(id)
        defer {
            H5Sclose(space)
            H5Tclose(type)
            H5Pclose(properties)
        }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        var dimensions = [hsize_t](repeating: 0, count: max(rank, 1))
        H5Sget_simple_extent_dims(space, &dimensions, nil)
        shape = rank == 0 ? [] : dimensions.map { Int($0) }
        isInteger = H5Tget_class(type) == H5T_INTEGER
        elementSize = H5Tget_size(type)
        if H5Pget_layout(properties) == H5D_CHUNKED {
            var chunk = [hsize_t](repeating: 0, count: max(rank, 1))
            H5Pget_chunk(properties, Int32(rank), &chunk)
            chunkShape = chunk.map { Int($0) }
        } else {
            chunkShape = nil
        }
        var gzip = false
        for index in 0..<max(0, H5Pget_nfilters(properties)) {
            var flags: UInt32 = 0
            var count = 0
            if H5Pget_filter2(properties, UInt32(index), &flags, &count, nil, 0, nil, nil) == H5Z_FILTER_DEFLATE {
                gzip = true
            }
        }
        isGzipCompressed = gzip
    }

    deinit { H5Dclose(id) }

    /// Elements per row: the product of every dimension after the first.
    public var rowElements: Int { shape.dropFirst().reduce(1, *) }

    /// Writes one chunk's bytes, already passed through the dataset's filters (deflated when
    /// it is compressed), at the chunk starting at `row`.
    public func writeChunk(startingAt row: Int, bytes: UnsafeRawBufferPointer) throws {
        var offset = [hsize_t](repeating: 0, count: shape.count)
        offset[0] = hsize_t(row)
        guard H5Dwrite_chunk(id, bk_h5_default(), 0, offset, bytes.count, bytes.baseAddress) >= 0 else {
            throw HDF5File.error(file.path, "cannot write dataset '\(name)' at row \(row)")
        }
    }

    /// Writes the whole dataset from `values` (row-major, converted to the file's type).
    public func write(_ values: [Int32]) throws {
        precondition(values.count == shape.reduce(1, *), "value count does not match the dataset's shape")
        guard H5Dwrite(id, bk_h5t_native_int32(), bk_h5s_all(), bk_h5s_all(), bk_h5_default(), values) >= 0 else {
            throw HDF5File.error(file.path, "cannot write dataset '\(name)'")
        }
    }

    /// Reads the rows `rows` as `Int32`s, row-major.
    public func readInt32(rows: Range<Int>) throws -> [Int32] {
        guard isInteger else { throw BERTKitError(file: file.path, "dataset '\(name)' does not hold integers") }
        guard rows.lowerBound >= 0, rows.upperBound <= (shape.first ?? 1) else {
            throw BERTKitError(file: file.path, "rows \(rows) are outside dataset '\(name)' of \(shape.first ?? 1) rows")
        }
        var values = [Int32](repeating: 0, count: rows.count * rowElements)
        if rows.isEmpty { return values }
        var start = [hsize_t](repeating: 0, count: shape.count)
        var count = shape.map { hsize_t($0) }
        if !shape.isEmpty {
            start[0] = hsize_t(rows.lowerBound)
            count[0] = hsize_t(rows.count)
        }
        let fileSpace = H5Dget_space(id)
        let memorySpace = H5Screate_simple(Int32(max(count.count, 1)), count.isEmpty ? [1] : count, nil)
        defer {
            H5Sclose(fileSpace)
            H5Sclose(memorySpace)
        }
        if !shape.isEmpty { H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, count, nil) }
        let status = values.withUnsafeMutableBytes {
            H5Dread(id, bk_h5t_native_int32(), memorySpace, fileSpace, bk_h5_default(), $0.baseAddress)
        }
        guard status >= 0 else { throw HDF5File.error(file.path, "cannot read dataset '\(name)'") }
        return values
    }
}
