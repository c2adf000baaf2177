import Support

/// A pre-training HDF5 file in any layout BERTKit reads (NVIDIA's, CharacterBERT's, the
/// dense one), read as uniform `PretrainingBatch`es.
public final class PretrainingFile {
    /// The file's path.
    public let path: String
    /// Its layout, detected from its dataset names.
    public let layout: PretrainingLayout
    /// Instances (N).
    public let count: Int
    /// Tokens per instance (L).
    public let sequenceLength: Int
    /// Masked slots per instance (P); for the dense layout, the most masked positions of any row.
    public let maxPredictions: Int
    /// What next-sentence label 1 means: the file's `nsp_label_meaning` attribute, else the
    /// layout's convention.
    public let nspMeaning: NSPLabelMeaning
    private let file: HDF5File
    private let datasets: [String: HDF5Dataset]

    /// Opens `path` and checks that its datasets have the shapes of its layout.
    /// - Throws: `BERTKitError` naming the file for anything else, listing the expected keys.
    public init(path: String) throws {
        self.path = path
        file = try HDF5File.open(path: path)
        let names = file.datasetNames
        let openedFile = file
        guard let layout = PretrainingLayout.detect(datasetNames: names, inputIDsRank: {
            (try? openedFile.dataset("input_ids").shape.count) ?? 0
        }) else {
            let expected = [PretrainingLayout.nvidia, .dense].map { "\($0 == .nvidia ? "NVIDIA or CharacterBERT" : "dense"): \($0.keys.joined(separator: ", "))" }
            throw BERTKitError(file: path, "not a pre-training file: it holds \(names.isEmpty ? "no datasets" : "datasets " + names.joined(separator: ", ")); expected the keys of a layout (\(expected.joined(separator: "; ")))")
        }
        self.layout = layout
        var datasets: [String: HDF5Dataset] = [:]
        for key in layout.keys { datasets[key] = try file.dataset(key) }
        self.datasets = datasets
        let inputIDs = datasets["input_ids"]!
        guard inputIDs.shape.count >= 2 else { throw BERTKitError(file: path, "dataset 'input_ids' has shape \(inputIDs.shape); expected (N, L)") }
        count = inputIDs.shape[0]
        sequenceLength = inputIDs.shape[1]
        if layout == .characterBERT, inputIDs.shape != [count, sequenceLength, 50] {
            throw BERTKitError(file: path, "dataset 'input_ids' has shape \(inputIDs.shape); expected (N, L, 50) character ids")
        }
        let predictionKey = layout == .dense ? "masked_lm_labels" : "masked_lm_positions"
        let predictionWidth = datasets[predictionKey]!.shape.dropFirst().first ?? 0
        for key in layout.keys {
            let dataset = datasets[key]!
            let expected: [Int]
            switch key {
            case "input_ids": expected = inputIDs.shape
            case "next_sentence_labels", "next_sentence_label": expected = dataset.shape.count == 2 ? [count, 1] : [count]
            case "masked_lm_positions", "masked_lm_ids": expected = [count, predictionWidth]
            default: expected = [count, sequenceLength]
            }
            guard dataset.shape == expected, dataset.isInteger else {
                throw BERTKitError(file: path, "dataset '\(key)' has shape \(dataset.shape)\(dataset.isInteger ? "" : " and no integers"); expected integers of shape \(expected)")
            }
        }
        if layout == .dense {
            var most = 0
            let labels = datasets["masked_lm_labels"]!
            let block = max(1, (1 << 20) / max(1, sequenceLength))
            for start in stride(from: 0, to: count, by: block) {
                let values = try labels.readInt32(rows: start..<min(start + block, count))
                for row in 0..<values.count / sequenceLength {
                    most = max(most, values[row * sequenceLength..<(row + 1) * sequenceLength].reduce(0) { $0 + ($1 != -1 ? 1 : 0) })
                }
            }
            maxPredictions = most
        } else {
            maxPredictions = predictionWidth
        }
        if case .string(let meaning)? = file.attribute("nsp_label_meaning"), let known = NSPLabelMeaning(rawValue: meaning) {
            nspMeaning = known
        } else {
            nspMeaning = layout.defaultNSPMeaning
        }
    }

    /// The root attribute `name`, if the file has it.
    public func attribute(_ name: String) -> HDF5AttributeValue? { file.attribute(name) }

    /// The root attribute `name` as an integer, if the file has one.
    public func integerAttribute(_ name: String) -> Int? {
        if case .integer(let value)? = file.attribute(name) { return Int(value) }
        return nil
    }

    /// The rows `rows`.
    public func read(rows: Range<Int>) throws -> PretrainingBatch {
        let inputIDs = try datasets["input_ids"]!.readInt32(rows: rows)
        var batch = PretrainingBatch(
            count: rows.count, sequenceLength: sequenceLength, maxPredictions: maxPredictions,
            idsPerToken: layout == .characterBERT ? 50 : 1, inputIDs: inputIDs, inputMask: [], segmentIDs: [],
            maskedPositions: [], maskedLabels: [], nextSentenceLabels: [])
        switch layout {
        case .nvidia, .characterBERT:
            batch.inputMask = try datasets["input_mask"]!.readInt32(rows: rows)
            batch.segmentIDs = try datasets["segment_ids"]!.readInt32(rows: rows)
            batch.maskedPositions = try datasets["masked_lm_positions"]!.readInt32(rows: rows)
            batch.maskedLabels = try datasets["masked_lm_ids"]!.readInt32(rows: rows)
            batch.nextSentenceLabels = try datasets["next_sentence_labels"]!.readInt32(rows: rows)
        case .dense:
            batch.inputMask = try datasets["attention_mask"]!.readInt32(rows: rows)
            batch.segmentIDs = try datasets["token_type_ids"]!.readInt32(rows: rows)
            batch.nextSentenceLabels = try datasets["next_sentence_label"]!.readInt32(rows: rows)
            let labels = try datasets["masked_lm_labels"]!.readInt32(rows: rows)
            batch.maskedPositions = [Int32](repeating: 0, count: rows.count * maxPredictions)
            batch.maskedLabels = batch.maskedPositions
            for row in 0..<rows.count {
                var slot = row * maxPredictions
                for position in 0..<sequenceLength where labels[row * sequenceLength + position] != -1 {
                    batch.maskedPositions[slot] = Int32(position)
                    batch.maskedLabels[slot] = labels[row * sequenceLength + position]
                    slot += 1
                }
            }
        }
        return batch
    }
}
