import Support

/// One of `count` parts of an extraction that several processes share: the pages that part
/// `index` extracts, so that the parts' outputs, joined in order, are the whole extraction's.
///
/// The inputs' bytes, taken one file after another, are cut into `count` ranges of nearly
/// equal length; each cut then moves forward to the first place where the file can be cut
/// (`DumpCutFinder`), and part `index` extracts the pages that start between its two cuts,
/// decompressing only their bytes. A part may be empty (more parts than places to cut).
public struct DumpPart: Sendable, Equatable {
    /// Which part, 0..<count.
    public var index: Int
    /// How many parts the inputs are cut into.
    public var count: Int

    /// Part `index` of `count`.
    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "part \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// The whole extraction, in one part.
    public static let whole = DumpPart(index: 0, count: 1)

    /// What this part reads of the files at `paths`, in order.
    /// - Throws: `BERTKitError` for missing or unreadable files (when there are several parts).
    func spans(of paths: [String]) throws -> [DumpSpan] {
        guard count > 1 else { return paths.map { DumpSpan(path: $0) } }
        let sizes = try paths.map { path in
            guard let size = FileSystem.size(path) else { throw BERTKitError(file: path, "no such file") }
            return size
        }
        let start = try cut(index, sizes: sizes, paths: paths)
        let end = try cut(index + 1, sizes: sizes, paths: paths)
        guard start < end else { return [] }
        var spans: [DumpSpan] = []
        for file in start.file..<min(end.file + 1, paths.count) {
            let lower = file == start.file ? start.offset : 0
            let upper = file == end.file ? end.offset : sizes[file]
            if file == end.file && upper == 0 { break }
            let whole = lower == 0 && upper == sizes[file]
            spans.append(DumpSpan(path: paths[file], range: whole ? nil : lower..<upper, endsFile: upper == sizes[file]))
        }
        return spans
    }

    /// Where part `part` starts (the end of part `part` - 1): a file and an offset in it,
    /// the offset 0 unless the file is cut there.
    private func cut(_ part: Int, sizes: [Int], paths: [String]) throws -> (file: Int, offset: Int) {
        if part == 0 { return (0, 0) }
        if part == count { return (paths.count, 0) }
        let nominal = sizes.reduce(0, +) * part / count
        var file = 0
        var fileStart = 0
        while file < paths.count && fileStart + sizes[file] <= nominal {
            fileStart += sizes[file]
            file += 1
        }
        guard file < paths.count, nominal > fileStart else { return (file, 0) }
        let offset = try DumpCutFinder(path: paths[file]).cut(atOrAfter: nominal - fileStart)
        return offset < sizes[file] ? (file, offset) : (file + 1, 0)
    }
}
