import Testing
import TestSupport
import Support
@testable import Corpus

@Suite struct PunktParametersTests {
    static var sample: PunktParameters {
        var parameters = PunktParameters()
        parameters.abbreviationTypes = ["dr", "e.g", "u.s", "ﬁg"]
        parameters.collocations = [.init("s", "bach"), .init("##number##", "may")]
        parameters.sentenceStarters = ["however", "\"quoted\\"]
        parameters.orthographicContext = ["the": [.beginningUpper, .middleLower], "東京": .middleUpper, "bach": .all]
        return parameters
    }

    /// Writes `text` to a fresh file and loads it, returning the error's description.
    static func loadError(_ text: String) -> String? {
        let path = TestFiles.temporaryDirectory() + "/punkt.json"
        TestFiles.write(Array(text.utf8), to: path)
        do {
            _ = try PunktParameters.load(from: path)
            return nil
        } catch let error as BERTKitError {
            #expect(error.file == path)
            return error.message
        } catch {
            Issue.record("not a BERTKitError: \(error)")
            return nil
        }
    }

    @Test func saveAndLoadGiveTheSameParameters() throws {
        let path = TestFiles.temporaryDirectory() + "/punkt.json"
        try Self.sample.save(to: path, overwrite: false)
        #expect(try PunktParameters.load(from: path) == Self.sample)
        let text = TestFiles.readString(path)
        #expect(text.hasPrefix("{\n  \"format\": \"bertkit-punkt-parameters\",\n  \"version\": 1,"))
        // Equal parameters, equal files.
        try Self.sample.save(to: path, overwrite: true)
        #expect(TestFiles.readString(path) == text)
    }

    @Test func anExistingFileNeedsOverwrite() throws {
        let path = TestFiles.temporaryDirectory() + "/punkt.json"
        try Self.sample.save(to: path, overwrite: false)
        #expect(throws: BERTKitError.self) { try Self.sample.save(to: path, overwrite: false) }
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        let path = TestFiles.temporaryDirectory() + "/absent.json"
        #expect { try PunktParameters.load(from: path) } throws: { error in
            (error as? BERTKitError)?.file == path && (error as? BERTKitError)?.message == "no such file"
        }
    }

    @Test func badFilesAreErrorsThatSayWhatIsWrong() throws {
        #expect(Self.loadError("")?.contains("not a Punkt parameter file") == true)
        #expect(Self.loadError("{\"abbreviation_types\": [")?.contains("not a Punkt parameter file") == true)
        #expect(Self.loadError("[1, 2]")?.contains("not a Punkt parameter file") == true)
        let valid = TestFiles.temporaryDirectory() + "/valid.json"
        try PunktParameters().save(to: valid, overwrite: false)
        let good = TestFiles.readString(valid)
        #expect(Self.loadError(good.replacingAll("bertkit-punkt-parameters", with: "something-else"))?
                .contains("format is \"something-else\"") == true)
        #expect(Self.loadError(good.replacingAll("\"version\": 1", with: "\"version\": 7"))?
                .contains("unsupported format version 7") == true)
        #expect(Self.loadError(good.replacingAll("\"sentence_starters\": []", with: "\"sentence_starters\": 3"))?
                .contains("sentence_starters") == true)
        #expect(Self.loadError(good.replacingAll("\"collocations\": []", with: "\"collocations\": [[\"a\"]]"))?
                .contains("collocation 0 has 1 types") == true)
        #expect(Self.loadError(good.replacingAll("\"orthographic_context\": {}", with: "\"orthographic_context\": {\"x\": 1}"))?
                .contains("orthographic context of \"x\" is 1") == true)
        #expect(Self.loadError(good.replacingAll("\"abbreviation_types\": [],", with: ""))?
                .contains("missing \"abbreviation_types\"") == true)
    }
}
