import Support

/// NVIDIA's order of pre-training files and rows, fixed by a seed.
///
/// Each epoch e the name-sorted file list is shuffled (Fisher–Yates) with a generator seeded
/// from (seed, e); rank r of W then reads, at step f = 0..<n, the file at shuffled index
/// (f·W + r) mod n. The rows of the file read at step f are visited in a permutation drawn
/// from (seed, e, f).
struct DataOrder: Sendable {
    /// The seed every order is drawn from.
    let seed: UInt64
    /// The files in the directory (n).
    let fileCount: Int
    /// This process's rank (r).
    let rank: Int
    /// The processes reading the files together (W).
    let worldSize: Int

    /// The files (indices into the sorted list) that this rank reads in epoch `epoch`, one a step.
    func files(epoch: Int) -> [Int] {
        var generator = Self.generator(seed, purpose: 0, epoch)
        let shuffled = Self.permutation(fileCount, &generator)
        return (0..<fileCount).map { step in shuffled[(step * worldSize + rank) % fileCount] }
    }

    /// The order in which the `count` rows of the file read at step `step` of epoch `epoch`
    /// are visited.
    func rows(count: Int, epoch: Int, step: Int) -> [Int] {
        var generator = Self.generator(seed, purpose: 1, epoch, step)
        return Self.permutation(count, &generator)
    }

    /// 0..<count in a random order: Fisher–Yates written out (the standard library's
    /// `shuffle` may change between Swift versions, and a resumed run must not).
    private static func permutation(_ count: Int, _ generator: inout SeededGenerator) -> [Int] {
        var values = Array(0..<count)
        for index in stride(from: count - 1, to: 0, by: -1) {
            values.swapAt(index, Int(generator.next() % UInt64(index + 1)))
        }
        return values
    }

    /// A generator seeded from `seed`, a purpose (so that the file and row orders draw apart)
    /// and `parts`, each folded in through a generator of its own.
    private static func generator(_ seed: UInt64, purpose: Int, _ parts: Int...) -> SeededGenerator {
        var value = seed
        for part in [purpose] + parts {
            var mixer = SeededGenerator(seed: value ^ UInt64(truncatingIfNeeded: part))
            value = mixer.next()
        }
        return SeededGenerator(seed: value)
    }
}
