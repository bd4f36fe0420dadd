import Tensor

extension Tensor where Scalar: TensorFloatingPoint {
    /// One scaled element per row of this `[rows, columns]` matrix: `out[m] = scales[m] · x[m, columns[m]]`,
    /// and 0 where `scales[m]` is 0 (the column is then not read, so it may be out of range).
    ///
    /// Shape: `[rows]`. Backward: `g[m] · scales[m]` added at `[m, columns[m]]`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func picking(columns: [Int], scales: [Scalar]) -> Tensor {
        check(rank == 2 && columns.count == shape[0] && scales.count == shape[0], "picking: expected \(shape[0]) columns and scales for shape \(shape)")
        let rowCount = shape[0], width = shape[1]
        let values = Tensor(shape: [rowCount]) { out in
            withUnsafeBufferPointer { x in
                for m in 0..<rowCount { out[m] = scales[m] != 0 ? scales[m] * x[m * width + columns[m]] : 0 }
            }
        }
        let inputShape = shape
        return values.recording("GatherBackward", [self]) { g in
            [Tensor(shape: inputShape) { grad in
                grad.initialize(repeating: 0)
                g.withUnsafeBufferPointer { g in
                    for m in 0..<rowCount where scales[m] != 0 { grad[m * width + columns[m]] += g[m] * scales[m] }
                }
            }]
        }
    }
}
