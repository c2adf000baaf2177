import Testing
@testable import Support

@Suite struct UTF8SanitizerTests {
    /// Feeds `bytes` in chunks of `size` and returns the output.
    func convert(_ bytes: [UInt8], chunk size: Int, detectEncoding: Bool = true) -> ([UInt8], UTF8Sanitizer) {
        var sanitizer = UTF8Sanitizer(detectEncoding: detectEncoding)
        var output: [UInt8] = []
        var start = 0
        while start < bytes.count {
            output += sanitizer.convert(Array(bytes[start..<min(start + size, bytes.count)]))
            start += size
        }
        output += sanitizer.convert([], final: true)
        return (output, sanitizer)
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func validTextPassesUnchangedWhateverTheChunks(size: Int) {
        let text = Array("plain ASCII, é, 東京, 𝄞 and more text after the multi-byte ones".utf8)
        let (output, sanitizer) = convert(text, chunk: size)
        #expect(output == text)
        #expect(sanitizer.replacements == 0)
    }

    @Test(arguments: [1, 2, 5, 1000])
    func invalidSequencesAreReplaced(size: Int) {
        // A lone continuation byte, a truncated 3-byte sequence, an overlong encoding, a surrogate.
        let bytes: [UInt8] = Array("a".utf8) + [0x80] + Array("b".utf8) + [0xE6, 0x9D] + Array("c".utf8)
            + [0xC0, 0xAF] + [0xED, 0xA0, 0x80] + Array("d".utf8)
        let (output, sanitizer) = convert(bytes, chunk: size)
        // Maximal subparts, as Unicode recommends: C0 AF is two errors, ED A0 80 three.
        #expect(String(decoding: output, as: UTF8.self) == "a\u{FFFD}b\u{FFFD}c" + String(repeating: "\u{FFFD}", count: 5) + "d")
        #expect(sanitizer.firstReplacementOffset == 1)
        #expect(sanitizer.replacements == 7)
    }

    @Test func randomBytesDecodeAsTheStandardLibraryDoes() {
        // Seeded, so that a failure repeats; the encoding is UTF-8 from the start, because
        // random bytes that begin FF FE or FE FF are, rightly, read as UTF-16.
        var generator = SeededGenerator(seed: 20261122)
        for round in 0..<200 {
            // Mostly multi-byte lead and continuation bytes, to hit every error path.
            let bytes = (0..<(50 + round)).map { _ -> UInt8 in
                let pick = UInt8.random(in: 0...3, using: &generator)
                return pick == 0 ? UInt8.random(in: 0x20...0x7F, using: &generator) : UInt8.random(in: 0x80...0xFF, using: &generator)
            }
            let (output, _) = convert(bytes, chunk: 1 + round % 7, detectEncoding: false)
            #expect(output == Array(String(decoding: bytes, as: UTF8.self).utf8))
        }
    }

    @Test func truncatedSequenceAtTheEndIsReplaced() {
        let (output, sanitizer) = convert(Array("end".utf8) + [0xF0, 0x9D], chunk: 2)
        #expect(String(decoding: output, as: UTF8.self) == "end\u{FFFD}")
        #expect(sanitizer.replacements == 1)
    }

    @Test(arguments: [1, 3, 1000])
    func utf16IsTranscoded(size: Int) {
        let text = "UTF-16: é 東京 𝄞"
        let little: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let (output, sanitizer) = convert(little, chunk: size)
        #expect(String(decoding: output, as: UTF8.self) == text)
        #expect(sanitizer.encoding == .utf16LittleEndian)
        let lone: [UInt8] = [0xFE, 0xFF, 0xD8, 0x00, 0x00, 0x41]
        #expect(String(decoding: convert(lone, chunk: size).0, as: UTF8.self) == "\u{FFFD}A")
    }

    @Test func byteOrderMarkOfUTF8IsDropped() {
        let (output, _) = convert([0xEF, 0xBB, 0xBF] + Array("<x/>".utf8), chunk: 2)
        #expect(output == Array("<x/>".utf8))
    }
}
