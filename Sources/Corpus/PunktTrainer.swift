#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Learns Punkt's parameters from plain text without supervision (Kiss & Strunk 2006),
/// taking the same decisions as NLTK's `PunktTrainer`.
///
/// Call `train` once per document or chunk (NLTK's `train(text, finalize=False)`):
/// counts and abbreviations accumulate across calls, while orthographic context and token
/// pairs are read within each call. `finalize` then finds collocations and frequent sentence
/// starters and returns the parameters; training may go on after it.
///
///     var trainer = PunktTrainer()
///     for document in documents { trainer.train(document) }
///     let parameters = trainer.finalize()
public struct PunktTrainer {
    /// The thresholds and switches of the method; the defaults are NLTK's.
    public struct Options: Sendable {
        /// Minimal score of an abbreviation (`ABBREV`).
        public var abbreviationThreshold = 0.3
        /// Do not penalize types also seen without a final period (`IGNORE_ABBREV_PENALTY`).
        public var ignoreAbbreviationPenalty = false
        /// Types seen fewer times than this may be rare abbreviations (`ABBREV_BACKOFF`).
        public var rareAbbreviationLimit = 5
        /// Minimal log-likelihood of a collocation (`COLLOCATION`).
        public var collocationThreshold = 7.88
        /// Minimal log-likelihood of a frequent sentence starter (`SENT_STARTER`).
        public var sentenceStarterThreshold = 30.0
        /// Consider every pair after a period-final word as a collocation (`INCLUDE_ALL_COLLOCS`).
        public var includeAllCollocations = false
        /// Consider pairs after abbreviations as collocations (`INCLUDE_ABBREV_COLLOCS`).
        public var includeAbbreviationCollocations = false
        /// A pair must be seen more often than this to be a collocation (`MIN_COLLOC_FREQ`).
        public var minimumCollocationFrequency = 1
        public init() {}
    }

    /// The thresholds and switches this trainer decides with.
    public let options: Options
    private var model = PunktModel()
    private var tokenizer = PunktWordTokenizer()
    /// Occurrences of each type (`_type_fdist`), indexed by type ID.
    private var typeCounts: [Int] = [0]
    /// The last `train` call that saw each type, to list a call's types once.
    private var lastSeen: [Int] = [0]
    private var calls = 0
    /// Tokens seen (`_type_fdist.N()`).
    public private(set) var tokenCount = 0
    /// Period-final tokens seen (`_num_period_toks`).
    private var periodTokenCount = 0
    /// Sentence breaks of the first pass (`_sentbreak_count`).
    private var sentenceBreakCount = 0
    /// Types after a sentence break (`_sent_starter_fdist`).
    private var sentenceStarterCounts: [Int32: Int] = [:]
    /// Pairs of types across a period that may be collocations (`_collocation_fdist`).
    private var collocationCounts: [UInt64: Int] = [:]

    /// A trainer that has seen nothing yet.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// What `train(documents:maxBytes:progress:)` read.
    public struct Summary: Sendable {
        public var documents = 0
        /// UTF-8 bytes of document text trained on.
        public var textBytes = 0
        /// Whether documents were left unread because of the byte limit.
        public var reachedLimit = false
        /// Seconds spent reading and training.
        public var seconds = 0.0
        /// Seconds spent training alone.
        public var trainingSeconds = 0.0
    }

    /// Learns from the documents of a reader, taking them whole and in order while their
    /// text stays within `maxBytes`.
    /// - Throws: `BERTKitError` from the reader, or if not even the first document fits.
    public mutating func train(documents reader: DocumentReader, maxBytes: Int, progress: ProgressReporter) throws -> Summary {
        let start = MonotonicClock.now()
        var summary = Summary()
        while let document = try reader.next() {
            let size = document.utf8.count
            if summary.textBytes + size > maxBytes {
                if summary.documents == 0 {
                    throw BERTKitError("the first document has \(size) bytes of text, more than the limit of \(maxBytes)")
                }
                summary.reachedLimit = true
                break
            }
            let trainingStart = MonotonicClock.now()
            train(document)
            summary.trainingSeconds += MonotonicClock.now() - trainingStart
            summary.documents += 1
            summary.textBytes += size
            progress.update("trained on \(summary.documents) documents, \(Formatting.bytes(summary.textBytes)) of text")
        }
        summary.seconds = MonotonicClock.now() - start
        return summary
    }

    /// Learns from one document or chunk of text.
    public mutating func train(_ text: String) {
        var text = text
        text.withUTF8 { train(utf8: $0) }
    }

    /// NLTK's `_train_tokens` on one chunk: counts, abbreviations, first pass, orthography, pairs.
    private mutating func train(utf8 text: UnsafeBufferPointer<UInt8>) {
        tokenizer.tokenize(text, 0..<text.count)
        model.insertTypes(of: &tokenizer.tokens, folded: tokenizer.folded)
        let types = countTypes()
        reclassifyAbbreviations(types)
        model.annotateFirstPass(&tokenizer.tokens, folded: tokenizer.folded)
        collectOrthography()
        for token in tokenizer.tokens where token.isSentenceBreak { sentenceBreakCount += 1 }
        collectPairs()
    }

