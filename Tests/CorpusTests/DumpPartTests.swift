import Testing
import TestSupport
@testable import Corpus
import Support

/// Parts of an extraction (`DumpPart`), as processes under mpirun run them: joined in order,
/// their outputs are the whole extraction's and their summaries add up to its summary.
@Suite struct DumpPartTests {
    /// An input of the invariant: files (name and bytes) extracted together.
    struct Inputs: CustomStringConvertible, Sendable {
        var description: String
        var files: [(name: String, bytes: [UInt8])]
    }

    /// Pages with redirects and another namespace among them, as dumps have.
    static func mixedPages(_ count: Int, from first: Int = 1) -> [DumpFixtures.Page] {
        (first..<first + count).map { id in
            var page = DumpFixtures.Page(id: id, title: "Page \(id)")
            if id % 7 == 3 { page.redirect = true }
            if id % 11 == 5 { page.namespace = 10; page.title = "Template:Box \(id)" }
            return page
        }
    }

    /// The XML of `pages` in bzip2 streams that begin inside pages (at each `<title>`),
    /// stream starts that are no cuts, and at every fourth page's `<page>`.
    static func streamsCutInsidePages(_ pages: [DumpFixtures.Page]) -> [UInt8] {
        let xml = DumpFixtures.dump(pages)
        var starts = xml.indices.filter { xml[$0...].starts(with: Array("<title>".utf8)) }
        starts += xml.indices.filter { xml[$0...].starts(with: Array("<page>".utf8)) }.enumerated().filter { $0.offset % 4 == 3 }.map(\.element)
        let bounds = [0] + starts.sorted() + [xml.count]
        return zip(bounds, bounds.dropFirst()).flatMap { DumpFixtures.bzip2(Array(xml[$0..<$1])) }
    }

    static let inputs: [Inputs] = {
        let pages = mixedPages(40)
        let multistream = DumpFixtures.multistream(pages, perStream: 3)
        let plain = DumpFixtures.dump(pages)
        let plainText = String(decoding: plain, as: UTF8.self)
        let cutInPage = plainText.firstRange(of: "<title>Page 31</title>")!.upperBound
        let utf16: [UInt8] = [0xFF, 0xFE] + plainText.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        return [
            Inputs(description: "plain XML", files: [("d.xml", plain)]),
            Inputs(description: "bundled sample", files: [(SampleCorpus.fileName, Array(SampleCorpus.dump))]),
            Inputs(description: "multistream bzip2", files: [("m.xml.bz2", multistream)]),
            Inputs(description: "single-stream bzip2", files: [("s.xml.bz2", DumpFixtures.bzip2(plain))]),
            Inputs(description: "streams cut inside pages", files: [("p.xml.bz2", streamsCutInsidePages(pages))]),
            Inputs(description: "UTF-16 XML", files: [("u.xml", utf16)]),
            Inputs(description: "two files", files: [
                ("a.xml", DumpFixtures.dump(mixedPages(9))),
                ("b.xml.bz2", DumpFixtures.multistream(mixedPages(30, from: 10), perStream: 4)),
            ]),
            Inputs(description: "three files, single-stream between", files: [
                ("a.xml.bz2", DumpFixtures.multistream(mixedPages(12), perStream: 2)),
                ("b.xml.bz2", DumpFixtures.bzip2(DumpFixtures.dump(mixedPages(5, from: 13)))),
                ("c.xml", DumpFixtures.dump(mixedPages(12, from: 18))),
            ]),
            Inputs(description: "truncated multistream", files: [("t.xml.bz2", Array(multistream.prefix(multistream.count * 2 / 3)))]),
            Inputs(description: "plain XML cut inside a page", files: [("c.xml", Array(plainText[..<cutInPage].utf8))]),
        ]
    }()

    /// The part's summary and output, and the warnings it gave.
    static func extract(_ paths: [String], part: DumpPart, format: DocumentFormat, threads: Int = 2)
        throws -> (summary: DumpExtractor.Summary, output: String, warnings: [String]) {
        try DumpFixtures.extract(paths: paths, threads: threads) {
            $0.part = part
            $0.format = format
        }
    }

    /// The summary's counts (all but the seconds).
    static func counts(_ summary: DumpExtractor.Summary) -> [Int] {
        [summary.pagesRead, summary.articlesWritten, summary.redirectsSkipped, summary.otherNamespacesSkipped,
         summary.emptyArticlesSkipped, summary.xmlBytes, summary.outputBytes, summary.damagedInputs,
         summary.invalidUTF8Replaced]
    }

