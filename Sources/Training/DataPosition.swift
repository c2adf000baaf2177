import Support

/// Where a `PretrainingDataLoader` is in its endless stream of training rows: what a
/// checkpoint saves so that a loader made at it serves exactly the batches that would have
/// come next.
///
/// The files' order in an epoch and the rows' order in a file follow from the loader's seed,
/// so the epoch, the step in the epoch's file order and the rows of that file already served
/// say all there is. A position always stands before a row still to serve: the loader moves
/// it past a file as soon as that file's last row is served.
public struct DataPosition: Sendable, Hashable {
    /// The pass over the files, from 0.
    public var epoch: Int
    /// The step in the epoch's file order (NVIDIA's f), from 0.
    public var fileStep: Int
    /// The rows of that file's permutation already served.
    public var row: Int
    /// The rows served since training began, over every epoch.
    public var rowsServed: Int

    /// A position; the default is the start of training.
    public init(epoch: Int = 0, fileStep: Int = 0, row: Int = 0, rowsServed: Int = 0) {
        self.epoch = epoch
        self.fileStep = fileStep
        self.row = row
        self.rowsServed = rowsServed
    }

    /// The names of the fields in JSON, in the order they are written.
    private static let keys = ["epoch", "file_step", "row", "rows_served"]

    /// The fields in the order of `keys`.
    private var values: [Int] { [epoch, fileStep, row, rowsServed] }

    /// The position as one JSON object,
    /// `{"epoch": 1, "file_step": 3, "row": 17, "rows_served": 5120}`, for a checkpoint's state.
    public var json: JSONObjectWriter {
        var json = JSONObjectWriter()
        for (key, value) in zip(Self.keys, values) { json.add(key, value) }
        return json
    }

    /// Reads a position written as `json` from the object at the scanner's cursor;
    /// other keys are skipped.
    /// - Throws: `JSONScanner.Malformed`, for the caller to place in its file, when the value
    ///   is not such an object, a field is missing, or a field is negative.
    public init(json scanner: inout JSONScanner) throws {
        var found: [String: Int] = [:]
        try scanner.object { scanner, keyBytes in
            let key = String(decoding: keyBytes, as: UTF8.self)
            guard Self.keys.contains(key) else { return try scanner.skipValue() }
            let value = try scanner.integer()
            guard value >= 0 else { throw JSONScanner.Malformed("data position \"\(key)\" is \(value); it cannot be negative") }
            found[key] = value
        }
        let values = try Self.keys.map { key in
            guard let value = found[key] else { throw JSONScanner.Malformed("data position has no \"\(key)\"") }
            return value
        }
        self.init(epoch: values[0], fileStep: values[1], row: values[2], rowsServed: values[3])
    }
}
