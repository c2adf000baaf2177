import Testing
@testable import Corpus

/// What the trainer learns from small made-up corpora; every expectation is what NLTK
/// 3.10's `PunktTrainer` learns from the same text.
@Suite struct PunktTrainerTests {
    /// Sentences in which "Dr." is always mid-sentence, and "However," starts every fourth.
    static func corpus(_ count: Int) -> String {
        let names = ["Anna", "Tom", "Maria", "Peter", "Lisa", "Omar"]
        let verbs = ["saw", "left", "painted", "visited", "found"]
        let places = ["garden", "river", "house", "market", "school", "station", "bridge"]
        return (0..<count).map { index in
            let sentence = "\(names[index % 6]) \(verbs[index * 7 % 5]) the \(places[index * 3 % 7]) with Dr. Brown"
                + " near the \(places[(index * 5 + 1) % 7])."
            return index % 4 == 0 ? "However, " + sentence : sentence
        }.joined(separator: " ")
    }

    static func train(_ chunks: String..., options: PunktTrainer.Options = .init()) -> PunktParameters {
        var trainer = PunktTrainer(options: options)
        for chunk in chunks { trainer.train(chunk) }
        return trainer.finalize()
    }

    @Test func learnsAnAbbreviationUsedMidSentence() {
        let parameters = Self.train(Self.corpus(200))
        #expect(parameters.abbreviationTypes == ["dr"])
        #expect(parameters.collocations.isEmpty)
        #expect(PunktSegmenter(parameters: parameters).sentences(in: Self.corpus(3)) == [
            "However, Anna saw the garden with Dr. Brown near the river.",
            "Tom painted the market with Dr. Brown near the bridge.",
            "Maria found the bridge with Dr. Brown near the school.",
        ])
    }

    @Test func learnsFrequentSentenceStarters() {
        #expect(Self.train(Self.corpus(200)).sentenceStarters == ["anna", "however", "lisa", "maria", "omar", "peter", "tom"])
    }

    @Test func learnsOrthographicContexts() {
        let context = Self.train(Self.corpus(200), "The crate weighs approx., they say, a ton.").orthographicContext
        #expect(context["anna"] == [.beginningUpper, .middleUpper])
        // The first word of a chunk is at a line start: its position is unknown.
        #expect(context["however"] == [.beginningUpper, .unknownUpper])
        // "The" opens the second chunk: a line start again.
        #expect(context["the"] == [.unknownUpper, .middleLower])
        #expect(context["brown"] == .unknownUpper)
    }

    @Test func aRareWordBeforeACommaIsAnAbbreviation() {
        let parameters = Self.train(Self.corpus(200), "The crate weighs approx., they say, a ton.")
        #expect(parameters.abbreviationTypes == ["approx", "dr"])
    }

    @Test func tinyCorporaMistakeWordsForAbbreviations() {
        // "on" is only ever seen before a period: with so little text it scores as an abbreviation, as in NLTK.
        let text = ["cold", "warm", "wet"].map { "The weather was \($0). However the team played on." }.joined(separator: " ")
        #expect(Self.train(text).abbreviationTypes == ["on"])
    }

    @Test func initialsAreLearnedAsAbbreviations() {
        let text = (0..<12).map { "Today J. S. Bach wrote cantata number \($0) for the choir." }.joined(separator: " ")
        let parameters = Self.train(text)
        #expect(parameters.abbreviationTypes == ["j", "s"])
        #expect(parameters.sentenceStarters == ["today"])
        #expect(PunktSegmenter(parameters: parameters).sentences(in: "We heard J. S. Bach. Then we left.")
                == ["We heard J. S. Bach.", "Then we left."])
    }

    @Test func numbersAreOneTypeAndFormCollocations() {
        let text = "In the year 1999. the war ended. "
            + (0..<10).map { "It was chapter \($0). and it was long." }.joined(separator: " ")
            + " He left in 2001. The end came."
        let parameters = Self.train(text)
        #expect(parameters.abbreviationTypes == ["long"])
        #expect(parameters.collocations == [PunktParameters.Collocation("##number##", "and")])
        #expect(PunktSegmenter(parameters: parameters).sentences(in: "It was chapter 5. and it was long. He left in 2001. The end came.")
                == ["It was chapter 5. and it was long. He left in 2001.", "The end came."])
    }

    @Test func ellipsesAreNotLearned() {
        let text = "Wait... what happened? I said... nothing. Then... Silence fell. He paused... and went on."
        let parameters = Self.train(text)
        #expect(parameters.abbreviationTypes.isEmpty)
        #expect(PunktSegmenter(parameters: parameters).sentences(in: text)
                == ["Wait... what happened?", "I said... nothing.", "Then... Silence fell.", "He paused... and went on."])
    }

    @Test func includeAllCollocationsConsidersEveryPairAfterAPeriod() {
        var options = PunktTrainer.Options()
        options.includeAllCollocations = true
        #expect(Self.train(Self.corpus(200), options: options).collocations == [PunktParameters.Collocation("dr", "brown")])
    }

    @Test func trainingGoesOnAfterFinalize() {
        var trainer = PunktTrainer()
        trainer.train(Self.corpus(100))
        _ = trainer.finalize()
        trainer.train(Self.corpus(100))
        var once = PunktTrainer()
        once.train(Self.corpus(100))
        once.train(Self.corpus(100))
        #expect(trainer.finalize() == once.finalize())
        #expect(trainer.tokenCount == once.tokenCount)
    }
}
