/// Levenshtein distance between strings, for "did you mean" hints on misspelled names.
public enum EditDistance {
    /// The fewest single-character insertions, deletions and substitutions that turn `a`
    /// into `b`, counted in Unicode scalars.
    public static func between(_ a: String, _ b: String) -> Int {
        let (a, b) = (Array(a.unicodeScalars), Array(b.unicodeScalars))
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The candidate nearest to `name` (the first of equals, in the order given), nil when
    /// there are none.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        candidates.min { between(name, $0) < between(name, $1) }
    }
}
