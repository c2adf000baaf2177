/// How a run that starts from another run's checkpoint (`init_checkpoint`, or phase 2 from
/// phase 1's last checkpoint) takes its weights, where a resumed run needs an exact match
/// (`exact`):
/// - with `adaptsHeads`, the pooler and the next-sentence head may be on one side only: a
///   model trained MLM-only leaves the checkpoint's unused, and a model with next-sentence
///   prediction starts them (and their Adam moments) from fresh values when the checkpoint
///   has none;
/// - with `vocabulary`, the tables indexed by vocabulary ids take the rows of the tokens the
///   two vocabularies share and keep their fresh values for the others (`VocabularyTransfer`).
public struct WeightTransfer: Sendable {
    /// Whether the pooler and next-sentence head may be missing on either side.
    public var adaptsHeads: Bool
    /// How vocabulary-indexed rows move, or nil when the vocabulary is the same.
    public var vocabulary: VocabularyTransfer?

    /// Every tensor of the model in the checkpoint, in the same shape, and nothing else.
    public static let exact = WeightTransfer(adaptsHeads: false, vocabulary: nil)

    public init(adaptsHeads: Bool, vocabulary: VocabularyTransfer?) {
        self.adaptsHeads = adaptsHeads
        self.vocabulary = vocabulary
    }

    /// Whether `name` (a parameter's, or an optimizer buffer's "exp_avg.<parameter>") belongs
    /// to the pooler or the next-sentence head.
    public static func isNextSentenceHead(_ name: String) -> Bool {
        name.hasPrefix("bert.pooler.") || name.hasPrefix("cls.seq_relationship.")
            || name.contains(".bert.pooler.") || name.contains(".cls.seq_relationship.")
    }

    /// Whether the tensor `name` may be missing on one side.
    func isOptional(_ name: String) -> Bool { adaptsHeads && Self.isNextSentenceHead(name) }

    /// Whether the rows of the tensor `name` move by vocabulary.
    func movesRows(_ name: String) -> Bool { vocabulary != nil && VocabularyTransfer.parameterNames.contains(name) }
}
