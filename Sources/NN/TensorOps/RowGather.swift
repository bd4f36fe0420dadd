import Tensor

/// Looking up rows of a matrix by index (`weight[indices]`, `F.embedding`).
extension Tensor where Scalar: TensorFloatingPoint {
    /// The rows of this `[rows, width]` matrix at `indices`: shape `indices.shape + [width]`.
    ///
    /// Backward: each output row's gradient is added into the row it came from (rows used twice
    /// receive the sum); rows equal to `frozenRow` receive none (`padding_idx`).
    ///
    /// The result remembers where its rows came from, so that a linear map of it can multiply
    /// the table instead when the table is small (``Tensor/linearOfLookedUpRows(weight:bias:)``).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func rows(at indices: Tensor<Int>, frozenRow: Int? = nil) -> Tensor {
        check(rank == 2, "rows(at:): expected a matrix, got shape \(shape)")
        let rowCount = shape[0], width = shape[1]
        let positions = indices.scalars
        for index in positions {
            check(index >= 0 && index < rowCount, "embedding: index \(index) out of range for \(rowCount) rows")
        }
        let values = Tensor(shape: indices.shape + [width]) { out in
            withUnsafeBufferPointer { w in
                for (i, row) in positions.enumerated() {
                    (out.baseAddress! + i * width).initialize(from: w.baseAddress! + row * width, count: width)
                }
            }
        }
        let inputShape = shape
        values.rowLookup = RowLookup(table: self, positions: positions, frozenRow: frozenRow)
        return values.recording("EmbeddingBackward", [self]) { g in
            [Tensor(shape: inputShape) { grad in
                grad.initialize(repeating: 0)
                g.withUnsafeBufferPointer { g in
                    for (i, row) in positions.enumerated() where row != frozenRow {
                        for j in 0..<width { grad[row * width + j] += g[i * width + j] }
                    }
                }
            }]
        }
    }
}
