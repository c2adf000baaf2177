#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Writes scalars to a TensorBoard event file, `events.out.tfevents.<unix seconds>.<host>` in
/// a directory, for `tensorboard --logdir` to plot.
///
/// The file is a sequence of TFRecord records, each an `Event` protobuf: first one giving the
/// file version, then one per `add`. Records are buffered in memory and written at `flush()`,
/// which the trainer calls at each log interval, so TensorBoard sees the run as it goes; the
/// file is written in place, not renamed, since it is read while it grows. An existing file is
/// never overwritten: a run resumed within the same second as another writes a file with a
/// numbered suffix beside it. A writer dropped without `close()` still writes what it buffered,
/// errors ignored.
public final class TensorBoardWriter {
    /// The event file written.
    public let path: String
    private var handle: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []

    /// Creates `directory` if missing and a new event file in it, holding the file-version
    /// record.
    /// - Throws: `BERTKitError` naming the directory or file when either cannot be created.
    public init(directory: String) throws {
        try FileSystem.createDirectory(directory)
        let now = Self.wallTime()
        let base = directory + "/events.out.tfevents.\(Int(now)).\(Self.hostName())"
        var path = base
        var handle = fopen(path, "wbx")
        var suffix = 1
        while handle == nil && errno == EEXIST {
            path = base + ".\(suffix)"
            suffix += 1
            handle = fopen(path, "wbx")
        }
        guard let handle else {
            throw BERTKitError(file: path, "cannot create the TensorBoard event file: \(FileSystem.lastErrorMessage())")
        }
        self.path = path
        self.handle = handle
        var event = ProtobufEncoder()
        event.appendDouble(field: 1, now)
        event.appendString(field: 3, "brain.Event:2")
        appendRecord(event.bytes)
    }

    deinit {
        if let handle {
            try? flush()
            fclose(handle)
        }
    }

    /// Buffers one event at `step` holding every scalar of `scalars` under its tag, stamped
    /// with the current time.
    public func add(_ scalars: [(tag: String, value: Float)], step: Int) {
        precondition(handle != nil, "TensorBoard event added after close: \(path)")
        var summary = ProtobufEncoder()
        for scalar in scalars {
            var value = ProtobufEncoder()
            value.appendString(field: 1, scalar.tag)
            value.appendFloat(field: 2, scalar.value)
            summary.appendMessage(field: 1, value)
        }
        var event = ProtobufEncoder()
        event.appendDouble(field: 1, Self.wallTime())
        event.appendInteger(field: 2, Int64(step))
        event.appendMessage(field: 5, summary)
        appendRecord(event.bytes)
    }

    /// Buffers a `SessionLog` START event at `step`: the run restarts there (a resume from a
    /// checkpoint), so TensorBoard drops the events of `step` and later that an interrupted
    /// process wrote before, and shows each step once.
    public func restart(at step: Int) {
        precondition(handle != nil, "TensorBoard event added after close: \(path)")
        var sessionLog = ProtobufEncoder()
        sessionLog.appendInteger(field: 1, 1)  // SessionLog.SessionStatus.START
        var event = ProtobufEncoder()
        event.appendDouble(field: 1, Self.wallTime())
        event.appendInteger(field: 2, Int64(step))
        event.appendMessage(field: 7, sessionLog)
        appendRecord(event.bytes)
    }

    /// Writes the buffered events to the file.
    /// - Throws: `BERTKitError` naming the file when writing fails (a full disk); what was not
    ///   written stays buffered.
    public func flush() throws {
        guard let handle, !buffer.isEmpty else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        buffer.removeFirst(written)
        if !buffer.isEmpty || fflush(handle) != 0 {
            throw BERTKitError(file: path, "cannot write TensorBoard events: \(FileSystem.lastErrorMessage())")
        }
    }

    /// Writes the buffered events, syncs the file to disk and closes it; nothing can be added
    /// afterwards. Closing twice does nothing.
    /// - Throws: `BERTKitError` naming the file when writing or closing fails.
    public func close() throws {
        guard let handle else { return }
        try flush()
        self.handle = nil
        let synced = fsync(fileno(handle)) == 0
        if !synced || fclose(handle) != 0 {
            throw BERTKitError(file: path, "cannot close the TensorBoard event file: \(FileSystem.lastErrorMessage())")
        }
    }

    /// Appends a TFRecord: the data's length as a little-endian UInt64, the masked CRC-32C of
    /// those 8 bytes, the data, the masked CRC-32C of the data (each CRC little-endian).
    private func appendRecord(_ data: [UInt8]) {
        let length = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Array($0) }
        for part in [length, data] {
            buffer += part
            withUnsafeBytes(of: CRC32C.masked(part).littleEndian) { buffer += $0 }
        }
    }

    /// Seconds since the Unix epoch, with sub-second precision.
    private static func wallTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// This machine's name, as TensorBoard writers put it in the file name.
    private static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
