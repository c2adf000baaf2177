import Support

/// Writes safetensors files: the header lists the tensors in the order given, the data block
/// holds their bytes in that order, and the same input always gives the same bytes.
public enum SafeTensorsWriter {
    /// Writes `tensors` and `metadata` to `path` through a temporary file renamed into place.
    /// - Throws: `BERTKitError` naming `path` and the tensor when two tensors share a name, a
    ///   name is "__metadata__", a shape has a negative dimension or does not match the
    ///   number of bytes given; when `path` exists and `overwrite` is false; or when writing
    ///   fails.
    public static func write(_ tensors: [SafeTensor], metadata: [String: String] = [:],
                             to path: String, overwrite: Bool = false) throws {
        var entries: [SafeTensorsHeader.Entry] = []
        var names: Set<String> = []
        var offset = 0
        for tensor in tensors {
            func failure(_ message: String) -> BERTKitError {
                BERTKitError(file: path, place: SafeTensorsHeader.place(of: tensor.name), message)
            }
            guard tensor.name != SafeTensorsHeader.metadataKey else { throw failure("the name is reserved for the metadata") }
            guard names.insert(tensor.name).inserted else { throw failure("given twice") }
            guard let byteCount = SafeTensorsHeader.byteCount(shape: tensor.shape, dtype: tensor.dtype) else {
                throw failure("shape \(tensor.shape) has a negative dimension or is too large")
            }
            guard byteCount == tensor.byteCount else {
                throw failure("shape \(tensor.shape) of \(tensor.dtype.rawValue) takes \(byteCount) bytes, "
                              + "but \(tensor.byteCount) were given")
            }
            entries.append(SafeTensorsHeader.Entry(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape,
                                                   byteRange: offset..<offset + byteCount))
            offset += byteCount
        }
        let header = SafeTensorsHeader(entries: entries, metadata: metadata).encoded()
        let file = try OutputFile(path: path, overwrite: overwrite)
        try file.write((0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> ($0 * 8)) })
        try file.write(header)
        for tensor in tensors {
            try tensor.withBytes { try file.write($0) }
        }
        try file.commit()
    }
}
