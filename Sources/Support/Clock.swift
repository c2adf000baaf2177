#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monotonic time in seconds, for rates and durations.
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

/// Formats durations and sizes the way progress and summary lines show them.
public enum Formatting {
    /// "1h02m", "3m05s" or "4.2s".
    public static func duration(_ seconds: Double) -> String {
        if !seconds.isFinite { return "?" }
        let whole = Int(seconds.rounded())
        if whole >= 3600 { return "\(whole / 3600)h" + pad2((whole % 3600) / 60) + "m" }
        if whole >= 60 { return "\(whole / 60)m" + pad2(whole % 60) + "s" }
        return fixed(seconds, 1) + "s"
    }

    /// A number with `digits` decimals.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let integer = Int(rounded / scale)
        let fraction = Int(rounded) - integer * Int(scale)
        var text = (value < 0 && rounded != 0 ? "-" : "") + String(integer)
        if digits > 0 {
            let digitsText = String(fraction)
            text += "." + String(repeating: "0", count: digits - digitsText.count) + digitsText
        }
        return text
    }

    /// Bytes as "12.3 MB" (decimal units, as rates in MB/s are given).
    public static func bytes(_ count: Int) -> String {
        let value = Double(count)
        if value >= 1e9 { return fixed(value / 1e9, 2) + " GB" }
        if value >= 1e6 { return fixed(value / 1e6, 1) + " MB" }
        if value >= 1e3 { return fixed(value / 1e3, 1) + " kB" }
        return "\(count) B"
    }

    private static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
