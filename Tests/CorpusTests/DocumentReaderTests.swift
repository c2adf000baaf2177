import Testing
import TestSupport
import Support
@testable import Corpus

@Suite struct DocumentReaderTests {
    static func documents(_ content: String, _ format: DocumentReader.Format, field: String = "text") throws -> [String] {
        let path = TestFiles.temporaryDirectory() + "/docs"
        TestFiles.write(Array(content.utf8), to: path)
        return try documents(paths: [path], format, field: field)
    }

    static func documents(paths: [String], _ format: DocumentReader.Format, field: String = "text") throws -> [String] {
        let reader = try DocumentReader(paths: paths, format: format, textField: field)
        var documents: [String] = []
        while let document = try reader.next() { documents.append(document) }
        return documents
    }

    @Test func readsTheTextFieldOfJSONLines() throws {
        let content = #"""
            {"id": "1", "meta": {"tags": ["a", "}"], "n": -1.5e3, "ok": true}, "text": "First \"doc\"\nline\\two"}
            {"text": "\u00e9\u6771 \ud83c\udf89 \ud800 end\/", "title": null}

            {"text": ""}
            {"title": "x", "text": "third", "text": "last wins"}
            """#
        #expect(try Self.documents(content + "\r\n", .jsonl)
                == ["First \"doc\"\nline\\two", "é東 🎉 \u{FFFD} end/", "last wins"])
    }

    @Test func otherFieldsCanHoldTheText() throws {
        #expect(try Self.documents(#"{"body": "b", "text": "t"}"#, .jsonl, field: "body") == ["b"])
    }

    @Test func badJSONLinesAreErrorsWithTheirLine() throws {
        for (line, message) in [("{\"text\": \"a\"", "expected ',' or '}'"), ("[1]", "expected an object"),
                                ("{\"id\": 1}", "no \"text\" field"), ("{\"text\": 5}", "is not a string"),
                                ("{\"text\": \"\\x\"}", "invalid escape"), ("{\"text\": \"a\"} x", "unexpected data")] {
            #expect {
                try Self.documents("{\"text\": \"fine\"}\n\n" + line + "\n", .jsonl)
            } throws: { error in
                guard let error = error as? BERTKitError else { return false }
                return error.place == "line 3" && error.message.contains(message) && error.file != nil
            }
        }
    }

    @Test func readsLinesAndBlocks() throws {
        let content = "\u{FEFF}first line\r\nsecond\n  \n\nthird\nfourth\n"
        #expect(try Self.documents(content, .lines) == ["first line", "second", "third", "fourth"])
        #expect(try Self.documents(content, .blocks) == ["first line\nsecond", "third\nfourth"])
    }

    @Test func linesLongerThanAReadChunkAndSeveralFiles() throws {
        let directory = TestFiles.temporaryDirectory()
        let long = String(repeating: "word ", count: 200_000)
        TestFiles.write(Array("{\"text\": \"\(long)\"}\n{\"text\": \"short\"}".utf8), to: directory + "/a.jsonl")
        TestFiles.write(Array("{\"text\": \"next file\"}\n".utf8), to: directory + "/b.jsonl")
        #expect(try Self.documents(paths: [directory + "/a.jsonl", directory + "/b.jsonl"], .jsonl) == [long, "short", "next file"])
    }

    /// The documents of each part of `parts`.
    static func documents(paths: [String], _ format: DocumentReader.Format, parts: Int) throws -> [[String]] {
        try (0..<parts).map { part in
            let reader = try DocumentReader(paths: paths, format: format, part: part, of: parts)
            var documents: [String] = []
            while let document = try reader.next() { documents.append(document) }
            return documents
        }
    }

    @Test(arguments: DocumentReader.Format.allCases)
    func partsReadOneAfterTheOtherGiveEveryDocumentOnce(format: DocumentReader.Format) throws {
        let paths = DocumentFixtures.files(format)
        let whole = try Self.documents(paths: paths, format)
        #expect(whole.count >= 59)
        for parts in 1...5 {
            let split = try Self.documents(paths: paths, format, parts: parts)
            #expect(split.joined().elementsEqual(whole), "\(parts) parts")
            #expect(split.allSatisfy { !$0.isEmpty }, "\(parts) parts")
        }
    }

    @Test(arguments: DocumentReader.Format.allCases)
    func aPartMayHoldNoDocument(format: DocumentReader.Format) throws {
        // The cuts inside the long document all move to its end.
        let path = DocumentFixtures.longAndShortDocument(format)
        let whole = try Self.documents(paths: [path], format)
        let split = try Self.documents(paths: [path], format, parts: 5)
        #expect(split.map(\.count) == [1, 0, 0, 0, 1])
        #expect(split.joined().elementsEqual(whole))
        let empty = TestFiles.temporaryDirectory() + "/empty"
        TestFiles.write([], to: empty)
        #expect(try Self.documents(paths: [empty, empty], format, parts: 3) == [[], [], []])
    }

    @Test func anErrorInAPartNamesTheLineFromTheStartOfThePart() throws {
        let lines = (0..<100).map { #"{"text": "document \#($0)"}"# } + ["{bad"]
        let path = TestFiles.temporaryDirectory() + "/docs.jsonl"
        TestFiles.write(Array(lines.joined(separator: "\n").utf8), to: path)
        let reader = try DocumentReader(paths: [path], format: .jsonl, part: 1, of: 2)
        #expect {
            while try reader.next() != nil {}
        } throws: { error in
            guard let error = error as? BERTKitError, let place = error.place else { return false }
            return error.file == path && place.hasPrefix("line ") && place.contains(" from byte ")
        }
    }

    @Test func missingFilesAndDirectoriesAreErrors() {
        let directory = TestFiles.temporaryDirectory()
        #expect(throws: BERTKitError.self) { try DocumentReader(paths: [directory + "/absent.jsonl"]) }
        #expect(throws: BERTKitError.self) { try DocumentReader(paths: [directory]) }
    }

    @Test func invalidUTF8BecomesReplacementCharacters() throws {
        let path = TestFiles.temporaryDirectory() + "/bad.txt"
        TestFiles.write(Array("ok ".utf8) + [0xFF] + Array(" fine\n".utf8), to: path)
        #expect(try Self.documents(paths: [path], .lines) == ["ok \u{FFFD} fine"])
    }
}
