import Testing
import TestSupport
import Support
@testable import Tokenizers

@Suite struct LineTokenizerTests {
    func run(_ input: [UInt8], tokens: Bool = true, offsets: Bool = false, threads: Int = 2) throws -> (String, LineTokenizer.Summary) {
        var options = LineTokenizer.Options()
        options.tokens = tokens
        options.offsets = offsets
        options.threads = threads
        let tokenizer = try BertWordPieceTokenizer(vocabulary: testVocabulary())
        var output: [UInt8] = []
        let summary = try LineTokenizer(tokenizer: tokenizer, options: options)
            .run(inputs: [TestFiles.temporaryFile(input)], write: { output += $0 }, progress: ProgressReporter(enabled: false))
        return (String(decoding: output, as: UTF8.self), summary)
    }

    @Test func writesOneLinePerInputLine() throws {
        let (output, summary) = try run(Array("Hello, world!\n\nbanana\nxyz".utf8))
        #expect(output == "hello , world !\n\nba ##na ##na\n[UNK]\n")
        #expect(summary.lines == 4)
        #expect(summary.tokens == 8)
    }

    @Test func writesIdsAndOffsets() throws {
        let (output, _) = try run(Array("café hello\n".utf8), tokens: false, offsets: true)
        #expect(output == "17 5\t0:4 5:10\n")
    }

    @Test func replacesAndCountsInvalidUTF8() throws {
        let (output, summary) = try run([0x68, 0x65, 0x6C, 0x6C, 0x6F, 0xFF, 0x0A, 0xC3, 0x0A, 0x61])
        #expect(output == "hello\n\na\n")
        #expect(summary.invalidUTF8Replaced.map(\.count) == [2])
    }

    @Test func keepsOrderAcrossManyChunks() throws {
        let lines = (0..<30000).map { ["hello world", "banana", "", "café"][$0 % 4] }
        let (output, summary) = try run(Array(lines.joined(separator: "\n").utf8), threads: 4)
        let expected = lines.map { ["hello world", "ba ##na ##na", "", "cafe"][["hello world", "banana", "", "café"].firstIndex(of: $0)!] }
        #expect(output == expected.joined(separator: "\n") + "\n")
        #expect(summary.lines == lines.count)
    }
}

@Suite struct LineChunkReaderTests {
    func chunks(_ text: String, chunkSize: Int) throws -> [String] {
        let reader = try LineChunkReader(path: TestFiles.temporaryFile(Array(text.utf8)), chunkSize: chunkSize)
        var chunks: [String] = []
        while let chunk = try reader.read() { chunks.append(String(decoding: chunk, as: UTF8.self)) }
        return chunks
    }

    @Test func chunksEndAtLineFeeds() throws {
        #expect(try chunks("ab\ncd\nef\n", chunkSize: 4) == ["ab\n", "cd\n", "ef\n"])
        #expect(try chunks("a\nb\nc", chunkSize: 100) == ["a\nb\n", "c"])
    }

    @Test func linesLongerThanAChunkStayWhole() throws {
        #expect(try chunks("abcdefghij\nk\n", chunkSize: 3) == ["abcdefghij\n", "k\n"])
    }

    @Test func emptyFilesHaveNoChunks() throws {
        #expect(try chunks("", chunkSize: 8).isEmpty)
    }

    @Test func missingFilesAndDirectoriesAreErrors() throws {
        #expect(throws: BERTKitError.self) { try LineChunkReader(path: "/nonexistent/file.txt") }
        #expect(throws: BERTKitError.self) { try LineChunkReader(path: "/tmp") }
    }
}
