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
        let lookup = RowLookup(table: self, positions: positions, frozenRow: frozenRow)
        let values = lookup.rows(of: self, width: width, shape: indices.shape + [width])
        values.rowLookup = lookup
        return values.recording("EmbeddingBackward", [self]) { g in
            [lookup.sumsByTableRow(g, width: width, skippingFrozenRow: true)]
        }
    }
}
