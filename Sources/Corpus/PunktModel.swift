/// Punkt's parameters indexed by type ID, and the annotation rules that read them.
///
/// The trainer grows a model as it reads; the segmenter builds one from `PunktParameters`
/// and only reads it, so one model serves any number of threads.
struct PunktModel {
    /// The type numbering; per-type arrays below are indexed by its IDs.
    private(set) var types = PunktTypeTable()
    /// Orthographic contexts per type.
    var orthographicContext: [PunktOrthographicContext] = [[]]
    /// Whether each type is a known abbreviation.
    var isAbbreviation: [Bool] = [false]
    /// Whether each type is a frequent sentence starter.
    var isSentenceStarter: [Bool] = [false]
    /// Collocations as `PunktModel.pair` keys.
    private(set) var collocations: Set<UInt64> = []
    /// Whether each type is the first of a collocation, to spare most lookups in `collocations`.
    private var startsCollocation: [Bool] = [false]
    /// The ID of `##number##`, the type of every number.
    private(set) var numberType: Int32 = 0

    /// The type of numbers.
    static let numberTypeName = "##number##"

    /// An empty model.
    init() {
        numberType = insertType(Array(Self.numberTypeName.utf8))
    }

    /// The model of saved parameters.
    init(_ parameters: PunktParameters) {
        self.init()
        for type in parameters.abbreviationTypes { isAbbreviation[Int(insertType(type.utf8))] = true }
        for type in parameters.sentenceStarters { isSentenceStarter[Int(insertType(type.utf8))] = true }
        for (type, context) in parameters.orthographicContext {
            orthographicContext[Int(insertType(type.utf8))] = context
        }
        var pairs = Set<UInt64>()
        for collocation in parameters.collocations {
            pairs.insert(Self.pair(insertType(collocation.first.utf8), insertType(collocation.second.utf8)))
        }
        setCollocations(pairs)
    }

    /// Replaces the collocations.
    mutating func setCollocations(_ pairs: Set<UInt64>) {
        collocations = pairs
        startsCollocation = Array(repeating: false, count: orthographicContext.count)
        for key in pairs { startsCollocation[Int(key >> 32)] = true }
    }

    /// The parameters of this model, types as strings.
    func parameters() -> PunktParameters {
        var parameters = PunktParameters()
        for id in 1..<Int32(types.count) {
            let index = Int(id)
            if isAbbreviation[index] { parameters.abbreviationTypes.insert(types.string(of: id)) }
            if isSentenceStarter[index] { parameters.sentenceStarters.insert(types.string(of: id)) }
            if !orthographicContext[index].isEmpty {
                parameters.orthographicContext[types.string(of: id)] = orthographicContext[index]
            }
        }
        for key in collocations {
            let (first, second) = (Int32(truncatingIfNeeded: key >> 32), Int32(truncatingIfNeeded: key))
            parameters.collocations.insert(.init(types.string(of: first), types.string(of: second)))
        }
        return parameters
    }

