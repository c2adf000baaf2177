/// The memory this process uses, as the kernel counts it.
public enum ProcessMemory {
    /// The largest resident set the process has had so far, in bytes: Linux's VmHWM in
    /// /proc/self/status (nil where there is no such file or line).
    public static var peakResidentBytes: Int? {
        guard let status = try? FileChunkReader.contents(of: "/proc/self/status") else { return nil }
        return kilobytes(of: "VmHWM", in: String(decoding: status, as: UTF8.self)).map { $0 * 1024 }
    }

    /// The number of a "Name:\t  1234 kB" line of a /proc status text.
    private static func kilobytes(of name: String, in status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
        let fields = line.dropFirst(name.count + 1).split { $0 == " " || $0 == "\t" }
        return fields.count == 2 && fields[1] == "kB" ? Int(fields[0]) : nil
    }
}
