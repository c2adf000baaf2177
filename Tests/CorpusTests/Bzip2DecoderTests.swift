import Testing
@testable import Corpus

@Suite struct Bzip2DecoderTests {
    let text = Array(String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 5000).utf8)

    func decode(_ compressed: [UInt8], chunk size: Int) -> ([UInt8], Bzip2Decoder) {
        let decoder = Bzip2Decoder()
        var output: [UInt8] = []
        var start = 0
        while start < compressed.count && decoder.damage == nil {
            output += decoder.decode(Array(compressed[start..<min(start + size, compressed.count)]))
            start += size
        }
        decoder.finish()
        return (output, decoder)
    }

    @Test(arguments: [13, 4096, 1 << 20])
    func concatenatedStreamsDecodeWhole(size: Int) {
        let compressed = DumpFixtures.bzip2(text) + DumpFixtures.bzip2(Array("second stream".utf8))
        let (output, decoder) = decode(compressed, chunk: size)
        #expect(output == text + Array("second stream".utf8))
        #expect(decoder.damage == nil)
    }

    @Test func truncationIsReported() {
        let compressed = DumpFixtures.bzip2(text)
        let (_, decoder) = decode(Array(compressed.dropLast(20)), chunk: 4096)
        #expect(decoder.damage?.contains("truncated") == true)
    }

    @Test func corruptionIsReported() {
        var compressed = DumpFixtures.bzip2(text)
        for index in stride(from: 100, to: 140, by: 1) { compressed[index] ^= 0x5A }
        let (_, decoder) = decode(compressed, chunk: 4096)
        #expect(decoder.damage != nil)
    }

    @Test func streamStartsAreFound() {
        let first = DumpFixtures.bzip2(text)
        let both = first + DumpFixtures.bzip2(text)
        #expect(DumpDecoder.isStreamStart(both, at: 0))
        #expect(DumpDecoder.lastStreamStart(in: both) == first.count)
        #expect(DumpDecoder.lastStreamStart(in: first) == nil)
    }
}
