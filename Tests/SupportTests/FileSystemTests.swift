#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support
import TestSupport
import Testing

@Suite struct FileSystemTests {
    /// A tree holding a file, a nested directory and a link to a directory outside it: all of
    /// it goes, the link's target stays.
    @Test func removeTreeRemovesEverythingInsideButNotWhatALinkPointsTo() throws {
        let root = TestFiles.temporaryDirectory()
        let outside = TestFiles.temporaryFile([1, 2], name: "kept")
        try FileSystem.createDirectory(root + "/tree/nested")
        TestFiles.write([3], to: root + "/tree/file")
        TestFiles.write([4], to: root + "/tree/nested/.hidden")
        #expect(symlink(FileSystem.split(outside).directory, root + "/tree/nested/link") == 0)
        try FileSystem.removeTree(root + "/tree")
        #expect(try FileSystem.contents(of: root).isEmpty)
        #expect(TestFiles.read(outside) == [1, 2])
    }

    @Test func removeTreeOfNothingNamesThePath() {
        let path = TestFiles.temporaryDirectory() + "/absent"
        let error = #expect(throws: BERTKitError.self) { try FileSystem.removeTree(path) }
        #expect(error?.file == path && error?.message.hasPrefix("cannot remove") == true)
    }
}
