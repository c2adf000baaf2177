import Support

/// Makes a shard's training instances by Google's `create_pretraining_data.py` algorithm
/// (../shared/REFERENCE.md §2), with one generator for every random choice.
///
/// Documents are shuffled; each of `dupeFactor` passes walks every document, accumulating
/// whole sentences into a chunk until the document ends or the chunk reaches the document's
/// target length (the maximum, or with `shortSeqProb` a uniform length from 2). A chunk
/// becomes segment A (its first `a_end` sentences) and segment B: the rest of the chunk, or,
/// for a one-sentence chunk and half of the others, sentences of another document from a
/// random start — the chunk's unused sentences are then given back to start the next chunk,
/// and a pick that is still the same document after 10 tries is labelled actual-next
/// (NVIDIA's fix). Pairs are truncated one token at a time from the longer side's front or
/// back, then masked (`TokenMasker`); all instances are shuffled at the end. Without NSP each
/// instance is one segment of whole sentences that fit, a lone longer sentence cut.
struct InstanceBuilder {
    let options: InstanceOptions
    let vocabulary: TokenVocabulary
    private var masker: TokenMasker
    private var first: [Int32] = []
    private var second: [Int32] = []
    private var instance: [Int32] = []

    init(options: InstanceOptions, vocabulary: TokenVocabulary) {
        self.options = options
        self.vocabulary = vocabulary
        self.masker = TokenMasker(options: options, vocabulary: vocabulary)
    }

    /// The instances of `shard`, shuffled.
    mutating func build(_ shard: TokenizedShard, using generator: inout SeededGenerator) -> InstanceStore {
        var store = InstanceStore()
        var documents = Array(0..<shard.documentCount)
        documents.shuffle(using: &generator)
        for _ in 0..<options.dupeFactor {
            for index in documents.indices {
                if options.nextSentencePrediction {
                    addPairs(of: index, documents: documents, shard: shard, to: &store, using: &generator)
                } else {
                    addSingles(of: documents[index], shard: shard, to: &store, using: &generator)
                }
            }
        }
        store.shuffle(using: &generator)
        return store
    }

    /// The target length of a document's instances: `maximum`, or with `shortSeqProb` a
    /// uniform length in 2 ... `maximum`.
    private func targetLength(maximum: Int, using generator: inout SeededGenerator) -> Int {
        generator.nextUnitDouble() < options.shortSeqProb ? Int.random(in: 2...maximum, using: &generator) : maximum
    }

    /// Appends the tokens of `sentences` of `shard` to `tokens`.
    private static func append(_ sentences: Range<Int>, of shard: TokenizedShard, to tokens: inout [Int32]) {
        guard !sentences.isEmpty else { return }
        let start = shard.tokens(ofSentence: sentences.lowerBound).lowerBound
        let end = shard.tokens(ofSentence: sentences.upperBound - 1).upperBound
        tokens += shard.tokens[start..<end]
    }

    /// Sentence-pair instances of the document at `index` of the shuffled `documents`.
    private mutating func addPairs(of index: Int, documents: [Int], shard: TokenizedShard,
                                   to store: inout InstanceStore, using generator: inout SeededGenerator) {
        let sentences = shard.sentences(ofDocument: documents[index])
        let maximum = options.maxSeqLength - 3
        let target = targetLength(maximum: maximum, using: &generator)
        var chunkStart = sentences.lowerBound
        var chunkLength = 0
        var sentence = sentences.lowerBound
        while sentence < sentences.upperBound {
            chunkLength += shard.tokens(ofSentence: sentence).count
            if sentence == sentences.upperBound - 1 || chunkLength >= target {
                let chunkCount = sentence - chunkStart + 1
                let firstCount = chunkCount >= 2 ? Int.random(in: 1...(chunkCount - 1), using: &generator) : 1
                first.removeAll(keepingCapacity: true)
                second.removeAll(keepingCapacity: true)
                Self.append(chunkStart..<chunkStart + firstCount, of: shard, to: &first)
                var isRandomNext = false
                if chunkCount == 1 || generator.nextUnitDouble() < 0.5 {
                    isRandomNext = true
                    let secondTarget = target - first.count
                    var other = index
                    for _ in 0..<10 {
                        other = Int.random(in: 0..<documents.count, using: &generator)
                        if other != index { break }
                    }
                    if other == index { isRandomNext = false }
                    let otherSentences = shard.sentences(ofDocument: documents[other])
                    var next = Int.random(in: otherSentences, using: &generator)
                    while next < otherSentences.upperBound {
                        Self.append(next..<next + 1, of: shard, to: &second)
                        if second.count >= secondTarget { break }
                        next += 1
                    }
                    sentence -= chunkCount - firstCount
                } else {
                    Self.append(chunkStart + firstCount..<sentence + 1, of: shard, to: &second)
                }
                var (a, b) = (0..<first.count, 0..<second.count)
                while a.count + b.count > maximum {
                    let front = generator.nextUnitDouble() < 0.5
                    if a.count > b.count {
                        a = front ? a.dropFirst() : a.dropLast()
                    } else {
                        b = front ? b.dropFirst() : b.dropLast()
                    }
                }
                instance.removeAll(keepingCapacity: true)
                instance.append(vocabulary.cls)
                instance += first[a]
                instance.append(vocabulary.sep)
                instance += second[b]
                instance.append(vocabulary.sep)
                add(secondSegmentStart: a.count + 2, isRandomNext: isRandomNext, to: &store, using: &generator)
                chunkStart = sentence + 1
                chunkLength = 0
            }
            sentence += 1
        }
    }

    /// Single-segment instances of document `document`: whole sentences while they fit.
    private mutating func addSingles(of document: Int, shard: TokenizedShard,
                                     to store: inout InstanceStore, using generator: inout SeededGenerator) {
        let sentences = shard.sentences(ofDocument: document)
        let maximum = options.maxSeqLength - 2
        let target = targetLength(maximum: maximum, using: &generator)
        var chunkStart = sentences.lowerBound
        var chunkLength = 0
        var sentence = sentences.lowerBound
        while sentence <= sentences.upperBound {
            let length = sentence < sentences.upperBound ? shard.tokens(ofSentence: sentence).count : 0
            let atEnd = sentence == sentences.upperBound
            if chunkLength > 0 && (atEnd || chunkLength + length > target) {
                first.removeAll(keepingCapacity: true)
                Self.append(chunkStart..<sentence, of: shard, to: &first)
                instance.removeAll(keepingCapacity: true)
                instance.append(vocabulary.cls)
                instance += first.prefix(maximum)
                instance.append(vocabulary.sep)
                add(secondSegmentStart: instance.count, isRandomNext: false, to: &store, using: &generator)
                chunkStart = sentence
                chunkLength = 0
            }
            if atEnd { break }
            chunkLength += length
            sentence += 1
        }
    }

    /// Masks `instance` and stores it.
    private mutating func add(secondSegmentStart: Int, isRandomNext: Bool, to store: inout InstanceStore,
                              using generator: inout SeededGenerator) {
        masker.mask(&instance, using: &generator)
        store.append(tokens: instance, secondSegmentStart: secondSegmentStart, predictions: masker.predictions,
                     isRandomNext: isRandomNext)
    }
}
