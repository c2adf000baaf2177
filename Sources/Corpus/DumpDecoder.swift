import Support

/// Reads a dump file and hands its decompressed bytes on in order: plain XML as it is,
/// bzip2 through `Bzip2Decoder`; multistream bzip2 with several threads decompressing
/// independent streams at once. It decodes the whole file, or a byte range of it that starts
/// at the file's start or at a place where decoding can begin (`DumpCutFinder`'s cuts).
struct DumpDecoder {
    /// Where decoding stands, for progress lines.
    struct Position {
        /// Bytes of the file (of the range, when decoding one) read so far.
        var fileOffset: Int
        /// The size of the file (of the range), if known.
        var fileSize: Int?
    }

    let path: String
    let threads: Int
    /// The bytes of the file to decode, or nil for all of them.
    var range: Range<Int>? = nil

    /// Calls `body` with each decompressed chunk and the position reached.
    /// - Returns: a description of damage that stopped decoding early, or nil.
    func forEachChunk(_ body: ([UInt8], Position) throws -> Void) throws -> String? {
        let reader = try FileChunkReader(path: path, range: range)
        let start = reader.offset
        let size = range?.count ?? FileSystem.size(path)
        let position = { (offset: Int) in Position(fileOffset: offset - start, fileSize: size) }
        if !Self.isBzip2(reader.peek(4)) {
            while true {
                let chunk = try reader.read()
                if chunk.isEmpty { return nil }
                try body(chunk, position(reader.offset))
            }
        }
        // Several threads pay only where the file has many streams to decode independently.
        if threads > 1, Self.hasLaterStream(reader) {
            return try decodeMultistream(reader, position: position, body)
        }
        // One stream: decompress on a thread of its own, ahead of the caller's parsing.
        let decoder = Bzip2Decoder(offset: start)
        try OrderedPipeline.run(
            workers: 1, maxInFlight: 4,
            produce: { emit in
                while decoder.damage == nil {
                    let chunk = try reader.read()
                    if chunk.isEmpty { break }
                    let decoded = decoder.decode(chunk)
                    if !decoded.isEmpty { try emit((decoded, position(reader.offset))) }
                }
                decoder.finish()
            },
            transform: { $0 },
            consume: { try body($0.0, $0.1) })
        return decoder.damage
    }

    /// Decompresses segments of whole bzip2 streams on `threads` workers, in order.
    ///
    /// The file is cut only where a new stream begins ("BZh", level, block magic), so a
    /// segment that starts and ends at stream starts decodes on its own. Where no stream
    /// start is found within a segment's length (an ordinary single-stream file), segments
    /// pass through undecoded and are decompressed in order as one continuing stream.
    /// `position` makes the progress position of a file offset.
    private func decodeMultistream(_ reader: FileChunkReader, position: (Int) -> Position,
                                   _ body: ([UInt8], Position) throws -> Void) throws -> String? {
        struct Segment { var bytes: [UInt8]; var start: Int; var independent: Bool }
        struct Decoded { var bytes: [UInt8]; var start: Int; var end: Int; var raw: Bool; var damage: String? }
        let segmentSize = Self.segmentSize
        var damage: String?
        var continuing: Bzip2Decoder?

        try OrderedPipeline.run(
            workers: threads, maxInFlight: threads * 2,
            produce: { emit in
                var pending: [UInt8] = []
                var pendingStart = reader.offset
                var atEnd = false
                while !atEnd {
                    let chunk = try reader.read()
                    atEnd = chunk.isEmpty
                    pending.append(contentsOf: chunk)
                    while pending.count >= segmentSize || (atEnd && !pending.isEmpty) {
                        let nextStart = Self.lastStreamStart(in: pending)
                        let cut = atEnd ? pending.count : (nextStart ?? segmentSize)
                        let independent = Self.isStreamStart(pending, at: 0) && (atEnd || nextStart != nil)
                        try emit(Segment(bytes: Array(pending[0..<cut]), start: pendingStart, independent: independent))
                        pending.removeFirst(cut)
                        pendingStart += cut
                    }
                }
            },
            transform: { (segment: Segment) -> Decoded in
                let end = segment.start + segment.bytes.count
                guard segment.independent else {
                    return Decoded(bytes: segment.bytes, start: segment.start, end: end, raw: true)
                }
                let decoder = Bzip2Decoder()
                let bytes = decoder.decode(segment.bytes)
                decoder.finish()
                return Decoded(bytes: bytes, start: segment.start, end: end, raw: false,
                               damage: decoder.damage.map { "\($0) (in the streams from byte \(segment.start))" })
            },
            consume: { decoded in
                guard damage == nil else { return }
                var bytes = decoded.bytes
                if decoded.raw {
                    let decoder = continuing ?? Bzip2Decoder(offset: decoded.start)
                    bytes = decoder.decode(decoded.bytes)
                    continuing = decoder
                    damage = decoder.damage
                } else {
                    if let decoder = continuing {
                        decoder.finish()
                        damage = decoder.damage
                        continuing = nil
                        if damage != nil { return }
                    }
                    damage = decoded.damage
                }
                if !bytes.isEmpty { try body(bytes, position(decoded.end)) }
            })
        if damage == nil, let decoder = continuing {
            decoder.finish()
            damage = decoder.damage
        }
        return damage
    }

    /// The compressed bytes a multistream segment holds at least (or at most, when it
    /// cannot be cut at a stream start).
    static let segmentSize = 1 << 20

    /// Whether `head`, the first bytes of a file, begins as bzip2 data: "BZh" and a level digit.
    static func isBzip2(_ head: [UInt8]) -> Bool {
        head.count >= 4 && head[0] == 0x42 && head[1] == 0x5A && head[2] == 0x68 && (0x31...0x39).contains(head[3])
    }

    /// Whether another bzip2 stream starts within a segment's length of where `reader`
    /// stands (a multistream file), reading nothing.
    static func hasLaterStream(_ reader: FileChunkReader) -> Bool {
        lastStreamStart(in: reader.peek(segmentSize + 10)) != nil
    }

    /// Whether a bzip2 stream starts at `offset`: "BZh", a level digit, the block magic.
    static func isStreamStart(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset + 10 <= bytes.count else { return false }
        return bytes[offset] == 0x42 && bytes[offset + 1] == 0x5A && bytes[offset + 2] == 0x68
            && (0x31...0x39).contains(bytes[offset + 3])
            && bytes[offset + 4] == 0x31 && bytes[offset + 5] == 0x41 && bytes[offset + 6] == 0x59
            && bytes[offset + 7] == 0x26 && bytes[offset + 8] == 0x53 && bytes[offset + 9] == 0x59
    }

    /// The offset of the first stream start in `bytes` at or after `start`, or nil.
    static func firstStreamStart(in bytes: [UInt8], from start: Int) -> Int? {
        var candidate = start
        while let found = bytes.withUnsafeBufferPointer({ ByteSearch.index(of: 0x42, in: $0, from: candidate) }) {
            if isStreamStart(bytes, at: found) { return found }
            candidate = found + 1
        }
        return nil
    }

    /// The offset of the last stream start in `bytes`, not counting one at offset 0.
    static func lastStreamStart(in bytes: [UInt8]) -> Int? {
        var offset = bytes.count - 10
        while offset >= 1 {
            if bytes[offset] == 0x42 && isStreamStart(bytes, at: offset) { return offset }
            offset -= 1
        }
        return nil
    }
}
