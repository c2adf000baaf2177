import Testing
import Support
@testable import Corpus

/// A checksum list shaped like Wikimedia's (abridged), for the dump of 2021-01-01.
private let sha1List = """
    5d4e3f0b8a4c0e7b1f2d9c6a3b8e7f1a2c3d4e5f  enwiki-20210101-pages-articles-multistream.xml.bz2
    0a1b2c3d4e5f60718293a4b5c6d7e8f901234567  enwiki-20210101-pages-articles-multistream-index.txt.bz2
    1111111111111111111111111111111111111111  enwiki-20210101-pages-articles10.xml-p4045403p5399366.bz2
    2222222222222222222222222222222222222222  enwiki-20210101-pages-articles1.xml-p1p41242.bz2
    3333333333333333333333333333333333333333  enwiki-20210101-pages-articles.xml.bz2
    4444444444444444444444444444444444444444  enwiki-20210101-pages-articles1.xml-p1p41242.bz2-rss.xml

    """

private func downloader(_ date: String = "20210101", sample: Bool = false,
                        language: String = "en", base: String = "https://dumps.wikimedia.org") throws -> DumpDownloader {
    var options = DumpDownloader.Options(language: language)
    options.date = date
    options.sample = sample
    options.baseURL = base
    return try DumpDownloader(options: options)
}

@Suite("URLs")
struct DumpDownloaderURLTests {
    @Test func checksumListsOfADatedDump() throws {
        let dumps = try downloader()
        #expect(dumps.checksumListURL(.sha1) == "https://dumps.wikimedia.org/enwiki/20210101/enwiki-20210101-sha1sums.txt")
        #expect(dumps.checksumListURL(.md5) == "https://dumps.wikimedia.org/enwiki/20210101/enwiki-20210101-md5sums.txt")
    }

    @Test func checksumListOfTheLatestDump() throws {
        let dumps = try downloader("latest", base: "http://127.0.0.1:8000/")
        #expect(dumps.checksumListURL(.sha1) == "http://127.0.0.1:8000/enwiki/latest/enwiki-latest-sha1sums.txt")
    }

    @Test func wholeDumpURL() throws {
        let target = try downloader().target(in: ChecksumList(text: sha1List, algorithm: .sha1), listURL: "list")
        #expect(target.url == "https://dumps.wikimedia.org/enwiki/20210101/enwiki-20210101-pages-articles.xml.bz2")
    }

    @Test func languageCodesBecomeDatabaseNames() throws {
        #expect(try downloader(language: "zh-yue").wiki == "zh_yuewiki")
        #expect(try downloader(language: "simple").fileURL(name: "x.bz2", date: "20240601")
            == "https://dumps.wikimedia.org/simplewiki/20240601/x.bz2")
    }

    @Test func badLanguagesAndDatesAreRefused() {
        #expect(throws: BERTKitError.self) { try downloader(language: "") }
        #expect(throws: BERTKitError.self) { try downloader(language: "en/../x") }
        #expect(throws: BERTKitError.self) { try downloader(language: "EN") }
        #expect(throws: BERTKitError.self) { try downloader("2021-01-01") }
        #expect(throws: BERTKitError.self) { try downloader("2021010") }
    }
}