    /// Counts the tokens' types and returns the types of this call, each once.
    private mutating func countTypes() -> [Int32] {
        let typeCount = model.types.count
        if typeCounts.count < typeCount {
            typeCounts += repeatElement(0, count: typeCount - typeCounts.count)
            lastSeen += repeatElement(0, count: typeCount - lastSeen.count)
        }
        calls += 1
        var types: [Int32] = []
        for token in tokenizer.tokens {
            let type = Int(token.type)
            typeCounts[type] += 1
            if token.properties.contains(.periodFinal) { periodTokenCount += 1 }
            if lastSeen[type] != calls {
                lastSeen[type] = calls
                types.append(token.type)
            }
        }
        tokenCount += tokenizer.tokens.count
        return types
    }

    /// Finds new abbreviations among this call's period-final types, and drops known ones
    /// that now score too low (`_reclassify_abbrev_types`).
    private mutating func reclassifyAbbreviations(_ types: [Int32]) {
        for type in types where type != model.numberType {
            let bytes = model.bytes(of: type)
            let candidate: Int32
            let isAddition = bytes.last == UInt8(ascii: ".")
            if isAddition {
                guard !model.isAbbreviation[Int(type)] else { continue }
                candidate = model.type(bytes.dropLast())
            } else {
                guard model.isAbbreviation[Int(type)] else { continue }
                candidate = type
            }
            guard Self.containsLetter(bytes) else { continue }
            let score = abbreviationScore(candidate)
            if score >= options.abbreviationThreshold {
                if isAddition { model.isAbbreviation[Int(candidate)] = true }
            } else if !isAddition {
                model.isAbbreviation[Int(candidate)] = false
            }
        }
    }

