import Tensor

/// The tables the optimizer kernels read, for one list of parameter segments: the segments
/// cut into chunks of at most 16,384 elements (the CPU backend's chunks, so LAMB's norms add
/// the same partial sums in the same order), one thread block per chunk.
///
/// Device memory: chunks int64 [3·chunks] (segment, first element, end); decays int32
/// [segments]; firstChunk, chunkCount int32 [segments]; squares double [2·chunks] (LAMB's
/// per-chunk Σp², Σu²); rates float [segments].
final class OptimizerPlan {
    /// The segments the tables were made for.
    let segments: [ParameterSegment]
    /// The number of chunks.
    let chunkCount: Int
    let chunks: Storage, decays: Storage, firstChunk: Storage, chunkCounts: Storage
    let squares: Storage, rates: Storage

    /// The most elements in a chunk (CPUBackend's `grain`).
    static let chunkSize = 1 << 14

    /// Cuts `segments`, which must lie in order within buffers of `count` elements, into
    /// chunks and uploads the tables to `backend`.
    init(segments: [ParameterSegment], count: Int, backend: CUDABackend) {
        self.segments = segments
        let tables = Self.tables(segments, count: count)
        chunkCount = tables.chunks.count / 3
        chunks = backend.upload(tables.chunks)
        decays = backend.upload(segments.map { Int32($0.decays ? 1 : 0) })
        firstChunk = backend.upload(tables.firstChunk)
        chunkCounts = backend.upload(tables.chunkCounts)
        squares = backend.upload([Double](repeating: 0, count: 2 * max(chunkCount, 1)))
        rates = backend.upload([Float](repeating: 0, count: max(segments.count, 1)))
    }

    /// The chunk table (segment, first element, end for each chunk) and, for each segment, its
    /// first chunk and its number of chunks; checks that the segments lie in order within
    /// buffers of `count` elements.
    static func tables(_ segments: [ParameterSegment], count: Int) -> (chunks: [Int64], firstChunk: [Int32], chunkCounts: [Int32]) {
        var table: [Int64] = [], first: [Int32] = [], counts: [Int32] = []
        var end = 0
        for (index, segment) in segments.enumerated() {
            precondition(segment.offset >= end && segment.elements.upperBound <= count,
                         "optimizer: segment \(index) \(segment.elements) overlaps the one before or exceeds \(count) elements")
            first.append(Int32(table.count / 3))
            for start in stride(from: segment.offset, to: segment.elements.upperBound, by: chunkSize) {
                table += [Int64(index), Int64(start), Int64(min(start + chunkSize, segment.elements.upperBound))]
            }
            counts.append(Int32(table.count / 3) - first.last!)
            end = segment.elements.upperBound
        }
        return (table, first, counts)
    }
}
