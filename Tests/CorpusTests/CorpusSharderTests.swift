import Testing
import TestSupport
@testable import Corpus
import Support

@Suite struct CorpusSharderTests {
    /// A formatted corpus of `count` documents; document i has 1 + i % 5 sentences.
    func corpus(_ count: Int) -> (text: String, documents: [String]) {
        let documents = (0..<count).map { index in
            (0...(index % 5)).map { "Document \(index) sentence \($0)." }.joined(separator: "\n") + "\n"
        }
        return (documents.joined(separator: "\n"), documents)
    }

    func write(_ text: String) -> String {
        let path = TestFiles.temporaryDirectory() + "/formatted.txt"
        TestFiles.write(Array(text.utf8), to: path)
        return path
    }

    func shard(_ input: String, training: Int, validation: Int, seed: UInt64 = 12345,
               configure: (inout CorpusSharder.Options) -> Void = { _ in }) throws -> (String, CorpusSharder.Summary) {
        let output = TestFiles.temporaryDirectory() + "/shards"
        var options = CorpusSharder.Options(trainingShards: training, validationShards: validation)
        options.seed = seed
        configure(&options)
        let summary = try CorpusSharder(options: options).run(inputs: [input], outputDirectory: output,
                                                              progress: ProgressReporter(enabled: false))
        return (output, summary)
    }

    func documents(in directory: String, _ names: [String]) -> [String] {
        names.flatMap { name in
            TestFiles.readString(directory + "/" + name).split(separator: "\n\n", omittingEmptySubsequences: true)
                .map { $0.hasSuffix("\n") ? String($0) : $0 + "\n" }
        }
    }

    @Test func assignerPicksTheFewestSentencesThenTheLowestID() {
        var assigner = ShardAssigner(count: 3)
        #expect(assigner.assign(sentences: 5) == 0)
        #expect(assigner.assign(sentences: 2) == 1)
        #expect(assigner.assign(sentences: 2) == 2)
        #expect(assigner.assign(sentences: 1) == 1)  // 1 and 2 tie at 2: lowest id
        #expect(assigner.assign(sentences: 9) == 2)
        #expect(assigner.assign(sentences: 1) == 1)  // counts: 5, 4, 11
    }

    @Test func everyDocumentLandsOnceAndCountsAddUp() throws {
        let (text, originals) = corpus(200)
        let (output, summary) = try shard(write(text), training: 8, validation: 2)
        let sharder = CorpusSharder(options: .init(trainingShards: 8, validationShards: 2))
        let written = documents(in: output, sharder.fileNames)
        #expect(written.sorted() == originals.sorted())
        #expect(summary.documents == 200)
        #expect(summary.sentences == originals.map { $0.split(separator: "\n").count }.reduce(0, +))
        #expect(summary.shards.map(\.documents).reduce(0, +) == 200)
        for shard in summary.shards {
            #expect(shard.documents > 0)
            #expect(FileSystem.size(output + "/" + shard.file) == shard.bytes)
        }
        let manifest = TestFiles.readString(output + "/manifest.json")
        #expect(manifest.contains(#""documents": 200"#))
        #expect(manifest.contains(#"{"file": "validation.1.txt""#))
    }

    @Test func theSeedDecidesTheShuffleAndRunsRepeat() throws {
        let input = write(corpus(120).text)
        let names = CorpusSharder(options: .init(trainingShards: 6, validationShards: 2)).fileNames
        let (first, _) = try shard(input, training: 6, validation: 2, seed: 1)
        let (again, _) = try shard(input, training: 6, validation: 2, seed: 1)
        let (other, _) = try shard(input, training: 6, validation: 2, seed: 2)
        let contents = { (directory: String) in names.map { TestFiles.readString(directory + "/" + $0) } }
        #expect(contents(first) == contents(again))
        #expect(contents(first) != contents(other))
        #expect(Set(contents(first)) == Set(contents(other)))  // the same shards, other names
    }

