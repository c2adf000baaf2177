import CDeflate

/// One dataset of a pre-training file, ready to write: its description and its chunks,
/// each already deflated as HDF5's gzip filter would store it.
struct EncodedDataset {
    let name: String
    let type: HDF5ElementType
    /// The dataset's extent: rows first.
    let shape: [Int]
    /// Rows per chunk.
    let chunkRows: Int
    /// 0: stored without the gzip filter; 1–9: deflate level (as zlib's; libdeflate compresses).
    let compressionLevel: Int
    /// The chunks in row order; the last is padded to full size, as HDF5 stores edge chunks.
    private(set) var chunks: [[UInt8]] = []

    /// The bytes a chunk aims at: large enough to compress well, small enough for h5py's
    /// 1 MB chunk cache.
    static let chunkBytes = 1 << 19

    /// Encodes `rows` rows of `rowShape` elements of `type`, `fill` writing row `index`'s
    /// elements into zeroed memory.
    init(name: String, type: HDF5ElementType, rows: Int, rowShape: [Int], compressionLevel: Int,
         fill: (_ row: Int, _ elements: UnsafeMutableRawPointer) -> Void) {
        self.name = name
        self.type = type
        self.shape = [rows] + rowShape
        self.compressionLevel = compressionLevel
        let rowBytes = rowShape.reduce(type.size, *)
        chunkRows = max(1, min(rows, Self.chunkBytes / rowBytes))
        var raw = [UInt8](repeating: 0, count: chunkRows * rowBytes)
        let compressor = compressionLevel > 0 ? libdeflate_alloc_compressor(Int32(compressionLevel)) : nil
        defer { libdeflate_free_compressor(compressor) }
        var compressed = [UInt8](repeating: 0, count: compressor.map { libdeflate_zlib_compress_bound($0, raw.count) } ?? 0)
        for start in stride(from: 0, to: rows, by: chunkRows) {
            raw.withUnsafeMutableBytes { raw in
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                for row in start..<min(start + chunkRows, rows) {
                    fill(row, raw.baseAddress! + (row - start) * rowBytes)
                }
            }
            guard let compressor else {
                chunks.append(raw)
                continue
            }
            let length = compressed.withUnsafeMutableBytes { output in
                raw.withUnsafeBytes { input in
                    libdeflate_zlib_compress(compressor, input.baseAddress, input.count, output.baseAddress, output.count)
                }
            }
            precondition(length > 0, "libdeflate failed on a buffer of its own bound")
            chunks.append(Array(compressed[..<length]))
        }
    }

    /// Writes the dataset into `file`.
    func write(to file: HDF5File) throws {
        let dataset = try file.createDataset(name, type: type, shape: shape, chunkRows: chunkRows,
                                             compressionLevel: compressionLevel)
        for (index, chunk) in chunks.enumerated() {
            try chunk.withUnsafeBytes { try dataset.writeChunk(startingAt: index * chunkRows, bytes: $0) }
        }
    }
}
