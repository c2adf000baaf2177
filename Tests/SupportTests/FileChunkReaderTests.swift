import Support
import TestSupport
import Testing

@Suite struct FileChunkReaderTests {
    /// A range is read from its start to its end, in chunks, the offset counted in the file.
    @Test func rangeIsReadFromItsStartToItsEnd() throws {
        let bytes = (0..<100).map { UInt8($0) }
        let path = TestFiles.temporaryFile(bytes, name: "bytes")
        let reader = try FileChunkReader(path: path, chunkSize: 16, range: 30..<75)
        #expect(reader.offset == 30)
        #expect(reader.peek(100) == Array(bytes[30..<75]))
        var read: [UInt8] = []
        while true {
            let chunk = try reader.read()
            if chunk.isEmpty { break }
            #expect(chunk.count <= 16)
            read += chunk
        }
        #expect(read == Array(bytes[30..<75]))
        #expect(reader.offset == 75)
        #expect(reader.peek(4).isEmpty)
    }

    @Test func withoutARangeTheWholeFileIsRead() throws {
        let bytes = (0..<50).map { UInt8($0) }
        let reader = try FileChunkReader(path: TestFiles.temporaryFile(bytes, name: "bytes"), chunkSize: 64)
        #expect(try reader.read() == bytes)
        #expect(try reader.read().isEmpty)
    }
}
