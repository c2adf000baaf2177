#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Model
import PretrainingData
import Support
import TestSupport
import Testing
import Training

extension TrainingTests {
    /// The pre-training data loader over small files of known contents (`LoaderFixtures`):
    /// conversion to the model's conventions, NVIDIA's order, exact resumption, validation
    /// passes and the errors.
    @Suite struct PretrainingDataLoaderTests {
        /// A fresh directory of files `training.{i}.hdf5` of `counts[i]` rows, tagged i.
        static func directory(_ counts: [Int], layout: PretrainingLayout = .nvidia, sequenceLength: Int = 8,
                              maxPredictions: Int = 3, nspMeaning: NSPLabelMeaning? = nil) throws -> String {
            let directory = TestFiles.temporaryDirectory()
            for (tag, count) in counts.enumerated() {
                try LoaderFixtures.write(directory + "/training.\(tag).hdf5", layout: layout, tag: tag, rows: count,
                                         sequenceLength: sequenceLength, maxPredictions: maxPredictions, nspMeaning: nspMeaning)
            }
            return directory
        }

        /// A loader for sequences of 8 tokens and 3 masked slots.
        static func loader(_ directory: String, split: DataSplit = .training, configuration: BertConfiguration = LoaderFixtures.bert,
                           sequenceLength: Int = 8, maxPredictions: Int = 3, seed: UInt64 = 7, rank: Int = 0,
                           worldSize: Int = 1, position: DataPosition = DataPosition()) throws -> PretrainingDataLoader {
            try PretrainingDataLoader(directory: directory, split: split, configuration: configuration,
                                      sequenceLength: sequenceLength, maxPredictions: maxPredictions, seed: seed,
                                      rank: rank, worldSize: worldSize, position: position)
        }

        /// The batches of a validation pass with their counts of real rows.
        static func validationBatches(_ loader: PretrainingDataLoader, batchSize: Int) throws -> [(PretrainingInputs, Int)] {
            var batches: [(PretrainingInputs, Int)] = []
            try loader.validationPass(batchSize: batchSize) { batches.append(($0, $1)) }
            return batches
        }

        /// Every array of row `row` of a batch, to compare rows across batches.
        static func row(_ inputs: PretrainingInputs, _ row: Int) -> [[Int32]] {
            let (s, p) = (inputs.shape.sequenceLength, inputs.shape.maxPredictions)
            let idsPerToken = inputs.tokenIDs.count / inputs.shape.tokens
            return [Array(inputs.tokenIDs[row * s * idsPerToken..<(row + 1) * s * idsPerToken]),
                    Array(inputs.tokenTypeIDs[row * s..<(row + 1) * s]), Array(inputs.attentionMask[row * s..<(row + 1) * s]),
                    Array(inputs.maskedPositions[row * p..<(row + 1) * p]), Array(inputs.maskedLabels[row * p..<(row + 1) * p]),
                    [inputs.nextSentenceLabels[row]]]
        }

        /// Every array of a batch and its shape, to compare batches.
        static func contents(_ inputs: PretrainingInputs) -> [[Int32]] {
            [[Int32(inputs.shape.batchSize), Int32(inputs.shape.sequenceLength), Int32(inputs.shape.maxPredictions)]]
                + (0..<inputs.shape.batchSize).flatMap { row(inputs, $0) }
        }

