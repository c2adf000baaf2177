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
}