    /// The key of a collocation in `collocations`.
    @inline(__always)
    static func pair(_ first: Int32, _ second: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second))
    }

    /// The bytes of a type.
    func bytes(of type: Int32) -> ArraySlice<UInt8> { types.bytes(of: type) }

    /// The ID of a type, or 0 if the model does not know it.
    func type<Bytes: Collection>(_ bytes: Bytes) -> Int32 where Bytes.Element == UInt8 { types.id(of: bytes) }

    /// The ID of a type, added to the model if it is new.
    mutating func insertType<Bytes: Collection>(_ bytes: Bytes) -> Int32 where Bytes.Element == UInt8 {
        Array(bytes).withUnsafeBufferPointer { insertType($0) }
    }

    /// The ID of a type, added to the model if it is new.
    mutating func insertType(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let id = types.insert(bytes)
        if Int(id) == orthographicContext.count {
            orthographicContext.append([])
            isAbbreviation.append(false)
            isSentenceStarter.append(false)
            startsCollocation.append(false)
        }
        return id
    }

    // MARK: Types of tokens

    /// Sets the type IDs of tokens, adding new types to the model (training).
    mutating func insertTypes(of tokens: inout [PunktToken], folded: [UInt8]) {
        let numberType = numberType
        folded.withUnsafeBufferPointer { folded in
            for index in tokens.indices {
                Self.resolve(&tokens[index], folded, numberType) { insertType($0) }
            }
        }
    }

    /// Sets the type IDs of the tokens the annotation passes read, period-final tokens and
    /// the tokens after them; 0 for types the model does not know (segmenting).
    func lookUpTypes(of tokens: inout [PunktToken], folded: [UInt8]) {
        folded.withUnsafeBufferPointer { folded in
            var afterPeriod = false
            for index in tokens.indices {
                let periodFinal = tokens[index].properties.contains(.periodFinal)
                if periodFinal || afterPeriod {
                    Self.resolve(&tokens[index], folded, numberType) { types.id(of: $0) }
                }
                afterPeriod = periodFinal
            }
        }
    }

    /// Sets a token's type and its type without a final period, with `id` numbering them.
    @inline(__always)
    private static func resolve(_ token: inout PunktToken, _ folded: UnsafeBufferPointer<UInt8>, _ numberType: Int32,
                                _ id: (UnsafeBufferPointer<UInt8>) -> Int32) {
        if token.properties.contains(.number) {
            token.type = numberType
            token.typeWithoutPeriod = numberType
            return
        }
        let bytes = UnsafeBufferPointer(rebasing: folded[token.folded])
        token.type = id(bytes)
        if token.properties.contains(.periodFinal) && bytes.count > 1 {
            token.typeWithoutPeriod = id(UnsafeBufferPointer(rebasing: bytes.dropLast()))
        } else {
            token.typeWithoutPeriod = token.type
        }
    }

    // MARK: Annotation

    /// The first pass (`_first_pass_annotation`) over tokens: sentence-end characters and
    /// period-final words that are not known abbreviations are sentence breaks; ellipses
    /// and known abbreviations (also the last part of a hyphenated word) are marked so.
    func annotateFirstPass(_ tokens: inout [PunktToken], folded: [UInt8]) {
        folded.withUnsafeBufferPointer { folded in
            for index in tokens.indices {
                let properties = tokens[index].properties
                if properties.contains(.sentenceEndCharacter) {
                    tokens[index].annotations.insert(.sentenceBreak)
                } else if properties.contains(.ellipsisText) {
                    tokens[index].annotations.insert(.ellipsis)
                } else if properties.contains(.periodFinal) && !properties.contains(.twoPeriodsFinal) {
                    tokens[index].annotations.insert(isKnownAbbreviation(tokens[index], folded) ? .abbreviation : .sentenceBreak)
                }
            }
        }
    }

    /// Whether the token without its period, or its part after the last hyphen, is an abbreviation.
    private func isKnownAbbreviation(_ token: PunktToken, _ folded: UnsafeBufferPointer<UInt8>) -> Bool {
        let word = UnsafeBufferPointer(rebasing: folded[token.folded.lowerBound..<token.folded.upperBound - 1])
        // A number's type is ##number##, but its text is what is looked up.
        let wordType = token.properties.contains(.number) ? types.id(of: word) : token.typeWithoutPeriod
        if isAbbreviation[Int(wordType)] { return true }
        guard let hyphen = word.lastIndex(of: UInt8(ascii: "-")) else { return false }
        return isAbbreviation[Int(types.id(of: UnsafeBufferPointer(rebasing: word[(hyphen + 1)...])))]
    }

    /// The orthographic heuristic (`_ortho_heuristic`): whether a token starts a sentence
    /// judging by the case it was seen with; nil when the evidence says neither.
    func startsSentenceByOrthography(_ token: PunktToken) -> Bool? {
        if token.properties.contains(.punctuationCharacter) { return false }
        let context = orthographicContext[Int(token.typeWithoutSentencePeriod)]
        if token.properties.contains(.firstUpper) && !context.isDisjoint(with: .lower)
            && !context.contains(.middleUpper) {
            return true
        }
        if token.properties.contains(.firstLower)
            && (!context.isDisjoint(with: .upper) || !context.contains(.beginningLower)) {
            return false
        }
        return nil
    }

    /// The second pass (`_second_pass_annotation`) on a period-final token given the next
    /// one: collocations, then abbreviations and ellipses that do end a sentence
    /// (orthography, frequent sentence starters), then initials and ordinals that do not.
    func annotateSecondPass(_ token: inout PunktToken, next: PunktToken) {
        guard token.properties.contains(.periodFinal) else { return }
        let type = token.typeWithoutPeriod
        let nextType = next.typeWithoutSentencePeriod
        let isInitial = token.properties.contains(.initial)
        if startsCollocation[Int(type)] && collocations.contains(Self.pair(type, nextType)) {
            token.annotations.remove(.sentenceBreak)
            token.annotations.insert(.abbreviation)
            return
        }
        if !token.annotations.isDisjoint(with: [.abbreviation, .ellipsis]) && !isInitial {
            if startsSentenceByOrthography(next) == true
                || (next.properties.contains(.firstUpper) && isSentenceStarter[Int(nextType)]) {
                token.annotations.insert(.sentenceBreak)
                return
            }
        }
        if isInitial || type == numberType {
            let startsSentence = startsSentenceByOrthography(next)
            if startsSentence == false
                || (startsSentence == nil && isInitial && next.properties.contains(.firstUpper)
                    && orthographicContext[Int(nextType)].isDisjoint(with: .lower)) {
                token.annotations.remove(.sentenceBreak)
                token.annotations.insert(.abbreviation)
            }
        }
    }
}
