import Testing
@testable import Tensor

extension TensorTests {
    /// Row gathers (embedding lookups) and their scatter-add backward.
    @Suite struct RowsTests {
        let rows = 7, columns = 20
        let indices: [Int32] = [3, 0, 3, 6, 3, 1]

        @Test(arguments: [false, true])
        func gatherRowsCopiesOrAddsTheIndexedRows(accumulate: Bool) {
            let table = randomFloats(rows * columns, seed: 1), start = randomFloats(indices.count * columns, seed: 2)
            let y = tensor(start, [indices.count, columns])
            backend.gatherRows(tensor(table, [rows, columns]), indices: backend.tensor(integers: indices, [indices.count]),
                               into: y, accumulate: accumulate)
            let expected = (0..<indices.count * columns).map { i in
                table[Int(indices[i / columns]) * columns + i % columns] + (accumulate ? start[i] : 0)
            }
            #expect(values(y) == expected)
        }

        @Test func scatterAddRowsAddsRepeatedIndicesUp() {
            let dy = randomFloats(indices.count * columns, seed: 3)
            let dTable = tensor([Float](repeating: 1, count: rows * columns), [rows, columns])
            backend.scatterAddRows(tensor(dy, [indices.count, columns]), indices: backend.tensor(integers: indices, [indices.count]),
                                   into: dTable)
            var expected = [Double](repeating: 1, count: rows * columns)
            for (row, index) in indices.enumerated() {
                for c in 0..<columns { expected[Int(index) * columns + c] += Double(dy[row * columns + c]) }
            }
            expectClose(values(dTable), expected, tolerance: 1e-6, "scatterAddRows")
        }
    
        @Test func scatterAddRowsSkipsThePaddingIndex() {
            let dy = randomFloats(indices.count * columns, seed: 4)
            let dTable = tensor([Float](repeating: 0, count: rows * columns), [rows, columns])
            backend.scatterAddRows(tensor(dy, [indices.count, columns]), indices: backend.tensor(integers: indices, [indices.count]),
                                   into: dTable, skipping: 3)
            var expected = [Double](repeating: 0, count: rows * columns)
            for (row, index) in indices.enumerated() where index != 3 {
                for c in 0..<columns { expected[Int(index) * columns + c] += Double(dy[row * columns + c]) }
            }
            expectClose(values(dTable), expected, tolerance: 1e-6, "scatterAddRows skipping 3")
        }

        @Test func copyColumnsConcatenatesAndExtractColumnsSplits() {
            let parts = [randomFloats(rows * 3, seed: 5), randomFloats(rows * 5, seed: 6)]
            let wide = tensor([Float](repeating: 0, count: rows * 8), [rows, 8])
            backend.copyColumns(tensor(parts[0], [rows, 3]), into: wide, at: 0)
            backend.copyColumns(tensor(parts[1], [rows, 5]), into: wide, at: 3)
            var expected: [Float] = []
            for row in 0..<rows {
                expected += parts[0][row * 3..<(row + 1) * 3]
                expected += parts[1][row * 5..<(row + 1) * 5]
            }
            #expect(values(wide) == expected)
            let back = tensor([Float](repeating: 0, count: rows * 5), [rows, 5])
            backend.extractColumns(wide, at: 3, into: back)
            #expect(values(back) == parts[1])
        }
    }
}
