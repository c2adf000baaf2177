import Support

/// Reads a dump file and hands its decompressed bytes on in order: plain XML as it is,
/// bzip2 through `Bzip2Decoder`; multistream bzip2 with several threads decompressing
/// independent streams at once.
struct DumpDecoder {
    /// Where decoding stands, for progress lines.
    struct Position {
        /// Bytes of the file read so far.
        var fileOffset: Int
        /// The file's size, if known.
        var fileSize: Int?
    }

    let path: String
    let threads: Int

    /// Calls `body` with each decompressed chunk and the position reached.
    /// - Returns: a description of damage that stopped decoding early, or nil.
    func forEachChunk(_ body: ([UInt8], Position) throws -> Void) throws -> String? {
        let reader = try FileChunkReader(path: path)
        let size = FileSystem.size(path)
        let head = reader.peek(4)
        let isBzip2 = head.count == 4 && head[0] == 0x42 && head[1] == 0x5A && head[2] == 0x68 && (0x31...0x39).contains(head[3])
        if !isBzip2 {
            while true {
                let chunk = try reader.read()
                if chunk.isEmpty { return nil }
                try body(chunk, Position(fileOffset: reader.offset, fileSize: size))
            }
        }
        // Several threads pay only where the file has many streams to decode independently.
        if threads > 1, Self.lastStreamStart(in: reader.peek(Self.segmentSize + 10)) != nil {
            return try decodeMultistream(reader, size: size, body)
        }
        // One stream: decompress on a thread of its own, ahead of the caller's parsing.
        let decoder = Bzip2Decoder()
        try OrderedPipeline.run(
            workers: 1, maxInFlight: 4,
            produce: { emit in
                while decoder.damage == nil {
                    let chunk = try reader.read()
                    if chunk.isEmpty { break }
                    let decoded = decoder.decode(chunk)
                    if !decoded.isEmpty { try emit((decoded, Position(fileOffset: reader.offset, fileSize: size))) }
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
    private func decodeMultistream(_ reader: FileChunkReader, size: Int?, _ body: ([UInt8], Position) throws -> Void) throws -> String? {
        struct Segment { var bytes: [UInt8]; var start: Int; var independent: Bool }
        struct Decoded { var bytes: [UInt8]; var start: Int; var end: Int; var raw: Bool; var damage: String? }
        let segmentSize = Self.segmentSize
        var damage: String?
        var continuing: Bzip2Decoder?

        try OrderedPipeline.run(
            workers: threads, maxInFlight: threads * 2,
            produce: { emit in
                var pending: [UInt8] = []
                var pendingStart = 0
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
                    let decoder = continuing ?? Bzip2Decoder()
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
                if !bytes.isEmpty { try body(bytes, Position(fileOffset: decoded.end, fileSize: size)) }
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

    /// Whether a bzip2 stream starts at `offset`: "BZh", a level digit, the block magic.
    static func isStreamStart(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset + 10 <= bytes.count else { return false }
        return bytes[offset] == 0x42 && bytes[offset + 1] == 0x5A && bytes[offset + 2] == 0x68
            && (0x31...0x39).contains(bytes[offset + 3])
            && bytes[offset + 4] == 0x31 && bytes[offset + 5] == 0x41 && bytes[offset + 6] == 0x59
            && bytes[offset + 7] == 0x26 && bytes[offset + 8] == 0x53 && bytes[offset + 9] == 0x59
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
