/// One batch of pre-training inputs on the host, in Hugging Face's conventions.
///
/// Shapes (B sequences of S tokens, P masked slots each, L characters per token):
/// token ids [B·S] (BERT) or [B·S·L] (CharacterBERT's character ids); token types and the
/// attention mask [B·S]; masked positions and labels [B·P]; next-sentence labels [B].
public struct PretrainingInputs: Sendable {
    /// The sizes the arrays have.
    public var shape: BatchShape
    /// WordPiece ids, or CharacterBERT's character ids, of every token, padding included.
    public var tokenIDs: [Int32]
    /// 0 for the first segment, 1 for the second.
    public var tokenTypeIDs: [Int32]
    /// 1 for a token to attend to, 0 for padding.
    public var attentionMask: [Int32]
    /// The position in its sequence of each masked slot (any valid position for an unused slot).
    public var maskedPositions: [Int32]
    /// The id to predict at each slot, or `ignoredLabel` for an unused slot.
    public var maskedLabels: [Int32]
    /// 0 when the second segment follows the first, 1 when it is random (Hugging Face's
    /// convention), or `ignoredLabel` for a row that does not count (MLM only, padding rows).
    public var nextSentenceLabels: [Int32]

    /// The label that the losses skip, as PyTorch's cross-entropy's `ignore_index`.
    public static let ignoredLabel: Int32 = -100

    public init(shape: BatchShape, tokenIDs: [Int32], tokenTypeIDs: [Int32], attentionMask: [Int32],
                maskedPositions: [Int32], maskedLabels: [Int32], nextSentenceLabels: [Int32]) {
        self.shape = shape
        self.tokenIDs = tokenIDs
        self.tokenTypeIDs = tokenTypeIDs
        self.attentionMask = attentionMask
        self.maskedPositions = maskedPositions
        self.maskedLabels = maskedLabels
        self.nextSentenceLabels = nextSentenceLabels
    }
}
