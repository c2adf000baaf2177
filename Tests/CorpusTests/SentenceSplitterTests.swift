import Testing
import Support
@testable import Corpus

@Suite struct SentenceSplitterTests {
    @Test func writesOneSentencePerLineAndABlankLineAfterEachDocument() throws {
        let directory = DumpFixtures.temporaryDirectory()
        DumpFixtures.write(Array("First one. Second\none.\n\n   \n\nThird\u{2028}one.\r\nStill third.\n".utf8), to: directory + "/docs.txt")
        let reader = try DocumentReader(paths: [directory + "/docs.txt"], format: .blocks)
        let output = try OutputFile(path: directory + "/sentences.txt", overwrite: false)
        let splitter = SentenceSplitter(segmenter: PunktSegmenter(parameters: PunktParameters()), threads: 2)
        let summary = try splitter.run(reader: reader, output: output, progress: ProgressReporter(enabled: false))
        try output.commit()
        #expect(DumpFixtures.read(directory + "/sentences.txt")
                == "First one.\nSecond one.\n\nThird one.\nStill third.\n\n")
        #expect(summary.documents == 2 && summary.sentences == 4)
    }
}
