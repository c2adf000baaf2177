import Testing
@testable import Tokenizers

@Suite struct TokenCounterTests {
    func add(_ strings: [String], to counter: inout TokenCounter) {
        for string in strings { Array(string.utf8).withUnsafeBufferPointer { counter.add($0) } }
    }

    func contents(_ counter: TokenCounter) -> [String: Int] {
        var result: [String: Int] = [:]
        counter.forEach { result[String(decoding: $0, as: UTF8.self)] = $1 }
        return result
    }

    func order(_ counter: TokenCounter) -> [String] {
        (0..<counter.count).map { index in counter.withBytes(at: index) { String(decoding: $0, as: UTF8.self) } }
    }

    @Test func countsInFirstSeenOrder() {
        var counter = TokenCounter()
        add(["b", "a", "b", "", "a much longer string than eight bytes", "b"], to: &counter)
        #expect(order(counter) == ["b", "a", "", "a much longer string than eight bytes"])
        #expect(contents(counter) == ["b": 3, "a": 1, "": 1, "a much longer string than eight bytes": 1])
        #expect(counter.total == 6)
    }

    @Test func growsPastItsFirstIndex() {
        var counter = TokenCounter()
        let strings = (0..<10000).map { "s\($0)" }
        add(strings + strings, to: &counter)
        #expect(counter.count == 10000)
        #expect(order(counter) == strings)
        #expect(contents(counter).values.allSatisfy { $0 == 2 })
    }

    @Test func mergeAddsCountsAndAppendsNewStringsInOrder() {
        var first = TokenCounter()
        var second = TokenCounter()
        add(["x", "y"], to: &first)
        add(["z", "y", "w"], to: &second)
        first.merge(second)
        #expect(order(first) == ["x", "y", "z", "w"])
        #expect(contents(first) == ["x": 1, "y": 2, "z": 1, "w": 1])
    }
}
