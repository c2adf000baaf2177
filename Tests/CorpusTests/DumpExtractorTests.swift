import Testing
import TestSupport
@testable import Corpus
import Support

@Suite struct DumpExtractorTests {
    @Test func keepsArticlesSkipsRedirectsAndOtherNamespaces() throws {
        var pages = DumpFixtures.pages(6)
        pages[1].redirect = true
        pages[3].namespace = 10
        pages[3].title = "Template:Box"
        let (summary, output, warnings) = try DumpFixtures.extract(DumpFixtures.dump(pages))
        #expect(warnings.isEmpty)
        #expect(DumpFixtures.ids(output) == [1, 3, 5, 6])
        #expect(summary.pagesRead == 6)
        #expect(summary.articlesWritten == 4)
        #expect(summary.redirectsSkipped == 1)
        #expect(summary.otherNamespacesSkipped == 1)
        #expect(output.hasPrefix(#"{"id": "1", "url": "https://test.invalid/wiki?curid=1", "title": "Page 1", "text": "Sentence number 1 of the fixture."}"#))
    }

    @Test func namespacesOptionChoosesOthers() throws {
        var pages = DumpFixtures.pages(3)
        pages[2].namespace = 10
        let (_, output, _) = try DumpFixtures.extract(DumpFixtures.dump(pages)) { $0.namespaces = [10] }
        #expect(DumpFixtures.ids(output) == [3])
    }

