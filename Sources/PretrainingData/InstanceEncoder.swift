import Tokenizers

/// Lays a shard's instances out as the six datasets of NVIDIA's or CharacterBERT's layout
/// (../shared/REFERENCE.md §3), in the store's shuffled order, padded with 0.
struct InstanceEncoder {
    let options: InstanceOptions
    let vocabulary: TokenVocabulary
    let compressionLevel: Int

    /// The layout written: CharacterBERT's for word tokens, NVIDIA's for WordPiece ids.
    var layout: PretrainingLayout { vocabulary.isWords ? .characterBERT : .nvidia }

    /// What next-sentence label 1 means in the files written.
    var nspMeaning: NSPLabelMeaning {
        options.nextSentencePrediction ? layout.defaultNSPMeaning : .none
    }

    /// The datasets of `store`, whose extra words (CharacterBERT) are `extraWords`.
    func encode(_ store: InstanceStore, extraWords: [String]) -> [EncodedDataset] {
        let rows = store.count
        let length = options.maxSeqLength
        let predictions = options.maxPredictionsPerSeq
        func dataset(_ name: String, _ type: HDF5ElementType, _ rowShape: [Int],
                     fill: (_ instance: Int, _ elements: UnsafeMutableRawPointer) -> Void) -> EncodedDataset {
            EncodedDataset(name: name, type: type, rows: rows, rowShape: rowShape, compressionLevel: compressionLevel) {
                fill(Int(store.order[$0]), $1)
            }
        }
        let inputIDs: EncodedDataset
        if vocabulary.isWords {
            let characters = CharacterTable(tokens: store.tokens, vocabulary: vocabulary, extraWords: extraWords)
            inputIDs = dataset("input_ids", .int32, [length, CharacterMapper.idsPerToken]) { instance, elements in
                let out = elements.assumingMemoryBound(to: Int32.self)
                for (slot, index) in store.tokenRange(instance).enumerated() {
                    characters.copy(store.tokens[index], to: out + slot * CharacterMapper.idsPerToken)
                }
            }
        } else {
            inputIDs = dataset("input_ids", .int32, [length]) { instance, elements in
                let out = elements.assumingMemoryBound(to: Int32.self)
                for (slot, index) in store.tokenRange(instance).enumerated() { out[slot] = store.tokens[index] }
            }
        }
        let meaning = nspMeaning
        return [
            inputIDs,
            dataset("input_mask", .int8, [length]) { instance, elements in
                elements.initializeMemory(as: Int8.self, repeating: 1, count: store.tokenRange(instance).count)
            },
            dataset("segment_ids", .int8, [length]) { instance, elements in
                let second = store.secondSegmentStart(instance)
                let count = store.tokenRange(instance).count
                if second < count { (elements + second).initializeMemory(as: Int8.self, repeating: 1, count: count - second) }
            },
            dataset("masked_lm_positions", .int32, [predictions]) { instance, elements in
                let out = elements.assumingMemoryBound(to: Int32.self)
                for (slot, index) in store.predictionRange(instance).enumerated() { out[slot] = store.positions[index] }
            },
            dataset("masked_lm_ids", .int32, [predictions]) { instance, elements in
                let out = elements.assumingMemoryBound(to: Int32.self)
                for (slot, index) in store.predictionRange(instance).enumerated() { out[slot] = store.labels[index] }
            },
            dataset("next_sentence_labels", .int8, []) { instance, elements in
                elements.storeBytes(of: meaning.label(isRandomNext: store.isRandomNext(instance)), as: Int8.self)
            },
        ]
    }
}

/// The character ids of the tokens one shard uses, spelled once each.
private struct CharacterTable {
    private var offsets: [Int32]
    private var ids: [Int32] = []

    init(tokens: [Int32], vocabulary: TokenVocabulary, extraWords: [String]) {
        offsets = [Int32](repeating: -1, count: Int(vocabulary.firstExtraID) + extraWords.count)
        let mapper = CharacterMapper()
        for token in tokens where offsets[Int(token)] < 0 {
            offsets[Int(token)] = Int32(ids.count)
            var text = vocabulary.token(token, extraWords: extraWords)
            text.withUTF8 { mapper.appendCharacterIDs(ofUTF8: $0, to: &ids) }
        }
    }

    /// Copies the 50 character ids of `token` to `destination`.
    func copy(_ token: Int32, to destination: UnsafeMutablePointer<Int32>) {
        ids.withUnsafeBufferPointer { ids in
            destination.update(from: ids.baseAddress! + Int(offsets[Int(token)]), count: CharacterMapper.idsPerToken)
        }
    }
}
