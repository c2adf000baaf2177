import PretrainingData
import Support
import TestSupport
import Testing

@Suite struct PretrainingFileTests {
    /// Attributes of each kind round-trip; datasets are listed, typed and read as Int32.
    @Test func attributesAndDatasetsRoundTrip() throws {
        let path = TestFiles.temporaryDirectory() + "/x.hdf5"
        let file = try HDF5File.create(path: path)
        try file.setAttribute("count", .integer(-7))
        try file.setAttribute("share", .real(0.25))
        try file.setAttribute("name", .string("naïve"))
        try file.createDataset("small", type: .int8, shape: [3, 2], chunkRows: 2, compressionLevel: 4).write([1, -2, 3, -4, 5, -6])
        try file.createDataset("plain", type: .int32, shape: [2], chunkRows: 1, compressionLevel: 0).write([70000, -1])
        try file.close()
        let reopened = try HDF5File.open(path: path)
        #expect(reopened.attribute("count") == .integer(-7))
        #expect(reopened.attribute("share") == .real(0.25))
        #expect(reopened.attribute("name") == .string("naïve"))
        #expect(reopened.attribute("absent") == nil)
        #expect(reopened.datasetNames == ["plain", "small"])
        let small = try reopened.dataset("small")
        #expect(small.shape == [3, 2] && small.elementSize == 1 && small.isGzipCompressed && small.chunkShape == [2, 2])
        #expect(try small.readInt32(rows: 1..<3) == [3, -4, 5, -6])
        #expect(try reopened.dataset("plain").isGzipCompressed == false)
        #expect(throws: BERTKitError.self) { try small.readInt32(rows: 2..<4) }
    }

    /// A file without a layout's keys is refused with the keys each layout needs.
    @Test func unknownLayoutsNameTheExpectedKeys() throws {
        let path = TestFiles.temporaryDirectory() + "/other.hdf5"
        let file = try HDF5File.create(path: path)
        try file.createDataset("features", type: .int32, shape: [1], chunkRows: 1, compressionLevel: 0).write([1])
        try file.close()
        do {
            _ = try PretrainingFile(path: path)
            Issue.record("a file without pre-training keys was accepted")
        } catch let error as BERTKitError {
            #expect(error.file == path)
            #expect(error.message.contains("features") && error.message.contains("masked_lm_positions")
                && error.message.contains("masked_lm_labels"))
        }
        let text = TestFiles.temporaryFile(Array("not hdf5".utf8))
        #expect(throws: BERTKitError.self) { _ = try PretrainingFile(path: text) }
    }

    /// Each kind of broken invariant is caught and named.
    @Test(arguments: [
        ("masked_lm_positions", 0, 1, "ascending"),
        ("masked_lm_positions", 0, 0, "after the last prediction"),
        ("input_ids", 0, 0, "[CLS]"),
        ("masked_lm_ids", 0, 99, "outside the vocabulary"),
        ("segment_ids", 0, 1, "segment"),
        ("input_mask", 0, 0, "input mask"),
    ])
    func brokenInvariantsAreFound(key: String, row: Int, value: Int32, expected: String) throws {
        let (directory, _) = try PretrainingFixtures.create([("a.txt", PretrainingFixtures.corpus(documents: 10, seed: 1))])
        let path = directory + "/a.hdf5"
        let good = try PretrainingFile(path: path)
        let batch = try good.read(rows: 0..<good.count)
        // Breaks instance 0 in the dataset `key`.
        let firstPosition = Int(batch.maskedPositions[0])
        var values: [Int32]
        switch key {
        case "masked_lm_positions":
            values = batch.maskedPositions
            if value == 1 { values.swapAt(0, 1) } else { values[batch.maxPredictions - 1] = 7 }
        case "input_ids": values = batch.inputIDs; values[0] = 5
        case "masked_lm_ids": values = batch.maskedLabels; values[0] = Int32(PretrainingFixtures.vocabulary.count) + value
        case "segment_ids": values = batch.segmentIDs; values[1] = value
        default: values = batch.inputMask; values[firstPosition] = value
        }
        let corrupted = TestFiles.temporaryDirectory() + "/bad.hdf5"
        TestFiles.write(TestFiles.read(path)!, to: corrupted)
        try rewrite(corrupted, key: key, values: values)
        let report = try PretrainingFileReport(file: try PretrainingFile(path: corrupted), vocabulary: PretrainingFixtures.vocabulary)
        #expect(report.violationCount > 0)
        #expect(report.violations.first?.contains("instance 0") == true)
        #expect(report.violations.contains { $0.contains(expected) }, "\(report.violations)")
    }

    /// Replaces dataset `key` of the file at `path` with `values` (same shape, no gzip).
    private func rewrite(_ path: String, key: String, values: [Int32]) throws {
        let source = try PretrainingFile(path: path)
        let batch = try source.read(rows: 0..<source.count)
        let copy = path + ".new"
        let file = try HDF5File.create(path: copy)
        let shapes: [String: ([Int], HDF5ElementType, [Int32])] = [
            "input_ids": ([source.count, source.sequenceLength], .int32, batch.inputIDs),
            "input_mask": ([source.count, source.sequenceLength], .int8, batch.inputMask),
            "segment_ids": ([source.count, source.sequenceLength], .int8, batch.segmentIDs),
            "masked_lm_positions": ([source.count, source.maxPredictions], .int32, batch.maskedPositions),
            "masked_lm_ids": ([source.count, source.maxPredictions], .int32, batch.maskedLabels),
            "next_sentence_labels": ([source.count], .int8, batch.nextSentenceLabels),
        ]
        for (name, (shape, type, data)) in shapes {
            try file.createDataset(name, type: type, shape: shape, chunkRows: 64, compressionLevel: 1)
                .write(name == key ? values : data)
        }
        try file.setAttribute("vocab_size", .integer(Int64(PretrainingFixtures.vocabulary.count)))
        try file.close()
        TestFiles.write(TestFiles.read(copy)!, to: path)
    }
}
