import Testing
import Support

@Suite struct EditDistanceTests {
    @Test func distances() {
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("abc", "") == 3)
        #expect(EditDistance.between("hidden_size", "hidden_size") == 0)
        #expect(EditDistance.between("hiden_size", "hidden_size") == 1)
        #expect(EditDistance.between("ü", "u") == 1)
    }

    @Test func closestIsTheNearestAndTheFirstOfEquals() {
        let keys = ["hidden_size", "vocab_size", "intermediate_size"]
        #expect(EditDistance.closest(to: "hiden_size", among: keys) == "hidden_size")
        #expect(EditDistance.closest(to: "vocab", among: keys) == "vocab_size")
        #expect(EditDistance.closest(to: "x", among: ["ab", "cd"]) == "ab")
        #expect(EditDistance.closest(to: "x", among: []) == nil)
    }
}
