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

    @Test(arguments: [4096, 1 << 20])
    func aByteRangeGivesItsLinesAndWhereEachStarts(chunk: Int) throws {
        let lines = (0..<2000).map { "line \($0) " + String(repeating: "x", count: $0 % 23) }
        let text = Array(lines.map { $0 + "\r\n" }.joined().utf8)
        let path = write(text)
        let starts = lines.indices.map { index in lines[..<index].map { $0.utf8.count + 2 }.reduce(0, +) }
        let reader = try LineReader(path: path, bytes: starts[700]..<starts[1500], chunkSize: chunk)
        var read: [(String, Int)] = []
        while let line = try reader.next({ String(decoding: $0, as: UTF8.self) }) { read.append((line, reader.lineOffset)) }
        #expect(read.map(\.0) == Array(lines[700..<1500]))
        #expect(read.map(\.1) == Array(starts[700..<1500]))
        #expect(reader.bytesRead == starts[1500] - starts[700])
        #expect(reader.place(ofLine: 3) == "line 3 from byte \(starts[700])")
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
