import Support

/// A safetensors file read whole into memory, its header checked, its tensors decoded on
/// request.
///
/// The file is an 8-byte little-endian header length, that many bytes of JSON, then the data
/// block the JSON describes. Opening checks the header strictly (see `SafeTensorsHeader`), so
/// that every accessor afterwards reads within bounds; each problem is a `BERTKitError` that
/// names the file and the tensor.
public struct SafeTensorsFile: Sendable {
    /// The path read.
    public let path: String
    /// The tensors' names in the order the header lists them.
    public let names: [String]
    /// The header's "__metadata__" map, empty when there is none.
    public let metadata: [String: String]
    private let entries: [String: SafeTensorsHeader.Entry]
    private let contents: [UInt8]
    private let dataStart: Int

    /// Reads the file at `path` with one read and checks its header.
    /// - Throws: `BERTKitError` when the file cannot be read, is shorter than its header
    ///   length says, has a header length over 100 MB, or has a header that does not describe
    ///   its data block exactly.
    public init(path: String) throws {
        let reader = try FileChunkReader(path: path)
        guard let size = FileSystem.size(path) else {
            throw BERTKitError(file: path, "cannot read its size: \(FileSystem.lastErrorMessage())")
        }
        let contents = try reader.read(upTo: size)
        guard contents.count == size else {
            throw BERTKitError(file: path, "read \(contents.count) bytes of \(size): did it change while being read?")
        }
        guard size >= 8 else {
            throw BERTKitError(file: path, "\(size) bytes is too short for a safetensors file (the header length alone takes 8)")
        }
        let headerLength = contents.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= SafeTensorsHeader.maximumByteCount else {
            throw BERTKitError(file: path, place: "byte 0",
                               "header length \(headerLength) is over the limit of \(SafeTensorsHeader.maximumByteCount) bytes")
        }
        guard headerLength <= size - 8 else {
            throw BERTKitError(file: path, place: "byte 0",
                               "header length \(headerLength) runs past the end of the file (\(size) bytes)")
        }
        let dataStart = 8 + Int(headerLength)
        let header = try contents.withUnsafeBufferPointer {
            try SafeTensorsHeader(parsing: UnsafeBufferPointer(rebasing: $0[8..<dataStart]),
                                  dataByteCount: size - dataStart, file: path)
        }
        self.path = path
        self.names = header.entries.map(\.name)
        self.metadata = header.metadata
        self.entries = Dictionary(uniqueKeysWithValues: header.entries.map { ($0.name, $0) })
        self.contents = contents
        self.dataStart = dataStart
    }

    /// Whether the file holds a tensor named `name`.
    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The element type of tensor `name`.
    /// - Throws: `BERTKitError` when there is no such tensor.
    public func dtype(_ name: String) throws -> SafeTensorsDType { try entry(name).dtype }

    /// The shape of tensor `name`, outermost dimension first.
    /// - Throws: `BERTKitError` when there is no such tensor.
    public func shape(_ name: String) throws -> [Int] { try entry(name).shape }

    /// The elements of floating-point tensor `name` as `Float`, in row-major order: F32
    /// exactly, F16 and BF16 widened exactly, F64 rounded to nearest.
    /// - Throws: `BERTKitError` when there is no such tensor or it is not floating-point.
    public func floats(_ name: String) throws -> [Float] {
        try floatingPoint(name, as: Float.self)
    }

    /// The elements of floating-point tensor `name` as `Double`, in row-major order: F64
    /// exactly, F32, F16 and BF16 widened exactly.
    /// - Throws: `BERTKitError` when there is no such tensor or it is not floating-point.
    public func doubles(_ name: String) throws -> [Double] {
        try floatingPoint(name, as: Double.self)
    }

    /// The elements of integer tensor `name` as `Int32`, in row-major order: I32 exactly,
    /// I64 narrowed when every element fits.
    /// - Throws: `BERTKitError` when there is no such tensor, it is neither I32 nor I64, or an
    ///   I64 element does not fit in 32 bits.
    public func int32s(_ name: String) throws -> [Int32] {
        let entry = try entry(name)
        switch entry.dtype {
        case .i32:
            return elements(of: entry, stored: UInt32.self) { Int32(bitPattern: $0) }
        case .i64:
            let wide = elements(of: entry, stored: UInt64.self) { Int64(bitPattern: $0) }
            if let index = wide.firstIndex(where: { Int32(exactly: $0) == nil }) {
                throw BERTKitError(file: path, place: SafeTensorsHeader.place(of: name),
                                   "element \(index) is \(wide[index]), out of the range of Int32")
            }
            return wide.map { Int32(truncatingIfNeeded: $0) }
        default:
            throw BERTKitError(file: path, place: SafeTensorsHeader.place(of: name),
                               "is \(entry.dtype.rawValue), not an I32 or I64 tensor")
        }
    }

    /// The header entry of tensor `name`.
    private func entry(_ name: String) throws -> SafeTensorsHeader.Entry {
        guard let entry = entries[name] else {
            throw BERTKitError(file: path, place: SafeTensorsHeader.place(of: name), "no such tensor in the file")
        }
        return entry
    }

    /// The elements of a floating-point tensor converted to `Value`.
    private func floatingPoint<Value: BinaryFloatingPoint>(_ name: String, as: Value.Type) throws -> [Value] {
        let entry = try entry(name)
        switch entry.dtype {
        case .f64: return elements(of: entry, stored: UInt64.self) { Value(Double(bitPattern: $0)) }
        case .f32: return elements(of: entry, stored: UInt32.self) { Value(Float(bitPattern: $0)) }
        case .f16: return elements(of: entry, stored: UInt16.self) { Value(ReducedPrecisionFloat.float(fromHalf: $0)) }
        case .bf16: return elements(of: entry, stored: UInt16.self) { Value(ReducedPrecisionFloat.float(fromBFloat16: $0)) }
        default:
            throw BERTKitError(file: path, place: SafeTensorsHeader.place(of: name),
                               "is \(entry.dtype.rawValue), not a floating-point tensor (F64, F32, F16 or BF16)")
        }
    }

    /// Each element of `entry` loaded as the little-endian integer `Stored` of its bit
    /// pattern and converted, into one array allocated once.
    private func elements<Stored: FixedWidthInteger, Element>(
        of entry: SafeTensorsHeader.Entry, stored: Stored.Type, _ convert: (Stored) -> Element
    ) -> [Element] {
        let count = entry.elementCount
        let start = dataStart + entry.byteRange.lowerBound
        let stride = MemoryLayout<Stored>.size
        return contents.withUnsafeBytes { bytes in
            [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                for index in 0..<count {
                    let raw = bytes.loadUnaligned(fromByteOffset: start + index * stride, as: Stored.self)
                    buffer.initializeElement(at: index, to: convert(Stored(littleEndian: raw)))
                }
                initialized = count
            }
        }
    }
}
