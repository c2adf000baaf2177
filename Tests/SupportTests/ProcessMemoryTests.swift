import Testing
import Support

@Suite struct ProcessMemoryTests {
    /// The peak covers memory the process holds now and never comes down (Linux only).
    @Test(.enabled(if: FileSystem.exists("/proc/self/status")))
    func peakResidentSetCoversTouchedMemory() throws {
        let before = try #require(ProcessMemory.peakResidentBytes)
        let size = 64 << 20
        var bytes = [UInt8](repeating: 1, count: size)
        bytes[size - 1] = 2
        let after = try #require(ProcessMemory.peakResidentBytes)
        #expect(after >= before && after >= size, "peak \(before) then \(after) holding \(bytes.count) bytes")
    }
}
