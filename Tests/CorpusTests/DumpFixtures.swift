import TestSupport
import CBzip2
@testable import Corpus
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Small MediaWiki dumps made by the tests, in every shape the reader must handle.
enum DumpFixtures {
    /// A page of plain prose that every cleaner leaves as it is.
    struct Page {
        var id: Int
        var title: String
        var namespace = 0
        var redirect = false
        var text: String { redirect ? "#REDIRECT [[Elsewhere]]" : "Sentence number \(id) of the fixture." }
    }

    static func pages(_ count: Int) -> [Page] {
        (1...count).map { Page(id: $0, title: "Page \($0)") }
    }

    static let header = """
        <mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" version="0.10" xml:lang="en">
          <siteinfo>
            <sitename>Test</sitename>
            <base>https://test.invalid/wiki/Main_Page</base>
            <namespaces>
              <namespace key="0" case="first-letter" />
              <namespace key="10" case="first-letter">Template</namespace>
            </namespaces>
          </siteinfo>

        """
    static let footer = "</mediawiki>\n"

    static func xml(_ page: Page) -> String {
        """
          <page>
            <title>\(page.title)</title>
            <ns>\(page.namespace)</ns>
            <id>\(page.id)</id>\(page.redirect ? "\n    <redirect title=\"Elsewhere\" />" : "")
            <revision>
              <id>\(page.id + 1000)</id>
              <contributor><username>T</username><id>7</id></contributor>
              <text xml:space="preserve">\(page.text)</text>
            </revision>
          </page>

        """
    }

    static func dump(_ pages: [Page]) -> [UInt8] {
        Array((header + pages.map(xml).joined() + footer).utf8)
    }

    /// bzip2-compresses `bytes` as one stream.
    static func bzip2(_ bytes: [UInt8]) -> [UInt8] {
        var source = bytes
        var capacity = UInt32(bytes.count + bytes.count / 100 + 600)
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = output.withUnsafeMutableBytes { out in
            source.withUnsafeMutableBytes { input in
                BZ2_bzBuffToBuffCompress(out.baseAddress!.assumingMemoryBound(to: CChar.self), &capacity,
                                         input.baseAddress!.assumingMemoryBound(to: CChar.self),
                                         UInt32(input.count), 9, 0, 0)
            }
        }
        precondition(status == BZ_OK)
        return Array(output.prefix(Int(capacity)))
    }

    /// A multistream file: the header, then `perStream` pages a stream, the footer last.
    static func multistream(_ pages: [Page], perStream: Int) -> [UInt8] {
        var result = bzip2(Array(header.utf8))
        for start in stride(from: 0, to: pages.count, by: perStream) {
            var chunk = pages[start..<min(start + perStream, pages.count)].map(xml).joined()
            if start + perStream >= pages.count { chunk += footer }
            result += bzip2(Array(chunk.utf8))
        }
        return result
    }

    /// Runs the extractor on `bytes` written to a file; returns the summary, output and warnings.
    static func extract(_ bytes: [UInt8], name: String = "dump.xml", threads: Int = 2,
                        configure: (inout DumpExtractor.Options) -> Void = { _ in }) throws
        -> (summary: DumpExtractor.Summary, output: String, warnings: [String]) {
        let directory = TestFiles.temporaryDirectory()
        let input = directory + "/" + name
        TestFiles.write(bytes, to: input)
        return try extract(paths: [input], threads: threads, configure: configure)
    }

    static func extract(paths: [String], threads: Int = 2,
                        configure: (inout DumpExtractor.Options) -> Void = { _ in }) throws
        -> (summary: DumpExtractor.Summary, output: String, warnings: [String]) {
        let output = TestFiles.temporaryDirectory() + "/out.jsonl"
        var options = DumpExtractor.Options()
        options.threads = threads
        configure(&options)
        let file = try OutputFile(path: output, overwrite: false)
        var warnings: [String] = []
        let progress = ProgressReporter(enabled: false) { warnings.append($0) }
        let summary = try DumpExtractor(options: options).run(inputs: paths, output: file, progress: progress)
        try file.commit()
        return (summary, TestFiles.readString(output), warnings)
    }

    /// The ids of the documents in JSON-lines output, in order.
    static func ids(_ output: String) -> [Int] {
        output.split(separator: "\n").compactMap { line in
            guard let start = line.firstRange(of: #"{"id": ""#)?.upperBound else { return nil }
            return Int(line[start...].prefix { $0 != "\"" })
        }
    }
}
