import Model
import PretrainingData

/// Small pre-training files of known contents for the loader's tests.
///
/// Row i of a file tagged t, in any layout, has length L − (i mod 3): [CLS] = 2, then
/// 100 + t (the file), 200 + i (the row), 10 + j at each later position j, and [SEP] = 3
/// last, then padding 0; segment 1 from position 4 on; (i mod (P + 1)) masked slots at
/// positions 3, 4, … labelled 500 + position; next-sentence label i mod 2. A CharacterBERT
/// token of id v is the characters [259, v, 260] and 47 zeros, a padded token 50 zeros.
enum LoaderFixtures {
    /// A small BERT.
    static let bert = BertConfiguration(vocabularySize: 1000, hiddenSize: 8, layers: 1, attentionHeads: 2)
    /// A small BERT without the next-sentence head.
    static let mlmOnlyBERT = BertConfiguration(vocabularySize: 1000, hiddenSize: 8, layers: 1, attentionHeads: 2,
                                               nextSentencePrediction: false)
    /// A small CharacterBERT.
    static let characterBERT = BertConfiguration(vocabularySize: 1000, hiddenSize: 8, layers: 1, attentionHeads: 2,
                                                 characterCNN: CharacterCNNConfiguration())

    /// Writes a file of `rows` instances tagged `tag` in `layout` to `path`, with the
    /// attribute `nsp_label_meaning` when `nspMeaning` is given.
    static func write(_ path: String, layout: PretrainingLayout = .nvidia, tag: Int, rows: Int, sequenceLength: Int = 8,
                      maxPredictions: Int = 3, nspMeaning: NSPLabelMeaning? = nil) throws {
        let (n, l, p) = (rows, sequenceLength, maxPredictions)
        var ids: [Int32] = [], mask: [Int32] = [], segments: [Int32] = []
        var positions: [Int32] = [], labels: [Int32] = [], denseLabels: [Int32] = []
        for i in 0..<n {
            let length = l - i % 3
            let used = (0..<i % (p + 1)).map { Int32(3 + $0) }
            for j in 0..<l {
                let id: Int32 = j >= length ? 0 : j == 0 ? 2 : j == length - 1 ? 3 : j == 1 ? Int32(100 + tag)
                    : j == 2 ? Int32(200 + i) : Int32(10 + j)
                let characters = id == 0 ? Array(repeating: 0, count: 50) : [259, id, 260] + Array(repeating: 0, count: 47)
                ids += layout == .characterBERT ? characters : [id]
                mask.append(j < length ? 1 : 0)
                segments.append(j >= 4 && j < length ? 1 : 0)
                denseLabels.append(used.contains(Int32(j)) ? Int32(500 + j) : -1)
            }
            positions += used + Array(repeating: 0, count: p - used.count)
            labels += used.map { 500 + $0 } + Array(repeating: 0, count: p - used.count)
        }
        let file = try HDF5File.create(path: path)
        let nsp = (0..<n).map { Int32($0 % 2) }
        let datasets: [(String, HDF5ElementType, [Int], [Int32])]
        switch layout {
        case .nvidia, .characterBERT:
            datasets = [("input_ids", .int32, layout == .nvidia ? [n, l] : [n, l, 50], ids), ("input_mask", .int8, [n, l], mask),
                        ("segment_ids", .int8, [n, l], segments), ("masked_lm_positions", .int32, [n, p], positions),
                        ("masked_lm_ids", .int32, [n, p], labels), ("next_sentence_labels", .int8, [n], nsp)]
        case .dense:
            datasets = [("input_ids", .int32, [n, l], ids), ("attention_mask", .int8, [n, l], mask),
                        ("token_type_ids", .int8, [n, l], segments), ("masked_lm_labels", .int32, [n, l], denseLabels),
                        ("next_sentence_label", .int8, [n], nsp)]
        }
        for (name, type, shape, values) in datasets {
            try file.createDataset(name, type: type, shape: shape, chunkRows: 4, compressionLevel: 1).write(values)
        }
        if let nspMeaning { try file.setAttribute("nsp_label_meaning", .string(nspMeaning.rawValue)) }
        try file.close()
    }

    /// The id of token `position` of row `row` in a batch of sequences of `sequenceLength`
    /// (for character ids, the token's second character).
    static func token(_ inputs: PretrainingInputs, row: Int, position: Int) -> Int32 {
        let index = row * inputs.shape.sequenceLength + position
        return inputs.tokenIDs.count == inputs.shape.tokens ? inputs.tokenIDs[index] : inputs.tokenIDs[index * 50 + 1]
    }

    /// The file tag and row index of each row of a batch (−100 and −200 for a padding row).
    static func rows(_ inputs: PretrainingInputs) -> [(file: Int, row: Int)] {
        (0..<inputs.shape.batchSize).map { row in
            (Int(token(inputs, row: row, position: 1)) - 100, Int(token(inputs, row: row, position: 2)) - 200)
        }
    }
}
