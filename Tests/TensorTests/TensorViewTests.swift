import Testing
@testable import Tensor

extension TensorTests {
    /// Shapes, dtypes and views: offsets into one storage, no copies.
    @Suite struct TensorViewTests {
        @Test func shapeCountsRowsAndColumns() {
            let shape: Shape = [2, 3, 4]
            #expect(shape.count == 24 && shape.rank == 3 && shape.rows == 6 && shape.columns == 4)
            #expect(shape[-1] == 4 && shape[0] == 2 && shape.description == "[2, 3, 4]")
            #expect(Shape([]).count == 1 && Shape([5, 0]).rows == 0)
        }

        @Test func dtypesHaveTheirByteSizes() {
            #expect([DType.float32, .bfloat16, .float16, .int32, .int8].map(\.byteSize) == [4, 2, 2, 4, 1])
        }

        @Test func viewsShareTheStorageAtTheirOffsets() {
            let base = tensor((0..<24).map(Float.init), [4, 6])
            let rows = base.slice(1..<3)
            #expect(rows.shape == [2, 6] && rows.offset == 6 && rows.storage === base.storage)
            #expect(values(rows) == (6..<18).map(Float.init))
            let inner = rows.reshaped([3, 4]).view(at: 4, [2, 2])
            #expect(inner.offset == 10 && values(inner) == [10, 11, 12, 13])
            backend.fill(inner, with: -1)
            #expect(values(base)[9...14] == [9, -1, -1, -1, -1, 14])
        }
    }
}
