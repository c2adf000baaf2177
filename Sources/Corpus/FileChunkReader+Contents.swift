import Support

extension FileChunkReader {
    /// The whole content of a small file (a parameter file), with errors that name it.
    static func contents(of path: String) throws -> [UInt8] {
        if FileSystem.isDirectory(path) { throw BERTKitError(file: path, "is a directory, not a file") }
        let reader = try FileChunkReader(path: path)
        var bytes: [UInt8] = []
        while true {
            let chunk = try reader.read()
            if chunk.isEmpty { return bytes }
            bytes += chunk
        }
    }
}