    @Test func docFormatIsWikiExtractors() throws {
        let (_, output, _) = try DumpFixtures.extract(DumpFixtures.dump(DumpFixtures.pages(1))) { $0.format = .doc }
        #expect(output == """
            <doc id="1" url="https://test.invalid/wiki?curid=1" title="Page 1">
            Page 1

            Sentence number 1 of the fixture.
            </doc>

            """)
    }

    @Test(arguments: [1, 2, 4])
    func orderAndContentDoNotDependOnThreads(threads: Int) throws {
        let pages = DumpFixtures.pages(900)
        let plain = try DumpFixtures.extract(DumpFixtures.dump(pages), threads: threads).output
        let single = try DumpFixtures.extract(DumpFixtures.bzip2(DumpFixtures.dump(pages)), name: "d.xml.bz2", threads: threads).output
        let multi = try DumpFixtures.extract(DumpFixtures.multistream(pages, perStream: 7), name: "m.xml.bz2", threads: threads).output
        #expect(DumpFixtures.ids(plain) == Array(1...900))
        #expect(single == plain)
        #expect(multi == plain)
    }

    @Test func severalInputsAreConcatenatedInOrder() throws {
        let directory = TestFiles.temporaryDirectory()
        TestFiles.write(DumpFixtures.dump(Array(DumpFixtures.pages(3))), to: directory + "/a.xml")
        TestFiles.write(DumpFixtures.bzip2(DumpFixtures.dump(Array(DumpFixtures.pages(5)[3...]))), to: directory + "/b.xml.bz2")
        let (summary, output, _) = try DumpFixtures.extract(paths: [directory + "/a.xml", directory + "/b.xml.bz2"])
        #expect(DumpFixtures.ids(output) == [1, 2, 3, 4, 5])
        #expect(summary.damagedInputs == 0)
    }

    @Test func utf16WithByteOrderMarkReadsAsUTF8() throws {
        var pages = DumpFixtures.pages(2)
        pages[0].title = "Ünïcode — 東京"
        let xml = String(decoding: DumpFixtures.dump(pages), as: UTF8.self)
        let little: [UInt8] = [0xFF, 0xFE] + xml.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + xml.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [little, big] {
            let (_, output, _) = try DumpFixtures.extract(DumpFixtures.bzip2(bytes), name: "u.xml.bz2")
            #expect(DumpFixtures.ids(output) == [1, 2])
            #expect(output.contains(#""title": "Ünïcode — 東京""#))
        }
    }

    // MARK: Damaged and bad input

    @Test func truncatedBzip2KeepsCompletePages() throws {
        let pages = DumpFixtures.pages(400)
        let whole = DumpFixtures.multistream(pages, perStream: 50)
        let cut = Array(whole.prefix(whole.count * 2 / 3))
        for threads in [1, 2] {
            let (summary, output, warnings) = try DumpFixtures.extract(cut, name: "t.xml.bz2", threads: threads)
            let ids = DumpFixtures.ids(output)
            #expect(summary.damagedInputs == 1)
            #expect(warnings.count == 1)
            #expect(warnings.first?.contains("t.xml.bz2: the bzip2 data ends in the middle of a stream") == true)
            #expect(!ids.isEmpty && ids.count < 400)
            #expect(ids == Array(1...ids.count))
        }
    }

    @Test func dumpCutMidPageKeepsPagesBefore() throws {
        let xml = DumpFixtures.dump(DumpFixtures.pages(10))
        let text = String(decoding: xml, as: UTF8.self)
        let cut = text.firstRange(of: "<title>Page 7</title>")!.upperBound
        let (summary, output, warnings) = try DumpFixtures.extract(Array(text[..<cut].utf8))
        #expect(DumpFixtures.ids(output) == Array(1...6))
        #expect(summary.damagedInputs == 1)
        #expect(warnings.first?.contains("the XML ends before </mediawiki> inside the page 'Page 7' starting at line") == true)
        #expect(warnings.first?.contains("kept the 6 complete page(s)") == true)
    }

    @Test func missingClosingTagKeepsEveryPage() throws {
        let xml = DumpFixtures.dump(DumpFixtures.pages(5)).dropLast(DumpFixtures.footer.utf8.count)
        let (summary, output, _) = try DumpFixtures.extract(Array(xml))
        #expect(DumpFixtures.ids(output) == Array(1...5))
        #expect(summary.damagedInputs == 1)
    }

    @Test func strictMakesDamageAnError() {
        let xml = DumpFixtures.dump(DumpFixtures.pages(5)).dropLast(DumpFixtures.footer.utf8.count)
        #expect(throws: BERTKitError.self) {
            try DumpFixtures.extract(Array(xml)) { $0.strict = true }
        }
    }

    @Test func malformedXMLKeepsPagesBeforeTheFault() throws {
        var text = String(decoding: DumpFixtures.dump(DumpFixtures.pages(8)), as: UTF8.self)
        text = text.replacingAll("<title>Page 5</title>", with: "<title>Page 5</titel>")
        let (summary, output, warnings) = try DumpFixtures.extract(Array(text.utf8))
        #expect(DumpFixtures.ids(output) == Array(1...4))
        #expect(summary.damagedInputs == 1)
        #expect(warnings.first?.contains("malformed XML: mismatched tag at line") == true)
        #expect(warnings.first?.contains("after page 'Page 4'") == true)
    }

    @Test func invalidUTF8IsReplacedAndCounted() throws {
        var bytes = DumpFixtures.dump(DumpFixtures.pages(3))
        let at = bytes.firstRange(of: Array("Sentence number 2".utf8))!.lowerBound
        bytes.replaceSubrange(at..<at + 1, with: [0xC3, 0x28, 0xFF])
        let (summary, output, warnings) = try DumpFixtures.extract(bytes)
        #expect(DumpFixtures.ids(output) == [1, 2, 3])
        #expect(summary.invalidUTF8Replaced == 2)
        #expect(warnings == ["\(warnings.first?.prefix { $0 != ":" } ?? ""): 2 invalid UTF-8 sequence(s) replaced by U+FFFD, the first at byte \(at) of the XML"])
        #expect(output.contains("\u{FFFD}(\u{FFFD}entence number 2"))
    }

    @Test func emptyFileIsAnError() {
        #expect(throws: BERTKitError.self) { try DumpFixtures.extract([]) }
    }

    @Test func missingFileIsAnErrorNamingIt() {
        do {
            _ = try DumpFixtures.extract(paths: ["/nonexistent/dump.xml.bz2"])
            Issue.record("expected an error")
        } catch let error as BERTKitError {
            #expect(error.file == "/nonexistent/dump.xml.bz2")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func notADumpIsAnError() {
        #expect(throws: BERTKitError.self) { try DumpFixtures.extract(Array("<html><body>hi</body></html>".utf8)) }
        #expect(throws: BERTKitError.self) { try DumpFixtures.extract(Array("just some text".utf8)) }
    }

    @Test func bundledSampleExtracts() throws {
        let path = TestFiles.temporaryDirectory() + "/" + SampleCorpus.fileName
        try SampleCorpus.write(to: path, overwrite: false)
        for threads in [1, 2] {
            let (summary, _, warnings) = try DumpFixtures.extract(paths: [path], threads: threads)
            #expect(summary.pagesRead == 59)
            #expect(summary.articlesWritten == 54)
            #expect(summary.redirectsSkipped == 2)
            #expect(summary.otherNamespacesSkipped == 3)
            #expect(warnings.isEmpty)
        }
    }
}
