import Support

/// Compiled kernels kept on disk between runs: one cubin per kernel file and architecture,
/// named `<key>-<architecture>.cubin`, the key being the SHA-256 of everything the
/// compilation depends on (the file's text, the shared header's, NVRTC's version and the
/// options), so that a changed source or compiler never meets a stale cubin.
///
/// The directory is $XDG_CACHE_HOME/bertkit/kernels, else ~/.cache/bertkit/kernels. Files are
/// written to a temporary name and renamed, so that concurrent runs never read half a file.
public struct KernelCache: Sendable {
    /// The directory holding the cubins.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The cache of an environment's XDG_CACHE_HOME or HOME; nil when neither is set.
    public init?(environment: [String: String]) {
        if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            self.init(directory: cache + "/bertkit/kernels")
        } else if let home = environment["HOME"], !home.isEmpty {
            self.init(directory: home + "/.cache/bertkit/kernels")
        } else {
            return nil
        }
    }

    /// The key of compiling `source` (with `header`) by NVRTC `compilerVersion` with `options`:
    /// lowercase hexadecimal SHA-256.
    public static func key(source: KernelSource, header: KernelSource, compilerVersion: String, options: [String]) -> String {
        let digest = Digest(.sha256)
        // Each part is followed by a NUL, which none holds, so that parts cannot run into each other.
        for part in [source.name, source.text, header.name, header.text, compilerVersion] + options {
            digest.update(Array(part.utf8) + [0])
        }
        return digest.finish()
    }

    /// The path of the cubin of `key` for `architecture` (e.g. "sm_90a").
    public func path(key: String, architecture: String) -> String {
        "\(directory)/\(key)-\(architecture).cubin"
    }

    /// The cached cubin, or nil when there is none (or it cannot be read).
    public func load(key: String, architecture: String) -> [UInt8]? {
        let path = path(key: key, architecture: architecture)
        guard FileSystem.isRegularFile(path), let bytes = try? FileChunkReader.contents(of: path), !bytes.isEmpty else { return nil }
        return bytes
    }

    /// Stores a cubin, replacing any of the same name.
    /// - Throws: `BERTKitError` when the directory or file cannot be written.
    public func store(_ image: [UInt8], key: String, architecture: String) throws {
        try FileSystem.createDirectory(directory)
        let file = try OutputFile(path: path(key: key, architecture: architecture), overwrite: true)
        try file.write(image)
        try file.commit()
    }
}
