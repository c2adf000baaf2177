#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Temporary directories and whole-file reads and writes for the tests of every module.
public enum TestFiles {
    /// A fresh, empty directory under /tmp.
    public static func temporaryDirectory() -> String {
        var template = Array("/tmp/bertkit-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    }

    /// Writes `bytes` to `path`, replacing what was there.
    public static func write(_ bytes: [UInt8], to path: String) {
        let handle = fopen(path, "wb")!
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        fclose(handle)
    }

    /// Writes `bytes` to a file named `name` in a fresh temporary directory; returns its path.
    public static func temporaryFile(_ bytes: [UInt8], name: String = "file.txt") -> String {
        let path = temporaryDirectory() + "/" + name
        write(bytes, to: path)
        return path
    }

    /// The bytes of the file at `path`, or nil if it cannot be opened.
    public static func read(_ path: String) -> [UInt8]? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }

    /// The text of the file at `path` ("" if it cannot be opened).
    public static func readString(_ path: String) -> String {
        String(decoding: read(path) ?? [], as: UTF8.self)
    }
}
