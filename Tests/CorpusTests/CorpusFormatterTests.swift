import Testing
import TestSupport
import Support
@testable import Corpus

@Suite struct CorpusFormatterTests {
    func format(_ input: String, inputFormat: DocumentReader.Format, threads: Int = 2,
                configure: (inout CorpusFormatter.Options) -> Void = { _ in }) throws -> (String, CorpusFormatter.Summary) {
        let directory = TestFiles.temporaryDirectory()
        TestFiles.write(Array(input.utf8), to: directory + "/docs")
        var options = CorpusFormatter.Options()
        configure(&options)
        let reader = try DocumentReader(paths: [directory + "/docs"], format: inputFormat,
                                        titleField: options.keepTitles ? "title" : nil)
        let output = try OutputFile(path: directory + "/formatted.txt", overwrite: false)
        let formatter = CorpusFormatter(segmenter: PunktSegmenter(parameters: PunktParameters()), options: options, threads: threads)
        let summary = try formatter.run(reader: reader, output: output, progress: ProgressReporter(enabled: false))
        try output.commit()
        return (TestFiles.readString(directory + "/formatted.txt"), summary)
    }

    @Test(arguments: [1, 2])
    func writesOneSentencePerLineAndABlankLineAfterEachDocument(threads: Int) throws {
        let (text, summary) = try format("First one. Second\none.\n\n   \n\nThird\u{2028}one.\r\nStill third.\n",
                                         inputFormat: .blocks, threads: threads)
        #expect(text == "First one.\nSecond one.\n\nThird one.\nStill third.\n\n")
        #expect(summary.documents == 2 && summary.sentences == 4)
    }

    @Test func titlesAreDroppedUnlessKept() throws {
        let jsonl = #"{"id": "1", "title": "Über Title", "text": "Body one. Body two."}"# + "\n"
            + #"{"id": "2", "title": "Empty", "text": "  "}"# + "\n"
        let (dropped, _) = try format(jsonl, inputFormat: .jsonl)
        #expect(dropped == "Body one.\nBody two.\n\n")
        let (kept, summary) = try format(jsonl, inputFormat: .jsonl) { $0.keepTitles = true }
        #expect(kept == "Über Title\nBody one.\nBody two.\n\n")
        #expect(summary.documents == 1)
    }

    @Test func preTokenizedSentencesAreBasicTokenizerWords() throws {
        let jsonl = #"{"title": "Café", "text": "Héllo, World! It's 東京 (2024). ..."}"# + "\n"
        let (text, summary) = try format(jsonl, inputFormat: .jsonl) {
            $0.preTokenize = true
            $0.keepTitles = true
        }
        #expect(text == "cafe\nhello , world !\nit ' s 東 京 ( 2024 ) .\n. . .\n\n")
        #expect(summary.sentences == 3)
    }

    /// The formatted output of part `part` of `parts` of `paths` (the whole for 1 part).
    func format(paths: [String], _ format: DocumentReader.Format, part: Int, of parts: Int) throws -> ([UInt8], CorpusFormatter.Summary) {
        let output = TestFiles.temporaryDirectory() + "/formatted.txt"
        let file = try OutputFile(path: output, overwrite: false)
        let reader = try DocumentReader(paths: paths, format: format, part: part, of: parts)
        let formatter = CorpusFormatter(segmenter: PunktSegmenter(parameters: PunktParameters()), threads: 2)
        let summary = try formatter.run(reader: reader, output: file, progress: ProgressReporter(enabled: false))
        try file.commit()
        return (TestFiles.read(output) ?? [], summary)
    }

    @Test(arguments: DocumentReader.Format.allCases)
    func thePartsFormattedOneAfterTheOtherGiveTheWholeOutput(inputFormat: DocumentReader.Format) throws {
        let paths = DocumentFixtures.files(inputFormat)
        let (whole, summary) = try format(paths: paths, inputFormat, part: 0, of: 1)
        #expect(summary.documents >= 59 && summary.sentences > summary.documents)
        for parts in 1...5 {
            let formatted = try (0..<parts).map { try format(paths: paths, inputFormat, part: $0, of: parts) }
            #expect(formatted.flatMap(\.0) == whole, "\(parts) parts")
            #expect(formatted.map(\.1.documents).reduce(0, +) == summary.documents, "\(parts) parts")
            #expect(formatted.map(\.1.sentences).reduce(0, +) == summary.sentences, "\(parts) parts")
            #expect(formatted.map(\.1.textBytes).reduce(0, +) == summary.textBytes, "\(parts) parts")
        }
        let path = DocumentFixtures.longAndShortDocument(inputFormat)
        let formatted = try (0..<5).map { try format(paths: [path], inputFormat, part: $0, of: 5) }
        #expect(formatted.map(\.1.documents) == [1, 0, 0, 0, 1])
        #expect(formatted.flatMap(\.0) == (try format(paths: [path], inputFormat, part: 0, of: 1)).0)
    }
}
