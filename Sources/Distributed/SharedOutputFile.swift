#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// One output file written by every process of a run, each its part, joined in rank order.
///
/// Each process writes its part of the output (rank r the r-th part, in the output's order)
/// to `part`; `commit()` closes the parts and rank 0 joins them under the final name, so the
/// file is the one a single process writes. Alone, `part` is the output file itself and
/// nothing is copied. An existing output is refused unless `overwrite`, before any work
/// (rank 0 checks; every process learns the answer). Parts are hidden files beside the
/// output (`.NAME.part-R-of-W`) and are removed once joined.
public final class SharedOutputFile {
    /// The path the joined file will have.
    public let path: String
    /// This process's part: where it writes.
    public let part: OutputFile
    private let communicator: any Communicator

    /// Opens this process's part of `path`.
    /// - Throws: `BERTKitError` when `path` exists and `overwrite` is false (in every
    ///   process), or when a part cannot be created.
    public init(path: String, overwrite: Bool, communicator: any Communicator) throws {
        self.path = path
        self.communicator = communicator
        guard communicator.isDistributed else {
            part = try OutputFile(path: path, overwrite: overwrite)
            return
        }
        _ = try communicator.broadcastResult(from: 0) {
            if !overwrite && FileSystem.exists(path) { throw BERTKitError(file: path, "already exists (use --force to overwrite it)") }
            return []
        }
        part = try OutputFile(path: Self.partPath(path, rank: communicator.rank, of: communicator.worldSize), overwrite: true)
    }

    /// The hidden file beside `path` that holds part `rank` of `count`.
    static func partPath(_ path: String, rank: Int, of count: Int) -> String {
        let (directory, name) = FileSystem.split(path)
        return (directory.isEmpty ? "" : directory + "/") + ".\(name).part-\(rank)-of-\(count)"
    }

    /// Finishes the file: every process closes its part; rank 0 writes the parts in rank
    /// order under `path` and removes them. Returns when the file is in place, in every
    /// process. Called by every process.
    /// - Throws: `BERTKitError` for read or write errors.
    public func commit() throws {
        try part.commit()
        guard communicator.isDistributed else { return }
        try communicator.barrier()
        if communicator.rank == 0 {
            let joined = try OutputFile(path: path, overwrite: true)
            let parts = (0..<communicator.worldSize).map { Self.partPath(path, rank: $0, of: communicator.worldSize) }
            for partPath in parts {
                let reader = try FileChunkReader(path: partPath)
                while true {
                    let chunk = try reader.read()
                    if chunk.isEmpty { break }
                    try joined.write(chunk)
                }
            }
            try joined.commit()
            for partPath in parts { try FileSystem.remove(partPath) }
        }
        try communicator.barrier()
    }

}
