#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file-system queries over POSIX calls, shared by every stage.
public enum FileSystem {
    /// Whether anything exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Whether `path` is a directory.
    public static func isDirectory(_ path: String) -> Bool { fileType(path) == S_IFDIR }

    /// Whether `path` is a regular file (after following links).
    public static func isRegularFile(_ path: String) -> Bool { fileType(path) == S_IFREG }

    /// The type bits (`S_IFMT`) of what `path` names after following links, nil if nothing.
    private static func fileType(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    /// Whether `path` is a directory with no entries besides "." and "..".
    public static func isEmptyDirectory(_ path: String) -> Bool {
        isDirectory(path) && ((try? contents(of: path))?.isEmpty ?? false)
    }

    /// The size of the file at `path` in bytes, or nil if it cannot be read.
    public static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Splits a path into its directory ("" when none) and last component.
    public static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// Creates a directory and its parents; succeeds if it already exists.
    public static func createDirectory(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw BERTKitError(file: path, "cannot create directory: \(lastErrorMessage())")
            }
        }
    }

    /// Raises the soft limit on open files towards `wanted` (at most the hard limit) and
    /// returns the limit now in force.
    public static func raiseOpenFileLimit(to wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 256 }
        if Int(limit.rlim_cur) < wanted {
            limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(limit.rlim_cur)
    }

    /// The names in a directory, without "." and "..".
    public static func contents(of path: String) throws -> [String] {
        guard let directory = opendir(path) else {
            throw BERTKitError(file: path, "cannot list: \(lastErrorMessage())")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The temporary name an output is written under before it is renamed to `path`:
    /// `.NAME.tmp-PID` beside it.
    public static func temporaryPath(for path: String) -> String {
        let (directory, name) = split(path)
        return (directory.isEmpty ? "" : directory + "/") + ".\(name).tmp-\(getpid())"
    }

    /// The files named by `paths`: files as they are, directories as their visible regular
    /// files in name order (not recursing).
    /// - Throws: `BERTKitError` for a path that does not exist or an empty directory.
    public static func expandInputs(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            if isDirectory(path) {
                let inside = try contents(of: path).filter { !$0.hasPrefix(".") }.map { path + "/" + $0 }
                    .filter { !isDirectory($0) }
                if inside.isEmpty { throw BERTKitError(file: path, "is an empty directory") }
                files += inside
            } else if exists(path) {
                files.append(path)
            } else {
                throw BERTKitError(file: path, "no such file or directory")
            }
        }
        return files
    }

    /// The text files named by `inputs`: files as they are, directories as the `.txt` files
    /// in them (the shards of `corpus shard`, without its manifest).
    /// - Throws: `BERTKitError` for a missing input or a directory without text files.
    public static func textFiles(_ inputs: [String]) throws -> [String] {
        try inputs.flatMap { input -> [String] in
            guard isDirectory(input) else { return try expandInputs([input]) }
            let files = try expandInputs([input]).filter { $0.hasSuffix(".txt") }
            if files.isEmpty { throw BERTKitError(file: input, "holds no .txt files") }
            return files
        }
    }

    /// Writes the first `count` non-empty lines of a text file to a new file.
    public static func writeFirstLines(of path: String, count: Int, to destination: String) throws {
        let reader = try LineReader(path: path)
        let output = try OutputFile(path: destination, overwrite: true)
        var written = 0
        while written < count, try reader.next({ line -> Void in
            guard !line.isEmpty else { return }
            try output.write(line)
            try output.write(CollectionOfOne(UInt8(0x0A)))
            written += 1
        }) != nil {}
        try output.commit()
    }

    /// Removes a file.
    public static func remove(_ path: String) throws {
        if unlink(path) != 0 { throw BERTKitError(file: path, "cannot remove: \(lastErrorMessage())") }
    }

    /// Removes a file, or a directory and everything in it; a link is removed, not followed.
    public static func removeTree(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return try remove(path) }
        for name in try contents(of: path) { try removeTree(path + "/" + name) }
        if rmdir(path) != 0 { throw BERTKitError(file: path, "cannot remove: \(lastErrorMessage())") }
    }

    /// Renames `source` to `destination`, replacing a file (or an empty directory) there.
    public static func move(_ source: String, to destination: String) throws {
        if rename(source, destination) != 0 {
            throw BERTKitError(file: source, "cannot rename to \(destination): \(lastErrorMessage())")
        }
    }

    /// Writes a directory's entries to disk (`fsync` on the directory), so that files created,
    /// renamed or removed in it stay so after a crash.
    public static func synchronizeDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw BERTKitError(file: path, "cannot open: \(lastErrorMessage())") }
        defer { close(descriptor) }
        if fsync(descriptor) != 0 { throw BERTKitError(file: path, "cannot sync to disk: \(lastErrorMessage())") }
    }

    /// The message for the current `errno`.
    public static func lastErrorMessage() -> String {
        String(cString: strerror(errno))
    }
}
