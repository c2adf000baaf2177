#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Searches in UTF-8 text, driven by `memchr`, and small byte-level helpers.
enum ByteSearch {
    /// The index of the first `byte` at or after `start`, or nil.
    @inline(__always)
    static func index(of byte: UInt8, in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < text.count, let base = text.baseAddress,
              let found = memchr(base + start, Int32(byte), text.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the first occurrence of `pattern` at or after `start`, or nil.
    @inline(__always)
    static func index(of pattern: StaticString, in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let first = pattern.utf8Start.pointee
        let last = text.count - pattern.utf8CodeUnitCount
        var candidate = start
        while candidate <= last, let found = index(of: first, in: text, from: candidate) {
            if found > last { return nil }
            if hasPrefix(pattern, in: text, at: found) { return found }
            candidate = found + 1
        }
        return nil
    }

    /// Whether `text` holds `pattern` at `index`.
    @inline(__always)
    static func hasPrefix(_ pattern: StaticString, in text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let count = pattern.utf8CodeUnitCount
        guard index >= 0, index + count <= text.count else { return false }
        return memcmp(text.baseAddress! + index, pattern.utf8Start, count) == 0
    }

    /// Whether `text` holds `pattern` at `index`, ASCII letters compared case-insensitively
    /// (`pattern` is lowercase).
    @inline(__always)
    static func hasPrefixIgnoringCase(_ pattern: StaticString, in text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let count = pattern.utf8CodeUnitCount
        guard index >= 0, index + count <= text.count else { return false }
        let expected = pattern.utf8Start
        for offset in 0..<count where lowercased(text[index + offset]) != expected[offset] {
            return false
        }
        return true
    }

    /// The ASCII lowercase of a byte.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// The end of the run of `byte` starting at `start`.
    @inline(__always)
    static func endOfRun(of byte: UInt8, in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var end = start
        while end < text.count && text[end] == byte { end += 1 }
        return end
    }

    /// The end of the line holding `index`: the index of the next newline, or the text's end.
    @inline(__always)
    static func endOfLine(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        index(of: UInt8(ascii: "\n"), in: text, from: start) ?? text.count
    }

    /// Whether `text[a]` and `text[b]` hold the same bytes.
    @inline(__always)
    static func equal(_ text: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count, let base = text.baseAddress else { return a.count == b.count }
        return memcmp(base + a.lowerBound, base + b.lowerBound, a.count) == 0
    }
}
