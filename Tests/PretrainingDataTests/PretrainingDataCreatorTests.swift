import PretrainingData
import Support
import TestSupport
import Testing
import Tokenizers

@Suite struct PretrainingDataCreatorTests {
    /// Instances, with the masked tokens restored, are made of runs of their documents' tokens;
    /// every invariant `data inspect --check` knows holds.
    @Test(arguments: [(true, false), (true, true), (false, false)])
    func instancesAreRunsOfTheirDocumentsAndHoldEveryInvariant(nsp: Bool, wholeWords: Bool) throws {
        let text = PretrainingFixtures.corpus(documents: 30, seed: 7)
        var options = InstanceOptions()
        options.maxSeqLength = 48
        options.maxPredictionsPerSeq = 6
        options.nextSentencePrediction = nsp
        options.wholeWordMask = wholeWords
        let (directory, summary) = try PretrainingFixtures.create([("training.0.txt", text)], options: options)
        let (file, batch) = try PretrainingFixtures.rows(directory + "/training.0.hdf5")
        #expect(file.layout == .nvidia && file.count == summary.total(\.instances) && file.count > 100)
        #expect(file.nspMeaning == (nsp ? .randomNext : NSPLabelMeaning.none))
        let report = try PretrainingFileReport(file: file, vocabulary: PretrainingFixtures.vocabulary)
        #expect(report.violationCount == 0, "\(report.violations)")
        let streams = PretrainingFixtures.documentStreams(text)
        let cls: Int32 = 2, sep: Int32 = 3
        for row in 0..<batch.count {
            let length = batch.length(ofRow: row)
            var tokens = Array(batch.inputIDs[row * 48..<row * 48 + length])
            let labels = batch.denseLabels(ofRow: row)
            for position in 0..<length where labels[position] >= 0 { tokens[position] = labels[position] }
            #expect(tokens.first == cls && tokens.last == sep)
            let segments = tokens.dropFirst().dropLast().split(separator: sep, omittingEmptySubsequences: false).map(Array.init)
            #expect(segments.count == (nsp ? 2 : 1) && segments.allSatisfy { !$0.isEmpty })
            let owners = segments.map { segment in streams.indices.filter { streams[$0].containsRun(segment) } }
            #expect(owners.allSatisfy { !$0.isEmpty }, "instance \(row) has a segment found in no document")
            if nsp && batch.nextSentenceLabels[row] == 0 {
                #expect(!Set(owners[0]).isDisjoint(with: owners[1]), "an actual-next pair spans two documents")
            }
            // The budget: min(P, max(1, round(n * 0.15))) with Python's round; whole words may fall short.
            let budget = min(6, max(1, Int((Double(length) * 0.15).rounded(.toNearestOrEven))))
            let predictions = batch.predictionCount(ofRow: row)
            if wholeWords { #expect(predictions <= budget) } else { #expect(predictions == budget) }
        }
    }

    /// Whole-word masking masks a word's "##" pieces with it.
    @Test func wholeWordMaskingTakesEveryPieceOfAWord() throws {
        var options = InstanceOptions()
        options.wholeWordMask = true
        let text = PretrainingFixtures.corpus(documents: 20, seed: 3)
        let (directory, _) = try PretrainingFixtures.create([("a.txt", text)], options: options)
        let (_, batch) = try PretrainingFixtures.rows(directory + "/a.hdf5")
        var continued = 0
        for row in 0..<batch.count {
            let labels = batch.denseLabels(ofRow: row)
            for position in 1..<batch.length(ofRow: row) where labels[position] >= 0 {
                let isPiece = PretrainingFixtures.vocabulary.tokens[Int(labels[position])].hasPrefix("##")
                if isPiece {
                    continued += 1
                    #expect(labels[position - 1] >= 0, "a '##' piece is masked without the piece before it")
                }
            }
        }
        #expect(continued > 50)
    }

    /// The masking shares follow 80/10/10 and the statistics follow the algorithm.
    @Test func maskingSharesAndNextSentenceBalance() throws {
        let (directory, summary) = try PretrainingFixtures.create(
            [("a.txt", PretrainingFixtures.corpus(documents: 200, maxSentences: 12, seed: 11))])
        let (file, _) = try PretrainingFixtures.rows(directory + "/a.hdf5")
        let report = try PretrainingFileReport(file: file, vocabulary: PretrainingFixtures.vocabulary)
        let total = Double(report.totalPredictions)
        // About 30,000 predictions: a share's standard error is below 0.0025.
        #expect(total > 20_000)
        #expect(abs(Double(report.maskTokens) / total - 0.8) < 0.01)
        // A random draw can hit the original token (1 in 48 here), which then counts as kept.
        #expect(abs(Double(report.keptTokens) / total - (0.1 + 0.1 / 48)) < 0.01)
        #expect(abs(Double(report.randomTokens) / total - (0.1 - 0.1 / 48)) < 0.01)
        // One-sentence chunks always take a random next sentence: the share is above one half
        // (by how much depends on the corpus; the compat test holds it against the reference's).
        let randomNext = Double(summary.total(\.randomNext)) / Double(summary.total(\.instances))
        #expect(randomNext > 0.5 && randomNext < 0.8)
        #expect(Double(report.nspOnes) / Double(report.instances) == randomNext)
    }

    /// The output is the same for any thread count and for a shard given alone; another seed
    /// gives another file.
    @Test func outputDependsOnTheSeedAndNotOnThreads() throws {
        let shards = (0..<3).map { ("training.\($0).txt", PretrainingFixtures.corpus(documents: 12, seed: UInt64($0))) }
        let one = try PretrainingFixtures.create(shards, threads: 1).directory
        let two = try PretrainingFixtures.create(shards, threads: 2).directory
        let alone = try PretrainingFixtures.create([shards[1]], threads: 2).directory
        var reseeded = InstanceOptions()
        reseeded.seed = 99
        let other = try PretrainingFixtures.create(shards, options: reseeded).directory
        for index in 0..<3 {
            let name = "/training.\(index).hdf5"
            #expect(TestFiles.read(one + name) == TestFiles.read(two + name))
            #expect(TestFiles.read(one + name) != TestFiles.read(other + name))
        }
        #expect(TestFiles.read(alone + "/training.1.hdf5") == TestFiles.read(one + "/training.1.hdf5"))
    }

    /// An empty shard is skipped with a warning; a one-document shard warns and labels every
    /// pair actual-next; sentences longer than the sequence are cut to fit.
    @Test func emptyAndOneDocumentShardsAndLongSentences() throws {
        var warnings: [String] = []
        let long = (0..<300).map { "w\($0 % 40)" }.joined(separator: " ")
        let (directory, summary) = try PretrainingFixtures.create(
            [("empty.txt", "\n\n  \n"), ("one.txt", "w1 w2 .\nw3 w4 .\n\(long)\nw5 .\n")],
            warnings: { warnings.append($0) })
        #expect(summary.shards.map(\.output) == [nil, directory + "/one.hdf5"])
        #expect(!FileSystem.exists(directory + "/empty.hdf5"))
        #expect(warnings.contains { $0.contains("empty.txt") && $0.contains("no documents") })
        #expect(warnings.contains { $0.contains("one.txt") && $0.contains("one document") })
        let (file, batch) = try PretrainingFixtures.rows(directory + "/one.hdf5")
        #expect(batch.nextSentenceLabels.allSatisfy { $0 == 0 })
        #expect((0..<file.count).contains { batch.length(ofRow: $0) == 128 })
        #expect(try PretrainingFileReport(file: file, vocabulary: PretrainingFixtures.vocabulary).violationCount == 0)
    }

    /// Unknown words become [UNK] and are counted; existing outputs are kept without overwrite.
    @Test func unknownWordsAndExistingOutputs() throws {
        let text = "w1 zebra w2 .\nw3 .\n\nw4 quokka .\nw5 w6 .\n"
        let (directory, summary) = try PretrainingFixtures.create([("a.txt", text)])
        #expect(summary.total(\.unknownTokens) == 2)
        let (_, batch) = try PretrainingFixtures.rows(directory + "/a.hdf5")
        #expect(batch.inputIDs.contains(1) || batch.maskedLabels.contains(1))
        var creator = PretrainingDataCreator(
            options: InstanceOptions(), vocabulary: try TokenVocabulary(wordPiece: PretrainingFixtures.tokenizer),
            vocabularySource: .init(file: "vocab.txt", sha256: "0"), lowercase: true)
        let input = FileSystem.split(directory).directory + "/a.txt"
        #expect(throws: BERTKitError.self) {
            try creator.run(inputs: [input], outputDirectory: directory, progress: ProgressReporter(enabled: false))
        }
        creator.overwrite = true
        _ = try creator.run(inputs: [input], outputDirectory: directory, progress: ProgressReporter(enabled: false))
    }

