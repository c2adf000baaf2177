import Testing
import TestSupport
@testable import Support
#if canImport(Glibc)
import Glibc
#endif

@Suite struct LineReaderTests {
    func write(_ bytes: [UInt8]) -> String { TestFiles.temporaryFile(bytes, name: "lines.txt") }

    func lines(_ path: String, chunk: Int, maximum: Int = 10_000_000) throws -> [String] {
        let reader = try LineReader(path: path, maximumLineLength: maximum, chunkSize: chunk)
        var result: [String] = []
        while let line = try reader.next({ String(decoding: $0, as: UTF8.self) }) { result.append(line) }
        return result
    }

    @Test(arguments: [4096, 5000, 1 << 20])
    func linesSurviveChunkBoundaries(chunk: Int) throws {
        let expected = (0..<3000).map { "line \($0) " + String(repeating: "x", count: $0 % 37) }
        let path = write(Array((expected.joined(separator: "\n") + "\n").utf8))
        #expect(try lines(path, chunk: chunk) == expected)
    }

    @Test func lastLineWithoutNewlineAndCRLF() throws {
        let path = write(Array("one\r\ntwo\n\nthree".utf8))
        #expect(try lines(path, chunk: 4096) == ["one", "two", "", "three"])
    }

    @Test func longLinesGrowTheBufferUpToTheLimit() throws {
        let long = String(repeating: "y", count: 20_000)
        let path = write(Array("short\n\(long)\nend\n".utf8))
        #expect(try lines(path, chunk: 4096, maximum: 50_000) == ["short", long, "end"])
        do {
            _ = try lines(path, chunk: 4096, maximum: 10_000)
            Issue.record("expected an error")
        } catch let error as BERTKitError {
            #expect(error.file == path)
            #expect(error.place == "line 2")
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: BERTKitError.self) { try LineReader(path: "/nonexistent/file.txt") }
    }
}
