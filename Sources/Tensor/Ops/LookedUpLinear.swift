import Foundation

/// Where the rows of a looked-up tensor came from: row `i` of the lookup's result (its elements
/// `i · width ..< (i + 1) · width`) is row `positions[i]` of the `[rows, width]` `table`, and
/// `frozenRow` receives no gradient through the lookup (`padding_idx`).
package struct RowLookup<Scalar: TensorElement> {
    /// The table the rows were read from (an embedding's weight).
    package let table: Tensor<Scalar>
    /// The table row of each row of the result.
    package let positions: [Int]
    /// The table row that receives no gradient, if any.
    package let frozenRow: Int?

    /// Records that row `i` of a lookup's result is row `positions[i]` of `table`.
    package init(table: Tensor<Scalar>, positions: [Int], frozenRow: Int?) {
        self.table = table
        self.positions = positions
        self.frozenRow = frozenRow
    }
}

extension RowLookup where Scalar: TensorFloatingPoint {
    /// Row `positions[i]` of `source` `[_, width]` as row `i`: shape `shape` (`positions.count`
    /// rows of `width`), rows split over the threads when large.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    package func rows(of source: Tensor<Scalar>, width: Int, shape: [Int]) -> Tensor<Scalar> {
        let positions = positions
        return Tensor(shape: shape) { out in
            source.withUnsafeBufferPointer { s in
                guard let out = out.baseAddress, let s = s.baseAddress, width > 0 else { return }
                let (output, source) = (GEMM.WritePointer(out), GEMM.ReadPointer(s))
                parallelForRows(positions.count, width: width) { range in
                    for i in range {
                        (output.pointer + i * width).initialize(from: source.pointer + positions[i] * width, count: width)
                    }
                }
            }
        }
    }

    /// The rows of `gradient` (`positions.count` rows of `width`) summed into the table row each
    /// came from: `[table rows, width]`, each sum from 0 in position order, columns split over the
    /// threads when large; the frozen row stays 0 when `skippingFrozenRow`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    package func sumsByTableRow(_ gradient: Tensor<Scalar>, width: Int, skippingFrozenRow: Bool) -> Tensor<Scalar> {
        let positions = positions, skipped = skippingFrozenRow ? frozenRow : nil
        return Tensor(shape: [table.shape[0], width]) { sums in
            sums.initialize(repeating: 0)
            gradient.withUnsafeBufferPointer { g in
                guard let sums = sums.baseAddress, let g = g.baseAddress else { return }
                let (table, gradient) = (GEMM.WritePointer(sums), GEMM.ReadPointer(g))
                parallelForColumns(width, rows: positions.count) { columns in
                    for (i, row) in positions.enumerated() where row != skipped {
                        let sum = table.pointer + row * width, g = gradient.pointer + i * width
                        for j in columns { sum[j] += g[j] }
                    }
                }
            }
        }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// x Wᵀ + b for an x `[..., in]` whose rows were looked up from a table E `[rows, in]` with at
    /// most half as many rows as x (an embedding followed by a linear layer, or by an LSTM's or
    /// GRU's input projection, with a small vocabulary): the rows of E Wᵀ + b at the same
    /// positions, shape `[..., out]`.
    ///
    /// With P the lookup's positions (x = E[P]) and G `[rows, out]` the output gradient g summed
    /// row by row into the table row each came from (Gₑ = Σ_{i : Pᵢ = e} gᵢ):
    ///
    ///     forward   y = (E Wᵀ + b)[P]
    ///     backward  dE = G W (none for the frozen row)   dW = Gᵀ E   db = Σᵢ gᵢ
    ///
    /// Forward and backward multiply `rows` rows instead of x's, and x's own gradient g W,
    /// which the lookup would only sum into dE, is not formed: it is computed, and added to
    /// x's `grad`, only if x retains its gradient. The values are those of the unfolded
    /// product, row for row; the gradients are the same sums in another order.
    ///
    /// Returns `nil`, for the caller to run the plain product, when x is not a lookup's result,
    /// when the table has more than half as many rows as x, or when x's rows no longer equal
    /// the table's (either was changed in place since the lookup). The table's values are
    /// copied, so changing it in place before `backward()` changes nothing, as with x.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    package func linearOfLookedUpRows(weight: Tensor, bias: Tensor?) -> Tensor? {
        guard let lookup = rowLookup, let width = shape.last, width > 0, lookup.table.rank == 2,
            lookup.table.shape[1] == width, weight.rank == 2, weight.shape[1] == width,
            lookup.positions.count * width == count, 2 * lookup.table.shape[0] <= lookup.positions.count
        else { return nil }
        let positions = lookup.positions, frozenRow = lookup.frozenRow
        let rowBytes = width * MemoryLayout<Scalar>.stride
        let unchanged = withUnsafeBufferPointer { x in
            lookup.table.withUnsafeBufferPointer { e in
                positions.indices.allSatisfy { i in
                    memcmp(x.baseAddress! + i * width, e.baseAddress! + positions[i] * width, rowBytes) == 0
                }
            }
        }
        guard unchanged else { return nil }
        let table = lookup.table.copy(), outputs = weight.shape[0]
        let rows = positions.count
        let projected = withNoGrad { table.linear(weight: weight, bias: bias) }
        let result = lookup.rows(of: projected, width: outputs, shape: Array(shape.dropLast()) + [outputs])
        // The lookup's table receives a gradient only if the lookup recorded one.
        let source = requiresGrad ? lookup.table : nil
        let inputs = [source, weight, bias].compactMap { $0 }
        return result.recording("EmbeddingLinearBackward", inputs) { [self] g in
            // dW needs the frozen row's sums too: x's rows from it entered the product.
            let summed = lookup.sumsByTableRow(g, width: outputs, skippingFrozenRow: false)
            var gradients: [Tensor?] = []
            if let source {
                let tableGradient = source.requiresGrad ? Tensor.product(summed, transposed: false, weight, transposed: false) : nil
                if let tableGradient, let frozenRow {
                    tableGradient.withUnsafeMutableBufferPointer { d in
                        for j in 0..<width { d[frozenRow * width + j] = 0 }
                    }
                }
                gradients.append(tableGradient)
            }
            gradients.append(weight.requiresGrad ? Tensor.product(summed, transposed: true, table, transposed: false) : nil)
            if let bias {
                gradients.append(bias.requiresGrad ? g.withUnsafeBufferPointer { Tensor.columnSums($0, rows: rows, width: outputs) } : nil)
            }
            if retainsGrad {
                var inputGradient = Tensor.product(g.reshape([rows, outputs]), transposed: false, weight, transposed: false).reshape(shape)
                accumulateGrad(&inputGradient)
            }
            return gradients
        }
    }
}
