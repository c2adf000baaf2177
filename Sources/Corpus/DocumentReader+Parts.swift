import Support

extension DocumentReader {
    /// Prepares to read part `part` of `parts` of the documents in `paths`: the parts, read
    /// one after the other, give every document of a reader of the whole files once, in order.
    ///
    /// The concatenation of the files' bytes is cut into `parts` ranges of nearly equal size;
    /// each cut moves forward to the first place where a document may begin, so that no cut
    /// changes how a document is read: the start of a line for `jsonl` and `lines` (every
    /// file starts one), the start of a blank line for `blocks` (a block goes on into the next
    /// file when no blank line ends it). A part may hold no document.
    /// - Throws: `BERTKitError` if a path is missing, unreadable or a directory, or for a read
    ///   error while looking for a cut.
    public convenience init(paths: [String], format: Format = .jsonl, textField: String = "text", titleField: String? = nil,
                            part: Int, of parts: Int) throws {
        precondition(parts >= 1 && (0..<parts).contains(part), "part \(part) of \(parts)")
        guard parts > 1 else {
            try self.init(paths: paths, format: format, textField: textField, titleField: titleField)
            return
        }
        try Self.checkReadable(paths)
        var sizes: [Int] = []
        for path in paths {
            guard let size = FileSystem.size(path) else {
                throw BERTKitError(file: path, "cannot read its size: \(FileSystem.lastErrorMessage())")
            }
            sizes.append(size)
        }
        let files = FileSlices(paths: paths, sizes: sizes)
        let start = try files.cut(part, of: parts, format: format)
        let end = try files.cut(part + 1, of: parts, format: format)
        let slice = files.slice(start..<end)
        self.init(paths: slice.paths, ranges: slice.ranges, bases: slice.bases, format: format,
                  textField: textField, titleField: titleField)
    }

    /// Files of known sizes, addressed by offsets in their concatenation.
    private struct FileSlices {
        let paths: [String]
        let sizes: [Int]
        /// Where each file starts in the concatenation.
        let bases: [Int]
        /// The size of the concatenation.
        let total: Int

        init(paths: [String], sizes: [Int]) {
            self.paths = paths
            self.sizes = sizes
            var bases: [Int] = []
            var total = 0
            for size in sizes {
                bases.append(total)
                total += size
            }
            self.bases = bases
            self.total = total
        }

        /// The files that hold some of `bytes` of the concatenation, and the range of each
        /// that does.
        func slice(_ bytes: Range<Int>) -> (paths: [String], ranges: [Range<Int>], bases: [Int]) {
            var slice: (paths: [String], ranges: [Range<Int>], bases: [Int]) = ([], [], [])
            for (index, base) in bases.enumerated() {
                let (lower, upper) = (max(bytes.lowerBound, base), min(bytes.upperBound, base + sizes[index]))
                guard lower < upper else { continue }
                slice.paths.append(paths[index])
                slice.ranges.append(lower - base..<upper - base)
                slice.bases.append(base)
            }
            return slice
        }

        /// Where part `index` of `count` starts (`count`: the end of the last part): the
        /// first place at or after `index / count` of the bytes where a document of `format`
        /// may begin, else the end.
        func cut(_ index: Int, of count: Int, format: Format) throws -> Int {
            guard index > 0 else { return 0 }
            guard index < count && total > 0 else { return total }
            let nominal = total * index / count
            // Inside a file, the scan starts a byte early so that a line starting at `nominal` is seen as one.
            let file = bases.indices.last { bases[$0] <= nominal && sizes[$0] > 0 }!
            let scanStart = nominal > bases[file] ? nominal - 1 : nominal
            let slice = slice(scanStart..<total)
            let scan = DocumentReader(paths: slice.paths, ranges: slice.ranges, bases: slice.bases, format: format,
                                      textField: "", titleField: nil)
            while let found = try scan.nextLine({ line, start in
                start >= nominal && (format != .blocks || scan.isBlank(line)) ? start : nil
            }) {
                if let found { return found }
            }
            return total
        }
    }
}