    /// The abbreviation score of a type (without its period): the log-likelihood that it
    /// goes with a period, scaled down for long words and for occurrences without a period,
    /// up for inner periods.
    private func abbreviationScore(_ type: Int32) -> Double {
        let bytes = model.bytes(of: type)
        let periods = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }
        let nonPeriods = Self.scalarCount(bytes) - periods + 1
        let withPeriod = count(of: model.type(bytes + [UInt8(ascii: ".")]))
        let withoutPeriod = count(of: type)
        let likelihood = PunktLogLikelihood.abbreviation(
            countA: withPeriod + withoutPeriod, countB: periodTokenCount, countAB: withPeriod, total: tokenCount)
        let lengthFactor = exp(Double(-nonPeriods))
        let penalty = options.ignoreAbbreviationPenalty ? 1 : pow(Double(nonPeriods), Double(-withoutPeriod))
        return likelihood * lengthFactor * Double(periods) * penalty
    }

    /// Records the case each type is seen with at the beginning, in the middle, or at an
    /// unknown position of sentences, as the first pass placed the breaks (`_get_orthography_data`).
    private mutating func collectOrthography() {
        enum Position { case beginning, middle, unknown }
        var position = Position.middle
        for token in tokenizer.tokens {
            if token.properties.contains(.paragraphStart) && position != .unknown { position = .beginning }
            if token.properties.contains(.lineStart) && position == .middle { position = .unknown }
            let flag: PunktOrthographicContext
            switch (position, token.properties.contains(.firstLower), token.properties.contains(.firstUpper)) {
            case (.beginning, true, _): flag = .beginningLower
            case (.middle, true, _): flag = .middleLower
            case (.unknown, true, _): flag = .unknownLower
            case (.beginning, false, true): flag = .beginningUpper
            case (.middle, false, true): flag = .middleUpper
            case (.unknown, false, true): flag = .unknownUpper
            default: flag = []
            }
            model.orthographicContext[Int(token.typeWithoutSentencePeriod)].formUnion(flag)
            if token.isSentenceBreak {
                position = token.isNumberOrInitial ? .unknown : .beginning
            } else if !token.annotations.isDisjoint(with: [.ellipsis, .abbreviation]) {
                position = .unknown
            } else {
                position = .middle
            }
        }
    }

    /// Looks at each period-final token and the next one: rare abbreviations, sentence
    /// starters, and possible collocations.
    private mutating func collectPairs() {
        let tokens = tokenizer.tokens
        for index in tokens.indices.dropLast() where tokens[index].properties.contains(.periodFinal) {
            let token = tokens[index]
            let next = tokens[index + 1]
            if isRareAbbreviation(token, next: next) {
                model.isAbbreviation[Int(token.typeWithoutPeriod)] = true
            }
            if token.isSentenceBreak && !token.isNumberOrInitial && next.properties.contains(.alphabetic) {
                sentenceStarterCounts[next.type, default: 0] += 1
            }
            if isPossibleCollocation(token, next: next) {
                collocationCounts[PunktModel.pair(token.typeWithoutPeriod, next.typeWithoutSentencePeriod), default: 0] += 1
            }
        }
    }

    /// Whether a sentence-breaking token is a rare abbreviation (`_is_rare_abbrev_type`):
    /// seen fewer than `rareAbbreviationLimit` times and followed by `,` `:` `;`, or by a
    /// lower-case word that starts sentences in upper case and is never upper case inside them.
    private func isRareAbbreviation(_ token: PunktToken, next: PunktToken) -> Bool {
        guard token.isSentenceBreak && !token.annotations.contains(.abbreviation) else { return false }
        let type = token.typeWithoutSentencePeriod
        // NLTK adds the count of the type less its last character (`typ[:-1]`); so do we.
        let bytes = model.bytes(of: type)
        var lastScalar = bytes.endIndex - 1
        while lastScalar > bytes.startIndex && bytes[lastScalar] & 0xC0 == 0x80 { lastScalar -= 1 }
        let count = count(of: type) + count(of: model.type(bytes[..<lastScalar]))
        if model.isAbbreviation[Int(type)] || count >= options.rareAbbreviationLimit { return false }
        if next.properties.contains(.startsWithInternalPunctuation) { return true }
        if next.properties.contains(.firstLower) {
            let context = model.orthographicContext[Int(next.typeWithoutSentencePeriod)]
            return context.contains(.beginningUpper) && !context.contains(.middleUpper)
        }
        return false
    }

    /// Whether a pair may be a collocation (`_is_potential_collocation`): by default an
    /// initial or number ending a sentence before a word.
    private func isPossibleCollocation(_ token: PunktToken, next: PunktToken) -> Bool {
        let candidate = options.includeAllCollocations
            || (options.includeAbbreviationCollocations && token.annotations.contains(.abbreviation))
            || (token.isSentenceBreak && token.isNumberOrInitial)
        return candidate && Self.containsLetter(model.bytes(of: token.type))
            && Self.containsLetter(model.bytes(of: next.type))
    }

    /// Finds collocations and frequent sentence starters in what was counted so far, and
    /// returns the parameters learned (`finalize_training` and `get_params`).
    public mutating func finalize() -> PunktParameters {
        for index in model.isSentenceStarter.indices { model.isSentenceStarter[index] = false }
        for (type, atBreak) in sentenceStarterCounts where isFrequentSentenceStarter(type, atBreak: atBreak) {
            model.isSentenceStarter[Int(type)] = true
        }
        model.setCollocations(Set(collocationCounts.filter { isCollocation($0.key, count: $0.value) }.keys))
        return model.parameters()
    }

    /// `_find_sent_starters`: the type follows sentence breaks more often than chance says.
    private func isFrequentSentenceStarter(_ type: Int32, atBreak: Int) -> Bool {
        let typeCount = countWithAndWithoutPeriod(type)
        guard typeCount >= atBreak else { return false }
        let likelihood = PunktLogLikelihood.collocation(
            countA: sentenceBreakCount, countB: typeCount, countAB: atBreak, total: tokenCount)
        return likelihood >= options.sentenceStarterThreshold
            && Double(tokenCount) / Double(sentenceBreakCount) > Double(typeCount) / Double(atBreak)
    }

    /// `_find_collocations`: the pair is frequent and its types go together more than chance says.
    private func isCollocation(_ pair: UInt64, count: Int) -> Bool {
        let first = Int32(truncatingIfNeeded: pair >> 32)
        let second = Int32(truncatingIfNeeded: pair)
        guard !model.isSentenceStarter[Int(second)] else { return false }
        let firstCount = countWithAndWithoutPeriod(first)
        let secondCount = countWithAndWithoutPeriod(second)
        guard firstCount > 1 && secondCount > 1 && options.minimumCollocationFrequency < count
                && count <= min(firstCount, secondCount) else { return false }
        let likelihood = PunktLogLikelihood.collocation(
            countA: firstCount, countB: secondCount, countAB: count, total: tokenCount)
        return likelihood >= options.collocationThreshold
            && Double(tokenCount) / Double(firstCount) > Double(secondCount) / Double(count)
    }

    /// Occurrences of a type.
    private func count(of type: Int32) -> Int {
        Int(type) < typeCounts.count ? typeCounts[Int(type)] : 0
    }

    /// Occurrences of a type and of the type with a period appended.
    private func countWithAndWithoutPeriod(_ type: Int32) -> Int {
        count(of: type) + count(of: model.type(model.bytes(of: type) + [UInt8(ascii: ".")]))
    }

    /// `_re_non_punct`: whether a type has a letter (numbers' `##number##` has).
    private static func containsLetter(_ bytes: ArraySlice<UInt8>) -> Bool {
        Array(bytes).withUnsafeBufferPointer { bytes in
            var index = 0
            while index < bytes.count {
                let (classes, length) = PunktCharacterClass.at(bytes, index)
                if classes.contains(.letter) { return true }
                index += length
            }
            return false
        }
    }

    /// The number of Unicode scalars in UTF-8 (Python's `len`).
    private static func scalarCount(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }
}
