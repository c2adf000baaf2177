/// The HDF5 layouts of pre-training data (../shared/REFERENCE.md §3) that BERTKit reads.
public enum PretrainingLayout: String, Sendable, CaseIterable {
    /// NVIDIA's: WordPiece input ids (N, L), masked positions and ids (N, P).
    case nvidia
    /// CharacterBERT's: NVIDIA's keys with character ids (N, L, 50) as input and MLM-vocabulary
    /// ids as labels.
    case characterBERT = "character-bert"
    /// The "dense" layout: labels (N, L) with -1 where nothing is masked.
    case dense

    /// The dataset names, in the order files hold them.
    public var keys: [String] {
        switch self {
        case .nvidia, .characterBERT:
            return ["input_ids", "input_mask", "segment_ids", "masked_lm_positions", "masked_lm_ids", "next_sentence_labels"]
        case .dense:
            return ["input_ids", "attention_mask", "token_type_ids", "masked_lm_labels", "next_sentence_label"]
        }
    }

    /// What label 1 of next-sentence prediction means when a file does not say.
    public var defaultNSPMeaning: NSPLabelMeaning {
        self == .characterBERT ? .isNext : .randomNext
    }

    /// The layout whose keys a file's dataset names hold (others may be present too); the
    /// NVIDIA and CharacterBERT layouts, which share keys, are told apart by the rank of
    /// `input_ids` (3 for character ids).
    public static func detect(datasetNames: [String], inputIDsRank: () -> Int) -> PretrainingLayout? {
        let names = Set(datasetNames)
        if PretrainingLayout.nvidia.keys.allSatisfy(names.contains) {
            return inputIDsRank() == 3 ? .characterBERT : .nvidia
        }
        return PretrainingLayout.dense.keys.allSatisfy(names.contains) ? .dense : nil
    }
}

/// What a next-sentence label of 1 means in a file.
public enum NSPLabelMeaning: String, Sendable {
    /// 1: segment B is from another document (Google's, NVIDIA's and Hugging Face's convention).
    case randomNext = "random-next"
    /// 1: segment B follows A (CharacterBERT's convention).
    case isNext = "is-next"
    /// No next-sentence prediction: one segment, labels 0.
    case none

    /// The label stored for an instance.
    func label(isRandomNext: Bool) -> Int8 {
        switch self {
        case .randomNext: return isRandomNext ? 1 : 0
        case .isNext: return isRandomNext ? 0 : 1
        case .none: return 0
        }
    }
}
