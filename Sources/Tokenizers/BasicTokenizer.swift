/// BERT's BasicTokenizer: the normalizer and pre-tokenizer without WordPiece, writing a
/// text's words separated by single spaces — what CharacterBERT's corpus formatting writes
/// and its MLM vocabulary counts.
///
/// It shares `BertNormalizer` and `BertPreTokenizer` with the WordPiece tokenizer, so its
/// words are exactly the words the WordPiece tokenizer would split further.
public struct BasicTokenizer: Sendable {
    /// Buffers reused from text to text; one per thread.
    public struct Workspace {
        fileprivate var normalized = NormalizedText()
        fileprivate var words: [Range<Int>] = []
        public init() {}
    }

    public let normalizer: BertNormalizer
    public let preTokenizer = BertPreTokenizer()

    /// Lowercasing (with accent stripping) as bert-base-uncased; `lowercase: false` keeps both.
    public init(lowercase: Bool = true) {
        normalizer = BertNormalizer(lowercase: lowercase)
    }

    /// Appends the words of `text` (UTF-8) to `output`, separated by single spaces; returns
    /// how many words there were.
    @discardableResult
    public func appendWords(of text: UnsafeBufferPointer<UInt8>, to output: inout [UInt8],
                            workspace: inout Workspace) -> Int {
        normalizer.normalize(utf8: text, into: &workspace.normalized)
        preTokenizer.split(workspace.normalized, into: &workspace.words)
        workspace.normalized.utf8.withUnsafeBufferPointer { bytes in
            for (index, word) in workspace.words.enumerated() {
                if index > 0 { output.append(0x20) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[word]))
            }
        }
        return workspace.words.count
    }
}
