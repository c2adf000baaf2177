import Support
import Tokenizers

/// Reads a formatted shard — one sentence per line, a blank line between documents — into
/// token ids, as Google's script reads its input: a line that is blank after stripping ends
/// a document, a line without tokens is skipped, empty documents are dropped.
struct ShardTokenizer {
    let vocabulary: TokenVocabulary

    /// The documents of the file at `path`.
    func tokenize(file path: String) throws -> TokenizedShard {
        let reader = try LineReader(path: path)
        var shard = TokenizedShard()
        switch vocabulary.kind {
        case .wordPiece(let tokenizer):
            var buffer = TokenBuffer()
            let unknown = tokenizer.model.unknownID
            while try reader.next({ line in
                if Self.isBlank(line) { return shard.endDocument() }
                tokenizer.tokenize(utf8: line, into: &buffer)
                for id in buffer.ids {
                    shard.tokens.append(Int32(id))
                    if id == unknown { shard.unknownTokens += 1 }
                }
                shard.endSentence()
            }) != nil {}
        case .words(let basic):
            var workspace = BasicTokenizer.Workspace()
            var words: [UInt8] = []
            var extraIDs: [String: Int32] = [:]
            let labels = vocabulary.labels
            let firstExtra = vocabulary.firstExtraID
            while try reader.next({ line in
                if Self.isBlank(line) { return shard.endDocument() }
                words.removeAll(keepingCapacity: true)
                basic.appendWords(of: line, to: &words, workspace: &workspace)
                words.withUnsafeBufferPointer { bytes in
                    for word in bytes.split(separator: 0x20) {
                        let word = UnsafeBufferPointer(rebasing: word)
                        if let id = labels.id(of: word) {
                            shard.tokens.append(Int32(id))
                            continue
                        }
                        let text = String(decoding: word, as: UTF8.self)
                        let id = extraIDs[text] ?? {
                            let id = firstExtra + Int32(shard.extraWords.count)
                            shard.extraWords.append(text)
                            extraIDs[text] = id
                            return id
                        }()
                        shard.tokens.append(id)
                        shard.unknownTokens += 1
                    }
                }
                shard.endSentence()
            }) != nil {}
        }
        shard.endDocument()
        return shard
    }

    /// Whether a line holds nothing but ASCII whitespace (Python's `strip()` leaves nothing).
    private static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
    }
}
