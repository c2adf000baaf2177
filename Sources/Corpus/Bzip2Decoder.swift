import CBzip2
import Support

/// Decompresses bzip2 data fed in chunks, including multistream files (many bzip2 streams
/// concatenated, as Wikimedia's "multistream" dumps are).
///
/// Damage is not thrown: `decode` returns what could be decompressed and sets `damage`, so
/// that every complete page before the fault can still be extracted.
final class Bzip2Decoder {
    private var stream = bz_stream()
    private var active = false
    private var output = [UInt8](repeating: 0, count: 1 << 20)
    /// The offset in the file of the next compressed byte.
    private(set) var compressedOffset: Int
    /// Set once the data is found damaged: what is wrong and where (compressed byte offset).
    private(set) var damage: String?
    /// Whether the decoder sits exactly between streams (nothing of a stream pending).
    private(set) var atStreamBoundary = true

    /// A decoder of the compressed bytes that start at `offset` in their file (the offset
    /// that messages name).
    init(offset: Int = 0) {
        compressedOffset = offset
    }

    deinit { if active { BZ2_bzDecompressEnd(&stream) } }

    /// Decompresses one chunk of compressed bytes, returning the decompressed bytes.
    func decode(_ input: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var position = 0
        var outputFull = false
        while (position < input.count || (active && outputFull)) && damage == nil {
            if !active {
                // A new stream must start with the bzip2 signature "BZh1".."BZh9"; allow
                // zero padding between streams, as some writers leave it.
                if atStreamBoundary && input[position] == 0 { position += 1; compressedOffset += 1; continue }
                guard BZ2_bzDecompressInit(&stream, 0, 0) == BZ_OK else {
                    damage = "cannot start the bzip2 decoder"
                    break
                }
                active = true
                atStreamBoundary = false
            }
            let (consumed, produced, status) = input.withUnsafeBufferPointer { inputBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.next_in = UnsafeMutableRawPointer(mutating: inputBuffer.baseAddress.map { $0 + position })?
                        .assumingMemoryBound(to: CChar.self)
                    stream.avail_in = UInt32(input.count - position)
                    stream.next_out = UnsafeMutableRawPointer(outputBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    stream.avail_out = UInt32(outputBuffer.count)
                    let status = BZ2_bzDecompress(&stream)
                    let produced = outputBuffer.count - Int(stream.avail_out)
                    result.append(contentsOf: outputBuffer[0..<produced])
                    return (input.count - position - Int(stream.avail_in), produced, status)
                }
            }
            position += consumed
            compressedOffset += consumed
            outputFull = produced == output.count
            switch status {
            case BZ_OK:
                continue
            case BZ_STREAM_END:
                BZ2_bzDecompressEnd(&stream)
                active = false
                atStreamBoundary = true
            case BZ_DATA_ERROR_MAGIC:
                damage = "not bzip2 data at compressed byte \(compressedOffset)"
            case BZ_DATA_ERROR:
                damage = "corrupt bzip2 data near compressed byte \(compressedOffset)"
            case BZ_MEM_ERROR:
                damage = "out of memory in the bzip2 decoder"
            default:
                damage = "bzip2 decoder error \(status) near compressed byte \(compressedOffset)"
            }
        }
        return result
    }

    /// Reports truncation if the input ended inside a stream.
    func finish() {
        if damage == nil && !atStreamBoundary {
            damage = "the bzip2 data ends in the middle of a stream (truncated file, \(compressedOffset) bytes)"
        }
    }
}
