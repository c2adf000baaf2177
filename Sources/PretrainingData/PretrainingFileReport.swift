import Support
import Tokenizers

/// What `data inspect` shows of a pre-training file: counts, lengths, masking and NSP
/// statistics, every broken invariant, and instances decoded back to text.
///
/// Invariants: input_mask is ones then zeros (at least [CLS] and [SEP]); the first token is
/// [CLS]; padding is all zeros; segment ids are 0 through the first [SEP] and 1 after it to
/// the end with NSP, all 0 without; [SEP] ends each segment; masked positions are ascending,
/// inside the sequence, never [CLS] or [SEP], and unused slots are 0 in positions and labels;
/// ids are inside their vocabularies; character ids (CharacterBERT) frame each token; NSP
/// labels are 0 or 1 (0 without NSP).
public struct PretrainingFileReport: Sendable {
    /// The file's layout.
    public var layout: PretrainingLayout
    /// Instances, tokens per instance (L) and masked slots per instance (P).
    public var instances = 0, sequenceLength = 0, maxPredictions = 0
    /// What next-sentence label 1 means.
    public var nspMeaning: NSPLabelMeaning
    /// Instances by length, in 8 equal bins of L (the last ends at L).
    public var lengthHistogram = [Int](repeating: 0, count: 8)
    /// Sum of real tokens, instances at full length, sum of masked positions.
    public var totalLength = 0, fullLength = 0, totalPredictions = 0
    /// Masked positions holding [MASK], their original token, and another token; and those
    /// that could not be told apart (no vocabulary to spell CharacterBERT labels).
    public var maskTokens = 0, keptTokens = 0, randomTokens = 0, undecidedTokens = 0
    /// Instances whose next-sentence label is 1.
    public var nspOnes = 0
    /// How many invariants were broken, and the first few, each naming its row.
    public var violationCount = 0
    public var violations: [String] = []

    /// Instances to decode for the report.
    public var examples: [String] = []

    /// Reads the whole of `file`. `vocabulary` is its input vocabulary (WordPiece) or, for
    /// CharacterBERT, its MLM vocabulary; without one, [CLS], [SEP] and [MASK] are inferred.
    public init(file: PretrainingFile, vocabulary: Vocabulary?, examples exampleCount: Int = 3,
                progress: ProgressReporter? = nil) throws {
        layout = file.layout
        instances = file.count
        sequenceLength = file.sequenceLength
        maxPredictions = file.maxPredictions
        nspMeaning = file.nspMeaning
        let labelCount = vocabulary?.count ?? file.integerAttribute("vocab_size")
        let block = max(1, (1 << 22) / max(1, file.sequenceLength * (file.layout == .characterBERT ? 50 : 1)))
        var tokens: TokenClassifier?
        for start in stride(from: 0, to: file.count, by: block) {
            let batch = try file.read(rows: start..<min(start + block, file.count))
            let classifier = tokens ?? TokenClassifier(batch: batch, vocabulary: vocabulary)
            tokens = classifier
            for row in 0..<batch.count {
                check(row: row, of: batch, number: start + row, tokens: classifier, labelCount: labelCount)
                if examples.count < exampleCount { examples.append(classifier.decode(row: row, of: batch)) }
            }
            progress?.update("inspected \(start + batch.count)/\(file.count) instances")
        }
    }

    /// Records a broken invariant of instance `number`.
    private mutating func violate(_ number: Int, _ message: String) {
        violationCount += 1
        if violations.count < 20 { violations.append("instance \(number): \(message)") }
    }

