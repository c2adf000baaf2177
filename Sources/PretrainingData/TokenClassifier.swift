import Tokenizers

/// Tells what the input tokens of a batch are — [CLS], [SEP], [MASK], padding or a word —
/// for WordPiece ids and CharacterBERT character ids alike, and spells them back.
struct TokenClassifier {
    enum Kind: Equatable { case cls, sep, mask, padding, other }

    /// WordPiece ids of the specials (unused for character ids).
    private let cls: Int32, sep: Int32, mask: Int32
    /// The input vocabulary (WordPiece) or label vocabulary (CharacterBERT's MLM words).
    private let vocabulary: Vocabulary?
    private let isCharacters: Bool
    private static let mapper = CharacterMapper()
    private static let beginningOfWord = CharacterMapper.beginningOfWord + 1
    private static let endOfWord = CharacterMapper.endOfWord + 1

    /// A classifier for the file `batch` came from; without a vocabulary, WordPiece specials
    /// are inferred: [CLS] opens the first row, [SEP] ends it, [MASK] is the commonest input
    /// at masked positions.
    init(batch: PretrainingBatch, vocabulary: Vocabulary?) {
        self.vocabulary = vocabulary
        isCharacters = batch.idsPerToken > 1
        if let vocabulary, !isCharacters,
           let cls = vocabulary.id(of: "[CLS]"), let sep = vocabulary.id(of: "[SEP]"), let mask = vocabulary.id(of: "[MASK]") {
            (self.cls, self.sep, self.mask) = (Int32(cls), Int32(sep), Int32(mask))
            return
        }
        var counts: [Int32: Int] = [:]
        for row in 0..<batch.count {
            for slot in 0..<batch.predictionCount(ofRow: row) {
                let position = Int(batch.maskedPositions[row * batch.maxPredictions + slot])
                if position < batch.sequenceLength { counts[batch.inputIDs[row * batch.sequenceLength + position], default: 0] += 1 }
            }
        }
        let length = batch.count > 0 ? batch.length(ofRow: 0) : 0
        cls = batch.count > 0 ? batch.inputIDs[0] : -1
        sep = length > 0 ? batch.inputIDs[length - 1] : -1
        mask = counts.max { $0.value < $1.value }?.key ?? -1
    }

    /// The ids of the token at `position` of `row`.
    private func ids(row: Int, position: Int, of batch: PretrainingBatch) -> ArraySlice<Int32> {
        let start = (row * batch.sequenceLength + position) * batch.idsPerToken
        return batch.inputIDs[start..<start + batch.idsPerToken]
    }

    func kind(row: Int, position: Int, of batch: PretrainingBatch) -> Kind {
        let ids = ids(row: row, position: position, of: batch)
        let first = ids[ids.startIndex]
        if !isCharacters {
            switch first {
            case cls: return .cls
            case sep: return .sep
            case mask: return .mask
            default: return .other
            }
        }
        if first == 0 { return .padding }
        guard first == Self.beginningOfWord, ids[ids.startIndex + 2] == Self.endOfWord else { return .other }
        switch ids[ids.startIndex + 1] - 1 {
        case CharacterMapper.beginningOfSentence: return .cls
        case CharacterMapper.endOfSentence: return .sep
        case CharacterMapper.mask: return .mask
        default: return .other
        }
    }

    /// Whether the token at `position` is the token `label` names; nil when that cannot be
    /// told (character ids without the MLM vocabulary).
    func holds(label: Int32, row: Int, position: Int, of batch: PretrainingBatch) -> Bool? {
        let ids = ids(row: row, position: position, of: batch)
        guard isCharacters else { return ids.first == label }
        guard let vocabulary, Int(label) < vocabulary.count else { return nil }
        return ids.elementsEqual(Self.mapper.characterIDs(of: vocabulary.tokens[Int(label)]))
    }

    /// A broken invariant of the input ids of `row`'s first `length` tokens, or nil.
    func problem(row: Int, length: Int, of batch: PretrainingBatch) -> String? {
        for position in 0..<length {
            let ids = ids(row: row, position: position, of: batch)
            if !isCharacters {
                if ids.first! < 0 || vocabulary.map({ Int(ids.first!) >= $0.count }) == true {
                    return "input id \(ids.first!) at position \(position) is outside the vocabulary"
                }
                continue
            }
            guard ids.first == Self.beginningOfWord, let end = ids.firstIndex(of: Self.endOfWord), end >= ids.startIndex + 2,
                  ids[(ids.startIndex + 1)..<end].allSatisfy({ $0 >= 1 && $0 <= 262 && $0 != Self.beginningOfWord }),
                  ids[(end + 1)...].allSatisfy({ $0 == CharacterMapper.padding + 1 }) else {
                return "character ids at position \(position) are not a framed token"
            }
        }
        return nil
    }

    /// Row `row` as text: tokens separated by spaces, `[input→label]` at masked positions.
    func decode(row: Int, of batch: PretrainingBatch) -> String {
        let length = batch.length(ofRow: row)
        var labels: [Int: Int32] = [:]
        for slot in 0..<batch.predictionCount(ofRow: row) {
            labels[Int(batch.maskedPositions[row * batch.maxPredictions + slot])] = batch.maskedLabels[row * batch.maxPredictions + slot]
        }
        return (0..<length).map { position in
            let text = spell(row: row, position: position, of: batch)
            guard let label = labels[position] else { return text }
            let original = vocabulary.map { label >= 0 && Int(label) < $0.count ? $0.tokens[Int(label)] : "#\(label)" } ?? "#\(label)"
            return "[\(text)→\(original)]"
        }.joined(separator: " ")
    }

    /// The token at `position`, spelled.
    private func spell(row: Int, position: Int, of batch: PretrainingBatch) -> String {
        switch kind(row: row, position: position, of: batch) {
        case .cls: return "[CLS]"
        case .sep: return "[SEP]"
        case .mask: return "[MASK]"
        case .padding: return "[PAD]"
        case .other: break
        }
        let ids = ids(row: row, position: position, of: batch)
        if !isCharacters {
            let id = Int(ids.first!)
            return vocabulary.map { id >= 0 && id < $0.count ? $0.tokens[id] : "#\(id)" } ?? "#\(id)"
        }
        let bytes = ids.dropFirst().prefix { $0 != Self.endOfWord }.map { UInt8(clamping: $0 - 1) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