@Suite("Checksum lists")
struct ChecksumListTests {
    @Test func parsesSha1sumLines() {
        let list = ChecksumList(text: sha1List, algorithm: .sha1)
        #expect(list.entries.count == 6)
        #expect(list.entries[4] == ChecksumList.Entry(digest: String(repeating: "3", count: 40),
                                                      name: "enwiki-20210101-pages-articles.xml.bz2"))
    }

    @Test func skipsMalformedLinesAndAcceptsBinaryMarkAndUppercase() {
        let text = "not a checksum line\n"
            + "ABCDEFABCDEFABCDEFABCDEFABCDEFAB *file-a.bz2\r\n"
            + "abc  too-short.bz2\n"
            + "0123456789abcdef0123456789abcdef\n"
        let list = ChecksumList(text: text, algorithm: .md5)
        #expect(list.entries == [ChecksumList.Entry(digest: "abcdefabcdefabcdefabcdefabcdefab", name: "file-a.bz2")])
    }

    @Test func findsTheWholeDump() throws {
        let target = try downloader().target(in: ChecksumList(text: sha1List, algorithm: .sha1), listURL: "list")
        #expect(target.name == "enwiki-20210101-pages-articles.xml.bz2")
        #expect(target.digest == String(repeating: "3", count: 40))
        #expect(target.algorithm == .sha1)
    }

    @Test func findsTheSamplePartNotPartTenNorItsFeed() throws {
        let target = try downloader(sample: true).target(in: ChecksumList(text: sha1List, algorithm: .sha1), listURL: "list")
        #expect(target.name == "enwiki-20210101-pages-articles1.xml-p1p41242.bz2")
        #expect(target.digest == String(repeating: "2", count: 40))
        #expect(target.url == "https://dumps.wikimedia.org/enwiki/20210101/enwiki-20210101-pages-articles1.xml-p1p41242.bz2")
    }

    @Test func findsOldZeroPaddedSampleParts() throws {
        let text = "0123456789abcdef0123456789abcdef  enwiki-20140203-pages-articles1.xml-p000000010p000010000.bz2\n"
        let target = try downloader("20140203", sample: true).target(in: ChecksumList(text: text, algorithm: .md5), listURL: "list")
        #expect(target.name == "enwiki-20140203-pages-articles1.xml-p000000010p000010000.bz2")
        #expect(target.algorithm == .md5)
    }

    @Test func latestResolvesToTheDatedFileAndDirectory() throws {
        let text = sha1List.replacing("20210101", with: "20240601")
        let target = try downloader("latest").target(in: ChecksumList(text: text, algorithm: .sha1), listURL: "list")
        #expect(target.date == "20240601")
        #expect(target.url == "https://dumps.wikimedia.org/enwiki/20240601/enwiki-20240601-pages-articles.xml.bz2")
    }

    @Test func latestAcceptsListsThatSayLatest() throws {
        let text = sha1List.replacing("20210101", with: "latest")
        let target = try downloader("latest", sample: true).target(in: ChecksumList(text: text, algorithm: .sha1), listURL: "list")
        #expect(target.url == "https://dumps.wikimedia.org/enwiki/latest/enwiki-latest-pages-articles1.xml-p1p41242.bz2")
    }

    @Test func otherDatesAndWikisAreNotTheWantedFile() throws {
        let dumps = try downloader()
        #expect(dumps.wantedFileDate("enwiki-20201220-pages-articles.xml.bz2") == nil)
        #expect(dumps.wantedFileDate("enwikibooks-20210101-pages-articles.xml.bz2") == nil)
        #expect(dumps.wantedFileDate("enwiki-20210101-pages-articles.xml.bz2") == "20210101")
        let sample = try downloader(sample: true)
        #expect(sample.wantedFileDate("enwiki-20210101-pages-articles1.xml-p1p.bz2") == nil)
        #expect(sample.wantedFileDate("enwiki-20210101-pages-articles1.xml-p1p2p3.bz2") == nil)
        #expect(sample.wantedFileDate("enwiki-20210101-pages-meta-current1.xml-p1p41242.bz2") == nil)
    }

    @Test func aMissingFileIsExplained() throws {
        let list = ChecksumList(text: "3333333333333333333333333333333333333333  dewiki-20210101-pages-articles.xml.bz2\n",
                                algorithm: .sha1)
        let error = #expect(throws: BERTKitError.self) {
            try downloader(sample: true).target(in: list, listURL: "https://x/enwiki-20210101-sha1sums.txt")
        }
        #expect(error?.file == "https://x/enwiki-20210101-sha1sums.txt")
        #expect(error?.message.contains("enwiki-20210101-pages-articles1.xml-p<first>p<last>.bz2") == true)
    }
}

@Suite("Digests")
struct DigestTests {
    /// The hexadecimal digest of `bytes` fed at once.
    private func hex(_ algorithm: Digest.Algorithm, of bytes: [UInt8]) -> String {
        let digest = Digest(algorithm)
        digest.update(bytes)
        return digest.finish()
    }

    @Test func knownDigests() {
        #expect(hex(.sha1, of: []) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(.sha1, of: Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(.md5, of: []) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(hex(.md5, of: Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(hex(.sha1, of: Array("The quick brown fox jumps over the lazy dog".utf8))
            == "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12")
    }

    @Test func piecesHashLikeTheWhole() {
        let text = Array("The quick brown fox jumps over the lazy dog".utf8)
        let digest = Digest(.md5)
        digest.update(Array(text[..<10]))
        digest.update(Array(text[10...]))
        #expect(digest.finish() == "9e107d9d372bb6826bd81d3542a419d6")
    }

    @Test func resetStartsOver() {
        let digest = Digest(.sha1)
        digest.update(Array("junk".utf8))
        digest.reset()
        digest.update(Array("abc".utf8))
        #expect(digest.finish() == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(digest.finish() == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    }
}