    private mutating func check(row: Int, of batch: PretrainingBatch, number: Int, tokens: TokenClassifier, labelCount: Int?) {
        let length = batch.length(ofRow: row)
        let base = row * batch.sequenceLength
        totalLength += length
        if length == batch.sequenceLength { fullLength += 1 }
        lengthHistogram[min(7, max(0, (length - 1) * 8 / max(1, batch.sequenceLength)))] += 1
        if batch.inputMask[base..<base + length].contains(where: { $0 != 1 })
            || batch.inputMask[base + length..<base + batch.sequenceLength].contains(where: { $0 != 0 }) {
            violate(number, "input mask is not ones followed by zeros")
        }
        if length < 2 { return violate(number, "fewer than 2 tokens") }
        if tokens.kind(row: row, position: 0, of: batch) != .cls { violate(number, "does not start with [CLS]") }
        for position in length..<batch.sequenceLength {
            let ids = (base + position) * batch.idsPerToken
            if batch.inputIDs[ids..<ids + batch.idsPerToken].contains(where: { $0 != 0 }) || batch.segmentIDs[base + position] != 0 {
                violate(number, "padding position \(position) is not all zeros")
                break
            }
        }
        // The segment structure fixes where the [SEP]s are.
        let segments = batch.segmentIDs[base..<base + length]
        var separators = [length - 1]
        if let second = segments.firstIndex(of: 1) {
            if nspMeaning == .none { violate(number, "segment ids of 1 in a file without next-sentence prediction") }
            if segments[second...].contains(where: { $0 != 1 }) || segments[..<second].contains(where: { $0 != 0 }) {
                violate(number, "segment ids are not zeros then ones")
            }
            separators.insert(second - 1 - base, at: 0)
        } else if nspMeaning != .none {
            violate(number, "no second segment")
        }
        for separator in separators where tokens.kind(row: row, position: separator, of: batch) != .sep {
            violate(number, "no [SEP] at position \(separator), where a segment ends")
        }
        let predictions = batch.predictionCount(ofRow: row)
        totalPredictions += predictions
        var previous = 0
        for slot in 0..<batch.maxPredictions {
            let position = Int(batch.maskedPositions[row * batch.maxPredictions + slot])
            let label = batch.maskedLabels[row * batch.maxPredictions + slot]
            if slot >= predictions {
                if position != 0 || label != 0 { violate(number, "masked slot \(slot) after the last prediction is not 0") }
                continue
            }
            if position <= previous { violate(number, "masked positions are not ascending at slot \(slot)") }
            previous = position
            if position >= length { violate(number, "masked position \(position) is past the sequence (length \(length))") }
            if separators.contains(position) { violate(number, "masked position \(position) is a [SEP]") }
            if label < 0 || labelCount.map({ Int(label) >= $0 }) == true {
                violate(number, "masked label \(label) is outside the vocabulary")
                continue
            }
            switch tokens.kind(row: row, position: position, of: batch) {
            case .mask: maskTokens += 1
            default:
                switch tokens.holds(label: label, row: row, position: position, of: batch) {
                case true?: keptTokens += 1
                case false?: randomTokens += 1
                case nil: undecidedTokens += 1
                }
            }
        }
        if let problem = tokens.problem(row: row, length: length, of: batch) { violate(number, problem) }
        let label = batch.nextSentenceLabels[row]
        if label == 1 { nspOnes += 1 }
        if label != 0 && label != 1 { violate(number, "next-sentence label \(label) is neither 0 nor 1") }
        if nspMeaning == .none && label != 0 { violate(number, "next-sentence label 1 in a file without next-sentence prediction") }
    }

    /// The report as `data inspect` prints it.
    public var text: String {
        func share(_ count: Int, of total: Int) -> String { total == 0 ? "-" : Formatting.fixed(Double(count) / Double(total), 3) }
        var lines = [
            "layout: \(layout.rawValue)",
            "instances: \(instances), sequence length \(sequenceLength), up to \(maxPredictions) predictions",
            "mean length: \(Formatting.fixed(Double(totalLength) / Double(max(1, instances)), 1)) tokens; full length: \(share(fullLength, of: instances))",
            "length histogram (tokens: instances): " + (0..<8).map { bin in
                "\(bin * sequenceLength / 8 + 1)-\((bin + 1) * sequenceLength / 8): \(lengthHistogram[bin])"
            }.joined(separator: ", "),
            "mean predictions: \(Formatting.fixed(Double(totalPredictions) / Double(max(1, instances)), 2)) per instance",
            "masked positions: [MASK] \(share(maskTokens, of: totalPredictions)), kept \(share(keptTokens, of: totalPredictions)), random \(share(randomTokens, of: totalPredictions))"
                + (undecidedTokens > 0 ? ", kept or random (no vocabulary to tell) \(share(undecidedTokens, of: totalPredictions))" : ""),
            "next-sentence labels: 1 means \(nspMeaning.rawValue); share of 1: \(share(nspOnes, of: instances))",
        ]
        if !examples.isEmpty {
            lines.append("first instances ([input→label] at masked positions):")
            lines += examples.enumerated().map { "  \($0.offset): \($0.element)" }
        }
        lines.append(violationCount == 0 ? "invariants: all hold" : "invariants: \(violationCount) broken")
        lines += violations.map { "  \($0)" }
        return lines.joined(separator: "\n")
    }

    /// The report's numbers as one JSON object.
    public var json: String {
        let fields: [(String, String)] = [
            ("layout", "\"\(layout.rawValue)\""), ("instances", "\(instances)"), ("sequence_length", "\(sequenceLength)"),
            ("max_predictions", "\(maxPredictions)"), ("nsp_label_meaning", "\"\(nspMeaning.rawValue)\""),
            ("total_length", "\(totalLength)"), ("full_length", "\(fullLength)"), ("total_predictions", "\(totalPredictions)"),
            ("mask_tokens", "\(maskTokens)"), ("kept_tokens", "\(keptTokens)"), ("random_tokens", "\(randomTokens)"),
            ("undecided_tokens", "\(undecidedTokens)"), ("nsp_ones", "\(nspOnes)"),
            ("length_histogram", "[\(lengthHistogram.map(String.init).joined(separator: ","))]"),
            ("violations", "\(violationCount)"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