    @Test func fewerOpenFilesThanShardsGivesTheSameShards() throws {
        let input = write(corpus(150).text)
        let names = CorpusSharder(options: .init(trainingShards: 7, validationShards: 3)).fileNames
        let (once, single) = try shard(input, training: 7, validation: 3)
        let (grouped, multi) = try shard(input, training: 7, validation: 3) { $0.maximumOpenShards = 3 }
        #expect(single.passes == 1)
        #expect(multi.passes == 4)
        #expect(names.map { TestFiles.readString(once + "/" + $0) } == names.map { TestFiles.readString(grouped + "/" + $0) })
    }

    @Test(arguments: [nil, 2])
    func theShardFilesOfEachPartWrittenIntoOneDirectoryAreThoseOfOneRun(maximumOpenShards: Int?) throws {
        let input = write(corpus(150).text)
        var options = CorpusSharder.Options(trainingShards: 7, validationShards: 3)
        let (once, _) = try shard(input, training: 7, validation: 3)
        let names = (CorpusSharder(options: options).fileNames + ["manifest.json"]).sorted()
        options.maximumOpenShards = maximumOpenShards
        let sharder = CorpusSharder(options: options)
        for parts in 1...3 {
            let output = TestFiles.temporaryDirectory() + "/shards"
            try sharder.prepare(output)
            let summaries = try (0..<parts).map { part in
                try sharder.writeShards(files: [input], outputDirectory: output, part: part, of: parts,
                                        progress: ProgressReporter(enabled: false))
            }
            try sharder.finish(summaries[0], directory: output, inputs: [input])
            #expect(try FileSystem.contents(of: output) == names, "\(parts) parts")
            for name in names {
                #expect(TestFiles.read(output + "/" + name) == TestFiles.read(once + "/" + name), "\(parts) parts: \(name)")
            }
            #expect(summaries.allSatisfy { $0.documents == 150 && $0.shards.map(\.bytes) == summaries[0].shards.map(\.bytes) })
            // Part 0 writes ⌈10 / parts⌉ shards: in passes of 2 when 2 files may be open.
            let written = (10 + parts - 1) / parts
            #expect(summaries[0].passes == (maximumOpenShards == nil ? 1 : (written + 1) / 2), "\(parts) parts")
        }
    }

    @Test func moreShardsThanDocumentsIsAnErrorLeavingNothing() throws {
        let input = write(corpus(5).text)
        let output = TestFiles.temporaryDirectory() + "/shards"
        #expect(throws: BERTKitError.self) {
            try CorpusSharder(options: .init(trainingShards: 4, validationShards: 2))
                .run(inputs: [input], outputDirectory: output, progress: ProgressReporter(enabled: false))
        }
        #expect(FileSystem.isEmptyDirectory(output))
    }

    @Test func nonEmptyOutputNeedsForceAndForceReplacesStaleShards() throws {
        let input = write(corpus(40).text)
        let (output, _) = try shard(input, training: 6, validation: 1)
        let sharder = CorpusSharder(options: .init(trainingShards: 2, validationShards: 1))
        #expect(throws: BERTKitError.self) {
            try sharder.run(inputs: [input], outputDirectory: output, progress: ProgressReporter(enabled: false))
        }
        var forced = sharder.options
        forced.force = true
        _ = try CorpusSharder(options: forced).run(inputs: [input], outputDirectory: output, progress: ProgressReporter(enabled: false))
        #expect(try FileSystem.contents(of: output) == ["manifest.json", "training.0.txt", "training.1.txt", "validation.0.txt"])
    }

    @Test func blankLinesOfSpacesSeparateDocumentsAndCRLFIsRead() throws {
        let input = write("a one\r\na two\r\n  \t\r\n\r\n\r\nb one\n\n\nc one\nc two")
        let (output, summary) = try shard(input, training: 3, validation: 0)
        #expect(summary.documents == 3)
        #expect(summary.sentences == 5)
        let written = documents(in: output, ["training.0.txt", "training.1.txt", "training.2.txt"]).sorted()
        #expect(written == ["a one\na two\n", "b one\n", "c one\nc two\n"])
    }
}
