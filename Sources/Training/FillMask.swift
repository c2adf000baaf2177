import Model
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `bertkit fill-mask`: the tokens a model's MLM head finds most likely at each `[MASK]` of
/// texts, with their probabilities, as Hugging Face's fill-mask pipeline gives them.
///
/// Each text becomes `[CLS]` text `[SEP]` (`ModelTokenizer`); its `[MASK]` positions are the
/// masked slots the model evaluates its MLM head at (dropout off); each slot's logits go
/// through a softmax over the whole vocabulary, and the `k` highest probabilities are kept
/// (ties to the lower id). Texts are run in batches, each padded to its longest text.
public struct FillMask {
    /// One candidate token at a `[MASK]`.
    public struct Candidate: Sendable, Equatable {
        /// The token (CharacterBERT: the MLM vocabulary's word).
        public var token: String
        /// Its id in the vocabulary.
        public var id: Int
        /// Its probability.
        public var score: Float
    }

    /// What the model predicts for one text.
    public struct Prediction: Sendable {
        /// The text.
        public var input: InputText
        /// Its tokens, `[CLS]` and `[SEP]` included.
        public var tokens: [String]
        /// The positions of its `[MASK]`s among the tokens.
        public var maskPositions: [Int]
        /// For each `[MASK]`, the most likely tokens, most likely first.
        public var candidates: [[Candidate]]
    }

    /// The model used.
    public let model: CheckpointModel
    private let tokenizer: ModelTokenizer
    private let vocabulary: [String]

    /// Fill-mask with `model`.
    /// - Throws: `BERTKitError` when the model has no vocabulary.
    public init(_ model: CheckpointModel) throws {
        self.model = model
        tokenizer = try ModelTokenizer(model)
        vocabulary = try model.vocabulary()
    }

    /// The `topK` most likely tokens at each `[MASK]` of each of `texts`, in batches of
    /// `batchSize` texts.
    /// - Throws: `BERTKitError` naming a text without `[MASK]` or longer than the model's
    ///   positions.
    public func predict(_ texts: [InputText], topK: Int, batchSize: Int) throws -> [Prediction] {
        precondition(topK >= 1 && batchSize >= 1, "fill-mask needs k ≥ 1 and batches of at least one text")
        let encoded = try texts.map { text in
            let encoded = try tokenizer.encode(text)
            guard !encoded.maskPositions.isEmpty else {
                throw text.error("has no [MASK]: write [MASK] where a token is to be predicted")
            }
            return encoded
        }
        var predictions: [Prediction] = []
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = Array(encoded[start..<min(start + batchSize, texts.count)])
            let slots = batch.map(\.maskPositions.count).max()!
            let logits = try model.predictions(tokenizer.inputs(batch, maxPredictions: slots)).maskedLanguageModel
            let width = model.description.configuration.vocabularySize
            for (row, text) in batch.enumerated() {
                let candidates = text.maskPositions.indices.map { slot in
                    let offset = (row * slots + slot) * width
                    return best(logits[offset..<offset + width], count: topK)
                }
                predictions.append(Prediction(input: texts[start + row], tokens: text.tokens,
                                              maskPositions: text.maskPositions, candidates: candidates))
            }
        }
        return predictions
    }

    /// The `count` most probable tokens of one slot's `logits` under their softmax; ids
    /// beyond the vocabulary (rows the model has but no token names) are not candidates.
    private func best(_ logits: ArraySlice<Float>, count: Int) -> [Candidate] {
        let base = logits.startIndex
        let maximum = logits.max()!
        let total = logits.reduce(0.0) { $0 + exp(Double($1 - maximum)) }
        let ids = (0..<min(vocabulary.count, logits.count)).sorted {
            logits[base + $0] != logits[base + $1] ? logits[base + $0] > logits[base + $1] : $0 < $1
        }
        return ids.prefix(count).map { id in
            Candidate(token: vocabulary[id], id: id, score: Float(exp(Double(logits[base + id] - maximum)) / total))
        }
    }
}
