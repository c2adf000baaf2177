/// The parameters of instance creation, with the reference script's names and defaults
/// (`create_pretraining_data.py`; the dupe factor is NVIDIA's and CharacterBERT's 5).
public struct InstanceOptions: Sendable, Equatable {
    /// Tokens per instance, [CLS] and [SEP]s included (L).
    public var maxSeqLength = 128
    /// Masked positions per instance at most (P).
    public var maxPredictionsPerSeq = 20
    /// The share of an instance's tokens to mask, before the P cap.
    public var maskedLMProb = 0.15
    /// The probability that a document's target length is drawn uniformly from 2 ... L - 3.
    public var shortSeqProb = 0.1
    /// Passes over the documents, each making different instances.
    public var dupeFactor = 5
    /// The seed; each shard's generator is derived from it and the shard's file name.
    public var seed: UInt64 = 12345
    /// Masks whole words: "##" pieces go with the word they continue.
    public var wholeWordMask = false
    /// Sentence pairs for next-sentence prediction; false gives single segments (MLM only).
    public var nextSentencePrediction = true

    public init() {}

    /// BERT's two pre-training phases: 1 is 128 tokens and 20 predictions, 2 is 512 and 80.
    public static func phase(_ phase: Int) -> InstanceOptions? {
        var options = InstanceOptions()
        switch phase {
        case 1: (options.maxSeqLength, options.maxPredictionsPerSeq) = (128, 20)
        case 2: (options.maxSeqLength, options.maxPredictionsPerSeq) = (512, 80)
        default: return nil
        }
        return options
    }

    /// A description of what is wrong with the options, or nil when they are usable.
    public var problem: String? {
        let minimumLength = nextSentencePrediction ? 5 : 3
        if maxSeqLength < minimumLength { return "the maximum sequence length must be at least \(minimumLength)" }
        if maxPredictionsPerSeq < 1 { return "the maximum number of predictions must be at least 1" }
        if maxPredictionsPerSeq > maxSeqLength { return "the maximum number of predictions cannot exceed the sequence length" }
        if !(maskedLMProb > 0 && maskedLMProb <= 1) { return "the masked LM probability must be in (0, 1]" }
        if !(shortSeqProb >= 0 && shortSeqProb <= 1) { return "the short sequence probability must be in [0, 1]" }
        if dupeFactor < 1 { return "the dupe factor must be at least 1" }
        return nil
    }
}
