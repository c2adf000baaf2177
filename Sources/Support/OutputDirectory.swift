/// A directory of files written under a temporary name beside it and renamed into place,
/// all together, when complete.
///
/// Nothing at the final path is touched until `commit()`; an existing directory there that is
/// not empty is an error unless `overwrite` is set, and is then replaced whole. Dropped
/// without `commit()`, the temporary directory and what was written in it are removed.
public final class OutputDirectory {
    /// The path the directory will have once committed.
    public let path: String
    /// The temporary directory written to until then.
    public let temporaryPath: String
    private var committed = false
    private var cleanupToken: Int?

    /// Creates the temporary directory beside `path` (and `path`'s parents).
    /// - Throws: `BERTKitError` when `path` is a file, or a non-empty directory and
    ///   `overwrite` is false, or when the directory cannot be created.
    public init(path: String, overwrite: Bool) throws {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if FileSystem.exists(path) {
            guard FileSystem.isDirectory(path) else { throw BERTKitError(file: path, "exists and is not a directory") }
            if !overwrite && !FileSystem.isEmptyDirectory(path) {
                throw BERTKitError(file: path, "already exists (use --force to replace it)")
            }
        }
        self.path = path
        temporaryPath = FileSystem.temporaryPath(for: path)
        if FileSystem.exists(temporaryPath) { try FileSystem.removeTree(temporaryPath) }
        try FileSystem.createDirectory(temporaryPath)
        cleanupToken = TemporaryFiles.register(temporaryPath, directory: true)
    }

    deinit {
        if !committed { try? FileSystem.removeTree(temporaryPath) }
        TemporaryFiles.unregister(cleanupToken)
    }

    /// Where the file `name` is written before the commit.
    public func path(of name: String) -> String { temporaryPath + "/" + name }

    /// Writes the file `name` with `contents`.
    public func write(_ name: String, _ contents: String) throws {
        let file = try OutputFile(path: path(of: name), overwrite: false)
        try file.write(contents)
        try file.commit()
    }

    /// Syncs the directory and renames it to `path`, replacing what was there.
    public func commit() throws {
        guard !committed else { return }
        try FileSystem.synchronizeDirectory(temporaryPath)
        if FileSystem.exists(path) {
            let replaced = temporaryPath + "-replaced"
            try FileSystem.move(path, to: replaced)
            try FileSystem.move(temporaryPath, to: path)
            try FileSystem.removeTree(replaced)
        } else {
            try FileSystem.move(temporaryPath, to: path)
        }
        committed = true
        TemporaryFiles.unregister(cleanupToken)
        cleanupToken = nil
    }
}
