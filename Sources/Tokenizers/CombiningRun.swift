/// The non-starters (combining class above 0) that follow a starter in a canonical
/// decomposition, held until the next starter so that they can be put in canonical order.
///
/// Each scalar remembers whether it begins the decomposition of an original character.
/// After sorting, the scalars get their original characters the way `tokenizers` aligns
/// them: a scalar that begins a decomposition takes the next character of the run in input
/// order, any other scalar takes the character taken last.
struct CombiningRun {
    private struct Mark {
        var scalar: Unicode.Scalar
        var combiningClass: UInt8
        var beginsCharacter: Bool
        var source: Int32
    }

    private var marks: [Mark] = []
    /// The original characters of the marks that begin one, in input order.
    private var characters: [Int32] = []

    /// Whether the run holds no scalar.
    var isEmpty: Bool { marks.isEmpty }

    /// The number of scalars.
    var count: Int { marks.count }

    /// Scalar `index` and its original character (once ordered).
    subscript(index: Int) -> (scalar: Unicode.Scalar, source: Int32) { (marks[index].scalar, marks[index].source) }

    /// Adds a non-starter; `source` is its original character when it begins one.
    mutating func append(_ scalar: Unicode.Scalar, combiningClass: UInt8, beginsCharacter: Bool, source: Int32) {
        marks.append(Mark(scalar: scalar, combiningClass: combiningClass, beginsCharacter: beginsCharacter, source: source))
        if beginsCharacter { characters.append(source) }
    }

    /// Puts the scalars in canonical order (stable by combining class) and gives each its
    /// original character; `lastSource` is the character taken last, before and after.
    mutating func putInCanonicalOrder(lastSource: inout Int32) {
        for index in marks.indices.dropFirst() {
            let mark = marks[index]
            var position = index
            while position > 0 && marks[position - 1].combiningClass > mark.combiningClass {
                marks[position] = marks[position - 1]
                position -= 1
            }
            marks[position] = mark
        }
        var nextCharacter = 0
        for index in marks.indices {
            if marks[index].beginsCharacter {
                lastSource = characters[nextCharacter]
                nextCharacter += 1
            }
            marks[index].source = lastSource
        }
    }

    /// Empties the run, keeping its storage.
    mutating func removeAll() {
        marks.removeAll(keepingCapacity: true)
        characters.removeAll(keepingCapacity: true)
    }
}
