import Testing
import TestSupport
@testable import Support
#if canImport(Glibc)
import Glibc
#endif

@Suite struct OutputFileTests {
    @Test func nothingAppearsUntilCommit() throws {
        let directory = TestFiles.temporaryDirectory()
        let path = directory + "/out.txt"
        let file = try OutputFile(path: path, overwrite: false)
        try file.write("hello ")
        try file.write(Array("world".utf8))
        #expect(!FileSystem.exists(path))
        #expect(FileSystem.exists(file.temporaryPath))
        try file.commit()
        #expect(TestFiles.read(path) == Array("hello world".utf8))
        #expect(!FileSystem.exists(file.temporaryPath))
        #expect(file.bytesWritten == 11)
    }

    @Test func abandonedFileLeavesNothingBehind() throws {
        let directory = TestFiles.temporaryDirectory()
        let path = directory + "/out.txt"
        var temporary = ""
        do {
            let file = try OutputFile(path: path, overwrite: false)
            temporary = file.temporaryPath
            try file.write("partial")
        }
        #expect(!FileSystem.exists(path))
        #expect(!FileSystem.exists(temporary))
        #expect(FileSystem.isEmptyDirectory(directory))
    }

    @Test func existingFileNeedsOverwrite() throws {
        let directory = TestFiles.temporaryDirectory()
        let path = directory + "/out.txt"
        let first = try OutputFile(path: path, overwrite: false)
        try first.write("one")
        try first.commit()
        #expect(throws: BERTKitError.self) { try OutputFile(path: path, overwrite: false) }
        let second = try OutputFile(path: path, overwrite: true)
        try second.write("two")
        try second.commit()
        #expect(TestFiles.read(path) == Array("two".utf8))
    }

    @Test func unwritableDirectoryIsAClearError() {
        do {
            _ = try OutputFile(path: "/nonexistent-dir/out.txt", overwrite: false)
            Issue.record("expected an error")
        } catch let error as BERTKitError {
            #expect(error.description.hasPrefix("/nonexistent-dir/out.txt: cannot create"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

@Suite struct FormattingTests {
    @Test func durations() {
        #expect(Formatting.duration(4.24) == "4.2s")
        #expect(Formatting.duration(185) == "3m05s")
        #expect(Formatting.duration(3720) == "1h02m")
    }

    @Test func numbersAndBytes() {
        #expect(Formatting.fixed(3.14159, 2) == "3.14")
        #expect(Formatting.fixed(-0.05, 1) == "-0.1")
        #expect(Formatting.fixed(2, 0) == "2")
        #expect(Formatting.bytes(999) == "999 B")
        #expect(Formatting.bytes(12_345_678) == "12.3 MB")
    }
}
