import Distributed
import Support
import Testing
import TestSupport

extension DistributedTests {
    /// A process alone writes the output file itself: no part, no copy. (Parts joined across
    /// processes are tested under `mpirun` in tests/cli/test_mpi_cli.py.)
    @Suite struct SharedOutputFileTests {
        @Test func aloneThePartIsTheFile() throws {
            let directory = TestFiles.temporaryDirectory()
            let path = directory + "/docs.jsonl"
            let file = try SharedOutputFile(path: path, overwrite: false, communicator: SingleProcessCommunicator())
            #expect(file.part.path == path)
            try file.part.write("one\ntwo\n")
            try file.commit()
            #expect(TestFiles.read(path) == Array("one\ntwo\n".utf8))
            #expect(try FileSystem.contents(of: directory) == ["docs.jsonl"])
        }

        @Test func refusesAnExistingFileUnlessOverwriting() throws {
            let path = TestFiles.temporaryDirectory() + "/docs.jsonl"
            let first = try SharedOutputFile(path: path, overwrite: false, communicator: SingleProcessCommunicator())
            try first.commit()
            #expect(throws: BERTKitError.self) {
                _ = try SharedOutputFile(path: path, overwrite: false, communicator: SingleProcessCommunicator())
            }
            let second = try SharedOutputFile(path: path, overwrite: true, communicator: SingleProcessCommunicator())
            try second.part.write("replaced")
            try second.commit()
            #expect(TestFiles.read(path) == Array("replaced".utf8))
        }
    }
}