    /// CharacterBERT: character ids spell the words, labels are MLM ids, only MLM words are
    /// masked, and label 1 means B follows A.
    @Test func characterBERTFiles() throws {
        let mlm = try Vocabulary(tokens: (0..<30).map { "w\($0)" } + ["."])
        let vocabulary = TokenVocabulary(words: BasicTokenizer(), mlmVocabulary: mlm)
        let text = PretrainingFixtures.corpus(documents: 20, seed: 5)
        let (directory, _) = try PretrainingFixtures.create([("a.txt", text)], vocabulary: vocabulary)
        let (file, batch) = try PretrainingFixtures.rows(directory + "/a.hdf5")
        #expect(file.layout == .characterBERT && file.nspMeaning == .isNext && batch.idsPerToken == 50)
        #expect(try PretrainingFileReport(file: file, vocabulary: mlm).violationCount == 0)
        let mapper = CharacterMapper()
        #expect(Array(batch.inputIDs[0..<50]) == mapper.characterIDs(of: "[CLS]"))
        var labelled = 0
        for row in 0..<batch.count {
            for slot in 0..<batch.predictionCount(ofRow: row) {
                let label = batch.maskedLabels[row * batch.maxPredictions + slot]
                #expect(label >= 0 && Int(label) < mlm.count)
                labelled += 1
            }
        }
        #expect(labelled > 100)
        // Words outside the MLM vocabulary ("w30xy", "w35") are spelled out and never masked.
        let words = Set((0..<batch.count * 128).compactMap { token -> String? in
            let ids = batch.inputIDs[token * 50..<token * 50 + 50]
            guard ids.first == CharacterMapper.beginningOfWord + 1, ids[ids.startIndex + 2] != CharacterMapper.endOfWord + 1 else { return nil }
            return String(decoding: ids.dropFirst().prefix { $0 != CharacterMapper.endOfWord + 1 }.map { UInt8($0 - 1) }, as: UTF8.self)
        })
        #expect(words.contains("w35") && words.contains("w3xy"))
    }
}