        /// Rows of a file with 2 masked slots, read for 3: used slots keep their positions and
        /// labels, the others get position 0 and -100; NVIDIA's next-sentence labels are kept.
        /// Training batches convert each row the same way.
        @Test func rowsAreConvertedToTheModelsConventions() throws {
            let loader = try Self.loader(try Self.directory([4], maxPredictions: 2))
            let batches = try Self.validationBatches(loader, batchSize: 4)
            #expect(batches.count == 1 && batches[0].1 == 4)
            let inputs = batches[0].0
            #expect(inputs.shape == BatchShape(batchSize: 4, sequenceLength: 8, maxPredictions: 3))
            #expect(inputs.tokenIDs == [2, 100, 200, 13, 14, 15, 16, 3, 2, 100, 201, 13, 14, 15, 3, 0,
                                        2, 100, 202, 13, 14, 3, 0, 0, 2, 100, 203, 13, 14, 15, 16, 3])
            #expect(inputs.attentionMask == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
                                             1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])
            #expect(inputs.tokenTypeIDs == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0,
                                            0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
            #expect(inputs.maskedPositions == [0, 0, 0, 3, 0, 0, 3, 4, 0, 0, 0, 0])
            #expect(inputs.maskedLabels == [-100, -100, -100, 503, -100, -100, 503, 504, -100, -100, -100, -100])
            #expect(inputs.nextSentenceLabels == [0, 1, 0, 1])
            try inputs.validate(for: LoaderFixtures.bert)

            let training = try loader.next(batchSize: 4)
            #expect(training.shape == inputs.shape)
            for row in 0..<4 {
                let index = LoaderFixtures.rows(training)[row].row
                #expect(Self.row(training, row) == Self.row(inputs, index))
            }
            #expect(Set(LoaderFixtures.rows(training).map(\.row)) == [0, 1, 2, 3])
        }

        /// The dense layout's rows, labelled along the sequence, become the same batches as
        /// NVIDIA's with the same contents.
        @Test func denseFilesGiveTheSameBatchesAsNVIDIAs() throws {
            let nvidia = try Self.validationBatches(try Self.loader(try Self.directory([5])), batchSize: 5)
            let dense = try Self.validationBatches(try Self.loader(try Self.directory([5], layout: .dense)), batchSize: 5)
            #expect(Self.contents(dense[0].0) == Self.contents(nvidia[0].0))
        }

        /// Next-sentence labels in Hugging Face's convention (0: B follows A) from each
        /// meaning a file may give, and ignored for data without them or a model without the head.
        @Test func nextSentenceLabelsFollowHuggingFace() throws {
            let cases: [(PretrainingLayout, NSPLabelMeaning?, BertConfiguration, [Int32])] = [
                (.nvidia, nil, LoaderFixtures.bert, [0, 1, 0, 1]),
                (.nvidia, .randomNext, LoaderFixtures.bert, [0, 1, 0, 1]),
                (.nvidia, .isNext, LoaderFixtures.bert, [1, 0, 1, 0]),
                (.nvidia, NSPLabelMeaning.none, LoaderFixtures.bert, [-100, -100, -100, -100]),
                (.nvidia, nil, LoaderFixtures.mlmOnlyBERT, [-100, -100, -100, -100]),
                (.dense, nil, LoaderFixtures.bert, [0, 1, 0, 1]),
                (.characterBERT, nil, LoaderFixtures.characterBERT, [1, 0, 1, 0]),
            ]
            for (layout, meaning, configuration, expected) in cases {
                let loader = try Self.loader(try Self.directory([4], layout: layout, nspMeaning: meaning),
                                             configuration: configuration)
                let labels = try Self.validationBatches(loader, batchSize: 4)[0].0.nextSentenceLabels
                #expect(labels == expected, "\(layout) \(meaning.map(\.rawValue) ?? "default")")
            }
        }

        /// CharacterBERT's files give 50 character ids per token, padded tokens all zeros.
        @Test func characterBERTFilesGiveCharacterIDs() throws {
            let loader = try Self.loader(try Self.directory([4], layout: .characterBERT), configuration: LoaderFixtures.characterBERT)
            let inputs = try loader.next(batchSize: 4)
            #expect(inputs.tokenIDs.count == 4 * 8 * 50)
            let paddedRow = try #require(LoaderFixtures.rows(inputs).firstIndex { $0.row == 1 })
            let token = { (position: Int) in Array(inputs.tokenIDs[(paddedRow * 8 + position) * 50..<(paddedRow * 8 + position + 1) * 50]) }
            #expect(token(2) == [259, 201, 260] + [Int32](repeating: 0, count: 47))
            #expect(token(7) == [Int32](repeating: 0, count: 50))
            #expect(Self.row(inputs, paddedRow)[3] == [3, 0, 0] && Self.row(inputs, paddedRow)[4] == [503, -100, -100])
            try inputs.validate(for: LoaderFixtures.characterBERT)
        }

        /// Equal seeds give equal batches, other seeds others; each epoch serves every row of
        /// every file once, in a new order.
        @Test func orderIsFixedBySeedAndNewEachEpoch() throws {
            let directory = try Self.directory([5, 7, 3])
            let (first, again, other) = (try Self.loader(directory), try Self.loader(directory), try Self.loader(directory, seed: 8))
            #expect(first.rowCount(epoch: 0) == 15 && first.rowCount(epoch: 1) == 15)
            let epochs = try (0..<2).map { _ in try first.next(batchSize: 15) }
            #expect(try epochs.map(Self.contents) == (0..<2).map { _ in Self.contents(try again.next(batchSize: 15)) })
            #expect(Self.contents(try other.next(batchSize: 15)) != Self.contents(epochs[0]))
            let all = Set((0..<3).flatMap { file in (0..<[5, 7, 3][file]).map { "\(file).\($0)" } })
            for epoch in epochs {
                #expect(Set(LoaderFixtures.rows(epoch).map { "\($0.file).\($0.row)" }) == all)
            }
            #expect(LoaderFixtures.rows(epochs[0]).map(\.row) != LoaderFixtures.rows(epochs[1]).map(\.row))
            #expect(first.position == DataPosition(epoch: 2, fileStep: 0, row: 0, rowsServed: 30))
        }

        /// The files rank r of `worldSize` reads at each step of epoch 0, served row by row.
        static func filesRead(_ directory: String, rank: Int, worldSize: Int) throws -> (files: [Int], rows: Int) {
            let loader = try loader(directory, rank: rank, worldSize: worldSize)
            var files: [Int] = []
            for _ in 0..<loader.rowCount(epoch: 0) {
                let step = loader.position.fileStep
                let file = LoaderFixtures.rows(try loader.next(batchSize: 1))[0].file
                if files.count == step { files.append(file) }
                #expect(files[step] == file)
            }
            #expect(loader.position.epoch == 1 && loader.position.fileStep == 0 && loader.position.row == 0)
            return (files, loader.rowCount(epoch: 0))
        }

        /// NVIDIA's rule for two ranks: rank r reads shuffled file (f·2 + r) mod n at step f.
        @Test func ranksReadTheirShareOfTheShuffledFiles() throws {
            let three = try Self.directory([4, 5, 6])
            let (rank0, rows0) = try Self.filesRead(three, rank: 0, worldSize: 2)
            let (rank1, rows1) = try Self.filesRead(three, rank: 1, worldSize: 2)
            // Shuffled indices 0, 2, 1 for rank 0 and 1, 0, 2 for rank 1.
            #expect(Set(rank0) == [0, 1, 2] && rank1 == [rank0[2], rank0[0], rank0[1]])
            #expect(rows0 == 15 && rows1 == 15)

            let four = try Self.directory([4, 5, 6, 7])
            let (even, evenRows) = try Self.filesRead(four, rank: 0, worldSize: 2)
            let (odd, oddRows) = try Self.filesRead(four, rank: 1, worldSize: 2)
            // Shuffled indices 0, 2, 0, 2 for rank 0 and 1, 3, 1, 3 for rank 1.
            #expect(even[2...] == even[..<2] && odd[2...] == odd[..<2] && Set(even[..<2] + odd[..<2]) == [0, 1, 2, 3])
            #expect(evenRows == 2 * even[..<2].reduce(0) { $0 + 4 + $1 } && oddRows == 2 * odd[..<2].reduce(0) { $0 + 4 + $1 })
            #expect(evenRows + oddRows == 2 * (4 + 5 + 6 + 7))
        }

        /// A loader made at a saved position (through its JSON) serves the batches the
        /// uninterrupted one served next, whether the position is inside a file or the next
        /// batch crosses into another file or another epoch.
        @Test func resumingAtAPositionRepeatsTheStream() throws {
            let directory = try Self.directory([5, 7, 3])
            let loader = try Self.loader(directory)
            var positions = [loader.position]
            var batches: [[[Int32]]] = []
            for _ in 0..<12 {
                batches.append(Self.contents(try loader.next(batchSize: 4)))
                positions.append(loader.position)
            }
            #expect(positions.last?.rowsServed == 48 && positions.last?.epoch == 3)
            let crossings = (0..<12).map { (positions[$0], positions[$0 + 1]) }
            #expect(crossings.contains { $0.epoch == $1.epoch && $0.fileStep != $1.fileStep && $1.row > 0 })
            #expect(crossings.contains { $0.epoch != $1.epoch && $1.row > 0 })
            for start in 0..<12 {
                let json = Array(positions[start].json.compact.utf8)
                let saved = try json.withUnsafeBufferPointer { bytes in
                    var scanner = JSONScanner(bytes)
                    return try DataPosition(json: &scanner)
                }
                #expect(saved == positions[start])
                let resumed = try Self.loader(directory, position: saved)
                #expect(try (start..<12).map { _ in Self.contents(try resumed.next(batchSize: 4)) } == Array(batches[start...]),
                        "resumed at \(saved)")
            }
        }

        /// Positions are written as one JSON object and read back; a missing or negative
        /// field is refused.
        @Test func positionsRoundTripThroughJSON() throws {
            let json = DataPosition(epoch: 2, fileStep: 5, row: 17, rowsServed: 1234).json.compact
            #expect(json == #"{"epoch": 2, "file_step": 5, "row": 17, "rows_served": 1234}"#)
            func read(_ text: String) throws -> DataPosition {
                try Array(text.utf8).withUnsafeBufferPointer { bytes in
                    var scanner = JSONScanner(bytes)
                    return try DataPosition(json: &scanner)
                }
            }
            #expect(try read(#"{"row": 1, "other": [1], "epoch": 0, "rows_served": 9, "file_step": 3}"#)
                    == DataPosition(epoch: 0, fileStep: 3, row: 1, rowsServed: 9))
            let missing = try #require(throws: JSONScanner.Malformed.self) { try read(#"{"epoch": 0, "row": 1, "rows_served": 9}"#) }
            #expect(missing.message.contains("file_step"))
            let negative = try #require(throws: JSONScanner.Malformed.self) {
                try read(#"{"epoch": 0, "file_step": 0, "row": -1, "rows_served": 9}"#)
            }
            #expect(negative.message.contains("row"))
        }

        /// A validation pass serves every row once in file and row order; the last batch is
        /// filled with rows that count for nothing, and the training position stays put.
        @Test func validationPassesEveryRowOnceAndPadsTheLastBatch() throws {
            let loader = try Self.loader(try Self.directory([3, 4]))
            let batches = try Self.validationBatches(loader, batchSize: 3)
            #expect(batches.map(\.1) == [3, 3, 1])
            #expect(batches.flatMap { LoaderFixtures.rows($0.0).prefix($0.1).map { "\($0.file).\($0.row)" } }
                    == ["0.0", "0.1", "0.2", "1.0", "1.1", "1.2", "1.3"])
            let last = batches[2].0
            #expect(last.shape == BatchShape(batchSize: 3, sequenceLength: 8, maxPredictions: 3))
            for padding in 1..<3 {
                #expect(Self.row(last, padding) == [[Int32](repeating: 0, count: 8), [Int32](repeating: 0, count: 8),
                                                     [1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0], [-100, -100, -100], [-100]])
            }
            try last.validate(for: LoaderFixtures.bert)
            #expect(loader.position == DataPosition())
            #expect(try Self.validationBatches(loader, batchSize: 7).map(\.1) == [7])
        }

        /// Files of the split: names with "training" or "validation" when some have them,
        /// else every .hdf5 and .h5 file; other files and directories are passed over.
        @Test func splitsTakeTheirFiles() throws {
            let directory = TestFiles.temporaryDirectory()
            try LoaderFixtures.write(directory + "/training.1.h5", tag: 1, rows: 3)
            try LoaderFixtures.write(directory + "/training.0.hdf5", tag: 0, rows: 2)
            try LoaderFixtures.write(directory + "/validation.0.hdf5", tag: 2, rows: 4)
            TestFiles.write(Array("notes".utf8), to: directory + "/notes.txt")
            mkdir(directory + "/old.hdf5", 0o755)
            let training = try Self.loader(directory)
            #expect(training.paths == [directory + "/training.0.hdf5", directory + "/training.1.h5"] && training.totalRows == 5)
            let validation = try Self.loader(directory, split: .validation)
            #expect(validation.paths == [directory + "/validation.0.hdf5"] && validation.totalRows == 4)

            let unnamed = TestFiles.temporaryDirectory()
            try LoaderFixtures.write(unnamed + "/b.h5", tag: 1, rows: 3)
            try LoaderFixtures.write(unnamed + "/a.hdf5", tag: 0, rows: 2)
            for split in DataSplit.allCases {
                #expect(try Self.loader(unnamed, split: split).paths == [unnamed + "/a.hdf5", unnamed + "/b.h5"])
            }
        }

        /// A missing directory, a file, an empty directory and one without HDF5 files are
        /// refused with the directory named and what it holds.
        @Test func directoriesWithoutFilesAreRefused() throws {
            let missing = TestFiles.temporaryDirectory() + "/absent"
            let file = TestFiles.temporaryFile(Array("x".utf8))
            let empty = TestFiles.temporaryDirectory()
            let text = TestFiles.temporaryDirectory()
            TestFiles.write(Array("notes".utf8), to: text + "/notes.txt")
            for (directory, expected) in [(missing, "no such directory"), (file, "not a directory"), (empty, "it is empty"),
                                          (text, "it holds notes.txt")] {
                let error = try #require(throws: BERTKitError.self) { try Self.loader(directory) }
                #expect(error.file == directory && error.message.contains(expected), "\(error)")
            }
        }

        /// A file that does not fit the model is refused, naming it, its value and the
        /// expected one, and how to make the data that fits.
        @Test func filesThatDoNotFitTheModelAreRefused() throws {
            let cases: [(String, () throws -> PretrainingDataLoader, [String])] = [
                ("training.0.hdf5", { try Self.loader(try Self.directory([3]), sequenceLength: 16) },
                 ["instances of 8 tokens", "sequences of 16", "--max-seq-length", "--phase 2"]),
                ("training.0.hdf5", { try Self.loader(try Self.directory([3]), maxPredictions: 2) },
                 ["up to 3 masked positions", "the 2 training uses", "--max-predictions-per-seq"]),
                ("training.0.hdf5", { try Self.loader(try Self.directory([3], layout: .characterBERT)) },
                 ["CharacterBERT's character ids", "the model is a BERT"]),
                ("training.0.hdf5", { try Self.loader(try Self.directory([3]), configuration: LoaderFixtures.characterBERT) },
                 ["WordPiece ids", "--character-bert"]),
            ]
            for (name, make, expected) in cases {
                let error = try #require(throws: BERTKitError.self) { try make() }
                #expect(error.file?.hasSuffix("/" + name) == true, "\(error)")
                #expect(expected.allSatisfy(error.message.contains), "\(error)")
            }
        }

        /// Files that disagree, a rank outside the world and a position past the files are refused.
        @Test func inconsistentSetupsAreRefused() throws {
            let directory = try Self.directory([3, 4])
            try LoaderFixtures.write(directory + "/training.1.hdf5", tag: 1, rows: 4, nspMeaning: .isNext)
            let mixed = try #require(throws: BERTKitError.self) { try Self.loader(directory) }
            #expect(mixed.file == directory + "/training.1.hdf5" && mixed.message.contains(directory + "/training.0.hdf5"))

            let good = try Self.directory([3, 4])
            #expect(throws: BERTKitError.self) { try Self.loader(good, rank: 2, worldSize: 2) }
            for position in [DataPosition(fileStep: 2), DataPosition(row: 5)] {
                let error = try #require(throws: BERTKitError.self) { try Self.loader(good, position: position) }
                #expect(error.file == good && error.message.contains("does not fit"), "\(error)")
            }
        }

        /// A file that cannot be read when its turn comes makes the call that needs it throw,
        /// naming it, with the position kept; once it is back, the stream goes on as if
        /// nothing had happened.
        @Test func readErrorsSurfaceAndTheCallCanBeRepeated() throws {
            let directory = try Self.directory([5, 7, 3])
            let expected = try Self.loader(directory)
            let reference = try (0..<10).map { _ in Self.contents(try expected.next(batchSize: 3)) }
            let loader = try Self.loader(directory)
            let paths = loader.paths
            // Swapped in whole (the good file kept under a second name, the bad one renamed over
            // it), so that a read under way keeps the file it opened and the reading thread never
            // finds a name missing.
            for path in paths {
                #expect(link(path, path + ".good") == 0)
                TestFiles.write(Array("not an HDF5 file".utf8), to: path + ".bad")
                #expect(rename(path + ".bad", path) == 0)
            }
            var served: [[[Int32]]] = []
            var failure: BERTKitError?
            while failure == nil && served.count < 10 {
                do {
                    served.append(Self.contents(try loader.next(batchSize: 3)))
                } catch let error as BERTKitError {
                    failure = error
                }
            }
            let error = try #require(failure)
            #expect(paths.contains(error.file ?? "") && error.message.contains("not an HDF5 file"), "\(error)")
            for path in paths { #expect(rename(path + ".good", path) == 0) }
            while served.count < 10 { served.append(Self.contents(try loader.next(batchSize: 3))) }
            #expect(served == reference)
        }

        /// A file that holds other instances when its turn comes than when the loader was
        /// made is refused rather than served in the wrong shape.
        @Test func filesChangedSinceTheStartAreRefused() throws {
            let directory = try Self.directory([5, 7])
            let loader = try Self.loader(directory)
            let path = directory + "/training.1.hdf5"
            try LoaderFixtures.write(path + ".new", tag: 1, rows: 6)
            #expect(rename(path + ".new", path) == 0)
            let error = try #require(throws: BERTKitError.self) {
                for _ in 0..<2 * loader.totalRows { _ = try loader.next(batchSize: 1) }
            }
            #expect(error.file == path && error.message.contains("changed since training started")
                    && error.message.contains("held 7 instances") && error.message.contains("now holds 6 instances"), "\(error)")
        }
    }
}