    @Test(arguments: inputs, [DocumentFormat.jsonl, .doc])
    func partsJoinedAreTheWhole(inputs: Inputs, format: DocumentFormat) throws {
        let directory = TestFiles.temporaryDirectory()
        let paths = inputs.files.map { directory + "/" + $0.name }
        for (path, file) in zip(paths, inputs.files) { TestFiles.write(file.bytes, to: path) }
        let whole = try Self.extract(paths, part: .whole, format: format)
        #expect(whole.summary.pagesRead > 0)
        // One thread decodes a multistream part as one stream, several segment by segment.
        for (count, threads) in (1...5).flatMap({ count in [1, 2].map { (count, $0) } }) {
            var output = ""
            var sums = [Int](repeating: 0, count: Self.counts(whole.summary).count)
            var warnings = 0
            for index in 0..<count {
                let part = try Self.extract(paths, part: DumpPart(index: index, count: count), format: format, threads: threads)
                output += part.output
                sums = zip(sums, Self.counts(part.summary)).map(+)
                warnings += part.warnings.count
                for warning in part.warnings { #expect(!warning.contains("before the next page"), "\(warning)") }
            }
            #expect(output == whole.output, "\(inputs) in \(count) parts, \(threads) thread(s)")
            #expect(sums == Self.counts(whole.summary), "\(inputs) in \(count) parts, \(threads) thread(s)")
            #expect(warnings == whole.warnings.count, "\(inputs) in \(count) parts, \(threads) thread(s)")
        }
    }

    @Test func partsShareTheWorkOfASplittableDump() throws {
        for input in Self.inputs where ["plain XML", "multistream bzip2", "streams cut inside pages"].contains(input.description) {
            let path = TestFiles.temporaryFile(input.files[0].bytes, name: input.files[0].name)
            let pages = try (0..<4).map { try Self.extract([path], part: DumpPart(index: $0, count: 4), format: .jsonl).summary.pagesRead }
            #expect(pages.allSatisfy { $0 >= 5 }, "\(input): pages per part \(pages)")
        }
    }

    @Test func aSingleStreamGoesWholeToOnePart() throws {
        let path = TestFiles.temporaryFile(DumpFixtures.bzip2(DumpFixtures.dump(Self.mixedPages(40))), name: "s.xml.bz2")
        let pages = try (0..<3).map { try Self.extract([path], part: DumpPart(index: $0, count: 3), format: .jsonl).summary.pagesRead }
        #expect(pages == [40, 0, 0])
    }

    @Test func truncationIsReportedByTheLastPartOnly() throws {
        let multistream = DumpFixtures.multistream(Self.mixedPages(40), perStream: 3)
        let path = TestFiles.temporaryFile(Array(multistream.prefix(multistream.count * 2 / 3)), name: "t.xml.bz2")
        let warnings = try (0..<3).map { try Self.extract([path], part: DumpPart(index: $0, count: 3), format: .jsonl).warnings }
        #expect(warnings[0].isEmpty && warnings[1].isEmpty)
        #expect(warnings[2].count == 1)
        #expect(warnings[2].first?.contains("t.xml.bz2: part from byte ") == true)
        #expect(warnings[2].first?.contains("the bzip2 data ends in the middle of a stream") == true)
    }

    @Test func cutsFallBeforePagesAndStreamsThatBeginWithAPage() throws {
        let pages = Self.mixedPages(40)
        let plain = TestFiles.temporaryFile(DumpFixtures.dump(pages), name: "d.xml")
        let plainBytes = DumpFixtures.dump(pages)
        let finder = try DumpCutFinder(path: plain)
        let cut = try finder.cut(atOrAfter: plainBytes.count / 2)
        #expect(Array(plainBytes[cut..<cut + 6]) == Array("<page>".utf8))
        #expect(try finder.cut(atOrAfter: plainBytes.count - 3) == plainBytes.count)
        let head = String(decoding: try finder.head(), as: UTF8.self)
        #expect(head == DumpFixtures.header + "  ")

        let streams = TestFiles.temporaryFile(Self.streamsCutInsidePages(pages), name: "p.xml.bz2")
        let streamFinder = try DumpCutFinder(path: streams)
        var offset = 1
        var cuts = 0
        while true {
            let next = try streamFinder.cut(atOrAfter: offset)
            if next == FileSystem.size(streams) { break }
            let decoder = DumpDecoder(path: streams, threads: 1, range: next..<FileSystem.size(streams)!)
            var text: [UInt8] = []
            _ = try decoder.forEachChunk { chunk, _ in if text.count < 64 { text += chunk } }
            #expect(String(decoding: text, as: UTF8.self).drop { $0 == " " || $0 == "\n" }.hasPrefix("<page>"))
            cuts += 1
            offset = next + 1
        }
        #expect(cuts > 0)
        #expect(String(decoding: try streamFinder.head(), as: UTF8.self) == DumpFixtures.header + "  ")
    }
}
