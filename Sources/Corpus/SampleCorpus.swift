import CSampleCorpus
import Support

/// The sample MediaWiki dump bundled in the binary: original encyclopedia-style articles
/// with real wikitext markup, used by `bertkit demo` and as the tests' fixture.
public enum SampleCorpus {
    /// The dump's bytes (multistream bzip2-compressed XML).
    public static var dump: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bertkit_sample_dump_addr(), count: bertkit_sample_dump_size)
    }

    /// The file name the dump is written under.
    public static let fileName = "sample-wiki.xml.bz2"

    /// Writes the dump to `path`.
    public static func write(to path: String, overwrite: Bool) throws {
        let file = try OutputFile(path: path, overwrite: overwrite)
        try file.write(dump)
        try file.commit()
    }

    /// Fill-mask examples from the formatted shard at `path` (one sentence per line): for
    /// each of `words` in turn, the first sentence of 8 to 25 words not taken yet that holds
    /// the word standing alone (in any case), that occurrence replaced by `[MASK]`. A word no
    /// sentence holds gives none.
    /// - Throws: `BERTKitError` naming the file when it cannot be read.
    public static func maskedSentences(in path: String, words: [String]) throws -> [String] {
        let reader = try LineReader(path: path)
        var sentences: [[Substring]] = []
        while let line = try reader.next({ String(decoding: $0, as: UTF8.self) }) {
            let tokens = line.split(separator: " ")
            if (8...25).contains(tokens.count) { sentences.append(tokens) }
        }
        var taken = Set<Int>()
        var examples: [String] = []
        for word in words {
            for (index, tokens) in sentences.enumerated() where !taken.contains(index) {
                guard let position = tokens.firstIndex(where: { $0.lowercased() == word.lowercased() }) else { continue }
                taken.insert(index)
                var masked = tokens
                masked[position] = "[MASK]"
                examples.append(masked.joined(separator: " "))
                break
            }
        }
        return examples
    }
}
